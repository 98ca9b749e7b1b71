#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The XSA-213 regression (tests/adversarial/xsa213/): iret inside a
# multicall followed by entries that would drop the loaded user root and
# forge a PTE. On Xen 4.17 the guest runs alone as dom0 and its answers are
# the reference; on Xenolith it runs beside mm-victim, which checksums its
# memory. Both must report "not vulnerable" and SUCCESS, with no panic.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/xsa213.elf
VICTIM=$BUILD/adversarial/mm-victim.elf
for f in "$GUEST" "$VICTIM" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done
xen_image

show_failures() { # <line prefix>
    log_lines | grep -E "^$1.*: expected " | sed "s/^$1/    /" | head -20
}

on_xen() {
    qemu_boot xsa213-xen 120 --stop-match '\(XEN\) Hardware Dom0 (crashed|halted).*' \
        -m 1024 -kernel "$XEN" -append "console=com1 com1=115200,8n1 dom0_mem=64M" \
        -initrd "$GUEST"
    show_failures ''
    expect_line "xsa213: iret entry ran, multicall ended in user mode"
    expect_line "xsa213: not vulnerable"
    expect_line "Test result: SUCCESS"
    expect_match '\(XEN\) Hardware Dom0 halted.*'
}

on_xenolith() {
    qemu_boot xsa213-xenolith 120 -m 256 -kernel "$BUILD/xenolith" \
        -initrd "$GUEST name=attacker,$VICTIM name=victim"
    show_failures '\(d0\) '
    expect_line "(d0) xsa213: iret entry ran, multicall ended in user mode"
    expect_line "(d0) xsa213: not vulnerable"
    expect_line "(d0) Test result: SUCCESS"
    expect_match '\(d1\) mm-victim: memory intact .*'
    expect_line "(d1) Test result: SUCCESS"
    reject_line 'PANIC|FATAL'
    expect_exit 33
}

on_both_hypervisors xsa213
bad=$?
[ "$bad" -eq 0 ] || fail "xsa213 failed on $bad of 2 hypervisors"
