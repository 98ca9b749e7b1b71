#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mm-attacker (tests/adversarial/mm-attacker/) against the memory
# virtualization. On Xen 4.17 it runs alone as dom0: its verdict line is the
# reference ("Xen refuses the same"). On Xenolith it runs beside mm-victim:
# every attempt refused as Xen refuses, its final direct M2P write crashes
# it alone (#PF), the victim's memory is intact, no panic, exit 39.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

ATTACKER=$BUILD/adversarial/mm-attacker.elf
VICTIM=$BUILD/adversarial/mm-victim.elf
VERDICT_RE='mm-attacker: verdict: all [0-9]+ attempts answered as Xen 4\.17 answers'
M2P_LINE='mm-attacker: writing to the M2P directly, expecting a fatal #PF'

for f in "$ATTACKER" "$VICTIM" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done
xen_image

# The attacker's failed cases, one per line, so the output names them.
show_cases() { # <line prefix>
    log_lines | grep -E "^$1.*: expected " | sed "s/^$1/    /" | head -20
}

on_xen() {
    # No "noreboot": the crashed dom0 reboots, which -no-reboot ends.
    qemu_boot mm-attack-xen 120 --stop-match '\(XEN\) Hardware Dom0 (crashed|halted).*' \
        -m 1024 -kernel "$XEN" -append "console=com1 com1=115200,8n1 dom0_mem=64M" \
        -initrd "$ATTACKER"
    show_cases ''
    expect_match "$VERDICT_RE"
    expect_line "$M2P_LINE"
    expect_match '\(XEN\) Hardware Dom0 crashed.*'
}

on_xenolith() {
    qemu_boot mm-attack-xenolith 120 -m 256 -kernel "$BUILD/xenolith" \
        -initrd "$ATTACKER name=attacker,$VICTIM name=victim"
    show_cases '\(d0\) '
    show_cases '\(d1\) '
    expect_match "\(d0\) $VERDICT_RE"
    expect_line "(d0) $M2P_LINE"
    expect_match '\(xenolith\) error: d0: crashed: unhandled exception 14 \(#PF page fault\).*cr2 0xffff800000000000'
    expect_match '\(d1\) mm-victim: memory intact .*'
    expect_line "(d1) Test result: SUCCESS"
    reject_line 'PANIC|FATAL'
    expect_exit 39
}

on_both_hypervisors mm-attack
bad=$?
[ "$bad" -eq 0 ] || fail "mm-attack failed on $bad of 2 hypervisors"
