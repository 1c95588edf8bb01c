# Sluice: make build | test | demo | bench | clean. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

CONFIGURATION ?= Release
# The architecture to build for, in Debian's words: the machine's own, or arm64 on an amd64
# machine (NativeAOT cross-compiled with Debian's aarch64 gcc; its binaries go to artifacts/arm64/).
HOST_ARCH := $(shell dpkg --print-architecture)
ARCH ?= $(HOST_ARCH)
RID := $(if $(filter amd64,$(ARCH)),linux-x64,$(if $(filter arm64,$(ARCH)),linux-arm64,$(error ARCH must be amd64 or arm64, not '$(ARCH)')))
ifeq ($(ARCH),$(HOST_ARCH))
PUBLISH_DIR := artifacts/publish
BIN_DIR := artifacts/bin
RUN_TARGET :=
else
PUBLISH_DIR := artifacts/$(ARCH)/publish
BIN_DIR := artifacts/$(ARCH)/bin
# Runs a binary of ARCH here: qemu-user with the cross glibc (libc6-arm64-cross) as its root.
RUN_TARGET := qemu-aarch64-static -L /usr/aarch64-linux-gnu
endif
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: build test test-arm64 demo bench fuzz clean prereqs restore format format-check publish test-tools manifests image chart-svg

prereqs:
	@scripts/prereqs.sh test

restore: prereqs
	dotnet restore Sluice.sln

# Three NativeAOT executables: the per-pod plugins, each small and linked statically so they start
# fast (sluice-redirect; sluice-bridge-ipam, installed as sluice-bridge and sluice-ipam), and the multi-call
# binary installed under every other component name (agent, iptables, kube: the HTTPS client).
# Any trim or AOT warning fails the build (TreatWarningsAsErrors; checked again on the log).
# ARCH=arm64 on amd64 restores and publishes for linux-arm64 (prereqs: the cross toolchain), with
# its own restore and intermediate files (--artifacts-path), so the machine's build is untouched.
ifeq ($(ARCH),$(HOST_ARCH))
publish: restore
	@mkdir -p artifacts
	{ dotnet publish src/Sluice.Redirect.Host -c $(CONFIGURATION) -o $(PUBLISH_DIR) --no-restore && \
	  dotnet publish src/Sluice.Bridge.Host -c $(CONFIGURATION) -o $(PUBLISH_DIR) --no-restore && \
	  dotnet publish src/Sluice.Host -c $(CONFIGURATION) -o $(PUBLISH_DIR) --no-restore; } 2>&1 | tee artifacts/publish.log
	@if grep -E "warning (IL|AOT)[0-9]+" artifacts/publish.log; then echo "AOT/trim warnings: failing"; exit 1; fi
else
publish:
	@scripts/prereqs.sh cross-$(ARCH)
	@mkdir -p $(PUBLISH_DIR)
	{ dotnet publish src/Sluice.Redirect.Host -c $(CONFIGURATION) -r $(RID) --artifacts-path artifacts/$(ARCH)/build -o $(PUBLISH_DIR) && \
	  dotnet publish src/Sluice.Bridge.Host -c $(CONFIGURATION) -r $(RID) --artifacts-path artifacts/$(ARCH)/build -o $(PUBLISH_DIR) && \
	  dotnet publish src/Sluice.Host -c $(CONFIGURATION) -r $(RID) --artifacts-path artifacts/$(ARCH)/build -o $(PUBLISH_DIR); } 2>&1 | tee $(PUBLISH_DIR).log
	@if grep -E "warning (IL|AOT)[0-9]+" $(PUBLISH_DIR).log; then echo "AOT/trim warnings: failing"; exit 1; fi
endif

build: publish
	@rm -rf $(BIN_DIR) && mkdir -p $(BIN_DIR)
	@cp $(PUBLISH_DIR)/sluice-redirect $(BIN_DIR)/sluice-redirect
	@for binary in sluice-bridge-ipam sluice; do \
	  for name in $$($(RUN_TARGET) $(PUBLISH_DIR)/$$binary --components); do cp $(PUBLISH_DIR)/$$binary $(BIN_DIR)/$$name; done; done
	@echo "built ($(ARCH)): sluice-redirect ($$(du -h $(PUBLISH_DIR)/sluice-redirect | cut -f1));" \
	  "$$($(RUN_TARGET) $(PUBLISH_DIR)/sluice-bridge-ipam --components | tr '\n' ' ')($$(du -h $(PUBLISH_DIR)/sluice-bridge-ipam | cut -f1), one binary);" \
	  "$$($(RUN_TARGET) $(PUBLISH_DIR)/sluice --components | tr '\n' ' ')($$(du -h $(PUBLISH_DIR)/sluice | cut -f1), one multi-call binary)"

