/* SPDX-License-Identifier: MIT */
/*
 * iret_try(args) saves the callee-saved registers, then HYPERVISOR_iret
 * with args; iret_landing, the frame's rip, records what it arrived with
 * and comes back: directly in kernel mode, by SYSCALL (the callback calls
 * iret_back) in user mode.
 */
    .text
    .code64
    .globl iret_try
iret_try:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, iret_jmp(%rip)
    jmp     hypervisor_iret

    .globl iret_landing
iret_landing:
    mov     %rax, got_rax(%rip)
    mov     %rcx, got_rcx(%rip)
    mov     %r11, got_r11(%rip)
    mov     %rsp, got_rsp(%rip)
    pushf
    pop     %rax
    mov     %rax, got_rflags(%rip)
    movabs  $0x0000008000000000, %rax
    mov     (%rax), %rax
    mov     %rax, got_marker(%rip)
    cmpb    $0, landing_user(%rip)
    jne     1f
    jmp     iret_back
1:  syscall
    ud2

    .globl iret_back
iret_back:
    mov     iret_jmp(%rip), %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

    .bss
    .balign 8
iret_jmp:
    .quad 0
