#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos booted natively by QEMU through its PVH note: banner, self-check
# (libc, page allocator, virtual memory, timer, threads, user mode), and power-off through
# isa-debug-exit (0x10 + SHUTDOWN_poweroff -> 33).
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"
qemu_boot lithos-native 60 -m 128 -kernel "$BUILD/lithos.elf"
expect_line "Lithos $(cat VERSION) on native"
expect_lithos_self_check
reject_line "FAILED|pvops: unimplemented|^Lithos: .* failed|page fault"
expect_exit 33
