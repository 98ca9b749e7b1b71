# SPDX-License-Identifier: MIT
# The ELF and Xen notes loader with the builder's layout (tests/fuzz/elf_image.c).
FUZZ_SRCS_elf_image := hypervisor/domain/elf_image.c hypervisor/domain/xen_notes.c hypervisor/domain/builder_layout.c
