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
expect_line "(d0) self-check: vm ok (64 pages)"
expect_match "\(d0\) self-check: sleep 200 ms: uptime [0-9]+ us \(error [0-9]+\.[0-9]%\), wall clock [0-9]+ us"
expect_line "(d0) self-check: timer ok (tolerance 20%)"
expect_match "\(d0\) self-check: wall clock ok \(20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC\)"
expect_match "\(d0\) self-check: threads ok \(3 spinning threads preempted, [0-9]+ switches\)"
expect_line "(d0) hello from user pid 1"
expect_line "(d0) user checksum 0x7fc1c585"
expect_line "(d0) user exiting with 0"
expect_line "(d0) self-check: user program ok"
expect_line "(d0) faulting user program: writing to the kernel"
expect_match "\(d0\) Lithos: pid 2 killed: exception 14 at rip 0x[0-9a-f]+ \(address 0xffffffff80100000, error 0x[0-9a-f]+\)"
expect_line "(d0) self-check: faulting user program killed"
reject_line "skipped|still alive"
expect_line "(d0) Lithos: self-check passed"
expect_line "(xenolith) d0: shut down (poweroff)"
expect_line "(xenolith) leaving with exit status 0x10"
reject_line "crashed|PANIC|FATAL"
expect_exit 33
