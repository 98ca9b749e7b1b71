// SPDX-License-Identifier: MIT
/* Compiled to assembly only: the build turns each "->NAME value" marker
 * into a #define in asm-offsets.h, so entry.S never hard-codes a field
 * offset of struct cpu_user_regs. */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include "arch/x86/traps.h"

#define OFFSET(name, type, member) \
    __asm__ volatile("\n.ascii \"->" #name " %c0\"" ::"i"(offsetof(type, member)))
#define VALUE(name, v) __asm__ volatile("\n.ascii \"->" #name " %c0\"" ::"i"(v))

void asm_offsets(void);
void asm_offsets(void)
{
    OFFSET(UREGS_r15, struct cpu_user_regs, r15);
    OFFSET(UREGS_r14, struct cpu_user_regs, r14);
    OFFSET(UREGS_r13, struct cpu_user_regs, r13);
    OFFSET(UREGS_r12, struct cpu_user_regs, r12);
    OFFSET(UREGS_rbp, struct cpu_user_regs, rbp);
    OFFSET(UREGS_rbx, struct cpu_user_regs, rbx);
    OFFSET(UREGS_r11, struct cpu_user_regs, r11);
    OFFSET(UREGS_r10, struct cpu_user_regs, r10);
    OFFSET(UREGS_r9, struct cpu_user_regs, r9);
    OFFSET(UREGS_r8, struct cpu_user_regs, r8);
    OFFSET(UREGS_rax, struct cpu_user_regs, rax);
    OFFSET(UREGS_rcx, struct cpu_user_regs, rcx);
    OFFSET(UREGS_rdx, struct cpu_user_regs, rdx);
    OFFSET(UREGS_rsi, struct cpu_user_regs, rsi);
    OFFSET(UREGS_rdi, struct cpu_user_regs, rdi);
    OFFSET(UREGS_error_code, struct cpu_user_regs, error_code);
    OFFSET(UREGS_entry_vector, struct cpu_user_regs, entry_vector);
    OFFSET(UREGS_rip, struct cpu_user_regs, rip);
    OFFSET(UREGS_cs, struct cpu_user_regs, cs);
    OFFSET(UREGS_rflags, struct cpu_user_regs, rflags);
    OFFSET(UREGS_rsp, struct cpu_user_regs, rsp);
    OFFSET(UREGS_ss, struct cpu_user_regs, ss);
    OFFSET(UREGS_es, struct cpu_user_regs, es);
    VALUE(UREGS_size, sizeof(struct cpu_user_regs));
    /* entry_vector from the error_code slot, where the stubs stand. */
    VALUE(UREGS_vector_from_error, offsetof(struct cpu_user_regs, entry_vector) -
                                       offsetof(struct cpu_user_regs, error_code));
    VALUE(TRAP_SYSCALL, TRAP_SYSCALL);
}
