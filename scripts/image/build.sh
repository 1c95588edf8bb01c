#!/usr/bin/env bash
# make image: Sluice's container image for one architecture, as an OCI image archive, written
# with tar, gzip and sha256sum: no container engine, no registry, no root (docs/operations.md
# says why this and not buildah or umoci).
#
#   scripts/image/build.sh ARCH BIN_DIR IMAGE OUT_DIR
#
# ARCH     amd64 or arm64
# BIN_DIR  what make build published for ARCH: sluice-redirect, and the multi-call binary under
#          every other component name
# IMAGE    the image's name, e.g. localhost:5000/sluice:0.1.0 (the chart's {hub}/sluice:{tag})
# OUT_DIR  where OUT_DIR/sluice-TAG-ARCH.oci.tar goes (and the package cache, OUT_DIR/cache)
#
# Two layers: the base (files of Debian 12 packages, scripts/image/debian-base.sh) and Sluice's
# binaries in /opt/sluice/bin, the multi-call binary once with a hard link per component name.
# Entry point sluice-agent, as deploy/Dockerfile has it.
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 ARCH BIN_DIR IMAGE OUT_DIR" >&2
  exit 2
fi
arch=$1 bin_dir=$(realpath -m "$2") image=$3 out=$(realpath -m "$4")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/image/oci.sh
. "$here/oci.sh"

# [registry[:port]/]path:tag, the characters a reference may hold (they go into JSON as they are).
if ! [[ "$image" =~ ^[A-Za-z0-9._-]+(:[0-9]+)?(/[a-z0-9._-]+)*:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]]; then
  echo "image: '$image' is not an image name with a tag (registry/name:tag)" >&2
  exit 2
fi
tag=${image##*:}
case "$arch" in
  amd64) platform='"architecture":"amd64","os":"linux"' ;;
  arm64) platform='"architecture":"arm64","os":"linux","variant":"v8"' ;;
  *) echo "image: unsupported ARCH '$arch' (amd64 or arm64)" >&2; exit 2 ;;
esac
for required in "$bin_dir/sluice-redirect" "$bin_dir/sluice-agent"; do
  [ -x "$required" ] || { echo "image: $required is missing: run make build ARCH=$arch first" >&2; exit 1; }
done

# Reproducible: the same commit, binaries and packages give the same digests.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)

mkdir -p "$out"
work=$(mktemp -d -p "$out" .build-XXXXXX)
trap 'rm -rf "$work"' EXIT
layout=$work/layout
mkdir -p "$layout"

# Sluice's layer: sluice-redirect, and the multi-call binary once, hard-linked under every name.
app=$work/app
bin=$app/opt/sluice/bin
mkdir -p "$bin"
chmod 0755 "$app/opt" "$app/opt/sluice" "$bin"
multi=
for file in "$bin_dir"/*; do
  name=$(basename "$file")
  if [ "$name" != sluice-redirect ] && [ -n "$multi" ] && cmp -s "$file" "$multi"; then
    ln "$multi" "$bin/$name"
    continue
  fi
  install -m 0755 "$file" "$bin/$name"
  [ "$name" = sluice-redirect ] || [ -n "$multi" ] || multi=$bin/$name
done

# The base: what those binaries load, from Debian packages.
base=$work/base
"$here/debian-base.sh" "$arch" "$base" "$out/cache" "$bin/sluice-redirect" "$multi"
packages=$(cd "$base/var/lib/dpkg/status.d" && for pkg in *; do
  printf '%s %s, ' "$pkg" "$(sed -n 's/^Version: //p' "$pkg")"; done)

read -r base_digest base_size base_diff <<< "$(oci_layer "$layout" "$base")"
read -r app_digest app_size app_diff <<< "$(oci_layer "$layout" "$app")"

labels="\"org.opencontainers.image.title\":\"sluice\",\"org.opencontainers.image.description\":\"Sluice CNI plugins and the sluice-agent node installer\",\"org.opencontainers.image.version\":\"$tag\",\"org.opencontainers.image.revision\":\"$revision\""
config=$(printf '{%s,"created":"%s","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":["/opt/sluice/bin/sluice-agent"],"WorkingDir":"/","Labels":{%s}},"rootfs":{"type":"layers","diff_ids":["%s","%s"]},"history":[{"created":"%s","created_by":"scripts/image/debian-base.sh: %s"},{"created":"%s","created_by":"scripts/image/build.sh: /opt/sluice/bin from make build"}]}' \
  "$platform" "$created" "$labels" "$base_diff" "$app_diff" "$created" "${packages%, }" "$created")
config_blob=$(oci_json_blob "$layout" "$config")

manifest=$(printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s,%s],"annotations":{%s,"org.opencontainers.image.created":"%s"}}' \
  "$OCI_MANIFEST" "$(oci_descriptor "$OCI_CONFIG" "$config_blob")" \
  "$(oci_descriptor "$OCI_LAYER" "$base_digest $base_size")" "$(oci_descriptor "$OCI_LAYER" "$app_digest $app_size")" \
  "$labels" "$created")
manifest_blob=$(oci_json_blob "$layout" "$manifest")

oci_write_layout "$layout" "$(oci_descriptor "$OCI_MANIFEST" "$manifest_blob" "\"platform\":{$platform},$(oci_name_annotations "$image" "$revision")")"
archive=$out/sluice-$tag-$arch.oci.tar
oci_archive "$layout" "$archive"

echo "image: $archive ($image, linux/$arch): $(oci_size "$archive") bytes;" \
  "layers $base_size (Debian: ${packages%, }) + $app_size (Sluice) compressed, $((base_size + app_size)) in all"
