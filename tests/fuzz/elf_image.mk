# SPDX-License-Identifier: MIT
# The ELF and Xen notes loader with the builder's layout (tests/fuzz/elf_image.c).
FUZZ_SRCS_elf_image := hypervisor/toolstack/elf_image.c hypervisor/toolstack/xen_notes.c hypervisor/toolstack/xen_guest_info.c hypervisor/toolstack/builder_layout.c
