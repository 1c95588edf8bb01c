#!/usr/bin/env bash
# Debian 12 packages of one architecture, downloaded with apt-get into a cache, and the path of
# each printed (one a line, in the order asked).
#
#   scripts/image/debian-packages.sh ARCH CACHE PACKAGE...
#
# apt runs with a private state under CACHE/apt-ARCH: the host's sources and signing keys, but its
# own package lists, architecture and (empty) dpkg status, so the host's apt is not touched and a
# foreign architecture works alike. A package already in the cache is not downloaded again, so a
# later run needs no network; APT_REFRESH=1 downloads the feed's current versions.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 ARCH CACHE PACKAGE..." >&2
  exit 2
fi
arch=$1 cache=$(realpath -m "$2")
shift 2

apt_dir=$cache/apt-$arch
debs=$apt_dir/debs
apt_options=(
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::status=$apt_dir/status" -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Architecture=$arch" -o "APT::Architectures=$arch" -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1"
  -qq
)

cached() { compgen -G "$debs/${1}_*_$arch.deb" || compgen -G "$debs/${1}_*_all.deb"; }

missing=()
for pkg in "$@"; do
  if [ "${APT_REFRESH:-0}" = 1 ] || ! cached "$pkg" >/dev/null; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "debian-packages: downloading ${missing[*]} ($arch) from the host's Debian sources" >&2
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$debs"
  : > "$apt_dir/status"
  apt-get "${apt_options[@]}" update >&2
  for pkg in "${missing[@]}"; do
    rm -f "$debs/${pkg}_"*.deb
  done
  (cd "$debs" && apt-get "${apt_options[@]}" download "${missing[@]}" >&2)
fi

for pkg in "$@"; do
  cached "$pkg" | head -n1
done
