#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos natively with "vm-fault-test": after the self-check it reads a
# vmalloc guard page; the #PF gate must report the address and crash
# (0x10 + SHUTDOWN_crash -> 39).
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"
qemu_boot lithos-native-fault 60 -m 128 -kernel "$BUILD/lithos.elf" -append "vm-fault-test"
expect_line "Lithos: self-check passed"
guard=$(log_lines | sed -n 's/^Lithos: vm-fault-test: reading the guard page at \(0x[0-9a-f]*\)$/\1/p')
[ -n "$guard" ] || fail "expected the vm-fault-test line in $LOG"
# Error code 0: a read (W/R clear) in ring 0 of a not-present page.
expect_match "Lithos: page fault at $guard \\(rip 0xffffffff80[0-9a-f]+, error 0\\)"
reject_line "FAILED|pvops: unimplemented"
expect_exit 39
