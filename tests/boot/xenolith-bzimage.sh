#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos given to Xenolith as a bzImage (build/lithos.bzimage: its ELF
# image LZ4-compressed behind a boot protocol 2.15 setup header, as a Linux
# vmlinuz carries its kernel): the loader decompresses it, the domain is
# the one the ELF module makes, boots, passes its self-check and powers off;
# a corrupt one beside it is refused alone.
source "$(dirname "$0")/lib.sh"
version=$(cat VERSION)
elf_bytes=$(stat -c %s "$BUILD/lithos.elf")

# A second module whose first LZ4 chunk claims more bytes than the file
# holds is refused with a reason, and only it.
corrupt=$BUILD/test-logs/corrupt.bzimage
mkdir -p "$BUILD/test-logs"
cp "$BUILD/lithos.bzimage" "$corrupt"
printf '\377\377\377\177' | dd of="$corrupt" bs=1 seek=1028 conv=notrunc status=none

qemu_boot xenolith-bzimage 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$BUILD/lithos.bzimage name=lithos mem=32M,$corrupt name=corrupt"
expect_match "^\(xenolith\) module 0: bzImage, LZ4 payload of [0-9]+ bytes, $elf_bytes bytes decompressed$"
expect_match "^\(xenolith\) d0 \(lithos\): 32 MiB, kernel 0xffffffff80100000-0x[0-9a-f]+, entry 0x[0-9a-f]+$"
expect_line "(xenolith) error: module 1: rejected: bzImage LZ4 payload is corrupt"
expect_line "(xenolith) 1 of 2 modules became domains"
expect_line "(d0) Lithos $version on Xenolith $version"
expect_lithos_self_check "(d0) "
expect_line "(xenolith) d0: shut down (poweroff)"
expect_line "(xenolith) leaving with exit status 0x10"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
