#!/usr/bin/env bash
# make demo: a two-node cluster in network namespaces (demo/Sluice.Demo), then the single binaries
# at work (scripts/demo-tour.sh). KEEP=1 leaves the cluster running until Ctrl-C. Exits non-zero
# when any step does not do what it shows.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Namespaces of an earlier run that was killed before its teardown.
for stale in $(ip netns list 2>/dev/null | awk '$1 ~ /^slt-/ {print $1}'); do
  ip netns delete "$stale" || true
done

dotnet build demo/Sluice.Demo -c Release -v quiet --nologo -clp:ErrorsOnly
dotnet demo/Sluice.Demo/bin/Release/net10.0/Sluice.Demo.dll
scripts/demo-tour.sh
