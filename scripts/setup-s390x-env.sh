#!/usr/bin/env bash
# Prepare this (x86_64, Debian) machine to build s390x wheels under QEMU, the way an x86 GitHub
# runner does with docker/setup-qemu-action: QEMU user emulation registered with binfmt_misc, a
# Docker engine, and a locally built s390x image (no container registry is needed).
#
# Idempotent: every step checks before it acts. Needs root and Debian's package archive.
#   scripts/setup-s390x-env.sh            # qemu + docker + image
#   REFINERY_IMAGE=refinery/debian-s390x:bookworm (default)
#   REFINERY_DOCKER_SOCK=/run/refinery-docker.sock (default)
#   REFINERY_IMAGE_CACHE=~/.cache/refinery (rootfs tarball kept here, so later runs skip debootstrap)
#   REFINERY_TURBO=0 (skip the turbo toolchain: host cross compilers for faster builds, docs/build.md)
set -euo pipefail

IMAGE=${REFINERY_IMAGE:-refinery/debian-s390x:bookworm}
SOCK=${REFINERY_DOCKER_SOCK:-/run/refinery-docker.sock}
CACHE=${REFINERY_IMAGE_CACHE:-$HOME/.cache/refinery}
log() { printf '[setup-s390x] %s\n' "$*" >&2; }

need_pkgs=()
command -v qemu-s390x-static >/dev/null || need_pkgs+=(qemu-user-static)
command -v update-binfmts >/dev/null || need_pkgs+=(binfmt-support)
command -v dockerd >/dev/null || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
if [ "${REFINERY_TURBO:-1}" != 0 ] && [ "$(uname -m)" = x86_64 ]; then
  # Turbo builds: the host's s390x cross compilers and what assembles them into a mountable folder.
  command -v s390x-linux-gnu-gcc >/dev/null || need_pkgs+=(gcc-s390x-linux-gnu)
  command -v s390x-linux-gnu-g++ >/dev/null || need_pkgs+=(g++-s390x-linux-gnu)
  command -v patchelf >/dev/null || need_pkgs+=(patchelf)
  command -v x86_64-linux-gnu-gcc >/dev/null || need_pkgs+=(gcc)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# 1. binfmt_misc registration of qemu-s390x
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-s390x ]; then
  update-binfmts --enable qemu-s390x || update-binfmts --import qemu-s390x
fi
[ -e /proc/sys/fs/binfmt_misc/qemu-s390x ] || { log "qemu-s390x binfmt handler did not register"; exit 1; }
log "binfmt: qemu-s390x registered"

# 2. Docker engine on its own socket (no bridge/iptables in this sandbox)
export DOCKER_HOST=unix://$SOCK
if ! docker version >/dev/null 2>&1; then
  log "starting dockerd on $SOCK"
  mkdir -p /var/lib/refinery-docker
  nohup dockerd --host "unix://$SOCK" --data-root /var/lib/refinery-docker \
    --iptables=false --bridge=none --pidfile /run/refinery-docker.pid \
    >/var/log/refinery-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
  docker version >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/refinery-dockerd.log"; exit 1; }
fi
log "docker: engine answers on $SOCK"

# 3. An s390x image built with debootstrap (second stage runs under QEMU). IMAGE_VERSION says what
#    it holds; an image or cached rootfs of another version is made again (v2: g++ added, so the
#    debian-local preset has the C++ compiler without installing it in every attempt).
IMAGE_VERSION=2
have_version=$(docker image inspect -f '{{ index .Config.Labels "org.refinery.image-version" }}' "$IMAGE" 2>/dev/null || true)
if [ "$have_version" != "$IMAGE_VERSION" ]; then
  if docker image inspect "$IMAGE" >/dev/null 2>&1; then log "image $IMAGE is version ${have_version:-1 (unlabelled)}, making version $IMAGE_VERSION"; fi
  mkdir -p "$CACHE"
  tarball="$CACHE/debian-bookworm-s390x-rootfs-v$IMAGE_VERSION.tar"
  if [ ! -s "$tarball" ]; then
    # The mirror is whatever apt on this machine already uses; no host is hard-coded.
    mirror=$(grep -hoE '^URIs: *\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
    [ -n "$mirror" ] || mirror=$(grep -hoE '^deb +\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
    [ -n "$mirror" ] || { log "no Debian mirror found in apt sources"; exit 1; }
    rootfs=$(mktemp -d /var/tmp/refinery-rootfs.XXXXXX)
    log "debootstrap s390x bookworm from $mirror (about 5 minutes)"
    debootstrap --arch=s390x --variant=minbase \
      --include=python3,python3-venv,python3-pip,python3-dev,gcc,g++,libc6-dev,ca-certificates \
      bookworm "$rootfs" "$mirror" >/var/log/refinery-debootstrap.log 2>&1 \
      || { log "debootstrap failed; see /var/log/refinery-debootstrap.log"; exit 1; }
    tar -C "$rootfs" -c --exclude=./proc --exclude=./sys --exclude=./dev . >"$tarball.tmp"
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
  log "importing $IMAGE"
  docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL org.refinery.image-version=$IMAGE_VERSION" "$tarball" "$IMAGE" >/dev/null
fi
arch=$(docker run --rm --network none "$IMAGE" uname -m)
[ "$arch" = s390x ] || { log "image $IMAGE runs as $arch, expected s390x"; exit 1; }
log "image: $IMAGE runs as s390x"

# 4. The turbo toolchain (cross gcc/g++/binutils, and Rust when the archive has its s390x std):
#    rustc-web/cargo-web are installed by that script at the s390x std's exact version.
if [ "${REFINERY_TURBO:-1}" != 0 ] && [ "$(uname -m)" = x86_64 ]; then
  REFINERY_IMAGE="$IMAGE" bash "$(dirname "$0")/setup-turbo-toolchain.sh" >&2
fi
echo "DOCKER_HOST=unix://$SOCK"
