// SPDX-License-Identifier: MIT
/* Exceptions and interrupts. A guest's exception goes to Xenolith's own
 * handling first (LDT, page-table writes, emulation), then to the guest's
 * trap table; a hypervisor fault is either a guest access with a fixup
 * (copy_*_guest) or fatal. */
#include <stdint.h>
#include <xen/xen.h>
#include "console/log.h"
#include "arch/x86/cpu.h"
#include "pv/descriptor.h"
#include "domain/domain.h"
#include "arch/x86/panic.h"
#include "pv/priv_op.h"
#include "pv/ptwr.h"
#include "console/serial.h"
#include "pv/trap_bounce.h"
#include "arch/x86/machine_exit.h"
#include "arch/x86/clock.h"
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

/*
 * An exception from the guest: Xenolith's own business first (page-table
 * writes, emulated instructions), then the guest's trap table; a guest
 * without a handler for it is crashed, as Xen crashes it.
 */
static void guest_exception(struct cpu_user_regs *regs)
{
    struct vcpu *v = current_vcpu();
    struct domain *d = v->domain;
    unsigned int vec = regs->entry_vector;
    uint64_t cr2 = vec == X86_EXC_PF ? read_cr2() : 0;

    if (vec == X86_EXC_PF && (ldt_fault(v, regs, &cr2) || ptwr_emulate(regs, cr2)))
        return;
    if ((vec == X86_EXC_GP || vec == X86_EXC_UD) && priv_op_emulate(v, regs))
        return;
    if (vec == X86_EXC_NM && v->fpu_ts) {
        /* The guest's lazy FPU switch: its TS is cleared as it gets #NM. */
        v->fpu_ts = false;
        write_cr0(read_cr0() & ~X86_CR0_TS);
    }
    if (bounce_exception(v, regs, vec, true, cr2) || d->is_shutting_down)
        return;

    if (vec == X86_EXC_PF)
        domain_crash(d, "unhandled exception %u (%s) at rip %#llx, error code %#x, cr2 %#llx", vec,
                     exception_name(vec), (unsigned long long)regs->rip, regs->error_code,
                     (unsigned long long)cr2);
    else
        domain_crash(d, "unhandled exception %u (%s) at rip %#llx, error code %#x", vec,
                     exception_name(vec), (unsigned long long)regs->rip, regs->error_code);
}

static __attribute__((noreturn)) void fatal_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    console_puts("(xenolith) FATAL TRAP in the hypervisor:\n");
    printk(LOG_ERR, "vector %u (%s)\n", vec, exception_name(vec));
    dump_registers(regs);
    dump_backtrace(regs->rip, regs->rbp);
    machine_exit(EXIT_STATUS_PANIC);
}

void do_trap(struct cpu_user_regs *regs)
{
    uint64_t fixup;

    if (regs->entry_vector == TIMER_VECTOR) {
        time_interrupt();
        return;
    }
    if (regs->entry_vector == SERIAL_VECTOR) {
        serial_interrupt();
        cpu_pic_eoi(SERIAL_IRQ);
        return;
    }
    if (regs->entry_vector == SPURIOUS_VECTOR) {
        log_warn("spurious interrupt ignored\n");
        return;
    }
    if (regs->entry_vector == X86_EXC_DB && !guest_mode(regs)) {
        /* A guest's TF leaking into syscall_entry: drop the step. */
        regs->rflags &= ~X86_EFLAGS_TF;
        return;
    }
    if (regs->entry_vector == X86_EXC_NMI) {
        log_warn("NMI received (rip %#llx)\n", (unsigned long long)regs->rip);
        return;
    }
    if (guest_mode(regs) && regs->entry_vector != X86_EXC_DF && regs->entry_vector != X86_EXC_MC) {
        guest_exception(regs);
        return;
    }
    fixup = search_exception_table(regs->rip);
    if (fixup && regs->entry_vector != X86_EXC_DF) {
        regs->rip = fixup;
        return;
    }
    fatal_trap(regs);
}
