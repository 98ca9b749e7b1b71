/* SPDX-License-Identifier: MIT */
/*
 * Trap and callback entry, HYPERVISOR_iret exits and the user-mode
 * trampolines. Every entry pushes its vector and shares trap_common, which
 * builds struct cpu_regs (traps.h) below the hypervisor's bounce frame and
 * leaves that frame untouched for trap_dispatch() to inspect.
 */

/* xen.h and xen-x86_64.h are not assembler-safe: __HYPERVISOR_iret and
 * FLAT_USER_{CS,SS} (the 64-bit ring-3 selectors). */
#define HYPERCALL_IRET (hypercall_page + 23 * 32)
#define FLAT_USER_CS   0xe033
#define FLAT_USER_SS   0xe02b
/* struct cpu_regs: 15 registers, 7 words of return state, the vector. */
#define REGS_VECTOR    (22 * 8)

    .text
    .code64

/* 256 vector stubs, 16 bytes apart, then the three callbacks. */
    .balign 16
    .globl trap_stubs
trap_stubs:
    .set vec, 0
    .rept 256 + 3
    .balign 16
    pushq   $vec
    jmp     trap_common
    .set vec, vec + 1
    .endr

trap_common:
    cld
    sub     $(7 * 8), %rsp          /* iret_flags .. error_code */
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
    mov     %rsp, %rdi
    mov     %rsp, %rbx
    and     $~15, %rsp
    call    trap_dispatch           /* returns where the iret frame is */
    mov     %rbx, %rsp
    mov     %rax, REGS_VECTOR(%rsp)
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
    add     $(7 * 8), %rsp
    mov     (%rsp), %rsp            /* flags, rip, cs, rflags, rsp, ss */
    jmp     HYPERCALL_IRET

/* hypervisor_iret(const struct iret_args *): rax, r11, rcx, then the frame. */
    .globl hypervisor_iret
hypervisor_iret:
    pushq   64(%rdi)
    pushq   56(%rdi)
    pushq   48(%rdi)
    pushq   40(%rdi)
    pushq   32(%rdi)
    pushq   24(%rdi)
    mov     0(%rdi), %rax
    mov     8(%rdi), %r11
    mov     16(%rdi), %rcx
    jmp     HYPERCALL_IRET

/*
 * long user_enter(fn, arg, rflags, user_sp): saves the callee-saved
 * registers and rsp for user_return(), then HYPERVISOR_iret to
 * user_trampoline with CS RPL 3.
 */
    .globl user_enter
user_enter:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, user_jmp_rsp(%rip)
    pushq   $FLAT_USER_SS
    push    %rcx
    push    %rdx
    pushq   $FLAT_USER_CS
    lea     user_trampoline(%rip), %rax
    push    %rax
    pushq   $0
    mov     %rdi, %r12
    mov     %rsi, %rdi
    xor     %eax, %eax
    xor     %ecx, %ecx
    xor     %r11d, %r11d
    jmp     HYPERCALL_IRET

user_trampoline:
    call    *%r12
    xor     %edi, %edi
    /* fall through */
    .globl user_exit
user_exit:
    mov     %rdi, %rax
    syscall
    ud2

/* user_return(v), kernel mode: back to user_enter's caller with v. */
    .globl user_return
user_return:
    mov     user_jmp_rsp(%rip), %rsp
    mov     %rdi, %rax
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

    .bss
    .balign 8
user_jmp_rsp:
    .quad 0