# Coverage-guided fuzzing (SharpFuzz + Debian's afl++, unpacked into artifacts/fuzz/tools, never
# installed): every target for SECONDS each, JOBS targets at a time (one per spare core), at the
# lowest priority; executions, coverage and crashes per target. KEEP=1 keeps what the campaign
# found in fuzz/found (replayed by the tests). Not part of make test.
SECONDS ?= 60
JOBS ?= 1
KEEP ?= 0
fuzz:
	@FUZZ_SECONDS=$(SECONDS) FUZZ_JOBS=$(JOBS) FUZZ_KEEP=$(KEEP) scripts/fuzz.sh

# Go test tools against Debian's packaged sources (libcni driver, chart renderer), built offline.
# GOPATH's first entry (where go would put downloads; offline, nothing) is a folder under artifacts/.
test-tools: prereqs
	@mkdir -p artifacts/tools artifacts/gopath
	@for tool in $$(ls tests/tools); do \
	  GO111MODULE=off GOPROXY=off GOPATH=$(CURDIR)/artifacts/gopath:/usr/share/gocode GOCACHE=$(CURDIR)/artifacts/go-cache \
	    go build -o artifacts/tools/$$tool ./tests/tools/$$tool; done

# The image is built too: a runtime test runs it as the chart's DaemonSet does.
test: prereqs build image test-tools
	dotnet build Sluice.sln -c $(CONFIGURATION) --no-restore
	dotnet format Sluice.sln --verify-no-changes --no-restore
	@scripts/run-tests.sh

# The arm64 build checked under qemu-user: the binaries, and the unit tests that need no root
# (scripts/test-arm64.sh). Not part of make test: the cross build alone takes minutes.
test-arm64:
	@$(MAKE) --no-print-directory build ARCH=arm64
	@scripts/test-arm64.sh

demo: prereqs build
	@scripts/demo.sh

bench: prereqs build
	@bench/run.sh

# deploy/manifests/sluice.yaml is the chart rendered with its defaults, without its uninstall hook
# (kubectl would run it at once); deploy/manifests/sluice-uninstall.yaml is that hook alone, to apply
# before deleting the first file (a test keeps both equal to the chart).
CHART := deploy/helm/sluice
MANIFESTS := deploy/manifests/sluice.yaml
UNINSTALL_MANIFESTS := deploy/manifests/sluice-uninstall.yaml
manifests: test-tools
	@{ echo "# Sluice for kubectl apply: $(CHART) rendered with its default values (release sluice,"; \
	   echo "# namespace kube-system), without the uninstall hook (see sluice-uninstall.yaml)."; \
	   echo "# Generated by 'make manifests'; edit the chart, not this file."; \
	   artifacts/tools/chartrender --name sluice --namespace kube-system --no-hooks $(CHART); } > $(MANIFESTS).tmp
	@mv $(MANIFESTS).tmp $(MANIFESTS) && echo "wrote $(MANIFESTS)"
	@{ echo "# Sluice's uninstall for kubectl users: apply this, wait for the Job to complete, then delete it and"; \
	   echo "# sluice.yaml (docs/operations.md). $(CHART)'s pre-delete hook rendered with its default values."; \
	   echo "# Generated by 'make manifests'; edit the chart, not this file."; \
	   artifacts/tools/chartrender --name sluice --namespace kube-system --show-only templates/uninstall.yaml $(CHART); } > $(UNINSTALL_MANIFESTS).tmp
	@mv $(UNINSTALL_MANIFESTS).tmp $(UNINSTALL_MANIFESTS) && echo "wrote $(UNINSTALL_MANIFESTS)"

# The container image as an OCI image archive, artifacts/image/sluice-$(TAG)-$(ARCH).oci.tar, built
# from make build's binaries and files of Debian packages without a container engine
# (scripts/image/; deploy/Dockerfile is the path for a CI machine with Docker and the internet).
# With both architectures built, also the multi-arch artifacts/image/sluice-$(TAG).oci.tar.
# PUSH=1 copies it to $(IMAGE) with skopeo. The chart pulls $(HUB)/sluice:$(TAG).
HUB ?= localhost:5000
TAG ?= $(shell sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}/\1/p' $(CHART)/Chart.yaml)
IMAGE := $(HUB)/sluice:$(TAG)
# skopeo's --dest-tls-verify (false for a registry served over plain HTTP).
PUSH_TLS_VERIFY ?= true
image: build
	@scripts/prereqs.sh image
	@scripts/image/build.sh $(ARCH) $(BIN_DIR) $(IMAGE) artifacts/image
	@scripts/image/index.sh $(IMAGE) artifacts/image
	@if [ "$${PUSH:-0}" = 1 ]; then scripts/prereqs.sh push && scripts/image/push.sh $(IMAGE) artifacts/image $(ARCH) $(PUSH_TLS_VERIFY); fi

# docs/benchmarks.svg from the tables in bench/results/*.md.
chart-svg:
	python3 scripts/benchmarks-chart.py bench/results docs/benchmarks.svg

format:
	dotnet format Sluice.sln

format-check:
	dotnet format Sluice.sln --verify-no-changes

clean:
	rm -rf artifacts
	find src tests bench -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
