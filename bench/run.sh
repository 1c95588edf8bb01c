#!/usr/bin/env bash
# Runs the benchmarks against the published binaries (make build) and the reference plugins
# from Debian (containernetworking-plugins). Results: stdout and bench/results/*.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Sluice.Bench -c Release -v quiet --nologo -clp:ErrorsOnly
exec dotnet bench/Sluice.Bench/bin/Release/net10.0/Sluice.Bench.dll "$@"
