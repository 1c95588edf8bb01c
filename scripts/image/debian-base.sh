#!/usr/bin/env bash
# The image's base: the files of Debian 12 packages that Sluice's binaries load, and nothing else.
#
#   scripts/image/debian-base.sh ARCH ROOTFS CACHE ELF...
#
# 1. Downloads the packages below for ARCH (amd64 or arm64) into CACHE (debian-packages.sh: a
#    private apt state; a later run needs no network).
# 2. Copies into ROOTFS: the iptables tools the iptables backends run ({ip,ip6}tables-{legacy,nft}
#    with -restore and -save) and their extensions, libssl.so.3 (.NET's TLS loads it with dlopen),
#    and then every shared library that these and the ELF files given (Sluice's binaries, already
#    staged) need, following DT_NEEDED and the ELF interpreter. A library no package provides, or
#    an ELF file of another architecture, fails the build.
# 3. Writes /var/lib/dpkg/status.d/<package> (the package's control fields) for every package a
#    file came from, as distroless images do, so that image scanners see the versions.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 ARCH ROOTFS CACHE [ELF...]" >&2
  exit 2
fi
arch=$1 rootfs=$(realpath -m "$2") cache=$(realpath -m "$3")
shift 3

case "$arch" in
  amd64) triplet=x86_64-linux-gnu machine="Advanced Micro Devices X86-64" ;;
  arm64) triplet=aarch64-linux-gnu machine="AArch64" ;;
  *) echo "debian-base: unsupported ARCH '$arch' (amd64 or arm64)" >&2; exit 2 ;;
esac

# libc6 and the iptables tools with their libraries; libssl3 for .NET's TLS (the API server).
packages=(libc6 libssl3 iptables libip4tc2 libip6tc2 libxtables12 libmnl0 libnetfilter-conntrack3 libnfnetlink0 libnftnl11)

mapfile -t debs < <("$(dirname "$0")/debian-packages.sh" "$arch" "$cache" "${packages[@]}")
if [ ${#debs[@]} -ne ${#packages[@]} ]; then
  echo "debian-base: not every package could be downloaded (${packages[*]})" >&2
  exit 1
fi

# Every package unpacked side by side; each one's file list kept to name a file's package.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unpacked=$work/unpacked
mkdir -p "$unpacked" "$work/lists" "$work/control"
for deb in "${debs[@]}"; do
  pkg=$(dpkg-deb -f "$deb" Package)
  dpkg-deb -x "$deb" "$unpacked"
  dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|' > "$work/lists/$pkg"
  dpkg-deb -f "$deb" Package Version Architecture Source Installed-Size Maintainer Depends Homepage Description > "$work/control/$pkg"
done

mkdir -p "$rootfs"
used=$work/used-packages
: > "$used"

is_elf() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; }

check_machine() {
  local found
  found=$(readelf -h "$1" | sed -n 's/^ *Machine: *//p')
  if [ "$found" != "$machine" ]; then
    echo "debian-base: $1 is for '$found', not $arch" >&2
    exit 1
  fi
}

note_package() {
  local pkg
  pkg=$(grep -lxF "$1" "$work"/lists/* | head -n1 || true)
  [ -n "$pkg" ] && basename "$pkg" >> "$used"
  return 0
}

# A library by its soname, where ld.so looks without /etc/ld.so.cache.
find_library() {
  local dir
  for dir in /lib/$triplet /usr/lib/$triplet /lib /usr/lib; do
    if [ -e "$unpacked$dir/$1" ] || [ -L "$unpacked$dir/$1" ]; then
      echo "$dir/$1"
      return 0
    fi
  done
  return 1
}

# Copies one path (absolute, as in the image) from the packages, following symlinks, and queues
# what an ELF file needs.
take() {
  local path=$1 source=$unpacked$1 target
  if [ -e "$rootfs$path" ] || [ -L "$rootfs$path" ]; then
    return 0
  fi
  if [ ! -e "$source" ] && [ ! -L "$source" ]; then
    echo "debian-base: $path is in none of the packages (${packages[*]})" >&2
    exit 1
  fi
  mkdir -p "$rootfs$(dirname "$path")"
  cp -a "$source" "$rootfs$path"
  note_package "$path"
  if [ -L "$source" ]; then
    target=$(readlink "$source")
    case "$target" in /*) ;; *) target=$(dirname "$path")/$target ;; esac
    take "$(realpath -ms "$target")"
  elif is_elf "$source"; then
    needs "$rootfs$path"
  fi
}

# The ELF interpreter and DT_NEEDED libraries of one file in ROOTFS.
needs() {
  local file=$1 interpreter library path
  check_machine "$file"
  interpreter=$(readelf -l "$file" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
  [ -z "$interpreter" ] || take "$interpreter"
  for library in $(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
    path=$(find_library "$library") || { echo "debian-base: $file needs $library, which none of the packages has" >&2; exit 1; }
    take "$path"
  done
}

for tool in iptables ip6tables; do
  for variant in legacy nft; do
    for suffix in "" -restore -save; do
      take "/usr/sbin/$tool-$variant$suffix"
    done
  done
done
# iptables and ip6tables extensions (not those of arptables and ebtables, whose tools are left out).
for extension in "$unpacked/usr/lib/$triplet/xtables/"lib{xt,ipt,ip6t}_*.so; do
  take "/usr/lib/$triplet/xtables/$(basename "$extension")"
done
take "/usr/lib/$triplet/libssl.so.3"
for elf in "$@"; do
  needs "$elf"
done

# What a process expects to find: root's entries, /tmp, and /run (iptables-legacy's lock file).
mkdir -p "$rootfs/etc" "$rootfs/run" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
echo 'root:x:0:0:root:/root:/usr/sbin/nologin' > "$rootfs/etc/passwd"
echo 'root:x:0:' > "$rootfs/etc/group"

mkdir -p "$rootfs/var/lib/dpkg/status.d"
for pkg in $(sort -u "$used"); do
  cp "$work/control/$pkg" "$rootfs/var/lib/dpkg/status.d/$pkg"
done
echo "debian-base: $(sort -u "$used" | tr '\n' ' ')($arch): $(find "$rootfs" -type f | wc -l) files, $(du -sh "$rootfs" | cut -f1)"
