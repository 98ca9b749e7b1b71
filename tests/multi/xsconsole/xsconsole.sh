#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console and xenstore rings Xenolith serves (tests/multi/xsconsole/):
# a (d0) and b (d1) each print a line through the console ring and talk
# xenstore over theirs; b is refused d0's home, watches a key a writes,
# loses its watches when a re-introduces it (XS_INTRODUCE: an unknown
# domain or a port other than b's store port is EINVAL), and has its ring
# closed for an oversized message. Both power off (33).
# Xenolith only: Xen's dom0 gets neither ring.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/multi/xsconsole.elf
for f in "$GUEST" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done

qemu_boot xsconsole 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$GUEST name=a -- role=a,$GUEST name=b -- role=b"
log_lines | grep -E '^\(d[01]\) .*expected ' | head -5
expect_line "(d0) xsconsole: a: store port 1, console port 2"
expect_line "(d1) xsconsole: b: store port 1, console port 2"
# Written to the console ring, not with console_io.
expect_line "(d0) xsconsole: a: a line through the console ring"
expect_line "(d1) xsconsole: b: a line through the console ring"
for d in 0 1; do
    expect_line "(d$d) xsconsole: GET_DOMAIN_PATH: ok"
    expect_line "(d$d) xsconsole: READ home: ok"
    expect_line "(d$d) xsconsole: WRITE data/x: ok"
    expect_line "(d$d) xsconsole: READ data/x: ok"
    expect_line "(d$d) xsconsole: DIRECTORY home: ok"
done
expect_line "(d1) xsconsole: READ d0's home: EACCES"
expect_line "(d1) xsconsole: WATCH data/flag: ok"
expect_line "(d1) xsconsole: watch event 0: data/flag tok"
expect_line "(d0) xsconsole: WRITE d1's data/flag: ok"
expect_line "(d1) xsconsole: watch event 1: data/flag tok"
expect_line "(d1) xsconsole: READ data/flag: ok"
expect_line "(d1) xsconsole: WATCH data/gone: ok"
expect_line "(d0) xsconsole: INTRODUCE domain 42: EINVAL"
expect_line "(d0) xsconsole: INTRODUCE d1 with port 7: EINVAL"
expect_line "(d0) xsconsole: INTRODUCE d1 with its store port: ok"
expect_line "(d0) xsconsole: WRITE d1's data/gone: ok"
expect_line "(d1) xsconsole: re-introduced: watch on data/gone dropped"
expect_line "(xenolith) warning: d1: xenstore: request of 4097 bytes exceeds 4096: ring closed"
expect_line "(d1) xsconsole: oversized message: ring error XENSTORE_ERROR_PROTO"
expect_line "(d0) Test result: SUCCESS"
expect_line "(d1) Test result: SUCCESS"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
