#!/usr/bin/env bash
# Checks for the .NET SDK, which Debian does not package (README.md, "Prerequisites", says how to
# install it), and installs the OS packages a make target needs, when missing. Idempotent and quiet
# when everything is there; needs root (or sudo) only when it installs.
#
#   scripts/prereqs.sh [SET...]     (default: test)
#
# test        the build, the tests, the demo and the benchmarks (the image's tools included:
#             make test builds the image and runs it in containerd)
# image       make image: readelf for the image's library closure (apt, dpkg, tar, gzip and
#             coreutils are in every Debian)
# push        make image PUSH=1: skopeo
# cross-arm64 make build ARCH=arm64 on amd64: Debian's aarch64 gcc and arm64 glibc (libc.a for the
#             static sluice-redirect), and qemu-user to run what it built
set -euo pipefail

sdk_help() {
  cat >&2 <<'TEXT'
prereqs: the .NET SDK 10 is needed (the dotnet command, SDK 10.0.100 or later) and is not installed.
Debian 12 does not package it; install it from Microsoft's Debian 12 package feed, as root:

  apt-get update && apt-get install -y wget ca-certificates
  wget https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb -O /tmp/packages-microsoft-prod.deb
  dpkg -i /tmp/packages-microsoft-prod.deb
  apt-get update && apt-get install -y dotnet-sdk-10.0

then run make again. (Or Microsoft's dotnet-install script: https://dot.net/v1/dotnet-install.sh
--channel 10.0, with dotnet put on PATH.)
TEXT
  exit 1
}

if ! command -v dotnet >/dev/null 2>&1; then
  sdk_help
fi
if ! dotnet --list-sdks 2>/dev/null | grep -Eq '^(1[0-9]|[2-9][0-9])\.'; then
  echo "prereqs: dotnet is there but has no SDK 10 or later ($(dotnet --list-sdks 2>/dev/null | tr '\n' ' '))" >&2
  sdk_help
fi

packages=()
for set in "${@:-test}"; do
  case "$set" in
    test)
      packages+=(
        # NativeAOT links with the C toolchain: gcc, glibc's headers and static libraries, zlib.
        gcc libc6-dev zlib1g-dev
        iproute2 iptables nftables iputils-ping socat procps time psmisc strace iperf3
        # gdb: SpeedCheckWatch sets a breakpoint in the published plugins (tests/Sluice.TestSupport).
        gdb
        containernetworking-plugins
        golang-go golang-github-appc-cni-dev golang-github-masterminds-sprig-dev
        golang-gopkg-yaml.v2-dev
        busybox-static
        containerd runc golang-google-grpc-dev golang-google-protobuf-dev
        binutils
      ) ;;
    image) packages+=(binutils) ;;
    push) packages+=(skopeo) ;;
    cross-arm64) packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu qemu-user-static) ;;
    *) echo "prereqs: unknown set '$set' (test, image, push, cross-arm64)" >&2; exit 2 ;;
  esac
done

# `prereqs.sh fuzz`: also what make fuzz needs (afl++ drives SharpFuzz's instrumented targets).
if [ "${1:-}" = fuzz ]; then
  packages+=(afl++)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "prereqs: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "prereqs: need root to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
