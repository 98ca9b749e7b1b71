/* SPDX-License-Identifier: MIT */
/* The boot stack, shared by both entries (only one of them ever runs). */
#include "guest-kernel/layout.h"

    .section .bss.boot_stack, "aw", @nobits
    .balign 16
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:
