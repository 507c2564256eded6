#!/bin/sh
# Builds the busybox images (docker-save and OCI layout, amd64 + arm64 + multi-arch) from Debian's
# busybox-static packages. `make fixtures` runs it before bundling: the engine embeds the archive.
#
# usage: sh rootfs-fixtures/build.sh [OUTDIR]      (default rootfs-fixtures/out)
#
# - The .debs are downloaded once into $FIXTURES_CACHE (default rootfs-fixtures/out/cache) and
#   reused, so the output depends only on them: same .debs => same bytes, on any machine.
# - Does nothing when OUTDIR already holds outputs made from the same inputs (a stamp file holds
#   the sha256 of the .debs, these scripts and SOURCE_DATE_EPOCH).
# - SOURCE_DATE_EPOCH, when set, overrides the mtime taken from the package's changelog.
set -eu
cd "$(dirname "$0")/.."

OUT=${1:-rootfs-fixtures/out}
CACHE=${FIXTURES_CACHE:-rootfs-fixtures/out/cache}
SCRIPTS="rootfs-fixtures/build.sh rootfs-fixtures/make-image.mjs rootfs-fixtures/image-archive.mjs rootfs-fixtures/tar-writer.mjs"
OUTPUTS="busybox-amd64.docker.tar busybox-arm64.docker.tar busybox-amd64.oci.tar busybox-arm64.oci.tar
busybox-multiarch.oci.tar busybox-amd64.rootfs.tar busybox-arm64.rootfs.tar"
APT="apt-get -q -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3"

mkdir -p "$OUT" "$CACHE"
# Tests may start builds in parallel (each builds when the output is missing): one at a time.
exec 9>"$CACHE/.lock"
flock 9

# cached_deb ARCH: path of the newest cached busybox-static .deb for ARCH, or nothing.
cached_deb() {
  ls "$CACHE"/busybox-static_*_"$1".deb 2>/dev/null | sort -V | tail -n 1
}

# fetch_deb ARCH [VERSION]: download busybox-static for ARCH into the cache unless it is there.
fetch_deb() {
  [ -n "$(cached_deb "$1")" ] && return 0
  spec="busybox-static:$1${2:+=$2}"
  if [ "$1" != "$(dpkg --print-architecture)" ] && ! dpkg --print-foreign-architectures | grep -qx "$1"; then
    echo "fixtures: enabling dpkg architecture $1 to download $spec" >&2
    dpkg --add-architecture "$1"
    $APT update
  fi
  # apt-get download writes into the current directory; -o APT::Sandbox::User=root avoids the
  # warning about _apt not being able to write into a root-owned cache dir.
  if ! (cd "$CACHE" && $APT -o APT::Sandbox::User=root download "$spec"); then
    $APT update
    (cd "$CACHE" && $APT -o APT::Sandbox::User=root download "$spec")
  fi
  [ -n "$(cached_deb "$1")" ] || { echo "fixtures: $spec not downloaded" >&2; exit 1; }
}

fetch_deb amd64
VERSION=$(dpkg-deb -f "$(cached_deb amd64)" Version)
# Same version for arm64, so both images list the same applets and carry the same history.
fetch_deb arm64 "$VERSION"
DEB_AMD64=$(cached_deb amd64)
DEB_ARM64=$(cached_deb arm64)
[ "$(dpkg-deb -f "$DEB_ARM64" Version)" = "$VERSION" ] || {
  echo "fixtures: cached $DEB_ARM64 is not version $VERSION; remove it and rerun" >&2; exit 1; }

STAMP=$( { sha256sum "$DEB_AMD64" "$DEB_ARM64" $SCRIPTS | cut -d' ' -f1; echo "${SOURCE_DATE_EPOCH:-}"; } | sha256sum | cut -d' ' -f1)
uptodate=yes
for f in $OUTPUTS; do [ -f "$OUT/$f" ] || uptodate=no; done
if [ "$uptodate" = yes ] && [ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$STAMP" ]; then
  echo "fixtures: $OUT up to date"
  exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
for arch in amd64 arm64; do
  dpkg-deb -x "$(cached_deb $arch)" "$WORK/$arch"
done
# The mtime Debian gave the package's changelog is the package's own SOURCE_DATE_EPOCH.
EPOCH=${SOURCE_DATE_EPOCH:-$(stat -c %Y "$WORK/amd64/usr/share/doc/busybox-static/changelog.Debian.gz")}
# Applet list from the amd64 build (runnable here); both arches come from the same source version.
"$WORK/amd64/bin/busybox" --list-full | LC_ALL=C sort > "$WORK/applets"

node rootfs-fixtures/make-image.mjs --out "$OUT" --epoch "$EPOCH" --version "$VERSION" \
  --applets "$WORK/applets" --busybox-amd64 "$WORK/amd64/bin/busybox" --busybox-arm64 "$WORK/arm64/bin/busybox"
echo "$STAMP" > "$OUT/.stamp"
