/* SPDX-License-Identifier: MIT */
/*
 * Every way into and out of Xenolith: exception stubs, SYSCALL (hypercall)
 * entry, and the return to a guest. Frames are struct cpu_user_regs
 * (xen/arch-x86/xen-x86_64.h); SAVE_ALL pushes in reverse field order.
 */
#include <xen/xen.h>
#include "asm-offsets.h"
#include "arch/x86/irq_vectors.h"
#include "arch/x86/memlayout.h"

/* The frame of the running guest sits at the top of this stack; TSS.RSP0
 * points at its `es` field, where the CPU's own pushes end. */
        .section .bss.stack, "aw", @nobits
        .align 4096
        .globl hv_stack_bottom
hv_stack_bottom:
        .skip STACK_SIZE
        .globl hv_stack_top
hv_stack_top:

#define GUEST_FRAME      (hv_stack_top - UREGS_size)
#define GUEST_FRAME_END  (hv_stack_top - UREGS_size + UREGS_es)

.macro SAVE_ALL
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        cld
.endm

.macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
.endm

        .text

/* Builds the guest frame for a SYSCALL: interrupts are off (SFMASK) and
 * %rsp is still the guest's, so it is parked before anything else. */
.macro SYSCALL_FRAME guest_cs
        mov     %rsp, syscall_guest_rsp(%rip)
        lea     GUEST_FRAME_END(%rip), %rsp
        push    $FLAT_KERNEL_SS
        push    syscall_guest_rsp(%rip)
        push    %r11                            /* rflags */
        push    $\guest_cs
        push    %rcx                            /* rip */
        sub     $8, %rsp
        movl    $0, (%rsp)                      /* error_code */
        movl    $TRAP_SYSCALL, UREGS_vector_from_error(%rsp)
        SAVE_ALL
        mov     %rsp, %rdi
.endm

/* SYSCALL from guest kernel mode: a hypercall. */
        .globl syscall_entry
syscall_entry:
        SYSCALL_FRAME FLAT_KERNEL_CS
        call    do_hypercall
        jmp     return_to_guest

/* SYSCALL from 32-bit compatibility mode has no meaning for a PV64 guest. */
        .globl syscall_compat_entry
syscall_compat_entry:
        SYSCALL_FRAME FLAT_RING3_CS32
        call    do_compat_syscall
        jmp     return_to_guest

/* Leave for the guest whose frame is at the top of the stack, choosing
 * (in C) which guest that is. SYSRET when the frame came from SYSCALL:
 * return_to_guest_prepare() has checked that its rip is canonical. */
        .globl return_to_guest
return_to_guest:
        cli
        lea     GUEST_FRAME(%rip), %rsp
        mov     %rsp, %rdi
        call    return_to_guest_prepare
        cmpl    $TRAP_SYSCALL, UREGS_entry_vector(%rsp)
        jne     .Liret_to_guest
        mov     UREGS_rip(%rsp), %rcx
        mov     UREGS_rflags(%rsp), %r11
        mov     UREGS_r15(%rsp), %r15
        mov     UREGS_r14(%rsp), %r14
        mov     UREGS_r13(%rsp), %r13
        mov     UREGS_r12(%rsp), %r12
        mov     UREGS_rbp(%rsp), %rbp
        mov     UREGS_rbx(%rsp), %rbx
        mov     UREGS_r10(%rsp), %r10
        mov     UREGS_r9(%rsp), %r9
        mov     UREGS_r8(%rsp), %r8
        mov     UREGS_rax(%rsp), %rax
        mov     UREGS_rdx(%rsp), %rdx
        mov     UREGS_rsi(%rsp), %rsi
        mov     UREGS_rdi(%rsp), %rdi
        mov     UREGS_rsp(%rsp), %rsp
        sysretq
.Liret_to_guest:
        RESTORE_ALL
        add     $8, %rsp
.Liret_insn:
        iretq

/* A guest frame the CPU refused (iretq faulted in ring 0): the domain is
 * crashed and another one chosen. */
