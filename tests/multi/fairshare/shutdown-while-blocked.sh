#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A domain ends while every other domain is blocked: spinner (d0) powers
# off after 100 ms while the fairshare sleeper (d1) is still blocked on its
# timer until 1 s. Xenolith must idle until the timer, not run a NULL vCPU
# (the schedule() case next == prev == NULL), and exit 33.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

SPINNER=$BUILD/multi/spinner.elf
SLEEPER=$BUILD/multi/fairshare.elf
for f in "$SPINNER" "$SLEEPER" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot shutdown-while-blocked 30 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$SPINNER name=spinner -- budget_ms=100,$SLEEPER name=sleeper -- role=sleep start_ms=1000 window_ms=1000 period_ms=500"
reject_line "FATAL TRAP|PANIC"
expect_match "\(d0\) spinner: budget of 100 ms spent at [0-9]+ ms after [0-9]+ spins"
expect_line "(xenolith) d0: shut down (poweroff)"
expect_match "\(d1\) fairshare: sleep: 2 of 2 wakeups met, lateness mean [0-9]+ us, max [0-9]+ us"
expect_line "(d1) Test result: SUCCESS"
d0_at=$(log_lines | grep -nxF "(xenolith) d0: shut down (poweroff)" | cut -d: -f1)
d1_at=$(log_lines | grep -nE '^\(d1\) fairshare: sleep: ' | cut -d: -f1)
[ "$d0_at" -lt "$d1_at" ] ||
    fail "expected d0 to end (line $d0_at) while d1 still slept (line $d1_at), see $LOG"
expect_exit 33
