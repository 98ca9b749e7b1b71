# SPDX-License-Identifier: MIT
# The backend's XenbusState parsers and decisions (tests/fuzz/xenbus_state.c).
FUZZ_SRCS_xenbus_state := hypervisor/backends/xenbus_state.c
