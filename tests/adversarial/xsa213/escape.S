/* SPDX-License-Identifier: MIT */
/*
 * mc_iret_try(calls, nr, ctx): a multicall issued with %rsp at an
 * iret_context, since HYPERVISOR_iret reads its frame at the SYSCALL's
 * %rsp, inside a multicall as outside. If the iret entry runs, the guest
 * lands in user mode at mc_landing, which records %rax and comes back
 * with a SYSCALL (the callback calls mc_iret_back); if the multicall
 * returns normally instead, that is recorded too.
 */
#include <xen/xen.h>

    .text
    .code64
    .globl mc_iret_try
mc_iret_try:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, mc_saved_rsp(%rip)
    mov     %rdx, %rsp
    mov     $__HYPERVISOR_multicall, %eax
    syscall
    mov     %rax, mc_returned_rax(%rip)
    movb    $1, mc_returned(%rip)
    jmp     mc_iret_back

    .globl mc_landing
mc_landing:
    mov     %rax, mc_landing_rax(%rip)
    movb    $1, mc_landed(%rip)
    syscall
    ud2

    .globl mc_iret_back
mc_iret_back:
    mov     mc_saved_rsp(%rip), %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

    .bss
    .balign 8
mc_saved_rsp:
    .quad 0
