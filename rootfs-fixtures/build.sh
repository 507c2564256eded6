#!/bin/sh
# Builds the busybox images (docker-save and OCI layout for amd64, arm64 and arm/v7 (armhf, for
# the experimental armv7 target), plus a multi-arch layout) from Debian's busybox-static packages. `make fixtures` runs it before bundling: the engine embeds the archive.
#
# usage: sh rootfs-fixtures/build.sh [OUTDIR]      (default rootfs-fixtures/out)
#
# - The .debs are downloaded once into $FIXTURES_CACHE (default rootfs-fixtures/out/cache) and
#   reused, so the output depends only on them: same .debs => same bytes, on any machine.
# - Does nothing when OUTDIR already holds outputs made from the same inputs (stamp files hold
#   the sha256 of the .debs, these scripts, the compiler versions and FIXTURES_EPOCH).
# - Also builds pause-<arch>.docker.tar (image pause:3.9, for CRI pods) from pause/pause.c.
# - FIXTURES_EPOCH, when set, overrides the entries' mtime. SOURCE_DATE_EPOCH is deliberately not
#   read: release builds set it to the commit time, and the image IDs must depend on the .debs
#   only, so that they are the same on every machine and in every commit.
set -eu
cd "$(dirname "$0")/.."

OUT=${1:-rootfs-fixtures/out}
CACHE=${FIXTURES_CACHE:-rootfs-fixtures/out/cache}
SCRIPTS="rootfs-fixtures/build.sh rootfs-fixtures/make-image.mjs rootfs-fixtures/image-archive.mjs rootfs-fixtures/tar-writer.mjs"
ARCHES="amd64 arm64 armhf"
OUTPUTS="busybox-multiarch.oci.tar"
# Debian's armhf is the OCI arch "arm" (variant v7), the name build.mjs and the engine use.
for a in amd64 arm64 arm; do OUTPUTS="$OUTPUTS busybox-$a.docker.tar busybox-$a.oci.tar busybox-$a.rootfs.tar"; done
APT="apt-get -q -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3"

mkdir -p "$OUT" "$CACHE"
# apt reads relative Dir:: paths from /, and downloads run after a cd: make the cache absolute.
CACHE=$(cd "$CACHE" && pwd)
# Tests may start builds in parallel (each builds when the output is missing): one at a time.
exec 9>"$CACHE/.lock"
flock 9

# cached_deb ARCH: path of the newest cached busybox-static .deb for ARCH, or nothing.
cached_deb() {
  ls "$CACHE"/busybox-static_*_"$1".deb 2>/dev/null | sort -V | tail -n 1
}

# Foreign-arch .debs are fetched with a private apt state (own package lists, cache and an empty
# dpkg status) under $CACHE/apt, listing the architectures on the command line: the host's dpkg
# architectures and apt lists are never changed, so later `apt-get update`s on the machine depend
# on the host arch's indexes only. The host's sources and keyrings are read as they are.
HOST_ARCH=$(dpkg --print-architecture)
PRIV="$CACHE/apt"
PRIV_APT="$APT -o Dir::State=$PRIV/state -o Dir::State::status=$PRIV/state/status -o Dir::Cache=$PRIV/cache \
  -o APT::Architecture=$HOST_ARCH -o APT::Architectures=$HOST_ARCH,$(echo "$ARCHES" | tr ' ' ',') -o APT::Sandbox::User=root"

# apt_update: refresh the private package lists, retrying transient failures (a mirror in
# mid-sync often breaks one index). Not fatal: the index we need may be fine; the download below
# is the real check.
apt_update() {
  mkdir -p "$PRIV/state/lists/partial" "$PRIV/cache/archives/partial"
  touch "$PRIV/state/status"
  for try in 1 2 3; do
    $PRIV_APT update && return 0
    echo "fixtures: apt-get update failed (try $try of 3)" >&2
    sleep $((try * 5))
  done
  echo "fixtures: apt-get update reported errors; trying the download anyway" >&2
}

# fetch_deb ARCH [VERSION]: download busybox-static for ARCH into the cache unless it is there.
fetch_deb() {
  [ -n "$(cached_deb "$1")" ] && return 0
  spec="busybox-static:$1${2:+=$2}"
  [ -d "$PRIV/state/lists" ] || apt_update
  # apt-get download writes into the current directory.
  if ! (cd "$CACHE" && $PRIV_APT download "$spec"); then
    apt_update
    (cd "$CACHE" && $PRIV_APT download "$spec")
  fi
  [ -n "$(cached_deb "$1")" ] || { echo "fixtures: $spec not downloaded" >&2; exit 1; }
}

fetch_deb amd64
VERSION=$(dpkg-deb -f "$(cached_deb amd64)" Version)
# Same version for every arch, so all images list the same applets and carry the same history.
DEBS=""
for arch in $ARCHES; do
  fetch_deb "$arch" "$VERSION"
  deb=$(cached_deb "$arch")
  [ "$(dpkg-deb -f "$deb" Version)" = "$VERSION" ] || {
    echo "fixtures: cached $deb is not version $VERSION; remove it and rerun" >&2; exit 1; }
  DEBS="$DEBS $deb"
done

# stamp_ok NAME KEY OUTPUTS...: true when every output exists and was made from the inputs KEY.
stamp_ok() {
  name=$1 key=$2
  shift 2
  for f in "$@"; do [ -f "$OUT/$f" ] || return 1; done
  [ "$(cat "$OUT/.stamp-$name" 2>/dev/null)" = "$key" ]
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

# --- busybox ----------------------------------------------------------------------------------
KEY=$( { sha256sum $DEBS $SCRIPTS | cut -d' ' -f1; echo "${FIXTURES_EPOCH:-}"; } | sha256sum | cut -d' ' -f1)
# shellcheck disable=SC2086
if stamp_ok busybox "$KEY" $OUTPUTS; then
  echo "fixtures: busybox images in $OUT up to date"
else
  for arch in $ARCHES; do
    dpkg-deb -x "$(cached_deb $arch)" "$WORK/$arch"
  done
  # The mtime Debian gave the package's changelog is the package's own SOURCE_DATE_EPOCH.
  EPOCH=${FIXTURES_EPOCH:-$(stat -c %Y "$WORK/amd64/usr/share/doc/busybox-static/changelog.Debian.gz")}
  # Applet list from the amd64 build (all arches come from the same source version); on an
  # arm64 build host the arm64 one is what runs.
  "$WORK/amd64/bin/busybox" --list-full > "$WORK/applets" 2>/dev/null ||
    "$WORK/arm64/bin/busybox" --list-full > "$WORK/applets"
  LC_ALL=C sort -o "$WORK/applets" "$WORK/applets"
  node rootfs-fixtures/make-image.mjs --out "$OUT" --epoch "$EPOCH" --version "$VERSION" \
    --applets "$WORK/applets" --busybox-amd64 "$WORK/amd64/bin/busybox" \
    --busybox-arm64 "$WORK/arm64/bin/busybox" --busybox-arm "$WORK/armhf/bin/busybox"
  echo "$KEY" > "$OUT/.stamp-busybox"
fi

# --- pause (for CRI pods) ---------------------------------------------------------------------
# Built after busybox so that a machine without the cross compiler still gets the busybox images.
# Freestanding C (no libc), so any gcc for the target works; the bytes depend on the compiler
# version, which is part of the stamp. Entries get a fixed mtime (2024-01-01) unless
# FIXTURES_EPOCH says otherwise: the image ID must not depend on when the build ran.
PAUSE_ARCHES="amd64:x86_64-linux-gnu-gcc arm64:aarch64-linux-gnu-gcc"
PAUSE_SCRIPTS="rootfs-fixtures/pause/pause.c rootfs-fixtures/make-pause-image.mjs rootfs-fixtures/image-archive.mjs rootfs-fixtures/tar-writer.mjs rootfs-fixtures/build.sh"
PAUSE_OUTPUTS="pause-amd64.docker.tar pause-arm64.docker.tar"
PAUSE_CFLAGS="-Os -static -nostdlib -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables
-fno-ident -fno-pie -no-pie -Wall -Wextra -Werror -Wl,--build-id=none -Wl,-z,max-page-size=4096
-Wl,-z,norelro -Wl,-z,noexecstack -Wl,-z,noseparate-code -s"
for pa in $PAUSE_ARCHES; do
  command -v "${pa#*:}" >/dev/null || {
    echo "fixtures: ${pa#*:} not found (run scripts/install-deps.sh); pause images not built" >&2; exit 1; }
done
KEY=$( { sha256sum $PAUSE_SCRIPTS | cut -d' ' -f1
  for pa in $PAUSE_ARCHES; do "${pa#*:}" --version | head -n 1; done
  echo "$PAUSE_CFLAGS ${FIXTURES_EPOCH:-}"; } | sha256sum | cut -d' ' -f1)
# shellcheck disable=SC2086
if stamp_ok pause "$KEY" $PAUSE_OUTPUTS; then
  echo "fixtures: pause images in $OUT up to date"
else
  args=""
  for pa in $PAUSE_ARCHES; do
    # shellcheck disable=SC2086
    "${pa#*:}" $PAUSE_CFLAGS -o "$WORK/pause-${pa%%:*}" rootfs-fixtures/pause/pause.c
    args="$args --pause-${pa%%:*} $WORK/pause-${pa%%:*}"
  done
  # shellcheck disable=SC2086
  node rootfs-fixtures/make-pause-image.mjs --out "$OUT" --epoch "${FIXTURES_EPOCH:-1704067200}" $args
  echo "$KEY" > "$OUT/.stamp-pause"
fi

# --- lcr-helper (for the lcr runtime) ------------------------------------------------------------
# Not an image: an executable the engine embeds (supplementary groups for lcr exec, rshared binds;
# lcr-helper/lcr-helper.c says why). Freestanding like pause, same compilers and flags.
HELPER_OUTPUTS="lcr-helper-amd64 lcr-helper-arm64"
KEY=$( { sha256sum rootfs-fixtures/lcr-helper/lcr-helper.c rootfs-fixtures/build.sh | cut -d' ' -f1
  for pa in $PAUSE_ARCHES; do "${pa#*:}" --version | head -n 1; done
  echo "$PAUSE_CFLAGS"; } | sha256sum | cut -d' ' -f1)
# shellcheck disable=SC2086
if stamp_ok lcr-helper "$KEY" $HELPER_OUTPUTS; then
  echo "fixtures: lcr-helper in $OUT up to date"
else
  for pa in $PAUSE_ARCHES; do
    # shellcheck disable=SC2086
    "${pa#*:}" $PAUSE_CFLAGS -o "$WORK/lcr-helper-${pa%%:*}" rootfs-fixtures/lcr-helper/lcr-helper.c
    mv -f "$WORK/lcr-helper-${pa%%:*}" "$OUT/lcr-helper-${pa%%:*}"
  done
  echo "$KEY" > "$OUT/.stamp-lcr-helper"
fi
