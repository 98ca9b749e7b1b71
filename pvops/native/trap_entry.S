/* SPDX-License-Identifier: MIT */
/*
 * Native entries: one stub per IDT vector, which pushes a 0 error code
 * where the CPU pushes none and then the vector, so every frame has the
 * struct pv_trap_frame shape; the SYSCALL entry, which builds the same
 * frame by hand on the kernel stack; and native_iret.
 */
#define USER_CS     0x23            /* cpu.c's GDT, RPL 3 */
#define USER_SS     0x1b
#define VECTOR_SYSCALL 0x100

    .altmacro
    .macro stub v
stub_\v:
    .if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
    .else
    push    $0
    .endif
    push    $\v
    jmp     pv_trap_common
    .endm

    .macro stub_ref v
    .quad   stub_\v
    .endm

    .section .text.native_trap, "ax", @progbits
    .code64
    .set    i, 0
    .rept   256
    stub    %i
    .set    i, i + 1
    .endr

/*
 * SYSCALL from ring 3: rcx = user rip, r11 = user rflags, still on the
 * user stack, interrupts off (FMASK). One CPU and IF clear, so a plain
 * variable can park the user %rsp.
 */
    .globl native_syscall_entry
native_syscall_entry:
    mov     %rsp, native_syscall_user_rsp(%rip)
    mov     native_syscall_kernel_rsp(%rip), %rsp
    push    $USER_SS
    push    native_syscall_user_rsp(%rip)
    push    %r11
    push    $USER_CS
    push    %rcx
    push    $0
    push    $VECTOR_SYSCALL
    jmp     pv_trap_common

    .globl native_iret
native_iret:
    iretq

    .section .rodata.native_trap, "a", @progbits
    .balign 8
    .globl native_trap_stubs
native_trap_stubs:
    .set    i, 0
    .rept   256
    stub_ref %i
    .set    i, i + 1
    .endr

    .section .bss.native_trap, "aw", @nobits
    .balign 8
    .globl native_syscall_kernel_rsp
native_syscall_kernel_rsp:
    .skip   8
native_syscall_user_rsp:
    .skip   8
