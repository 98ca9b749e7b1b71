# SPDX-License-Identifier: MIT
# The xenstore core's harness (tests/fuzz/xenstore.c): the core, its share
# accounting and its audit, as the host unit tests link them.
FUZZ_SRCS_xenstore := $(sort $(wildcard hypervisor/xenstore/*.c))
