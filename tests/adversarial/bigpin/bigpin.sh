#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The largest single page-table operation (tests/adversarial/bigpin/): a
# pin and an unpin of an L4 whose tree is made of a 128 MiB guest's every
# frame, preemptible on both hypervisors: the guest's own 10 ms timer
# upcalls must keep coming during them (no stretch over one second), both
# answers 0, every frame plain memory afterwards. On Xenolith mm-victim
# runs beside it and must stay intact. The durations are reported.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/bigpin.elf
VICTIM=$BUILD/adversarial/mm-victim.elf
for f in "$GUEST" "$VICTIM" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done
xen_image

TREE_RE='bigpin: tree of [0-9]+ L1, [0-9]+ L2, [0-9]+ L3 and 1 L4 \([0-9]+ entries to validate\)'
TIMES_RE='bigpin: pin [0-9]+ ms, unpin [0-9]+ ms, [0-9]+ upcalls during them, longest stretch without one [0-9]+ ms'

report() { # <line prefix>
    log_lines | grep -E "^$1bigpin: pin " | sed "s/^$1/    /"
    log_lines | grep -E "^$1.*: expected |^$1bigpin: events stalled" | sed "s/^$1/    /" | head -10
}

on_xen() {
    qemu_boot bigpin-xen 180 --stop-match '\(XEN\) Hardware Dom0 (crashed|halted).*' \
        -m 1024 -kernel "$XEN" -append "console=com1 com1=115200,8n1 dom0_mem=128M" \
        -initrd "$GUEST"
    report ''
    expect_match "$TREE_RE"
    expect_match "$TIMES_RE"
    expect_line "Test result: SUCCESS"
    expect_match '\(XEN\) Hardware Dom0 halted.*'
}

on_xenolith() {
    qemu_boot bigpin-xenolith 180 -m 512 -kernel "$BUILD/xenolith" \
        -initrd "$GUEST name=bigpin mem=128M,$VICTIM name=victim"
    report '\(d0\) '
    expect_match "\(d0\) $TREE_RE"
    expect_match "\(d0\) $TIMES_RE"
    expect_line "(d0) Test result: SUCCESS"
    expect_match '\(d1\) mm-victim: memory intact .*'
    expect_line "(d1) Test result: SUCCESS"
    reject_line 'PANIC|FATAL'
    expect_exit 33
}

on_both_hypervisors bigpin --show
bad=$?
[ "$bad" -eq 0 ] || fail "bigpin failed on $bad of 2 hypervisors"
