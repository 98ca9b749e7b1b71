#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# frontend-abuse (tests/adversarial/frontend-abuse/) role=abuse as d1, a
# hostile frontend of its own console device, beside a victim Lithos d0
# with a console device of its own. Every bad ring-ref, grant, port and
# state is refused with the documented error node (checked by the guest),
# no grant is left in use, the first refusals are logged and the rest
# counted, the backend's directory is read-only to the frontend, a real
# connect works, 100 connect/close cycles leave nothing behind, and power-
# off while connected tears the device down. The victim's device connects,
# prints and closes. Both power off (33). Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/frontend-abuse.elf
for f in "$GUEST" "$BUILD/xenolith" "$BUILD/lithos.elf"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot frontend-abuse 120 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$BUILD/lithos.elf name=victim mem=32M consoles=2,$GUEST name=attacker consoles=2 -- role=abuse"
for l in \
    "ring-ref missing: refused (2 ring-ref is missing)" \
    "ring-ref \"abc\": refused (22 ring-ref is not a grant reference)" \
    "ring-ref \"-8\": refused (22 ring-ref is not a grant reference)" \
    "ring-ref \"0x8\": refused (22 ring-ref is not a grant reference)" \
    "ring-ref \"8 \": refused (22 ring-ref is not a grant reference)" \
    "ring-ref 2^32: refused (22 ring-ref is not a grant reference)" \
    "port missing: refused (2 port is missing)" \
    "port \"x\": refused (22 port is not a port number)" \
    "ring-ref beyond the table: refused (22 grant 100000 cannot be mapped writable (GNTST -3))" \
    "grant for domain 7: refused (22 grant 9 cannot be mapped writable (GNTST -1))" \
    "read-only grant: refused (22 grant 10 cannot be mapped writable (GNTST -1))" \
    "grant without GTF_permit_access: refused (22 grant 11 cannot be mapped writable (GNTST -1))" \
    "sub-page grant: refused (22 grant 12 cannot be mapped writable (GNTST -1))" \
    "grant of a foreign frame: refused (22 grant 13 cannot be mapped writable (GNTST -9))" \
    "grant of our own L4: refused (22 grant 14 cannot be mapped writable (GNTST -1))" \
    "grant for domain 0: refused (22 grant 15 cannot be mapped writable (GNTST -1))" \
    "free port 60: refused (22 port 60 is not unbound for domain 32751)" \
    "the store's port: refused (22 port 1 is not unbound for domain 32751)" \
    "port 2^32-1: refused (22 port 4294967295 is not unbound for domain 32751)" \
    "garbage states: backend Closed each time" \
    "writing the backend's state: EACCES" \
    "reading d0's device: EACCES" \
    "connected: revoke refused (GTF_reading|GTF_writing)" \
    "closed: grant released" \
    "state deleted while connected: backend Closed, grant released" \
    "100 connect and close cycles, every grant released" \
    "powering off while connected"; do
    expect_line "(d1) frontend-abuse: $l"
done
expect_line "(d1) frontend-abuse: backend-id 32751, not the privileged guest's 0"
for dom in 7 0; do
    expect_match "^\\(d1\\) frontend-abuse: port for domain $dom: refused \\(22 port [0-9]+ is not unbound for domain 32751\\)$"
done
expect_line "(d1.1) frontend-abuse: hello on console 1"
expect_line "(d1) Test result: SUCCESS"
# Xenolith's side: the first refusals in full, the rest counted; the
# transitions logged a few times, then summed up at teardown.
expect_line "(xenolith) warning: d1: refused console/1 connect: ring-ref is missing (-ENOENT)"
expect_line "(xenolith) warning: d1: refused console/1 connect: grant 14 cannot be mapped writable (GNTST -1) (-EINVAL)"
expect_line "(xenolith) warning: d1: 21 requests refused in all"
# 103 connects: one use, one reconnect, 100 cycles, the last one. 130
# closes: one after each of the 21 refusals, 7 garbage states, the orderly
# close, the deleted state node, 100 cycles. Teardown's is not one.
expect_line "(xenolith) d1: console/1: 103 connects and 130 closes in all"
[ "$(log_lines | grep -c '^(xenolith) d1: console/1: connected$')" -eq 4 ] ||
    fail "expected 4 logged connects of d1's console/1 in $LOG"
# The victim's device, throughout.
expect_line "(d0) Lithos: xenbus: console/1 connected to backend 32751"
expect_line "(d0.1) Lithos on console 1"
expect_line "(d0) Lithos: xenbus: console/1 closed (backend Closed)"
expect_lithos_self_check "(d0) "
for d in 0 1; do
    expect_line "(xenolith) d$d: shut down (poweroff)"
done
reject_line "crashed|PANIC|FATAL|FAILED"
expect_line "(xenolith) leaving with exit status 0x10"
expect_exit 33
