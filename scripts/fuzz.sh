#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers of hostile input: SharpFuzz instruments Sluice's
# assemblies, afl-fuzz (Debian's afl++, unpacked into artifacts/) drives each target for FUZZ_SECONDS (make fuzz SECONDS=…), one
# target after another at the lowest priority. Targets: `dotnet artifacts/fuzz/bin/Sluice.Fuzz.dll --list`.
# Prints executions, coverage and crashes per target (also artifacts/fuzz/summary.txt);
# crashing inputs are kept in artifacts/fuzz/crashes/TARGET and replayed once to show the exception.
# A crash, once fixed, belongs in fuzz/regressions/TARGET (tests/Sluice.Fuzz.Tests replays it).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
out=artifacts/fuzz
bin=$out/bin
sharpfuzz=$out/tools/sharpfuzz

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
printf '%-16s %8s %12s %10s %7s %9s %8s %7s\n' target seconds executions exec/s edges coverage corpus crashes | tee "$summary"
status=0
for target in $targets; do
  findings=$out/findings/$target
  rm -rf "$findings" && mkdir -p "$out/findings"
  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 \
    nice -n 19 "$afl" -V "$seconds" -t 10000 -m none -i "fuzz/corpus/$target" -o "$findings" \
    -- dotnet "$bin/Sluice.Fuzz.dll" "$target" >"$out/$target.log" 2>&1 || true
  stats=$findings/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "$target: afl-fuzz did not start; see $out/$target.log" | tee -a "$summary"; tail -5 "$out/$target.log"; status=1; continue
  fi
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=$(stat saved_crashes)
  printf '%-16s %8s %12s %10s %7s %9s %8s %7s\n' "$target" "$seconds" "$(stat execs_done)" "$(stat execs_per_sec)" \
    "$(stat edges_found)" "$(stat bitmap_cvg)" "$(stat corpus_count)" "$crashes" | tee -a "$summary"
  if [ "${crashes:-0}" != 0 ]; then
    status=1
    mkdir -p "$out/crashes/$target"
    find "$findings/default/crashes" -type f -name 'id:*' -exec cp {} "$out/crashes/$target/" \;
    # Replayed with the uninstrumented build (instrumented code needs the fuzzer around it).
    dotnet fuzz/Sluice.Fuzz/bin/Release/net10.0/Sluice.Fuzz.dll "$target" "$out/crashes/$target"/* | head -20 || true
  fi
done
exit $status
