# Guichet — common tasks. `make help` lists them.
GO       ?= go
BIN      := bin
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help run build plugins test lint bench golden proto screenshots

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

build: ## build bin/guichet
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/guichet ./cmd/guichet

plugins: ## build the first-party plugins into ./data/plugins/<id>/ (binary + plugin.yaml)
	@for p in $$(ls -d plugins/*/ 2>/dev/null); do \
		n=$$(basename $$p); echo "building plugin $$n"; mkdir -p data/plugins/$$n; \
		$(GO) build -trimpath -o data/plugins/$$n/$$n ./$$p && cp $$p/plugin.yaml data/plugins/$$n/ || exit 1; \
	done

run: build plugins ## build and start Guichet on SQLite in ./data, no configuration needed
	./$(BIN)/guichet serve

test: ## run every test with the race detector (PostgreSQL too when GUICHET_TEST_POSTGRES is set)
	$(GO) test -race -count=1 ./...

lint: ## gofmt, go vet and staticcheck must be clean
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

bench: ## benchmarks with ratios against a baseline measured in the same run
	$(GO) test -run '^$$' -bench . -benchtime 200x -timeout 60m ./core/ticket/
	$(GO) test -run '^$$' -bench CallThroughHost -benchtime 5000x ./core/pluginhost/
	$(GO) test -run '^$$' -bench CrashToServing -benchtime 20x ./core/pluginhost/

screenshots: ## refresh docs/screenshots from the headless-Chromium tests
	GUICHET_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run Browser ./core/...

golden: ## regenerate golden files after an intended change of a rendered page
	$(GO) test ./... -run Golden -update

proto: ## regenerate the plugin protocol's Go code
	sh sdk/proto/generate.sh
