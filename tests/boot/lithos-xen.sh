#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos as dom0 on Debian's Xen 4.17 under QEMU: the Xen PV64 entry, the
# hypercall page, console_io, the mmu hypercalls (mmu_update, mmuext_op,
# update_va_mapping, multicall), traps, events, timer, user mode (issue 4)
# and SCHEDOP_shutdown against the reference.
# Xen halts rather than exiting QEMU, so the run ends on Xen's own line.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

XEN_GZ=/boot/xen-4.17-amd64.gz
XEN=$BUILD/xen-4.17
# Printed by Xen when the hardware domain shuts down with SHUTDOWN_poweroff.
XEN_POWEROFF="(XEN) Hardware Dom0 halted: halting machine"
# Any other end of dom0 (crash, reboot) also ends the run at once.
XEN_DOM0_ENDED="\\(XEN\\) Hardware Dom0 .*"

[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"
[ -f "$XEN_GZ" ] || fail "$XEN_GZ missing (make deps installs xen-hypervisor-4.17-amd64)"
# QEMU's Multiboot loader wants the plain ELF; unpack once per package update.
if [ ! -f "$XEN" ] || [ "$XEN_GZ" -nt "$XEN" ]; then
    gunzip -c "$XEN_GZ" > "$XEN.tmp" && mv "$XEN.tmp" "$XEN" || fail "cannot unpack $XEN_GZ"
fi

qemu_boot lithos-xen 180 --stop-on "$XEN_POWEROFF" --stop-match "$XEN_DOM0_ENDED" -m 1024 -kernel "$XEN" \
    -append "console=com1 com1=115200,8n1 dom0_mem=64M noreboot" -initrd "$BUILD/lithos.elf"
expect_match "Lithos $(cat VERSION | sed 's/\./\\./g') on Xen [0-9]+\.[0-9]+.*"
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
# The mmu binding prints "Lithos: <hypercall> failed: <errno> (...)".
reject_line "FAILED|pvops: unimplemented|^Lithos: .* failed"
expect_line "$XEN_POWEROFF"
