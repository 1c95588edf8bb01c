#!/usr/bin/env bash
# The multi-arch image: when OUT_DIR holds sluice-TAG-amd64.oci.tar and sluice-TAG-arm64.oci.tar
# built from the same commit, writes OUT_DIR/sluice-TAG.oci.tar, whose index.json names (as IMAGE)
# an OCI image index of both manifests (a runtime pulls the one of its platform). Otherwise says
# what is missing and removes a multi-arch archive that would no longer match.
#
#   scripts/image/index.sh IMAGE OUT_DIR
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 IMAGE OUT_DIR" >&2
  exit 2
fi
image=$1 out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/image/oci.sh
. "$here/oci.sh"
tag=${image##*:}
multi=$out/sluice-$tag.oci.tar

revisions=()
for arch in amd64 arm64; do
  archive=$out/sluice-$tag-$arch.oci.tar
  if [ ! -f "$archive" ]; then
    echo "image: no multi-arch index: $archive is not built (make image ARCH=$arch)"
    rm -f "$multi"
    exit 0
  fi
  revisions+=("$(oci_archive_annotation "$archive" org.opencontainers.image.revision)")
done
if [ "${revisions[0]}" != "${revisions[1]}" ]; then
  echo "image: no multi-arch index: amd64 is of commit ${revisions[0]}, arm64 of ${revisions[1]} (build both again)"
  rm -f "$multi"
  exit 0
fi

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
work=$(mktemp -d -p "$out" .index-XXXXXX)
trap 'rm -rf "$work"' EXIT
layout=$work/layout
mkdir -p "$layout"
manifests=()
for arch in amd64 arm64; do
  tar -xf "$out/sluice-$tag-$arch.oci.tar" -C "$layout" blobs
  # The single-arch index.json's one descriptor, without its name annotations.
  manifests+=("$(tar -xOf "$out/sluice-$tag-$arch.oci.tar" index.json | sed 's/.*"manifests":\[\(.*\),"annotations":.*/\1}/')")
done
index=$(printf '{"schemaVersion":2,"mediaType":"%s","manifests":[%s,%s]}' "$OCI_INDEX" "${manifests[0]}" "${manifests[1]}")
index_blob=$(oci_json_blob "$layout" "$index")
oci_write_layout "$layout" "$(oci_descriptor "$OCI_INDEX" "$index_blob" "$(oci_name_annotations "$image" "${revisions[0]}")")"
oci_archive "$layout" "$multi"
echo "image: $multi ($image, linux/amd64 and linux/arm64): $(oci_size "$multi") bytes"
