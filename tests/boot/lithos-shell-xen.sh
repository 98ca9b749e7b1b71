#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos's shell as dom0 on Debian's Xen 4.17 (module string "... shell"):
# console_io both ways (Xen gives dom0 the serial input after boot), no
# xenstored so `xs` says xenstore is unavailable; `poweroff` halts Xen,
# which does not exit QEMU, so the run ends on Xen's own line.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"
xen_image
session_start lithos-shell-xen 180 -m 1024 -kernel "$XEN" \
    -append "console=com1 com1=115200,8n1 dom0_mem=64M noreboot" \
    -initrd "$BUILD/lithos.elf shell"

wait_line "Lithos: shell ready \\(type help\\)" 150
type_line help
wait_line "  poweroff                  power off"
type_line uptime
wait_line "up [0-9]+\\.[0-9]{3} s"
type_line "run hello"
wait_line "run: hello exited with 0" 60
type_line "xs read /local/domain/0/name"
wait_line "xs: xenstore unavailable"
type_line poweroff
wait_line "\\(XEN\\) Hardware Dom0 halted: halting machine"
session_end --kill

expect_match "Lithos $(sed 's/\./\\./g' VERSION) on Xen [0-9]+\.[0-9]+.*"
expect_line "Lithos: self-check passed"
expect_line "lithos> help"
expect_line "  run <program>             run an embedded user program (hello, fault)"
expect_line "lithos> uptime"
expect_match "up [0-9]+\\.[0-9]{3} s"
expect_line "hello from user pid 3"
expect_line "run: hello exited with 0"
expect_line "lithos> xs read /local/domain/0/name"
expect_line "xs: xenstore unavailable"
expect_line "lithos> poweroff"
expect_line "Lithos: powering off"
reject_line "FAILED|unknown command|pvops: unimplemented"
