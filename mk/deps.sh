#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the toolchain and reference packages with apt-get. A quick no-op
# when every package is already installed, so every make target can call it.
set -eu

# clang, libclang-rt-14-dev (libFuzzer) and libcapstone-dev build the
# fuzz harnesses of tests/fuzz/ (mk/fuzz.mk); clang-format-14 checks the
# style (mk/check-format.sh); liblz4-dev is the reference the LZ4 decoder's
# unit tests and fuzz harness compare against.
packages="gcc binutils make qemu-system-x86 libxen-dev newlib-source \
libcunit1-dev xen-hypervisor-4.17-amd64 xz-utils gdb \
clang libclang-rt-14-dev libcapstone-dev clang-format-14 liblz4-dev"

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        "install ok installed") ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# --no-install-recommends keeps the Xen hypervisor package from pulling in
# the whole Xen toolstack and GRUB integration we do not use.
$sudo apt-get install -y -q --no-install-recommends $missing
