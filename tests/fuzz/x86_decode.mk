# SPDX-License-Identifier: MIT
# The writable-page-table store decoder, differential against Capstone
# (tests/fuzz/x86_decode.c, tests/fuzz/capstone_ref.c).
FUZZ_SRCS_x86_decode   := hypervisor/arch/x86/x86_decode.c tests/fuzz/capstone_ref.c
FUZZ_LDLIBS_x86_decode := -lcapstone
