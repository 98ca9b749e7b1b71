#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# xs-starve (tests/adversarial/xs-starve/): four unprivileged guests (d2-d5)
# each take all they can of the xenstore pools: their share of transactions
# (ENOSPC), read markers for absent paths until their share of node records
# is used (ENOMEM), then watches with long tokens until their memory is
# (ENOMEM), each refusal logged once for the domain. While they hold it all,
# the privileged d0 creates nodes, commits a transaction and hears a watch,
# and d1 connects its console device through Xenolith's backend (consoles=2),
# writes a line on it and closes it. Everyone powers off (33). Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/xs-starve.elf
for f in "$GUEST" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

ATTACK="$GUEST name=attack -- role=attack"
qemu_boot xenstore-starvation 300 -m 512 -kernel "$BUILD/xenolith" \
    -initrd "$GUEST name=priv -- role=priv attackers=4,$GUEST name=front consoles=2 -- role=front,$ATTACK,$ATTACK,$ATTACK,$ATTACK"
log_lines | grep -E '^\(d[0-5]\) .*expected ' | head -5
for d in 2 3 4 5; do
    expect_line "(d$d) xs-starve: attack: transactions: ENOSPC after 11"
    expect_line "(d$d) xs-starve: attack: read markers: ENOMEM after 1275 reads"
    expect_line "(d$d) xs-starve: attack: watches with long tokens: ENOMEM after 29"
    expect_line "(d$d) xs-starve: attack: holding its share"
    expect_line "(d$d) xs-starve: attack: released"
    expect_line "(xenolith) warning: d$d: refused xenstore request: share of 11 transactions used up"
    expect_line "(xenolith) warning: d$d: refused xenstore request: share of 1280 node records used up"
    expect_line "(xenolith) warning: d$d: refused xenstore request: memory quota of 262144 bytes reached"
    expect_line "(d$d) Test result: SUCCESS"
done
expect_line "(d0) xs-starve: priv: every attacker holds its share"
expect_line "(d0) xs-starve: priv: 20 new nodes: ok"
expect_line "(d0) xs-starve: priv: transaction of 200 reads and a write: committed"
expect_line "(d0) xs-starve: priv: watch: event for the write"
expect_line "(d0) xs-starve: priv: the device connected, the attackers released"
expect_line "(d0) Test result: SUCCESS"
expect_line "(xenolith) d1: console/1: connected"
expect_line "(d1.1) xs-starve: front: a line through console 1"
expect_line "(xenolith) d1: console/1: closed (frontend Closed)"
expect_line "(d1) xs-starve: front: console 1 connected, written and closed"
expect_line "(d1) Test result: SUCCESS"
# Neither d0 nor d1 is ever refused anything by the store.
reject_line "d[01]: refused xenstore"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
