/* SPDX-License-Identifier: MIT */
/* The user programs the self-check runs, embedded whole (user/build.mk
 * builds them; the paths come from guest-kernel/build.mk). */
    .section .rodata.user_images, "a", @progbits
    .balign 16
    .globl user_hello_elf, user_hello_elf_end, user_fault_elf, user_fault_elf_end
user_hello_elf:
    .incbin USER_HELLO_ELF
user_hello_elf_end:
    .balign 16
user_fault_elf:
    .incbin USER_FAULT_ELF
user_fault_elf_end:
