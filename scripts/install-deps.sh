#!/bin/sh
# Installs what building and testing need on a fresh Debian 12 machine (as root), then the npm
# packages from the lock file. Safe to run again: it skips what is already there.
set -eu
cd "$(dirname "$0")/.."

PKGS="lxc busybox-static qemu-user-static binutils binutils-aarch64-linux-gnu libc6-arm64-cross
libstdc++6-arm64-cross xz-utils iproute2 docker-registry apache2-utils skopeo runc conmon crun socat
containernetworking-plugins iptables openssl umoci attr gcc gcc-aarch64-linux-gnu zsh fish groff-base"
# `make dist` only: the experimental armv7 target needs the armhf strip, and its libraries to run
# the armv7 node under qemu-arm-static (it must generate its own SEA blob). `make test` skips them.
DIST_PKGS="binutils-arm-linux-gnueabihf libc6-armhf-cross libstdc++6-armhf-cross libatomic1-armhf-cross"
if [ "${1:-}" = --dist ]; then PKGS="$DIST_PKGS"; fi
# `make bench` only: the peers bench/peers.bench.ts compares with (each on a scratch root and
# socket), hyperfine, and gnuplot for the PNG plot. docker.io is not among them: dockerd changes
# host networking (ip_forward) even with --bridge=none, see docs/bench-peers.md.
BENCH_PKGS="containerd podman runc crun conmon hyperfine gnuplot-nox"
if [ "${1:-}" = --bench ]; then PKGS="$BENCH_PKGS"; fi

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then echo "install-deps: need root to install:$missing" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  # A mirror in mid-sync often breaks one index for a while (seen with bookworm-security's armhf
  # list): retry, then go on; the install below is the real check and fails loudly if it must.
  for try in 1 2 3; do
    apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3 update -q && break
    echo "install-deps: apt-get update failed (try $try of 3)" >&2
    sleep $((try * 5))
  done
  # shellcheck disable=SC2086
  apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
