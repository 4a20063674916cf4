#!/usr/bin/env bash
# Unpack Debian's packaged Rust crates (librust-*-dev) into ONE folder, a cargo directory source,
# on the host: the container executor mounts it read-only at /opt/refinery/crates
# (`--crates-dir`, docs/build.md "Rust without crates.io"), and a recipe points cargo at it with
# `cargoRegistry: /opt/refinery/crates`.
#
# Why on the host: a crate is source, the same in every architecture's package, but installing the
# librust-*-dev packages inside the emulated s390x image runs apt and dpkg under QEMU and pulls in
# what they depend on (rustc, llvm, mingw binutils): about half an hour here. Downloading them for
# the host's architecture and extracting them takes seconds, and nothing is installed anywhere.
#
#   scripts/setup-debian-crates.sh OUT PACKAGE...   # e.g. OUT librust-pyo3-dev librust-blake3-dev
#
# The packages' librust-*-dev dependencies are followed (every alternative: the registry may hold
# more crates than cargo picks). apt downloads them from the host's own, signed archive. Needs
# apt-get and dpkg-deb (Debian or Ubuntu); no root. Idempotent: an OUT whose .stamp names the same
# packages at the same versions is kept.
set -euo pipefail

log() { printf '[setup-crates] %s\n' "$*" >&2; }
[ $# -ge 2 ] || { log "usage: $0 OUT librust-NAME-dev..."; exit 2; }
OUT=$1; shift
for p in "$@"; do
  [[ $p =~ ^librust-[a-z0-9][a-z0-9.+-]*-dev$ ]] || { log "not a librust-*-dev package name: $p"; exit 2; }
done
command -v apt-cache >/dev/null && command -v dpkg-deb >/dev/null || { log "needs apt-cache, apt-get and dpkg-deb (Debian/Ubuntu)"; exit 1; }

# The closure: real (not virtual) librust-*-dev packages only; apt-cache prints virtual ones in <>.
mapfile -t pkgs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "$@" | grep -E '^librust-[a-z0-9.+-]+-dev$' | sort -u)
[ ${#pkgs[@]} -gt 0 ] || { log "apt knows none of: $* (apt-get update?)"; exit 1; }
# Versions decide the stamp: a point release that changes a crate unpacks again.
stamp=$(apt-cache policy "${pkgs[@]}" | awk '/^[^ ]/{p=$1} /Candidate:/{print p $2}' | sort | sha256sum | cut -c1-16)
if [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$stamp" ]; then
  log "crates in $OUT are current (${#pkgs[@]} packages)"
  echo "REFINERY_CRATES_DIR=$OUT"
  exit 0
fi

tmp="$OUT.tmp.$$"
rm -rf "$tmp"; mkdir -p "$tmp/debs" "$tmp/x"
trap 'rm -rf "$tmp"' EXIT
log "downloading ${#pkgs[@]} librust-*-dev packages from the host's archive"
(cd "$tmp/debs" && apt-get download -qq "${pkgs[@]}" 2>&1 | grep -v 'unsandboxed' >&2 || true)
[ "$(find "$tmp/debs" -name '*.deb' | wc -l)" -eq ${#pkgs[@]} ] || { log "not every package was downloaded"; exit 1; }
for d in "$tmp"/debs/*.deb; do dpkg-deb -x "$d" "$tmp/x"; done
reg="$tmp/x/usr/share/cargo/registry"
[ -d "$reg" ] || { log "the packages hold no /usr/share/cargo/registry"; exit 1; }
# A directory source wants each crate's .cargo-checksum.json; Debian ships one (files left empty).
missing=$(find "$reg" -mindepth 1 -maxdepth 1 -type d ! -exec test -f '{}/.cargo-checksum.json' ';' -print | head -n1)
[ -z "$missing" ] || { log "$missing has no .cargo-checksum.json"; exit 1; }
mv "$reg" "$tmp/crates"
printf '%s\n' "${pkgs[@]}" >"$tmp/crates/.packages"
echo "$stamp" >"$tmp/crates/.stamp"
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$tmp/crates" "$OUT"
log "$(find "$OUT" -mindepth 1 -maxdepth 1 -type d | wc -l) crates unpacked in $OUT"
echo "REFINERY_CRATES_DIR=$OUT"
