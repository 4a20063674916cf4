#!/usr/bin/env bash
# Assemble the turbo toolchain: this x86_64 machine's s390x cross compilers (gcc, g++, binutils)
# and, when present, Debian's rustc/cargo with the s390x standard library, in ONE folder that the
# container executor mounts read-only into the emulated s390x container (docs/build.md, "Turbo").
#
# Inside an s390x container there is no x86_64 loader and no x86_64 library, so every x86_64 ELF
# file copied here is patched (patchelf): its interpreter becomes the folder's own copy of
# ld-linux-x86-64.so.2 and its rpath the folder's lib/, both at the path the folder is mounted on.
# The container sees one extra read-only mount and nothing else of the host; s390x programs in it
# never load an x86_64 library. Wrappers in bin/ run the compilers with --sysroot=/ so headers,
# libraries and the ABI are the container's own.
#
#   scripts/setup-turbo-toolchain.sh [OUT]      # OUT default: ~/.cache/refinery/turbo
#   REFINERY_TURBO_MOUNT=/opt/refinery/turbo     # where the container sees it (default)
#   REFINERY_IMAGE=refinery/debian-s390x:bookworm  # image apt downloads the s390x Rust std with
#   REFINERY_TURBO_RUST=0                        # leave Rust out
#   REFINERY_TURBO_UV=0                          # leave the uv frontend out
# Needs: gcc-s390x-linux-gnu g++-s390x-linux-gnu patchelf (and rustc-web cargo-web for Rust;
# pip and the index for uv).
# Idempotent: an OUT whose turbo.json names the same tool versions is kept.
set -euo pipefail

OUT=${1:-${REFINERY_TURBO_DIR:-$HOME/.cache/refinery/turbo}}
MOUNT=${REFINERY_TURBO_MOUNT:-/opt/refinery/turbo}
IMAGE=${REFINERY_IMAGE:-refinery/debian-s390x:bookworm}
TRIPLE=s390x-linux-gnu
log() { printf '[setup-turbo] %s\n' "$*" >&2; }

command -v $TRIPLE-gcc >/dev/null || { log "$TRIPLE-gcc is missing: apt-get install gcc-$TRIPLE g++-$TRIPLE"; exit 1; }
command -v patchelf >/dev/null || { log "patchelf is missing: apt-get install patchelf"; exit 1; }
[ "$(uname -m)" = x86_64 ] || { log "turbo toolchains are assembled on x86_64 hosts only"; exit 1; }

gcc_real=$(readlink -f "$(command -v $TRIPLE-gcc)")
gcc_version=$($TRIPLE-gcc -dumpfullversion)
gcc_major=${gcc_version%%.*}
layout=7
# The uv frontend (`--frontend uv`): uv's static x86_64 (musl) build from PyPI, pinned by hash. It
# runs natively in the s390x container, so resolving and installing build requirements costs no
# emulated pip; the build backend still runs in the container's (emulated) Python.
UV_VERSION=0.13.9
UV_SHA256=2c45530751517d6c3bbc69a19473f6effe47cce047bede01ffd8af7ea7b36b25
want_uv=none
[ "${REFINERY_TURBO_UV:-1}" = 0 ] || want_uv=$UV_VERSION
# Current already (same gcc, same host rustc-web as when it was assembled): nothing to do, and no
# emulated apt run either.
want_rust=none
[ "${REFINERY_TURBO_RUST:-1}" = 0 ] || want_rust=$(dpkg-query -W -f '${Version}' rustc-web 2>/dev/null || echo none)
if [ -f "$OUT/turbo.json" ] && [ "$(cat "$OUT/.stamp" 2>/dev/null)" = "gcc=$gcc_version rust=$want_rust uv=$want_uv mount=$MOUNT layout=$layout" ]; then
  log "toolchain in $OUT is current ($(cat "$OUT/.stamp"))"
  echo "REFINERY_TURBO_DIR=$OUT"
  exit 0
fi

rust=0
rust_version=
# Rust: the s390x archive decides the version (its libstd-rust-web-dev), and the host's rustc-web
# and cargo-web are installed at exactly that version: rustc only links a std it was built with.
# apt inside the image downloads the s390x .debs (signed archive, version pinned); the image's apt
# knows only the release it was bootstrapped from, so the host's sources (security updates too)
# are lent to it read-only.
debs="$OUT.debs.$$"
if [ "${REFINERY_TURBO_RUST:-1}" != 0 ]; then
  export DOCKER_HOST=${DOCKER_HOST:-unix:///run/refinery-docker.sock}
  rm -rf "$debs"; mkdir -p "$debs"
  srcs=()
  [ -d /etc/apt/sources.list.d ] && srcs+=(-v /etc/apt/sources.list.d:/etc/apt/sources.list.d:ro)
  [ -f /etc/apt/sources.list ] && srcs+=(-v /etc/apt/sources.list:/etc/apt/sources.list:ro)
  log "asking the s390x archive for its Rust standard library (apt in $IMAGE, emulated, about a minute)"
  if docker run --rm --network host "${srcs[@]}" -v "$debs:/debs" -w /debs "$IMAGE" sh -c '
      apt-get update -qq >/dev/null 2>&1 || exit 1
      v=$(apt-cache policy libstd-rust-web-dev | sed -n "s/^ *Candidate: //p")
      [ -n "$v" ] && [ "$v" != "(none)" ] || exit 1
      m=$(echo "$v" | sed -E "s/^([0-9]+\.[0-9]+).*/\1/")
      apt-get download -qq "libstd-rust-web-dev=$v" "libstd-rust-web-$m=$v" >/dev/null 2>&1 || exit 1
      echo "$v" >/debs/version' >&2 && [ -s "$debs/version" ]; then
    rust_version=$(cat "$debs/version")
    if [ "$(dpkg-query -W -f '${Version}' rustc-web 2>/dev/null)" != "$rust_version" ] || [ "$(dpkg-query -W -f '${Version}' cargo-web 2>/dev/null)" != "$rust_version" ]; then
      log "installing rustc-web and cargo-web $rust_version on the host (the s390x std's version)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --allow-downgrades \
        "rustc-web=$rust_version" "cargo-web=$rust_version" "libstd-rust-web-dev=$rust_version" >/dev/null
    fi
    rust=1
  else
    log "could not download the s390x Rust standard library: Rust stays emulated"
  fi
fi
tmp="$OUT.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/lib"
trap 'rm -rf "$tmp"' EXIT

# 1. The cross toolchain, at the same paths under the folder (gcc finds cc1, as, ld relative to itself).
copy() { for p in "$@"; do [ -e "$p" ] && (cd / && cp -a --parents "${p#/}" "$tmp/root"); done; return 0; }
mkdir -p "$tmp/root"
copy /usr/bin/$TRIPLE-* /usr/lib/gcc-cross/$TRIPLE /usr/s390x-linux-gnu /usr/lib/$TRIPLE/ldscripts /usr/lib/$TRIPLE/bfd-plugins
# The cross C library and kernel headers are left out: with --sysroot=/ the container's own glibc,
# crt files and headers are used, never the host's copy of them (they would be found first).
for pkg in libc6-s390x-cross libc6-dev-s390x-cross linux-libc-dev-s390x-cross; do
  dpkg-query -L "$pkg" 2>/dev/null | while read -r f; do
    if [ -f "$tmp/root$f" ] || [ -L "$tmp/root$f" ]; then rm -f "$tmp/root$f"; fi
  done
done
find "$tmp/root" -depth -type d -empty -delete

# 2. Rust: host rustc/cargo, their host std, and the s390x std from the downloaded .debs.
if [ $rust = 1 ]; then
  copy /usr/bin/rustc /usr/bin/cargo /usr/bin/rustdoc /usr/lib/rustlib/x86_64-unknown-linux-gnu /usr/lib/rustlib/etc
  # rustc takes its sysroot from where librustc_driver lies: next to its own lib/rustlib.
  mkdir -p "$tmp/root/usr/lib"
  driver=$(ldd /usr/bin/rustc | awk '/librustc_driver/{print $3}')
  [ -n "$driver" ] || { log "rustc links no librustc_driver?"; exit 1; }
  cp -L "$driver" "$tmp/root/usr/lib/"
  host_gcc_major=$(gcc -dumpversion | cut -d. -f1)
  copy /usr/bin/x86_64-linux-gnu-gcc-$host_gcc_major /usr/lib/gcc/x86_64-linux-gnu/$host_gcc_major /usr/bin/x86_64-linux-gnu-ld.bfd /usr/bin/x86_64-linux-gnu-as
  rm -f "$tmp/root/usr/lib/gcc/x86_64-linux-gnu/$host_gcc_major"/{cc1plus,lto1,lto-dump}
  # host/: a sysroot with the host C library's link-time files (crt*.o, libc.so, libc_nonshared.a)
  # and the libraries they name, for linking x86_64 build scripts.
  hl="$tmp/host/usr/lib/x86_64-linux-gnu"
  mkdir -p "$hl" "$tmp/host/usr/lib64" "$tmp/host/bin"
  ln -s usr/lib "$tmp/host/lib"; ln -s usr/lib64 "$tmp/host/lib64"
  dpkg-query -L libc6-dev:amd64 libc6:amd64 libgcc-s1:amd64 | grep -E '^/usr/lib/x86_64-linux-gnu/[^/]+$|^/lib/x86_64-linux-gnu/[^/]+$' | while read -r f; do
    case "$f" in *.o|*.a|*.so|*.so.*) cp -aL "$f" "$hl/" 2>/dev/null || true ;; esac
  done
  cp -L /lib64/ld-linux-x86-64.so.2 "$tmp/host/usr/lib64/"
  ln -s "../../root/usr/bin/x86_64-linux-gnu-ld.bfd" "$tmp/host/bin/ld"
  ln -s "../../root/usr/bin/x86_64-linux-gnu-as" "$tmp/host/bin/as"
  for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$debs/x"; done
  mkdir -p "$tmp/root/usr/lib/rustlib"
  cp -a "$debs/x/usr/lib/rustlib/s390x-unknown-linux-gnu" "$tmp/root/usr/lib/rustlib/"
fi
rm -rf "$debs"

# 3. The x86_64 libraries those programs need, and the loader; then patch every x86_64 ELF file.
# An x86_64 (e_machine 62) executable or shared object (e_type 2 or 3); object files and archives are not.
is_x86_elf() {
  [ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && [ "$(od -An -tu2 -j18 -N2 "$1" | tr -d ' ')" = 62 ] &&
    case "$(od -An -tu2 -j16 -N2 "$1" | tr -d ' ')" in 2|3) true ;; *) false ;; esac
}
# Candidates: executables and shared objects only (rlibs, headers, archives are many and not ELF programs).
candidates() { find "$tmp/root" "$tmp/lib" -type f \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) "$@"; }
mapfile -t elves < <(candidates | while read -r f; do is_x86_elf "$f" && echo "$f"; done)
for f in "${elves[@]}"; do
  ldd "$f" 2>/dev/null | awk '/=> \//{print $3}' || true
done | sort -u | while read -r lib; do
  base=$(basename "$lib")
  [ -e "$tmp/lib/$base" ] || [ -e "$tmp/root/usr/lib/$base" ] || cp -L "$lib" "$tmp/lib/$base"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$tmp/lib/ld-linux-x86-64.so.2"
mapfile -t elves < <(candidates ! -name 'ld-linux-x86-64.so.2' | while read -r f; do is_x86_elf "$f" && echo "$f"; done)
for f in "${elves[@]}"; do
  chmod u+w "$f"
  if patchelf --print-interpreter "$f" >/dev/null 2>&1; then
    patchelf --set-interpreter "$MOUNT/lib/ld-linux-x86-64.so.2" "$f"
  fi
  case "$f" in
    */usr/lib/rustlib/*) continue ;;   # host-side Rust libraries keep their own $ORIGIN rpath
  esac
  patchelf --force-rpath --set-rpath "$MOUNT/lib:$MOUNT/root/usr/lib" "$f"
done

# 4. Wrappers: the names build systems look for, each the cross tool with the container as sysroot.
wrap() { # name target [fixed args]
  local name=$1 target=$2; shift 2
  printf '#!/bin/sh\n# refinery turbo: host-speed %s for s390x; headers and libraries from the container (sysroot /)\nexec %s %s "$@"\n' \
    "$name" "$MOUNT/root/usr/bin/$target" "$*" >"$tmp/bin/$name"
  chmod 755 "$tmp/bin/$name"
}
for n in cc gcc $TRIPLE-gcc; do wrap "$n" "$TRIPLE-gcc-$gcc_major" --sysroot=/; done
for n in c++ g++ $TRIPLE-g++; do wrap "$n" "$TRIPLE-g++-$gcc_major" --sysroot=/; done
for n in cpp $TRIPLE-cpp; do wrap "$n" "$TRIPLE-cpp-$gcc_major" --sysroot=/; done
for n in ld $TRIPLE-ld; do wrap "$n" "$TRIPLE-ld" --sysroot=/; done
for t in ar ranlib nm strip objcopy objdump readelf as; do
  wrap "$t" "$TRIPLE-$t"
  wrap "$TRIPLE-$t" "$TRIPLE-$t"
done
if [ $rust = 1 ]; then
  # rustc finds its sysroot (both targets' std) from its own path; cargo calls rustc by $RUSTC.
  wrap rustc rustc
  printf '#!/bin/sh\n# refinery turbo: host cargo, s390x target, cross linker\nexport RUSTC=%s\nexec %s "$@"\n' "$MOUNT/root/usr/bin/rustc" "$MOUNT/root/usr/bin/cargo" >"$tmp/bin/cargo"
  chmod 755 "$tmp/bin/cargo"
  # Build scripts and proc macros are x86_64 programs, linked here by the host's own gcc and
  # binutils against the host C library in host/ (a sysroot), with the folder's loader as their
  # interpreter, so that they run natively in the container as well.
  wrap host-cc x86_64-linux-gnu-gcc-$host_gcc_major --sysroot=$MOUNT/host -B$MOUNT/host/bin/ -Wl,--dynamic-linker=$MOUNT/lib/ld-linux-x86-64.so.2 -Wl,-rpath,$MOUNT/lib:$MOUNT/root/usr/lib
fi

# 5. The uv frontend: a static binary (no loader, no libraries), outside bin/ so that builds looking
# for tools on PATH do not meet it; used only by `--frontend uv`.
fetch_uv() {
  local wheels="$tmp/uv-wheel"
  mkdir -p "$wheels" "$tmp/frontend"
  printf 'uv==%s --hash=sha256:%s\n' "$UV_VERSION" "$UV_SHA256" >"$wheels/req.txt"
  # The hash pins the file; the platform picks the static musl build. No constraints file of the
  # machine's pip configuration applies to this one download.
  PIP_CONSTRAINT= python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform musllinux_1_1_x86_64 --require-hashes -r "$wheels/req.txt" -d "$wheels" >&2 || return 1
  python3 - "$wheels" "$tmp/frontend/uv" <<'PY' || return 1
import glob, shutil, sys, zipfile
(whl,) = glob.glob(f"{sys.argv[1]}/uv-*.whl")
with zipfile.ZipFile(whl) as z:
    (name,) = [n for n in z.namelist() if n.endswith(".data/scripts/uv")]
    with z.open(name) as src, open(sys.argv[2], "wb") as dst:
        shutil.copyfileobj(src, dst)
PY
  chmod 755 "$tmp/frontend/uv"
  rm -rf "$wheels"
}
if [ "$want_uv" != none ] && ! fetch_uv; then
  log "could not download uv $UV_VERSION from the index: the uv frontend is left out"
  rm -rf "$tmp/frontend" "$tmp/uv-wheel"
  want_uv=none
fi
stamp="gcc=$gcc_version rust=${rust_version:-none} uv=$want_uv mount=$MOUNT layout=$layout"

cat >"$tmp/turbo.json" <<EOF
{
  "schema": "refinery/turbo@1",
  "mountPoint": "$MOUNT",
  "target": "$TRIPLE",
  "gcc": "$gcc_version",
  "gccPackage": "$(dpkg-query -W -f '${Version}' gcc-$gcc_major-$TRIPLE 2>/dev/null || echo unknown)",
  "rust": $([ $rust = 1 ] && echo "\"$rust_version\"" || echo null),
  "rustTarget": $([ $rust = 1 ] && echo '"s390x-unknown-linux-gnu"' || echo null),
  "uv": $([ "$want_uv" != none ] && echo "\"$UV_VERSION\"" || echo null)
}
EOF
echo "$stamp" >"$tmp/.stamp"
rm -rf "$OUT"
mv "$tmp" "$OUT"
trap - EXIT
log "toolchain assembled in $OUT (gcc $gcc_version, rust ${rust_version:-none}, uv $want_uv), mounted at $MOUNT"
echo "REFINERY_TURBO_DIR=$OUT"
