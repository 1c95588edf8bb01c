#!/usr/bin/env bash
# Installs the OS packages the build, the tests, the demo and the benchmarks need, when missing.
# Idempotent and quiet when everything is there; needs root (or sudo) only when it installs.
set -euo pipefail

packages=(
  iproute2 iptables nftables iputils-ping socat procps time psmisc strace
  containernetworking-plugins
  golang-go golang-github-appc-cni-dev golang-github-masterminds-sprig-dev
  golang-gopkg-yaml.v2-dev
  busybox-static
  containerd runc golang-google-grpc-dev golang-google-protobuf-dev
)

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
