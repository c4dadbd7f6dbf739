# Targets for building, checking and testing the SDK. `make ci` runs them all.
GO ?= go
STATICCHECK_VERSION ?= v0.8.2
UPSTREAM ?= ../shared/upstream/telnyx-spec3-2026-07-16.yml
UPSTREAM_SLICE ?= ../shared/upstream/telnyx-oauth-slice-2026-07-16.yml

.PHONY: all generate check-generated spec-validate spec-drift spec-drift-ci lint test bench demo ci

all: ci

## generate: regenerate api/ (and every other generated package) from openapi.yaml
generate:
	$(GO) generate ./...

## check-generated: regenerate, then fail if that changed or added any file
check-generated: generate
	@status="$$(git status --porcelain -- . )"; \
	if [ -n "$$status" ]; then \
		echo "generated code is out of date with openapi.yaml (run make generate and commit):"; \
		echo "$$status"; exit 1; \
	fi

## spec-validate: load and validate openapi.yaml (and its examples) with kin-openapi
spec-validate:
	$(GO) test -run 'TestOpenAPIDocumentValidates' -count=1 .

## spec-drift: compare openapi.yaml with a Telnyx document: make spec-drift UPSTREAM=<file>
spec-drift:
	$(GO) run ./cmd/specdrift -upstream "$(UPSTREAM)"

## spec-drift-ci: the drift check against the stored whole document and its OAuth slice
spec-drift-ci:
	@if [ -f "$(UPSTREAM)" ]; then $(MAKE) --no-print-directory spec-drift UPSTREAM="$(UPSTREAM)"; else echo "spec-drift: $(UPSTREAM) not found, skipped"; fi
	@if [ -f "$(UPSTREAM_SLICE)" ]; then $(MAKE) --no-print-directory spec-drift UPSTREAM="$(UPSTREAM_SLICE)"; else echo "spec-drift: $(UPSTREAM_SLICE) not found, skipped"; fi

## lint: go vet, gofmt and staticcheck
lint:
	$(GO) vet ./...
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

## test: the whole suite, race detector on
test:
	$(GO) test -race -count=1 ./...

## bench: the benchmarks, with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## demo: the quickstart on the embedded emulator
demo:
	$(GO) run ./cmd/telnyx-oauth demo

## ci: everything CI checks
ci: check-generated spec-validate spec-drift-ci lint test
