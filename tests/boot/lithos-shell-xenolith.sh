#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two Lithos guests with `-- shell` on Xenolith, their consoles on the
# console rings: what is typed goes to the focused domain (d0 first);
# Ctrl-A three times moves the focus to d1. A command in each (help,
# uptime, run hello, xenstore, a line to d0's console device), then
# poweroff in both, which closes d0's console device first: exit 33.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

session_start lithos-shell-xenolith 120 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$BUILD/lithos.elf name=a mem=32M consoles=2 -- shell,$BUILD/lithos.elf name=b mem=32M -- shell"

wait_line "\\(d0\\) Lithos: shell ready \\(type help\\)" 90
wait_line "\\(d1\\) Lithos: shell ready \\(type help\\)" 90
type_line help
wait_line "\\(d0\\)   poweroff                  power off"
type_line "xs watch data/greeting"
wait_line "\\(d0\\) xs: watch data/greeting: data/greeting changed"
type_line "xs write data/greeting hi-from-d0"
type_line "xs read data/greeting"
wait_line "\\(d0\\) hi-from-d0"
type_line "xs ls /local/domain/0"
wait_line "\\(d0\\) data"
type_line "cons 1 typed on  console one"
wait_line "\\(d0\\.1\\) typed on console one"
printf '\001\001\001' >&3
wait_line "\\(xenolith\\) input to d1 \\(type Ctrl-A three times to switch\\)"
type_line uptime
wait_line "\\(d1\\) up [0-9]+\\.[0-9]{3} s"
type_line "run hello"
wait_line "\\(d1\\) run: hello exited with 0"
type_line "xs ls /local/domain/0"
wait_line "\\(d1\\) xs: ls /local/domain/0: EACCES"
type_line poweroff
wait_line "\\(xenolith\\) d1: shut down \\(poweroff\\)"
type_line poweroff
session_end

expect_line "(xenolith) input to d0 (type Ctrl-A three times to switch)"
for d in 0 1; do
    expect_line "(d$d) Lithos: self-check passed"
    expect_line "(d$d) lithos> poweroff"
    expect_line "(d$d) Lithos: powering off"
    expect_line "(xenolith) d$d: shut down (poweroff)"
done
expect_line "(d0) lithos> help"
expect_line "(d0) commands:"
expect_line "(d0)   run <program>             run an embedded user program (hello, fault)"
expect_line "(d0) lithos> xs write data/greeting hi-from-d0"
expect_line "(d0) lithos> xs read data/greeting"
expect_line "(d0) hi-from-d0"
# The watch fires once when set and once for the write.
[ "$(log_lines | grep -cxF "(d0) xs: watch data/greeting: data/greeting changed")" -eq 2 ] ||
    fail "expected two watch events on data/greeting in $LOG"
expect_line "(d0) lithos> xs ls /local/domain/0"
expect_line "(d0) data"
expect_line "(d0) lithos> cons 1 typed on  console one"
expect_line "(d0) Lithos: xenbus: console/1 closed (backend Closed)"
expect_line "(xenolith) input to d1 (type Ctrl-A three times to switch)"
expect_line "(d1) lithos> uptime"
expect_match "\\(d1\\) up [0-9]+\\.[0-9]{3} s"
expect_line "(d1) lithos> run hello"
expect_line "(d1) hello from user pid 3"
expect_line "(d1) run: hello exited with 0"
expect_line "(d1) lithos> xs ls /local/domain/0"
expect_line "(d1) xs: ls /local/domain/0: EACCES"
# Input went only to the focused domain.
reject_line "^\\(d1\\) lithos> help|^\\(d0\\) lithos> uptime|unknown command"
reject_line "crashed|PANIC|FATAL|FAILED"
expect_line "(xenolith) leaving with exit status 0x10"
expect_exit 33
