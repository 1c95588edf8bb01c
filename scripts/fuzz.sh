#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers of hostile input: SharpFuzz instruments Sluice's
# assemblies, Debian's afl++ drives each target for FUZZ_SECONDS (make fuzz SECONDS=…), one
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

scripts/prereqs.sh fuzz
mkdir -p "$out"
dotnet publish fuzz/Sluice.Fuzz -c Release -o "$bin" >"$out/publish.log" 2>&1 || { tail -20 "$out/publish.log"; exit 1; }
if [ ! -x "$sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools" >/dev/null
fi

# Instrument Sluice's own assemblies (what the fuzzer should explore), not the harness or the BCL.
# Publishing copies fresh assemblies, so each run instruments them again.
for dll in "$bin"/Sluice.*.dll; do
  case "$(basename "$dll")" in Sluice.Fuzz.dll) continue ;; esac
  "$sharpfuzz" "$dll" >/dev/null
done

targets=${FUZZ_TARGETS:-$(dotnet "$bin/Sluice.Fuzz.dll" --list | cut -f1)}
summary=$out/summary.txt
printf '%-16s %8s %12s %10s %9s %8s %7s\n' target seconds executions exec/s coverage corpus crashes | tee "$summary"
status=0
for target in $targets; do
  findings=$out/findings/$target
  rm -rf "$findings"
  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 \
    nice -n 19 afl-fuzz -V "$seconds" -t 10000 -m none -i "fuzz/corpus/$target" -o "$findings" \
    -- dotnet "$bin/Sluice.Fuzz.dll" "$target" >"$out/$target.log" 2>&1 || true
  stats=$findings/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "$target: afl-fuzz did not start; see $out/$target.log" | tee -a "$summary"; tail -5 "$out/$target.log"; status=1; continue
  fi
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=$(stat saved_crashes)
  printf '%-16s %8s %12s %10s %9s %8s %7s\n' "$target" "$seconds" "$(stat execs_done)" "$(stat execs_per_sec)" \
    "$(stat bitmap_cvg)" "$(stat corpus_count)" "$crashes" | tee -a "$summary"
  if [ "${crashes:-0}" != 0 ]; then
    status=1
    mkdir -p "$out/crashes/$target"
    find "$findings/default/crashes" -type f -name 'id:*' -exec cp {} "$out/crashes/$target/" \;
    dotnet "$bin/Sluice.Fuzz.dll" "$target" "$out/crashes/$target"/* | head -20 || true
  fi
done
exit $status
