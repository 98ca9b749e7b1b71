#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A fault inside Xenolith itself ("fault-test" on its command line reads an
# unmapped hypervisor address) is reported with the vector, the registers
# and a backtrace that starts at the faulting function, and leaves with the
# panic status 0x1f.
source "$(dirname "$0")/lib.sh"

qemu_boot xenolith-fatal-fault 60 -m 128 -kernel "$BUILD/xenolith" -append "fault-test"
expect_line "(xenolith) FATAL TRAP in the hypervisor:"
expect_line "(xenolith) error: vector 14 (#PF page fault)"
expect_match "\(xenolith\) rip ffff82d0[0-9a-f]{8} cs e008 rflags [0-9a-f]{16} rsp [0-9a-f]{16} ss e010"
expect_match "\(xenolith\) cr2 ffff82fffffff000 cr3 [0-9a-f]{16} error code 00000000"
expect_line "(xenolith) backtrace (addr2line -e build/xenolith):"
first_frame=$(log_lines | grep -A1 -F "backtrace (addr2line" | sed -n '2s/.*\[<\([0-9a-f]*\)>\].*/\1/p')
[ -n "$first_frame" ] || fail "no frame after the backtrace header in $LOG"
where=$(addr2line -f -e "$BUILD/xenolith" "$first_frame" | head -n 1)
[ "$where" = fault_test ] || fail "backtrace starts in '$where', expected fault_test"
expect_line "(xenolith) leaving with exit status 0x1f"
expect_exit 63
