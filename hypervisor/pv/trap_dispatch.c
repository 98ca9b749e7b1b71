// SPDX-License-Identifier: MIT
/* What an exception or interrupt means. entry.S calls do_trap() for every
 * vector: the timer and serial interrupts go to their handlers, a guest's
 * exception to Xenolith's own handling first (LDT, page-table writes,
 * emulation) and then to the guest's trap table; a hypervisor fault is
 * either a guest access with a fixup (copy_*_guest) or fatal. */
#include <stdint.h>
#include <xen/xen.h>
#include "console/log.h"
#include "console/serial.h"
#include "arch/x86/clock.h"
#include "arch/x86/cpu.h"
#include "arch/x86/traps.h"
#include "arch/x86/x86.h"
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "sched/sched.h"
#include "event/guest_timers.h"
#include "mm/descriptor.h"
#include "pv/priv_op.h"
#include "pv/trap_dispatch.h"
#include "pv/ptwr.h"
#include "pv/trap_bounce.h"

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

/* The one timer: the guests' timers first (an expired one may wake a
 * vCPU), then the scheduler's tick. */
static void timer_interrupt(void)
{
    uint64_t now = time_interrupt();

    guest_timers_fire(now);
    sched_tick(now);
}

void do_trap(struct cpu_user_regs *regs)
{
    uint64_t fixup;

    if (regs->entry_vector == TIMER_VECTOR) {
        timer_interrupt();
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
