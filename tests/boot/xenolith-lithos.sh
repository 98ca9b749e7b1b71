#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lithos as the only guest of Xenolith: the banner names Xenolith, the
# self-check passes, the domain powers off and Xenolith exits with 0x10.
source "$(dirname "$0")/lib.sh"
version=$(cat VERSION)

qemu_boot xenolith-lithos 60 -m 256 -kernel "$BUILD/xenolith" \
    -initrd "$BUILD/lithos.elf name=lithos mem=32M"
expect_line "(xenolith) Xenolith $version (Xen interface 4.14)"
expect_line "(xenolith) d0 (lithos): 32 MiB, kernel 0xffffffff80100000-$(
    log_lines | sed -n 's/^(xenolith) d0 (lithos): 32 MiB, kernel 0xffffffff80100000-\(0x[0-9a-f]*\),.*/\1/p'
), entry $(log_lines | sed -n 's/.*, entry \(0x[0-9a-f]*\)$/\1/p')"
expect_line "(d0) Lithos $version on Xenolith $version"
expect_lithos_self_check "(d0) "
expect_line "(xenolith) d0: shut down (poweroff)"
expect_line "(xenolith) leaving with exit status 0x10"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
