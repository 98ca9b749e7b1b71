#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ring-abuse (tests/adversarial/ring-abuse/) role=considx as d1: an absurd
# producer index on its console ring. Xenolith never follows it: it logs and
# crashes d1 alone, while the victim d0 (the same image, role=victim) keeps
# being served over its xenstore ring, its grants intact, and powers off.
# No panic; exit status 39 (a crash among the domains). Xenolith only.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/ring-abuse.elf
for f in "$GUEST" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot ring-abuse-console-prod 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$GUEST name=victim -- role=victim,$GUEST name=attacker -- role=considx"
log_lines | grep -E '^\(d[01]\) .*expected ' | head -5
expect_line "(d1) ring-abuse: console ring: out_prod 1000000 ahead of out_cons"
expect_line "(xenolith) error: d1: crashed: console ring: out_prod - out_cons exceeds the buffer"
expect_line "(xenolith) d1: shut down (crash)"
reject_line "\(d1\) Test result:.*"
expect_line "(d0) ring-abuse: victim: xenstore served every round, grants and granted page intact"
expect_line "(d0) Test result: SUCCESS"
expect_line "(xenolith) d0: shut down (poweroff)"
reject_line "PANIC|FATAL"
expect_exit 39
