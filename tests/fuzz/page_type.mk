# SPDX-License-Identifier: MIT
# Page-type operations, preempted or not, with the PV invariants checked
# after every step (tests/fuzz/page_type.c).
FUZZ_SRCS_page_type := hypervisor/frames/page_type.c hypervisor/frames/page_audit.c