.Lbad_guest_iret:
        lea     GUEST_FRAME(%rip), %rsp
        mov     %rsp, %rdi
        call    bad_guest_frame
        jmp     return_to_guest

        .section __ex_table, "a"
        .quad   .Liret_insn, .Lbad_guest_iret
        .previous

/* Exceptions. Each stub makes the frame uniform (a zero error code where
 * the CPU pushes none) and records its vector. #DB, NMI, #DF and #MC run on
 * IST stacks and go to exception_ist_common: #DB and NMI can strike on the
 * first instruction of syscall_entry, while %rsp is still the guest's. */
.macro EXCEPTION vec, has_error_code, common=exception_common
        .align 16
exception_\vec:
        .if \has_error_code == 0
        sub     $8, %rsp
        movl    $0, (%rsp)
        .endif
        movl    $\vec, UREGS_vector_from_error(%rsp)
        jmp     \common
.endm

.macro EXCEPTION_IST vec, has_error_code
        EXCEPTION \vec, \has_error_code, exception_ist_common
.endm

exception_common:
        SAVE_ALL
        mov     %rsp, %rdi
        call    do_trap
        testb   $3, UREGS_cs(%rsp)
        jnz     return_to_guest
        RESTORE_ALL
        add     $8, %rsp
        iretq

/* From ring 0 the IST frame is handled and returned from in place. From
 * ring 3 it moves to the guest frame slot (free while a guest runs), so the
 * return goes through return_to_guest like any other guest exception. */
exception_ist_common:
        SAVE_ALL
        testb   $3, UREGS_cs(%rsp)
        jnz     1f
        mov     %rsp, %rdi
        call    do_trap
        RESTORE_ALL
        add     $8, %rsp
        iretq
1:      mov     %rsp, %rsi
        lea     GUEST_FRAME(%rip), %rdi
        mov     $(UREGS_es / 8), %ecx
        rep movsq
        lea     GUEST_FRAME(%rip), %rsp
        mov     %rsp, %rdi
        call    do_trap
        jmp     return_to_guest

        EXCEPTION      0, 0
        EXCEPTION_IST  1, 0
        EXCEPTION_IST  2, 0
        EXCEPTION      3, 0
        EXCEPTION      4, 0
        EXCEPTION      5, 0
        EXCEPTION      6, 0
        EXCEPTION      7, 0
        EXCEPTION_IST  8, 1
        EXCEPTION      9, 0
        EXCEPTION     10, 1
        EXCEPTION     11, 1
        EXCEPTION     12, 1
        EXCEPTION     13, 1
        EXCEPTION     14, 1
        EXCEPTION     15, 0
        EXCEPTION     16, 0
        EXCEPTION     17, 1
        EXCEPTION_IST 18, 0
        EXCEPTION     19, 0
        EXCEPTION     20, 0
        EXCEPTION     21, 1
        EXCEPTION     22, 0
        EXCEPTION     23, 0
        EXCEPTION     24, 0
        EXCEPTION     25, 0
        EXCEPTION     26, 0
        EXCEPTION     27, 0
        EXCEPTION     28, 0
        EXCEPTION     29, 1
        EXCEPTION     30, 1
        EXCEPTION     31, 0

/* Interrupts: the local APIC timer, COM1's transmitter (the one PIC line
 * unmasked), and anything else (spurious). Same frame as an exception,
 * with the vector recorded. */
.macro INTERRUPT name, vec
        .align 16
        .globl \name
\name:
        sub     $8, %rsp
        movl    $0, (%rsp)
        movl    $\vec, UREGS_vector_from_error(%rsp)
        jmp     exception_common
.endm

        INTERRUPT timer_interrupt, TIMER_VECTOR
        INTERRUPT serial_irq_entry, SERIAL_VECTOR
        INTERRUPT spurious_interrupt, SPURIOUS_VECTOR

        .section .rodata
        .align 8
        .globl exception_stubs
exception_stubs:
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad exception_\v
        .endr

        .bss
        .align 8
syscall_guest_rsp:
        .quad 0
