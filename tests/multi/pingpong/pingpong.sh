#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Event-channel ping-pong between two domains (tests/multi/pingpong/):
# ping (d0) and pong (d1) bounce one interdomain event 1000 times; both
# must count every event exactly once and power off (exit 33). Xenolith
# only: Xen 4.17 under QEMU boots a single domain.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/multi/pingpong.elf
for f in "$GUEST" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot pingpong 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$GUEST name=ping -- role=ping,$GUEST name=pong -- role=pong"
# The guests' own "expected X, got Y" lines, if any, say what went wrong.
log_lines | grep -E '^\(d[01]\) .*expected ' | head -5
expect_line "(d1) pong: port 3 allocated for d0"
expect_match "\(d0\) ping: bound port [0-9]+ to d1 port 3 after [0-9]+ retries"
expect_line "(d1) pong: 1000 events received, 1000 replies sent, then the closing event"
expect_match "\(d0\) ping: 1000 round trips in [0-9]+ us: mean [0-9]+ ns, min [0-9]+ ns, max [0-9]+ ns"
expect_line "(d0) Test result: SUCCESS"
expect_line "(d1) Test result: SUCCESS"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
log_lines | sed -n 's/^(d0) \(ping: 1000 round trips.*\)/\1/p'
