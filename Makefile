# Sluice: make build | test | demo | bench | clean. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

CONFIGURATION ?= Release
PUBLISH_DIR := artifacts/publish
BIN_DIR := artifacts/bin
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: build test demo bench clean prereqs restore format format-check publish test-tools

prereqs:
	@scripts/prereqs.sh

restore:
	dotnet restore Sluice.sln

# One NativeAOT multi-call binary, installed under every component name it answers to.
# Any trim or AOT warning fails the build (TreatWarningsAsErrors; checked again on the log).
publish: restore
	@mkdir -p artifacts
	dotnet publish src/Sluice.Host -c $(CONFIGURATION) -o $(PUBLISH_DIR) --no-restore 2>&1 | tee artifacts/publish.log
	@if grep -E "warning (IL|AOT)[0-9]+" artifacts/publish.log; then echo "AOT/trim warnings: failing"; exit 1; fi

build: publish
	@rm -rf $(BIN_DIR) && mkdir -p $(BIN_DIR)
	@for name in $$($(PUBLISH_DIR)/sluice --components); do cp $(PUBLISH_DIR)/sluice $(BIN_DIR)/$$name; done
	@echo "built: $$(ls $(BIN_DIR) | tr '\n' ' ')($$(du -h $(PUBLISH_DIR)/sluice | cut -f1) each)"

# Go test tools against Debian's packaged sources (libcni driver, chart renderer), built offline.
test-tools: prereqs
	@mkdir -p artifacts/tools
	@for tool in $$(ls tests/tools); do \
	  GO111MODULE=off GOPROXY=off GOPATH=$$(mktemp -d):/usr/share/gocode GOCACHE=$(CURDIR)/artifacts/go-cache \
	    go build -o artifacts/tools/$$tool ./tests/tools/$$tool; done

test: prereqs build test-tools
	dotnet build Sluice.sln -c $(CONFIGURATION) --no-restore
	dotnet format Sluice.sln --verify-no-changes --no-restore
	@scripts/run-tests.sh

demo: prereqs build
	@scripts/demo.sh

bench: prereqs build
	@bench/run.sh

format:
	dotnet format Sluice.sln

format-check:
	dotnet format Sluice.sln --verify-no-changes

clean:
	rm -rf artifacts
	find src tests bench -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
