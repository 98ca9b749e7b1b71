/* SPDX-License-Identifier: MIT */
/*
 * One function per exception the guest raises in its own kernel mode.
 * Each faulting instruction carries a global *_insn label so the guest can
 * print the exact rip the hypervisor must report.
 */
#define PF_ADDR 0x1000          /* low half: never mapped at start of day */

    .section .text.faults, "ax", @progbits
    .code64

.macro fault name:req
    .globl raise_\name, raise_\name\()_insn
raise_\name:
raise_\name\()_insn:
.endm

    fault ud
    ud2
    ret

    /* hlt is privileged: at CPL3 it is #GP(0). */
    fault gp
    hlt
    ret

    fault pf
    movl    $0, PF_ADDR
    ret

    /* The divisor is zeroed in the instruction before the label, so the
     * faulting one is the div. */
    .globl raise_de, raise_de_insn
raise_de:
    xor     %ecx, %ecx
    xor     %edx, %edx
raise_de_insn:
    div     %ecx
    ret

    /* raise_ptwr(entry, value): a store to a read-only page-table entry
     * that the hypervisor's emulation must refuse. */
    fault ptwr
    movq    %rsi, (%rdi)
    ret

    /* A plain load from the address in %rdi (the shadow LDT area). */
    fault ldt_read
    mov     (%rdi), %rax
    ret
