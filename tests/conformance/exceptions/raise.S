/* SPDX-License-Identifier: MIT */
/*
 * One function per exception: each records the rsp and rip the frame must
 * show (exp_rsp, exp_fault_rip, exp_next_rip), loads markers into rcx and
 * r11, which the frame must carry, and raises its exception at label 1.
 * The exception table resumes at label 2 from either label, so faults and
 * traps both come back. Callable in kernel and in user mode.
 */
#define RCX_MARK 0x00c0c0c0c0c0c0c0
#define R11_MARK 0x0000000011111111

    .text
    .code64

.macro RAISE name, setup, insn, after
    .globl raise_\name
raise_\name:
    push    %rbx
    push    %rbp
    \setup
    lea     1f(%rip), %r10
    mov     %r10, exp_fault_rip(%rip)
    lea     2f(%rip), %r10
    mov     %r10, exp_next_rip(%rip)
    movabs  $RCX_MARK, %rcx
    movabs  $R11_MARK, %r11
    mov     %rsp, exp_rsp(%rip)
1:  \insn
2:  \after
    pop     %rbp
    pop     %rbx
    ret
    .pushsection ex_table, "a"
    .quad   1b, 2b
    .quad   2b, 2b
    .popsection
.endm

RAISE de,        "xor %ebx, %ebx; xor %edx, %edx; mov $1, %eax", "div %rbx"
RAISE icebp,     "", ".byte 0xf1"
RAISE int3,      "", "int3"
RAISE into,      "", ".byte 0xce"
RAISE bound,     "", ".byte 0x62, 0x00"
RAISE ud2,       "", "ud2"
RAISE fnop,      "", "fnop"
RAISE hlt,       "", "hlt"
RAISE cli,       "", "cli"
RAISE sti,       "", "sti"
RAISE noncanon,  "movabs $0x0000800000000000, %rax", "mov (%rax), %rbx"
RAISE ss_noncanon, "movabs $0x0000800000000000, %rbp", "mov (%rbp), %rbx"
RAISE pf_read,   "mov $0x1000, %eax", "mov (%rax), %rbx"
RAISE pf_write,  "mov $0x1000, %eax", "movq $0, (%rax)"
RAISE pf_ro,     "mov ro_page(%rip), %rax", "movq $0, (%rax)"
RAISE mf,        "fninit; fldcw fpu_cw_zm(%rip); fld1; fldz; fdivrp", "fwait", "fnclex; fninit"
RAISE ac,        "pushf; orl $0x40000, (%rsp); popf; lea ac_buf+1(%rip), %rax", \
                 "movl (%rax), %ebx", "pushf; andl $~0x40000, (%rsp); popf"
RAISE ds_np,     "mov $0x0f, %eax", "mov %eax, %ds", "xor %eax, %eax; mov %eax, %ds"
RAISE ss_np,     "mov $0x0f, %eax", "mov %eax, %ss"
RAISE ds_sys,    "mov $0x1f, %eax", "mov %eax, %ds", "xor %eax, %eax; mov %eax, %ds"
RAISE int_21,    "", "int $0x21"
RAISE int_23,    "", "int $0x23"
RAISE int_24,    "", "int $0x24"
RAISE int_80,    "", "int $0x80"

/* Single step: TF set by popf traps after the next instruction. */
    .globl raise_tf
raise_tf:
    push    %rbx
    push    %rbp
    pushf
    orq     $0x100, (%rsp)
    lea     1f(%rip), %r10
    mov     %r10, exp_fault_rip(%rip)
    lea     2f(%rip), %r10
    mov     %r10, exp_next_rip(%rip)
    lea     8(%rsp), %r10
    mov     %r10, exp_rsp(%rip)
    movabs  $RCX_MARK, %rcx
    movabs  $R11_MARK, %r11
    popf
1:  nop
2:  pop     %rbp
    pop     %rbx
    ret
    .pushsection ex_table, "a"
    .quad   2b, 2b
    .popsection

/* An instruction fetch from an unmapped page: the frame's rip is 0x2000. */
    .globl raise_pf_fetch
raise_pf_fetch:
    lea     1f(%rip), %r10
    mov     %r10, exp_next_rip(%rip)
    movq    $0x2000, exp_fault_rip(%rip)
    mov     $0x2000, %eax
    movabs  $RCX_MARK, %rcx
    movabs  $R11_MARK, %r11
    mov     %rsp, exp_rsp(%rip)
    jmp     *%rax
1:  ret
    .pushsection ex_table, "a"
    .quad   0x2000, 1b
    .popsection

/* SYSCALL from user mode: the callback ends user mode with rax. */
    .globl user_syscall
user_syscall:
    lea     2f(%rip), %r10
    mov     %r10, exp_next_rip(%rip)
    lea     1f(%rip), %r10
    mov     %r10, exp_fault_rip(%rip)
    movabs  $RCX_MARK, %rcx
    movabs  $R11_MARK, %r11
    mov     $0x5a5a, %eax
    mov     %rsp, exp_rsp(%rip)
1:  syscall
2:  ud2

    .data
fpu_cw_zm:
    .word   0x037b          /* default 0x037f with ZM (bit 2) clear */
    .balign 16
ac_buf:
    .quad   0, 0
