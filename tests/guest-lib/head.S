/* SPDX-License-Identifier: MIT */
/*
 * PV64 entry (XEN_ELFNOTE_ENTRY): ring 3, long mode, %rsi = start_info,
 * %rsp = top of the hypervisor's boot stack. Moves to the guest's own stack
 * and calls test_start(start_info, entry rsp); the entry rsp tells tests
 * where the start-of-day region's padding begins.
 */
#include "tests/guest-lib/layout.h"

    .section .text.boot, "ax", @progbits
    .code64
    .globl test_entry
test_entry:
    cld
    mov     %rsi, %r12
    mov     %rsp, %r13

    /* Both builders zero .bss, but a test must not depend on it. */
    lea     __bss_start(%rip), %rdi
    lea     __bss_end(%rip), %rcx
    sub     %rdi, %rcx
    xor     %eax, %eax
    rep stosb

    lea     test_stack_top(%rip), %rsp
    mov     %r12, %rdi
    mov     %r13, %rsi
    call    test_start
1:  jmp     1b                  /* ring 3: hlt would fault */

    .section .bss.test_stack, "aw", @nobits
    .balign 16
test_stack:
    .skip TEST_STACK_SIZE
test_stack_top:
