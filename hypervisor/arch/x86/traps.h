/* SPDX-License-Identifier: MIT */
/* Exceptions as the CPU delivers them: the entry stubs in entry.S build a
 * struct cpu_user_regs and call do_trap() (pv/trap_dispatch.h). */
#ifndef XENOLITH_TRAPS_H
#define XENOLITH_TRAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

/* entry_vector of a frame built by the SYSCALL entry (Xen's TRAP_syscall). */
#define TRAP_SYSCALL 256

#define X86_EXC_DB    1
#define X86_EXC_NMI   2
#define X86_EXC_UD    6
#define X86_EXC_NM    7
#define X86_EXC_DF    8
#define X86_EXC_GP    13
#define X86_EXC_PF    14
#define X86_EXC_MC    18
#define NR_EXCEPTIONS 32

static inline bool guest_mode(const struct cpu_user_regs *regs)
{
    return (regs->cs & 3) != 0;
}

/* The guest frame at the top of the hypervisor stack: the one a return to
 * guest restores. */
struct cpu_user_regs *guest_cpu_user_regs(void);

/* Fixup address for a faulting hypervisor instruction, or 0. */
uint64_t search_exception_table(uint64_t rip);

const char *exception_name(unsigned int vector);
/* A fault in the hypervisor with no fixup: register dump, backtrace, and
 * the machine stops. */
__attribute__((noreturn)) void fatal_trap(struct cpu_user_regs *regs);

#endif
