#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ring-abuse (tests/adversarial/ring-abuse/) role=xs as d1 beside the same
# image as a victim d0 that writes and reads back a key over its own ring
# throughout. d1's malformed messages each get Xen's error string, its
# watch/transaction/node floods stop at the documented quota errors
# (docs/xenstore.md), its maps of d0's grants to domain 7, without
# GTF_permit_access, beyond the table or writable on a readonly grant are
# refused, and its oversized length closes its ring with a warning. The
# victim is served every round and its grants and granted page are intact;
# both power off (33). Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/ring-abuse.elf
for f in "$GUEST" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot ring-abuse-xenstore 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$GUEST name=victim -- role=victim wait=1,$GUEST name=attacker -- role=xs"
log_lines | grep -E '^\(d[01]\) .*expected ' | head -5
for l in \
    "READ without a NUL: EINVAL" \
    "WRITE path without a NUL: EINVAL" \
    "WATCH with one string: EINVAL" \
    "unknown type 999: ENOSYS" \
    "type WATCH_EVENT: ENOSYS" \
    "type ERROR: ENOSYS" \
    "zero-length READ: EINVAL" \
    "zero-length WRITE: EINVAL" \
    "INTRODUCE unprivileged: EACCES" \
    "header split across the ring wrap: ok" \
    "watch flood: E2BIG after 129 watches" \
    "RESET_WATCHES: ok" \
    "transaction flood: ENOSPC after 11 transactions" \
    "transaction flood: all aborted" \
    "node flood: ENOSPC after 956 writes" \
    "RM the flood: ok" \
    "grants: the victim's foreign, unpermitted and out-of-table refs refused" \
    "oversized length: ring closed with XENSTORE_ERROR_PROTO"; do
    expect_line "(d1) ring-abuse: $l"
done
expect_line "(xenolith) warning: d1: xenstore: request of 2147483647 bytes exceeds 4096: ring closed"
expect_line "(d0) ring-abuse: victim: served during the attack"
expect_line "(d0) ring-abuse: victim: xenstore served every round, grants and granted page intact"
expect_line "(d0) Test result: SUCCESS"
expect_line "(d1) Test result: SUCCESS"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
