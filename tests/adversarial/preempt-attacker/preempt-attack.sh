#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# No hypercall holds the CPU (issue 9): preempt-attacker
# (tests/adversarial/preempt-attacker/) issues the largest batch of each
# kind, one hypercall per phase, over aliased page tables. On Xen 4.17 it
# runs alone as dom0 and its "answer:" lines are the reference; on
# Xenolith it runs beside latency-victim (tests/multi/latency-victim/),
# which measures how late its 10 ms timer fires during each phase.
#
# PASS needs, per hypervisor: every phase's answer line (a missing one is
# a crash) and the guests' SUCCESS, no panic; on Xenolith the answers
# identical to Xen's, the victim's memory intact, wakeups in every long
# phase and none more than one second late. That second is the only
# timing assertion: the lateness figures are printed (and go to `make
# bench`), not asserted.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

ATTACKER=$BUILD/adversarial/preempt-attacker.elf
VICTIM=$BUILD/multi/latency-victim.elf
PHASES="baseline set_trap_table mmu_update mmuext_op grant_map grant_unmap grant_copy_bad grant_copy_4k
        multicall memory_op console_cr console_text"
ANSWERS=$LOGS/preempt-attack-xen.answers
STALL_US=1000000

for f in "$ATTACKER" "$VICTIM" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done
xen_image

show_failures() { # <line prefix>
    log_lines | grep -E "^$1.*: expected " | sed "s/^$1/    /" | head -20
}

# The answer lines with the prefix removed, in order.
answers() { # <line prefix>
    log_lines | sed -n "s/^$1preempt-attacker: answer: /answer: /p"
}

# One "<phase> took N ms; self lateness ..." line per phase.
expect_phases() { # <line prefix regex>
    local p
    for p in $PHASES; do
        expect_match "$1preempt-attacker: $p took [0-9]+ ms; self lateness: worst [0-9]+ us, p99 [0-9]+ us, [0-9]+ wakeups"
    done
}

on_xen() {
    rm -f "$ANSWERS"
    # No "noreboot": a crashed dom0 reboots, which -no-reboot ends.
    qemu_boot preempt-attack-xen 120 --stop-match '\(XEN\) Hardware Dom0 (crashed|halted).*' \
        -m 1024 -kernel "$XEN" -append "console=com1 com1=115200,8n1 dom0_mem=64M gnttab=max-ver:1" \
        -initrd "$ATTACKER"
    show_failures ''
    expect_phases ''
    expect_line "Test result: SUCCESS"
    expect_match '\(XEN\) Hardware Dom0 halted.*'
    answers '' > "$ANSWERS"
}

on_xenolith() {
    local p worst
    qemu_boot preempt-attack-xenolith 120 -m 256 -kernel "$BUILD/xenolith" \
        -initrd "$ATTACKER name=attacker mem=64M -- victim=1,$VICTIM name=victim"
    show_failures '\(d0\) '
    show_failures '\(d1\) '
    expect_phases '\(d0\) '
    [ -s "$ANSWERS" ] || fail "no Xen 4.17 reference answers ($ANSWERS): the Xen run failed"
    if ! diff -u "$ANSWERS" <(answers '(d0) ') > "$LOGS/preempt-attack.answers.diff"; then
        sed 's/^/    /' "$LOGS/preempt-attack.answers.diff" | head -20
        fail "answers differ from Xen 4.17's (see $LOGS/preempt-attack.answers.diff)"
    fi
    for p in $PHASES; do
        worst=$(log_lines | sed -n "s/^(d1) latency-victim: phase $p ([0-9]* ms): worst \([0-9]*\) us, p99 [0-9]* us, [0-9]* wakeups$/\1/p")
        [ -n "$worst" ] || fail "no victim lateness line for phase $p in $LOG"
        [ "$worst" -le "$STALL_US" ] || fail "victim stalled in phase $p: a wakeup ${worst} us late"
    done
    expect_line "(d1) latency-victim: memory intact (1024 KiB)"
    expect_line "(d0) Test result: SUCCESS"
    expect_line "(d1) Test result: SUCCESS"
    reject_line 'PANIC|FATAL|crashed'
    expect_exit 33
}

# Per phase: Xen's and Xenolith's self lateness, and Xenolith's victim's.
figures() {
    local xl=$LOGS/preempt-attack-xenolith.log xn=$LOGS/preempt-attack-xen.log p
    printf '    %-15s %22s %22s %22s\n' "worst/p99 (us)" "self, Xen 4.17" "self, Xenolith" \
        "victim, Xenolith"
    for p in $PHASES; do
        printf '    %-15s %22s %22s %22s\n' "$p" \
            "$(tr -d '\r' < "$xn" 2>/dev/null | sed -n "s/^preempt-attacker: $p took \([0-9]*\) ms; self lateness: worst \([0-9]*\) us, p99 \([0-9]*\) us.*/\2\/\3 (\1 ms)/p")" \
            "$(tr -d '\r' < "$xl" 2>/dev/null | sed -n "s/^(d0) preempt-attacker: $p took \([0-9]*\) ms; self lateness: worst \([0-9]*\) us, p99 \([0-9]*\) us.*/\2\/\3 (\1 ms)/p")" \
            "$(tr -d '\r' < "$xl" 2>/dev/null | sed -n "s/^(d1) latency-victim: phase $p ([0-9]* ms): worst \([0-9]*\) us, p99 \([0-9]*\) us.*/\1\/\2/p")"
    done
}

on_both_hypervisors preempt-attack
bad=$?
figures
[ "$bad" -eq 0 ] || fail "preempt-attack failed on $bad of 2 hypervisors"
