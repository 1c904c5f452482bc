// Package pluginv1 is the generated Go code of the Guichet plugin protocol,
// protobuf package guichet.plugin.v1. It owns nothing by hand but this file:
// edit the .proto files beside it and run sdk/proto/generate.sh. It imports
// only protobuf and gRPC, never core/ nor the rest of sdk/.
package pluginv1
