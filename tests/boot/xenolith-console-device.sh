#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Console devices (device/console/<n>) between Lithos's xenbus frontends
# and Xenolith's backend: d0 has two beyond its first console, d1 one. Each
# is found in xenstore, connected with the XenbusState handshake (a granted
# ring and a port the frontend allocated), written to, and closed again at
# power-off, after which the frontend's revoke of the grant succeeds.
source "$(dirname "$0")/lib.sh"

qemu_boot xenolith-console-device 120 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$BUILD/lithos.elf name=a mem=32M consoles=3,$BUILD/lithos.elf name=b mem=32M consoles=2"
check_device() { # <domain> <n>
    expect_line "(xenolith) d$1: console/$2: connected"
    expect_line "(d$1) Lithos: xenbus: console/$2 connected to backend 32751"
    expect_line "(d$1.$2) Lithos on console $2"
    expect_line "(xenolith) d$1: console/$2: closed (frontend Closed)"
    expect_line "(d$1) Lithos: xenbus: console/$2 closed (backend Closed)"
}
check_device 0 1
check_device 0 2
check_device 1 1
for d in 0 1; do
    expect_lithos_self_check "(d$d) "
    expect_line "(xenolith) d$d: shut down (poweroff)"
done
# d1 has no console/2; nobody's devices are refused.
reject_line "^\\(d1\\.2\\)|^\\(d1\\) Lithos: xenbus: console/2|refused|FAILED"
reject_line "crashed|PANIC|FATAL"
expect_line "(xenolith) leaving with exit status 0x10"
expect_exit 33
