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
expect_line "self-check: vm ok (64 pages)"
# Timer, clock, preemption and user mode (issue 4); timings vary per run.
expect_match "self-check: sleep 200 ms: uptime [0-9]+ us \\(error [0-9]+\\.[0-9]%\\), wall clock [0-9]+ us"
expect_line "self-check: timer ok (tolerance 20%)"
expect_match "self-check: wall clock ok \\(20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC\\)"
expect_match "self-check: threads ok \\(3 spinning threads preempted, [0-9]+ switches\\)"
expect_line "hello from user pid 1"
expect_line "user checksum 0x7fc1c585"
expect_line "user exiting with 0"
expect_line "self-check: user program ok"
expect_line "faulting user program: writing to the kernel"
expect_match "Lithos: pid 2 killed: exception 14 at rip 0x[0-9a-f]+ \\(address 0xffffffff80100000, error 0x[0-9a-f]+\\)"
reject_line "still alive|skipped"
expect_line "self-check: faulting user program killed"
expect_line "Lithos: self-check passed"
reject_line "FAILED|pvops: unimplemented|^Lithos: .* failed|page fault"
expect_exit 33
