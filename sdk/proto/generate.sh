#!/bin/sh
# Regenerates the Go code of the Guichet plugin protocol from the .proto files
# under sdk/proto/guichet/plugin/v1. Run from anywhere:
#
#   sh sdk/proto/generate.sh
#
# Deterministic: protoc-gen-go and protoc-gen-go-grpc are pinned in go.mod as
# tool dependencies, and protoc itself must be the pinned version below (its
# version is written into every generated file), so CI can run this script and
# then `git diff --exit-code`.
set -eu
want_protoc="libprotoc 3.21.12"   # Debian bookworm's protobuf-compiler
have_protoc=$(protoc --version 2>/dev/null || echo "no protoc")
if [ "$have_protoc" != "$want_protoc" ]; then
  echo "generate.sh: need $want_protoc (apt-get install protobuf-compiler), found: $have_protoc" >&2
  exit 1
fi
cd "$(dirname "$0")/../.."   # repository root
root=$(pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go
go build -o "$bin/protoc-gen-go-grpc" google.golang.org/grpc/cmd/protoc-gen-go-grpc
cd "$root/sdk/proto"
rm -f guichet/plugin/v1/*.pb.go
# require_unimplemented_servers=false keeps the generated XxxServer interfaces
# plain Go interfaces, so the SDK can use them as its capability interfaces.
PATH="$bin:$PATH" protoc \
  --proto_path=. \
  --go_out=. --go_opt=paths=source_relative \
  --go-grpc_out=. --go-grpc_opt=paths=source_relative \
  --go-grpc_opt=require_unimplemented_servers=false \
  guichet/plugin/v1/*.proto
