/* SPDX-License-Identifier: MIT */
/*
 * Xen PV entries. Xen's bounce frame is an iretq frame (error code where
 * the vector has one) under rcx and r11 (PV64-ABI.md); each stub pops those
 * two back into their registers, which leaves the native shape, pushes
 * error and vector as native stubs do and joins pv_trap_common. The way
 * out is HYPERVISOR_iret: flags 0 above the iretq frame, then hypercall 23.
 */
#include <vmi/iret.h>

#define VECTOR_SYSCALL  0x100       /* PV_VECTOR_SYSCALL */
#define VECTOR_EVENT    0x101       /* XENPV_VECTOR_EVENT */
#define VECTOR_FAILSAFE 0x102       /* XENPV_VECTOR_FAILSAFE */

    .altmacro
    .macro stub v
xenpv_stub_\v:
    pop     %rcx
    pop     %r11
    .if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
    .else
    push    $0
    .endif
    push    $\v
    jmp     pv_trap_common
    .endm

    .macro stub_ref v
    .quad   xenpv_stub_\v
    .endm

    .section .text.xenpv_trap, "ax", @progbits
    .code64
    .set    i, 0
    .rept   32
    stub    %i
    .set    i, i + 1
    .endr

    .globl xenpv_event_entry, xenpv_syscall_entry, xenpv_failsafe_entry, xenpv_iret
xenpv_event_entry:
    pop     %rcx
    pop     %r11
    push    $0
    push    $VECTOR_EVENT
    jmp     pv_trap_common

/* From user mode only: Xen has already switched to the kernel stack and
 * kernel page tables; the frame's rip/rsp/rflags are the user's. */
xenpv_syscall_entry:
    pop     %rcx
    pop     %r11
    push    $0
    push    $VECTOR_SYSCALL
    jmp     pv_trap_common

/* Xen could not load the segment registers of a return frame; their four
 * saved values sit between r11 and rip. Dropped: Lithos uses none. */
xenpv_failsafe_entry:
    pop     %rcx
    pop     %r11
    add     $32, %rsp
    push    $0
    push    $VECTOR_FAILSAFE
    jmp     pv_trap_common

xenpv_iret:
    pushq   $0
    jmp     hypercall_page + HYPERCALL_IRET_OFFSET

    .section .rodata.xenpv_trap, "a", @progbits
    .balign 8
    .globl xenpv_trap_stubs
xenpv_trap_stubs:
    .set    i, 0
    .rept   32
    stub_ref %i
    .set    i, i + 1
    .endr
