#!/usr/bin/env bash
# Runs every test project and ends with the one line CI counts: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

configuration=${CONFIGURATION:-Release}
filter=()
if [ -n "${TEST_FILTER:-}" ]; then filter=(--filter "$TEST_FILTER"); fi

# Test namespaces are named slt-*; any still here are from an earlier run that was killed.
for stale in $(ip netns list 2>/dev/null | awk '$1 ~ /^slt-/ {print $1}'); do
  echo "run-tests: removing namespace $stale left by an interrupted earlier run"
  ip netns delete "$stale" || true
done

status=0
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  dotnet test "$project" -c "$configuration" --no-build \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" "${filter[@]}" || status=$?
done

passed=0; failed=0; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  found=$((found + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

# The failed tests by name, with their message's first line, just above the count: CI shows the
# end of the output, and a failure is only worth something if it can be told apart from others.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    awk -f scripts/failed-tests.awk "$trx"
  done
fi

projects=$(find tests -name '*.Tests.csproj' | wc -l)
if [ "$found" -lt "$projects" ]; then
  echo "run-tests: only $found of $projects test projects reported results" >&2
  failed=$((failed + projects - found))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "run-tests: dotnet test exited $status" >&2
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
