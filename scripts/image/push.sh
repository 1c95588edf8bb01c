#!/usr/bin/env bash
# make image PUSH=1: copies the image to its registry with skopeo, the multi-arch index with both
# manifests when it is there (scripts/image/index.sh), else ARCH's image.
#
#   scripts/image/push.sh IMAGE OUT_DIR ARCH TLS_VERIFY
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 IMAGE OUT_DIR ARCH TLS_VERIFY" >&2
  exit 2
fi
image=$1 out=$2 arch=$3 tls_verify=$4
tag=${image##*:}
archive=$out/sluice-$tag.oci.tar
[ -f "$archive" ] || archive=$out/sluice-$tag-$arch.oci.tar
if [ ! -f "$archive" ]; then
  echo "push: $archive is missing (make image first)" >&2
  exit 1
fi
echo "push: $archive -> docker://$image"
skopeo copy --all --dest-tls-verify="$tls_verify" "oci-archive:$archive" "docker://$image"
