#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos booted natively by QEMU through its PVH note: banner, self-check
# (libc, page allocator, virtual memory), and power-off through
# isa-debug-exit (0x10 + SHUTDOWN_poweroff -> 33).
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"
qemu_boot lithos-native 60 -m 128 -kernel "$BUILD/lithos.elf"
expect_line "Lithos $(cat VERSION) on native"
expect_line "self-check: vm ok (64 pages)"
expect_line "Lithos: self-check passed"
reject_line "FAILED|pvops: unimplemented|^Lithos: .* failed|page fault"
expect_exit 33
