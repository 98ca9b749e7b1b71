/* SPDX-License-Identifier: MIT */
/*
 * thread_switch(&old->rsp, new->rsp): saves the callee-saved registers on
 * the old stack, parks its %rsp, and resumes the new stack the same way.
 * A new thread's stack is laid out by thread.c as six zero registers and
 * then thread_start as the return address.
 */
    .section .text.thread_switch, "ax", @progbits
    .code64
    .globl thread_switch, thread_start
thread_switch:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, (%rdi)
    mov     %rsi, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

thread_start:
    call    thread_entry
1:  jmp     1b
