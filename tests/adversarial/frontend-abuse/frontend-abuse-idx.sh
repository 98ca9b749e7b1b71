#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# frontend-abuse role=idx as d1: it connects its console device, then sets
# the device ring's out_prod 64 KiB ahead of out_cons and notifies. Only d1
# is crashed, with a log line naming the ring; teardown releases the
# connected device; the victim Lithos's own device works and it powers off
# (exit 39: the worst shutdown reason is d1's crash).
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/frontend-abuse.elf
qemu_boot frontend-abuse-idx 90 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$BUILD/lithos.elf name=victim mem=32M consoles=2,$GUEST name=attacker consoles=2 -- role=idx"
expect_line "(xenolith) d1: console/1: connected"
expect_line "(d1) frontend-abuse: connected; out_prod 0x10000 ahead"
expect_line "(xenolith) error: d1: crashed: console 1 ring: out_prod - out_cons exceeds the buffer"
expect_line "(xenolith) d1: shut down (crash)"
expect_line "(d0.1) Lithos on console 1"
expect_line "(d0) Lithos: xenbus: console/1 closed (backend Closed)"
expect_line "(xenolith) d0: shut down (poweroff)"
reject_line "^\\(d1\\) Test result|PANIC|FATAL"
expect_exit 39
