#!/usr/bin/env bash
# make test-arm64: the arm64 build (make build ARCH=arm64) checked on an amd64 machine under
# qemu-user (qemu-aarch64-static, Debian's qemu-user-static; no binfmt registration needed).
#
# 1. The binaries as a runtime and a DaemonSet start them: VERSION from sluice-redirect (static)
#    and sluice-bridge (the multi-call binary), a configuration error as a CNI error object, a
#    bad agent flag, and sluice --components.
# 2. The pure-code unit tests (TESTS below), published self-contained for linux-arm64 and run
#    under qemu by their own xunit runner as user nobody: every test that needs root (network
#    namespaces, netlink, nftables, mounts: the kernel-facing ones) skips itself; the classes
#    that run the published binaries are left out (PROCESS_TESTS). docs/operations.md says
#    what runs and what does not.
#
# Ends with the line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

bin=artifacts/arm64/bin
# qemu's root for the arm64 processes: the Debian arm64 packages they load (the .NET runtime of
# the tests also needs libstdc++ and, for xunit's hashing, libssl), with absolute symlinks made
# relative, since qemu maps the paths a process opens into this root but not symlink targets.
root=$PWD/artifacts/arm64/qemu-root
rm -rf "$root" && mkdir -p "$root"
mapfile -t debs < <(scripts/image/debian-packages.sh arm64 artifacts/image/cache libc6 libgcc-s1 libstdc++6 libssl3)
[ ${#debs[@]} -eq 4 ] || { echo "test-arm64: the packages for qemu's root could not be downloaded" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$root"; done
find "$root" -type l -lname '/*' | while read -r link; do
  ln -sfn "$(realpath -ms --relative-to="$(dirname "$link")" "$root$(readlink "$link")")" "$link"
done
qemu=(qemu-aarch64-static -L "$root")
TESTS=${TESTS:-"Sluice.Cni.Tests Sluice.Ipam.Tests Sluice.Capture.Tests Sluice.Redirect.Tests Sluice.Agent.Tests"}
# Classes that run the published binaries or Go tools (artifacts/bin holds this machine's, not arm64's).
PROCESS_TESTS=(
  Sluice.Capture.Tests.ToolProcessTests
  Sluice.Redirect.Tests.RedirectBinaryTests Sluice.Redirect.Tests.RedirectProcessTests Sluice.Redirect.Tests.LibcniChainTests
  Sluice.Agent.Tests.AgentProcessTests Sluice.Agent.Tests.PodLookupTests Sluice.Agent.Tests.PrimaryNetworkTests
)
excluded=()
for class in "${PROCESS_TESTS[@]}"; do excluded+=(-class- "$class"); done

passed=0 failed=0 skipped=0
check() { # NAME EXPECTED-TEXT COMMAND...: passes when the output holds the text
  local name=$1 expected=$2 output
  shift 2
  output=$("$@" 2>&1)
  if [[ "$output" == *"$expected"* ]]; then
    passed=$((passed + 1)); echo "  ok    $name"
  else
    failed=$((failed + 1)); echo "  FAIL  $name: expected '$expected' in:"; echo "$output" | sed 's/^/        /'
  fi
}

for tool in qemu-aarch64-static "$root/lib/ld-linux-aarch64.so.1" "$bin/sluice-redirect" "$bin/sluice-agent"; do
  if ! command -v "$tool" >/dev/null && [ ! -e "$tool" ]; then
    echo "test-arm64: $tool is missing (make build ARCH=arm64 installs and builds what this needs)" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  fi
done

echo "=== the arm64 binaries under qemu"
version='{"cniVersion":"1.0.0"}'
check "sluice-redirect VERSION" '"1.1.0"' env -i CNI_COMMAND=VERSION "${qemu[@]}" "$bin/sluice-redirect" <<< "$version"
check "sluice-bridge VERSION" '"1.1.0"' env -i CNI_COMMAND=VERSION "${qemu[@]}" "$bin/sluice-bridge" <<< "$version"
check "sluice-bridge ADD with a bad mtu: CNI error 6 naming the field" "\"code\": 6" \
  env -i CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/var/run/netns/none CNI_IFNAME=eth0 CNI_PATH=/opt/cni/bin \
  "${qemu[@]}" "$bin/sluice-bridge" <<< '{"cniVersion":"1.0.0","name":"n","type":"sluice-bridge","mtu":"big"}'
check "sluice-agent --health-port http: exit 2 naming the flag" "--health-port: 'http' is not a port" \
  "${qemu[@]}" "$bin/sluice-agent" --health-port http
components=$("${qemu[@]}" artifacts/arm64/publish/sluice --components | tr '\n' ' ')
check "sluice --components" "sluice-agent sluice-bridge sluice-ipam sluice-iptables sluice-kube" echo "$components"

echo "=== pure-code unit tests, linux-arm64, under qemu as nobody"
out=artifacts/arm64/tests
mkdir -p "$out"
for project in $TESTS; do
  dir=$out/$project
  if ! dotnet publish "tests/$project" -c Release -r linux-arm64 --self-contained --artifacts-path artifacts/arm64/build \
       -o "$dir" -v quiet --nologo -clp:ErrorsOnly >"$dir.publish.log" 2>&1; then
    failed=$((failed + 1)); echo "  FAIL  publishing $project for linux-arm64:"; tail -20 "$dir.publish.log"
    continue
  fi
  chmod -R a+rX "$dir"
  # xunit v3's own runner; -ctrf writes a summary this script counts. The runner needs a writable HOME.
  report=$(mktemp); chmod 666 "$report"
  (cd "$dir" && env -i HOME=/tmp PATH=/usr/bin:/bin DOTNET_EnableWriteXorExecute=0 \
    setpriv --reuid=nobody --regid=nogroup --clear-groups "${qemu[@]}" "./$project" -noLogo -ctrf "$report" "${excluded[@]}") \
    >"$dir.log" 2>&1
  counts=$(tr -d ' \n' < "$report" | grep -o '"summary":{[^}]*}')
  get() { echo "$counts" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
  p=$(get passed); f=$(get failed); s=$(get skipped)
  if [ -z "$p" ]; then
    failed=$((failed + 1)); echo "  FAIL  $project: no results"; tail -20 "$dir.log"
  else
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    echo "  $project: $p passed, $f failed, $s skipped (log: $dir.log)"
    [ "$f" = 0 ] || grep -A15 '\[FAIL\]' "$dir.log" | head -60
  fi
  rm -f "$report"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
