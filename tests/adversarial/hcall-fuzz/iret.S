/* SPDX-License-Identifier: MIT */
/*
 * Crafted HYPERVISOR_iret for the fuzzer, kernel mode to kernel mode, so
 * the fuzzer survives it. struct iret_ctx (fuzz.h) is Xen's struct
 * iret_context: rax, r11, rcx, flags, rip, cs, rflags, rsp, ss.
 *
 * long fz_iret(struct iret_ctx *ctx): fills ctx->rip (fz_landing) and
 * ctx->rsp (here), then issues it with the guest library's
 * hypervisor_iret (tests/guest-lib/traps.S), whose frame is the same.
 *
 * long fz_mc_iret(calls, nr, ctx): a multicall issued with %rsp at ctx,
 * where HYPERVISOR_iret looks for its frame, so that an iret entry in the
 * batch lands at fz_landing too; otherwise the multicall returns normally.
 * ctx must have free stack below it: events are delivered on that stack.
 *
 * Both return rax as it arrived, after clearing the flags the C code
 * cannot live with (DF, AC, TF and NT: a #DB from TF arrives first and
 * its handler clears it).
 */
#define CTX_RIP 32
#define CTX_RSP 56
#define EFLAGS_FIXUP ~(0x400 | 0x40000 | 0x100 | 0x4000)

    .text
    .code64
    .globl fz_iret
fz_iret:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, fz_saved_rsp(%rip)
    lea     fz_landing(%rip), %rax
    mov     %rax, CTX_RIP(%rdi)
    mov     %rsp, CTX_RSP(%rdi)
    /* The guest library's iret pushes the frame below the saved
     * registers (flags .. ss) and enters the hypercall page. */
    jmp     hypervisor_iret

    .globl fz_mc_iret
fz_mc_iret:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, fz_saved_rsp(%rip)
    lea     fz_landing(%rip), %rax
    mov     %rax, CTX_RIP(%rdx)
    mov     %rsp, CTX_RSP(%rdx)
    mov     %rdx, %rsp
    mov     $13, %eax               /* __HYPERVISOR_multicall */
    syscall
    /* Returned normally: no iret entry ran. */

fz_landing:
    cld
    mov     fz_saved_rsp(%rip), %rsp
    pushfq
    andq    $EFLAGS_FIXUP, (%rsp)
    popfq
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

    .bss
    .balign 8
fz_saved_rsp:
    .quad 0
