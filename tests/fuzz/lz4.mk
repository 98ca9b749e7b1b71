# SPDX-License-Identifier: MIT
# LZ4 decoding and bzImage probing (tests/fuzz/lz4.c), differential against
# Debian's liblz4.
FUZZ_SRCS_lz4   := hypervisor/lib/lz4.c hypervisor/toolstack/bzimage.c
FUZZ_LDLIBS_lz4 := -llz4
