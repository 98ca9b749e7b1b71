# SPDX-License-Identifier: MIT
# The boot module string grammar (tests/fuzz/module_config.c).
FUZZ_SRCS_module_config := hypervisor/toolstack/module_config.c
