# Writing an OCI image layout (github.com/opencontainers/image-spec) with tar, gzip and sha256sum.
# Sourced by the image scripts. Every tar is written the same way for the same input (sorted
# names, owner root, the mtime SOURCE_DATE_EPOCH, no access or change times, gzip without a name
# or time), so the same binaries and packages give the same digests.
# shellcheck shell=bash

OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
OCI_INDEX=application/vnd.oci.image.index.v1+json
OCI_CONFIG=application/vnd.oci.image.config.v1+json
OCI_LAYER=application/vnd.oci.image.layer.v1.tar+gzip

oci_tar() { # DIR OUTPUT: the tree under DIR (its entries, not DIR itself) as a reproducible tar
  local dir=$1 output=$2
  (cd "$dir" && LC_ALL=C ls -A | LC_ALL=C tar -cf "$output" --files-from=- --sort=name \
    --owner=0 --group=0 --numeric-owner --mtime="@${SOURCE_DATE_EPOCH:?}" \
    --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
}

oci_sha256() { sha256sum "$1" | cut -d' ' -f1; }

oci_size() { stat -c %s "$1"; }

oci_blob() { # LAYOUT FILE: moves FILE into LAYOUT's blobs; prints "digest size"
  local layout=$1 file=$2 digest size
  digest=$(oci_sha256 "$file")
  size=$(oci_size "$file")
  mkdir -p "$layout/blobs/sha256"
  chmod 0644 "$file"
  mv "$file" "$layout/blobs/sha256/$digest"
  echo "sha256:$digest $size"
}

oci_layer() { # LAYOUT DIR: DIR as a gzip layer blob; prints "digest size diff_id"
  local layout=$1 dir=$2 tarfile
  tarfile=$(mktemp -p "$layout")
  oci_tar "$dir" "$tarfile"
  local diff_id
  diff_id=sha256:$(oci_sha256 "$tarfile")
  gzip -n -9 "$tarfile"
  echo "$(oci_blob "$layout" "$tarfile.gz") $diff_id"
}

oci_json_blob() { # LAYOUT JSON: a JSON document as a blob; prints "digest size"
  local file
  file=$(mktemp -p "$1")
  printf '%s' "$2" > "$file"
  oci_blob "$1" "$file"
}

oci_descriptor() { # MEDIA_TYPE "DIGEST SIZE" [EXTRA_JSON_MEMBERS]
  local digest size
  read -r digest size <<< "$2"
  printf '{"mediaType":"%s","digest":"%s","size":%s%s}' "$1" "$digest" "$size" "${3:+,$3}"
}

oci_write_layout() { # LAYOUT DESCRIPTOR: oci-layout and index.json naming one image
  printf '{"imageLayoutVersion":"1.0.0"}' > "$1/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"%s","manifests":[%s]}' "$OCI_INDEX" "$2" > "$1/index.json"
}

oci_archive() { # LAYOUT ARCHIVE: the layout as one tar (what ctr, podman and skopeo read)
  local tmp="$2.tmp"
  oci_tar "$1" "$tmp"
  mv "$tmp" "$2"
}

oci_name_annotations() { # IMAGE REVISION: the names containerd (full) and the OCI spec (tag) read, and the commit
  printf '"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s","org.opencontainers.image.revision":"%s"}' \
    "$1" "${1##*:}" "$2"
}

oci_archive_annotation() { # ARCHIVE KEY: an annotation of the image an archive's index.json names
  tar -xOf "$1" index.json | sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p"
}
