#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos's interactive shell natively (QEMU -kernel ... -append shell):
# COM1 is a QEMU pipe chardev (<fifo>.in to the guest, <fifo>.out from it),
# so the test types commands one at a time, each after the previous
# answer, and checks the lines; `poweroff` ends QEMU with 33.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"
TYPE_PAUSE=0.3
session_start lithos-shell-native 90 -m 128 -kernel "$BUILD/lithos.elf" -append shell

wait_line "Lithos: shell ready \\(type help\\)" 60
type_line help
wait_line "  poweroff                  power off"
type_line uptime
wait_line "up [0-9]+\\.[0-9]{3} s"
# Line editing: "xyz" erased by Ctrl-U, "ru" + Backspace + "un hello".
printf 'xyz\025ru\177un hello\r' >&3
wait_line "run: hello exited with 0"
type_line mem
wait_line "free: [0-9]+ pages \\([0-9]+ KiB\\)"
type_line ps
wait_line "0    running   - \\(shell\\)"
type_line "xs ls /"
wait_line "xs: xenstore unavailable"
type_line poweroff
session_end

expect_line "Lithos $(cat VERSION) on native"
expect_line "Lithos: self-check passed"
expect_line "lithos> help"
expect_line "commands:"
expect_line "  help                      this list"
expect_line "  run <program>             run an embedded user program (hello, fault)"
expect_line "  poweroff                  power off"
expect_line "lithos> uptime"
expect_match "up [0-9]+\\.[0-9]{3} s"
expect_line "hello from user pid 3"
expect_line "user exiting with 0"
expect_line "run: hello exited with 0"
expect_line "lithos> mem"
expect_match "free: [0-9]+ pages \\([0-9]+ KiB\\)"
expect_line "lithos> ps"
expect_line "tid  state     pid"
expect_line "0    running   - (shell)"
expect_line "lithos> xs ls /"
expect_line "xs: xenstore unavailable"
expect_line "lithos> poweroff"
expect_line "Lithos: powering off"
reject_line "FAILED|unknown command|pvops: unimplemented"
expect_exit 33
