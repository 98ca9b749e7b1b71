/* SPDX-License-Identifier: MIT */
/*
 * The half of every trap entry both bindings share. A binding's stub has
 * left vector, error and the iretq frame on the stack (struct pv_trap_frame
 * from `vector` up); this saves the GPRs below them in the struct's order,
 * calls pv_trap_dispatch(frame) and returns through pv_iret, the binding's
 * way back: iretq natively, HYPERVISOR_iret under PV. Both pointers are
 * set by the binding's irq.init before any trap can arrive.
 */
    .section .text.pv_trap, "ax", @progbits
    .code64
    .globl pv_trap_common, pv_trap_return
pv_trap_common:
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    cld
    mov     %rsp, %rdi
    mov     %rsp, %rbx              /* callee-saved: the frame after the call */
    and     $-16, %rsp              /* the ABI's alignment at a call */
    call    *pv_trap_dispatch(%rip)
    mov     %rbx, %rdi
pv_trap_return:
    mov     %rdi, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp               /* vector, error */
    jmp     *pv_iret(%rip)

    .section .data.pv_trap, "aw", @progbits
    .balign 8
    .globl pv_trap_dispatch, pv_iret
pv_trap_dispatch:
    .quad   0
pv_iret:
    .quad   0
