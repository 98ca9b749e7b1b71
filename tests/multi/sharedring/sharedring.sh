#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A shared ring between two domains, set up through xenstore
# (tests/multi/sharedring/): the front (d0) grants a ring page and an
# unbound port to the back (d1) and publishes them in xenstore; the back
# maps and binds them; 100,000 requests are answered and checked; the back
# unmaps, the front revokes. Both power off (exit 33). Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/multi/sharedring.elf
for f in "$GUEST" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot sharedring 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$GUEST name=front -- role=front,$GUEST name=back -- role=back"
# The guests' own "expected X, got Y" lines, if any, say what went wrong.
log_lines | grep -E '^\(d[01]\) .*expected ' | head -5
expect_match "\(d0\) sharedring: front: ring-ref 8 event-channel [0-9]+ published, state Initialised"
expect_match "\(d1\) sharedring: back: front Initialised: ring-ref 8 event-channel [0-9]+"
expect_match "\(d1\) sharedring: back: ring mapped, port [0-9]+ bound, state Connected"
expect_line "(d0) sharedring: front: back connected, grant in use, state Connected"
expect_match "\(d0\) sharedring: front: 100000 requests sent, 100000 responses checked in [0-9]+ ms"
expect_line "(d1) sharedring: back: 100000 requests answered"
expect_match "\(d0\) sharedring: front: notifications: [0-9]+ sent to the back, [0-9]+ received, [0-9]+ blocks"
expect_match "\(d1\) sharedring: back: notifications: [0-9]+ sent to the front, [0-9]+ received, [0-9]+ blocks"
expect_line "(d1) sharedring: back: grant unmapped, state Closed"
expect_line "(d0) sharedring: front: back closed, grant revoked"
expect_line "(d1) sharedring: back: front closed"
expect_line "(d0) Test result: SUCCESS"
expect_line "(d1) Test result: SUCCESS"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
log_lines | grep -E '^\(d[01]\) sharedring: .*(checked in|notifications)' | sed 's/^/  /'
