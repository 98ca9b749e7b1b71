#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two Lithos guests side by side on Xenolith (what `make run` boots): both
# run their threads and user programs under the preemptive scheduler,
# interleaved, and both pass their self-checks.
source "$(dirname "$0")/lib.sh"

qemu_boot xenolith-two-lithos 120 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$BUILD/lithos.elf name=a mem=32M,$BUILD/lithos.elf name=b mem=32M"
for d in 0 1; do
    expect_line "(d$d) hello from user pid 1"
    expect_line "(d$d) self-check: user program ok"
    expect_line "(d$d) Lithos: self-check passed"
    expect_line "(xenolith) d$d: shut down (poweroff)"
done
# Interleaved: d1 started before d0 finished (preemption, not one after the other).
first_d1=$(log_lines | grep -n '^(d1) ' | head -n 1 | cut -d: -f1)
last_d0=$(log_lines | grep -n '^(d0) ' | tail -n 1 | cut -d: -f1)
[ "$first_d1" -lt "$last_d0" ] || fail "d1 printed nothing before d0 ended: no interleaving"
reject_line "crashed|PANIC|FATAL|skipped"
expect_exit 33
