// SPDX-License-Identifier: MIT
/* What every exception needs from the CPU layer: the vectors' names, the
 * guest frame, the exception table of Xenolith's guest accesses and the
 * fatal end of a hypervisor fault. What an exception or interrupt means is
 * decided above, in pv/trap_dispatch.c. */
#include <stdint.h>
#include <xen/xen.h>
#include "console/log.h"
#include "arch/x86/panic.h"
#include "arch/x86/machine_exit.h"
#include "arch/x86/traps.h"
#include "arch/x86/x86.h"

struct exception_table_entry {
    uint64_t insn, fixup;
};

extern const struct exception_table_entry __ex_table_start[], __ex_table_end[];
extern char hv_stack_top[];

static const char *const exception_names[NR_EXCEPTIONS] = {
    [0] = "#DE divide error",
    [1] = "#DB debug",
    [2] = "NMI",
    [3] = "#BP breakpoint",
    [4] = "#OF overflow",
    [5] = "#BR bound range",
    [6] = "#UD invalid opcode",
    [7] = "#NM device not available",
    [8] = "#DF double fault",
    [9] = "coprocessor segment overrun",
    [10] = "#TS invalid TSS",
    [11] = "#NP segment not present",
    [12] = "#SS stack fault",
    [13] = "#GP general protection",
    [14] = "#PF page fault",
    [16] = "#MF x87 error",
    [17] = "#AC alignment check",
    [18] = "#MC machine check",
    [19] = "#XM SIMD error",
    [20] = "#VE",
    [21] = "#CP control protection",
};

const char *exception_name(unsigned int vector)
{
    if (vector < NR_EXCEPTIONS && exception_names[vector])
        return exception_names[vector];
    return "reserved vector";
}

struct cpu_user_regs *guest_cpu_user_regs(void)
{
    return (struct cpu_user_regs *)((uintptr_t)hv_stack_top - sizeof(struct cpu_user_regs));
}

uint64_t search_exception_table(uint64_t rip)
{
    for (const struct exception_table_entry *e = __ex_table_start; e < __ex_table_end; e++)
        if (e->insn == rip)
            return e->fixup;
    return 0;
}

void fatal_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    console_puts("(xenolith) FATAL TRAP in the hypervisor:\n");
    printk(LOG_ERR, "vector %u (%s)\n", vec, exception_name(vec));
    dump_registers(regs);
    dump_backtrace(regs->rip, regs->rbp);
    machine_exit(EXIT_STATUS_PANIC);
}
