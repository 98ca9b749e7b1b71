/* SPDX-License-Identifier: MIT */
/*
 * Native #PF entry. The CPU has pushed, from %rsp up: error code, rip, cs,
 * rflags, rsp, ss. The handler reports and powers off, so no register is
 * saved and nothing returns: call native_page_fault_handler(cr2, rip, error).
 */
    .section .text.native_trap, "ax", @progbits
    .code64
    .globl native_page_fault_entry
native_page_fault_entry:
    mov     (%rsp), %rdx
    mov     8(%rsp), %rsi
    mov     %cr2, %rdi
    and     $-16, %rsp              /* the ABI's alignment at a call */
    call    *native_page_fault_handler(%rip)
1:  cli
    hlt
    jmp     1b
