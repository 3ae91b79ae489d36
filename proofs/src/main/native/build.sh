#!/usr/bin/env bash
# Compiles the native Poseidon library into OUT/<JNA platform folder>/, where JNA finds it on the class path.
# Run by the Maven build (proofs/pom.xml, phase process-classes). Without a C compiler, or on a platform this file
# does not know, it says so and succeeds: the library is then absent and the Java path hashes (with a warning).
#   build.sh OUT_DIR        CC=... picks the compiler (default: cc, else gcc)
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
os=$(uname -s)
arch=$(uname -m)
case "$os/$arch" in
    Linux/x86_64) platform=linux-x86-64 ;;
    Linux/aarch64) platform=linux-aarch64 ;;
    *) echo "[native] no native Poseidon build for $os/$arch; the Java path will hash" >&2; exit 0 ;;
esac
cc=${CC:-}
if [[ -z "$cc" ]]; then
    for c in cc gcc clang; do
        if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
    done
fi
if [[ -z "$cc" ]] || ! command -v "$cc" >/dev/null 2>&1; then
    echo "[native] no C compiler (cc, gcc or clang; or set CC): the native Poseidon library is not built and the Java path will hash" >&2
    exit 0
fi
lib="$out/$platform/libpostfleet_poseidon.so"
if [[ -f "$lib" && "$lib" -nt "$here/poseidon.c" && "$lib" -nt "$0" ]]; then
    exit 0
fi
mkdir -p "$out/$platform"
# -O3 with the paths' instruction sets enabled per function (#pragma GCC target), so one library serves every CPU
# of the platform and picks its path at run time.
if ! "$cc" -std=gnu11 -O3 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror -o "$lib.tmp" "$here/poseidon.c"; then
    rm -f "$lib.tmp"
    echo "[native] $cc could not compile src/main/native/poseidon.c: the Java path will hash" >&2
    exit 0
fi
mv "$lib.tmp" "$lib"
echo "[native] built $platform/libpostfleet_poseidon.so with $cc" >&2
