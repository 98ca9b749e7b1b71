#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Xenolith given a module of random bytes, a truncated ELF and a kernel that
# requires a feature Xenolith lacks, ahead of a good guest: each bad module is
# rejected with its reason, and the good guest still runs to a clean power-off.
source "$(dirname "$0")/lib.sh"
data=$BUILD/test-data
mkdir -p "$data"

# Deterministic "random" bytes: a SHA-256 chain, so a failure can be replayed.
for i in $(seq 0 127); do
    printf '%s' "xenolith-corrupt-$i" | sha256sum | cut -c1-64
done | sed 's/../\\x&/g' | tr -d '\n' | { read -r hex; printf '%b' "$hex"; } > "$data/random.bin"
# The ELF and program headers survive; the segments they describe do not.
head -c 3000 "$BUILD/lithos.elf" > "$data/truncated.elf"
# Lithos with its FEATURES note rewritten in place, same length, to require
# XENFEAT_hvm_safe_pvclock, which a PV hypervisor does not offer.
LC_ALL=C sed 's/pae_pgdir_above_4gb/!hvm_safe_pvclock\x00\x00/' "$BUILD/lithos.elf" \
    > "$data/requires-feature.elf"
cmp -s "$BUILD/lithos.elf" "$data/requires-feature.elf" &&
    fail "could not rewrite the FEATURES note of $BUILD/lithos.elf"

qemu_boot xenolith-bad-modules 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$data/random.bin,$data/truncated.elf,$data/requires-feature.elf,$BUILD/lithos.elf name=good"
expect_line "(xenolith) error: module 0: rejected: image has no ELF magic"
expect_line "(xenolith) error: module 1: rejected: program header 0 extends past the end of the image"
expect_line "(xenolith) error: module 2: rejected: the kernel requires feature hvm_safe_pvclock, which Xenolith lacks"
expect_line "(xenolith) 1 of 4 modules became domains"
expect_line "(d0) Lithos: self-check passed"
expect_line "(xenolith) d0: shut down (poweroff)"
reject_line "PANIC|FATAL"
expect_exit 33
