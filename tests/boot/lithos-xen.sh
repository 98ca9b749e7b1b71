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

# Printed by Xen when the hardware domain shuts down with SHUTDOWN_poweroff.
XEN_POWEROFF="(XEN) Hardware Dom0 halted: halting machine"
# Any other end of dom0 (crash, reboot) also ends the run at once.
XEN_DOM0_ENDED="\\(XEN\\) Hardware Dom0 .*"

[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"
xen_image

qemu_boot lithos-xen 180 --stop-on "$XEN_POWEROFF" --stop-match "$XEN_DOM0_ENDED" -m 1024 -kernel "$XEN" \
    -append "console=com1 com1=115200,8n1 dom0_mem=64M noreboot" -initrd "$BUILD/lithos.elf"
expect_match "Lithos $(cat VERSION | sed 's/\./\\./g') on Xen [0-9]+\.[0-9]+.*"
expect_lithos_self_check
# The mmu binding prints "Lithos: <hypercall> failed: <errno> (...)".
reject_line "FAILED|pvops: unimplemented|^Lithos: .* failed"
expect_line "$XEN_POWEROFF"
