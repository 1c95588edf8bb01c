#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers of hostile input: SharpFuzz instruments Sluice's
# assemblies, afl-fuzz (Debian's afl++, unpacked into artifacts/) drives each target for
# FUZZ_SECONDS (make fuzz SECONDS=…), FUZZ_JOBS targets at a time (make fuzz JOBS=…, one per core
# you can spare; default 1), each afl-fuzz at the lowest priority. Targets: FUZZ_TARGETS, or all
# of `dotnet artifacts/fuzz/bin/Sluice.Fuzz.dll --list`.
# Prints executions, coverage and crashes per target (also artifacts/fuzz/summary.txt, one
# line per target as it ends). What a campaign found that the seeds did not reach (afl's queue) is
# kept in artifacts/fuzz/found/TARGET under content names; `FUZZ_KEEP=1` also copies it into
# fuzz/found/TARGET, which tests/Sluice.Fuzz.Tests replays.
# Crashing inputs are kept in artifacts/fuzz/crashes/TARGET and replayed once to show the
# exception. A crash, once fixed, belongs in fuzz/regressions/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
keep=${FUZZ_KEEP:-0}
out=artifacts/fuzz
bin=$out/bin
sharpfuzz=$out/tools/sharpfuzz

case "$seconds$jobs" in *[!0-9]*) echo "fuzz: SECONDS and JOBS are whole numbers" >&2; exit 2 ;; esac
[ "$jobs" -ge 1 ] || { echo "fuzz: JOBS must be at least 1" >&2; exit 2; }
mkdir -p "$out"

# afl-fuzz from Debian's afl++ package, unpacked here rather than installed: the package depends on
# clang, and with a clang on the machine the NativeAOT build links differently (and fails), for
# every checkout on it. The ordinary apt client fetches the package; nothing is installed.
afl=$out/tools/afl/root/usr/bin/afl-fuzz
if [ ! -x "$afl" ]; then
  mkdir -p "$out/tools/afl"
  (cd "$out/tools/afl" && rm -f afl++_*.deb && apt-get download -q afl++ >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q afl++; })
  dpkg -x "$out"/tools/afl/afl++_*.deb "$out/tools/afl/root"
fi
rm -rf "$bin"
dotnet publish fuzz/Sluice.Fuzz -c Release -o "$bin" >"$out/publish.log" 2>&1 || { tail -20 "$out/publish.log"; exit 1; }
# Listed before instrumenting: instrumented code runs only inside the fuzzer's loop.
targets=${FUZZ_TARGETS:-$(dotnet "$bin/Sluice.Fuzz.dll" --list | cut -f1)}
if [ ! -x "$sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools" >/dev/null
fi

# Instrument Sluice's own assemblies (what the fuzzer should explore), not the harness or the BCL.
# Publishing copies fresh assemblies, so each run instruments them again.
for dll in "$bin"/Sluice.*.dll; do
  case "$(basename "$dll")" in Sluice.Fuzz.dll) continue ;; esac
  "$sharpfuzz" "$dll" >/dev/null
done

summary=$out/summary.txt
row() { printf '%-16s %8s %8s %12s %10s %7s %9s %8s %7s\n' "$@"; }
row target seconds cpu-s executions exec/s edges coverage corpus crashes | tee "$summary"

# CPU seconds (user + system, own and reaped children) of a process and all its descendants.
cpu_of_tree() {
  awk -v root="$1" -v hz="$(getconf CLK_TCK)" '
    FNR == 1 { line = $0; sub(/^.*\) /, "", line); split(line, f, " ");
               pid = FILENAME; sub("/proc/", "", pid); sub("/stat", "", pid);
               parent[pid] = f[2]; ticks[pid] = f[12] + f[13] + f[14] + f[15] }
    END { total = 0; for (p in ticks) { q = p; while (q != "" && q != root && q > 1) q = parent[q]; if (q == root) total += ticks[p] }
          printf "%.0f\n", total / hz }' /proc/[0-9]*/stat 2>/dev/null
}

# One campaign: afl-fuzz for $seconds on one target, then its line in the summary, what it found
# kept under content names, and its crashes replayed. Returns 1 when it crashed or did not start.
campaign() {
  local target=$1 findings=$out/findings/$1
  rm -rf "$findings" "$findings.cpu" && mkdir -p "$findings"
  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    nice -n 19 "$afl" -V "$seconds" -t 10000 -m none -i "fuzz/corpus/$target" -o "$findings" \
    -- dotnet "$bin/Sluice.Fuzz.dll" "$target" >"$out/$target.log" 2>&1 &
  local fuzzer=$!
  # CPU seconds of afl-fuzz and the target process it drives, sampled while they run: with more
  # lanes than spare cores, wall time overstates the fuzzing, so both are reported.
  while kill -0 "$fuzzer" 2>/dev/null; do cpu_of_tree "$fuzzer" >"$findings.cpu.tmp" && mv "$findings.cpu.tmp" "$findings.cpu"; sleep 5; done
  wait "$fuzzer" || true
  local stats=$findings/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "$target: afl-fuzz did not start; see $out/$target.log" | tee -a "$summary"; tail -5 "$out/$target.log"; return 1
  fi
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  local crashes; crashes=$(stat saved_crashes)
  local cpu; cpu=$(cat "$findings.cpu" 2>/dev/null || echo '?')
  row "$target" "$(stat run_time)" "$cpu" "$(stat execs_done)" "$(stat execs_per_sec)" \
    "$(stat edges_found)" "$(stat bitmap_cvg)" "$(stat corpus_count)" "$crashes" | tee -a "$summary"
  # afl's queue names (id:…,src:…,op:…) carry commas and colons; kept as found-<sha256 prefix>,
  # without the seeds it started from.
  rm -rf "$out/found/$target" && mkdir -p "$out/found/$target"
  find "$findings/default/queue" -maxdepth 1 -type f -name 'id:*' ! -name '*orig:*' | while read -r file; do
    cp "$file" "$out/found/$target/found-$(sha256sum "$file" | cut -c1-16)"
  done
  if [ "$keep" = 1 ]; then
    rm -rf "fuzz/found/$target" && mkdir -p fuzz/found && cp -r "$out/found/$target" "fuzz/found/$target"
  fi
  if [ "${crashes:-0}" != 0 ]; then
    mkdir -p "$out/crashes/$target"
    find "$findings/default/crashes" -type f -name 'id:*' -exec cp {} "$out/crashes/$target/" \;
    # Replayed with the uninstrumented build (instrumented code needs the fuzzer around it).
    dotnet fuzz/Sluice.Fuzz/bin/Release/net10.0/Sluice.Fuzz.dll "$target" "$out/crashes/$target"/* | head -20 || true
    return 1
  fi
}

# FUZZ_JOBS lanes; lane i takes targets i, i+JOBS, i+2·JOBS, … one after another.
status=0
pids=()
lane=0
while [ "$lane" -lt "$jobs" ]; do
  (
    index=0 failed=0
    for target in $targets; do
      if [ $((index % jobs)) -eq "$lane" ]; then campaign "$target" || failed=1; fi
      index=$((index + 1))
    done
    exit "$failed"
  ) &
  pids+=($!)
  lane=$((lane + 1))
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
