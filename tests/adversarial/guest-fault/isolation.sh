#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Isolation and preemption: spinner (d0) hogs its vCPU with events masked
# and no hypercalls for 3 s of system time, guest-fault (d1) crashes, and
# Lithos (d2) must still pass its self-check before the spinner's budget
# runs out, which only preemption allows. Exit 39: the crash is the worst.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

SPINNER=$BUILD/multi/spinner.elf
FAULTY=$BUILD/adversarial/guest-fault.elf
# Lithos alone needs ~0.3 s on Xenolith under TCG; with the spinner taking
# every other slice ~0.6 s. 3 s leaves room for a slow CI host.
BUDGET_MS=3000
LITHOS_DONE="(d2) Lithos: self-check passed"
SPINNER_DONE_RE="^\(d0\) spinner: budget of $BUDGET_MS ms spent at [0-9]+ ms after [0-9]+ spins$"

for f in "$SPINNER" "$FAULTY" "$BUILD/lithos.elf" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot isolation 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$SPINNER name=spinner -- budget_ms=$BUDGET_MS,$FAULTY name=faulty -- fault=pf,$BUILD/lithos.elf name=lithos"
expect_match "\(d0\) spinner: spinning with events masked from [0-9]+ ms for $BUDGET_MS ms"
rip=$(log_lines | sed -n 's/^(d1) guest-fault: raising .* at rip \(0x[0-9a-f]*\)$/\1/p')
[ -n "$rip" ] || fail "guest-fault never announced its fault, see $LOG"
expect_line "(xenolith) error: d1: crashed: unhandled exception 14 (#PF page fault) at rip $rip, error code 0x6, cr2 0x1000"
expect_line "$LITHOS_DONE"
expect_match "${SPINNER_DONE_RE:1:-1}"
lithos_at=$(log_lines | grep -nxF -- "$LITHOS_DONE" | head -n 1 | cut -d: -f1)
spinner_at=$(log_lines | grep -nE -- "$SPINNER_DONE_RE" | head -n 1 | cut -d: -f1)
[ "$lithos_at" -lt "$spinner_at" ] ||
    fail "expected Lithos's self-check (line $lithos_at) before the spinner's budget ran out (line $spinner_at): no preemption, see $LOG"
expect_line "(d0) Test result: SUCCESS"
reject_line "^\(d1\) Test result:|FAILED|PANIC|FATAL"
expect_exit 39
