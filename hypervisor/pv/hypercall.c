// SPDX-License-Identifier: MIT
/* Hypercall dispatch: a bounds-checked table indexed by the number in rax.
 * Every number without a handler answers -ENOSYS, as Xen does. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "hypercall/hypercall.h"
#include "pv/trap_bounce.h"
#include "arch/x86/traps.h"

#define NR_HYPERCALLS 64

/* One entry per hypercall: the registers narrowed to the handler's typed
 * prototype (hypercall.h), written once here, as NOVA's argument accessors
 * do it once per call. An entry is a direct jump into its handler. */
#define HC_REGS uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5
#define HYPERCALL0(nm)           \
    static long hc_##nm(HC_REGS) \
    {                            \
        return do_##nm();        \
    }
#define HYPERCALL1(nm, t1)       \
    static long hc_##nm(HC_REGS) \
    {                            \
        return do_##nm((t1)a1);  \
    }
#define HYPERCALL2(nm, t1, t2)          \
    static long hc_##nm(HC_REGS)        \
    {                                   \
        return do_##nm((t1)a1, (t2)a2); \
    }
#define HYPERCALL3(nm, t1, t2, t3)              \
    static long hc_##nm(HC_REGS)                \
    {                                           \
        return do_##nm((t1)a1, (t2)a2, (t3)a3); \
    }
#define HYPERCALL4(nm, t1, t2, t3, t4)                  \
    static long hc_##nm(HC_REGS)                        \
    {                                                   \
        return do_##nm((t1)a1, (t2)a2, (t3)a3, (t4)a4); \
    }

/* clang-format off */
HYPERCALL1(set_trap_table, uint64_t)
HYPERCALL4(mmu_update, uint64_t, unsigned int, uint64_t, unsigned int)
HYPERCALL2(set_gdt, uint64_t, unsigned int)
HYPERCALL2(stack_switch, uint64_t, uint64_t)
HYPERCALL3(set_callbacks, uint64_t, uint64_t, uint64_t)
HYPERCALL1(fpu_taskswitch, int)
HYPERCALL0(iret)
HYPERCALL2(set_segment_base, unsigned int, uint64_t)
HYPERCALL2(callback_op, int, uint64_t)
HYPERCALL2(update_descriptor, uint64_t, uint64_t)
HYPERCALL2(memory_op, uint64_t, uint64_t)
HYPERCALL2(multicall, uint64_t, unsigned int)
HYPERCALL3(update_va_mapping, uint64_t, uint64_t, uint64_t)
HYPERCALL1(set_timer_op, uint64_t)
HYPERCALL3(vcpu_op, int, unsigned int, uint64_t)
HYPERCALL2(event_channel_op, int, uint64_t)
HYPERCALL2(vm_assist, unsigned int, unsigned int)
HYPERCALL4(mmuext_op, uint64_t, unsigned int, uint64_t, unsigned int)
HYPERCALL3(console_io, int, unsigned int, uint64_t)
HYPERCALL2(xen_version, int, uint64_t)
HYPERCALL2(sched_op, int, uint64_t)
HYPERCALL3(grant_table_op, unsigned int, uint64_t, unsigned int)

#define ENTRY(nm) [__HYPERVISOR_##nm] = hc_##nm

static hypercall_fn *const hypercall_table[NR_HYPERCALLS] = {
    ENTRY(set_trap_table),
    ENTRY(mmu_update),
    ENTRY(set_gdt),
    ENTRY(stack_switch),
    ENTRY(set_callbacks),
    ENTRY(fpu_taskswitch),
    ENTRY(iret),
    ENTRY(set_segment_base),
    ENTRY(callback_op),
    ENTRY(update_descriptor),
    ENTRY(memory_op),
    ENTRY(multicall),
    ENTRY(update_va_mapping),
    ENTRY(set_timer_op),
    ENTRY(vcpu_op),
    ENTRY(event_channel_op),
    ENTRY(vm_assist),
    ENTRY(mmuext_op),
    ENTRY(console_io),
    ENTRY(xen_version),
    ENTRY(sched_op),
    ENTRY(grant_table_op),
};
/* clang-format on */

long hypercall_dispatch(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5)
{
    hypercall_fn *fn = nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;

    return fn ? fn(a1, a2, a3, a4, a5) : -XEN_ENOSYS;
}

/* A SYSCALL from guest user mode is not a hypercall: it goes to the
 * guest kernel's syscall callback (or, without one, the guest gets #UD). */
static void syscall_from_user(struct vcpu *v, struct cpu_user_regs *regs)
{
    if (v->syscall_callback) {
        bounce_to_guest(v, regs, v->syscall_callback,
                        v->syscall_masks_events ? BOUNCE_MASK_EVENTS : 0);
        return;
    }
    regs->entry_vector = X86_EXC_UD;
    if (!bounce_exception(v, regs, X86_EXC_UD, false, 0))
        domain_crash(v->domain, "SYSCALL from user mode with no syscall callback");
}

/* SYSCALL is two bytes: rewinding rip onto it re-issues the hypercall
 * with the continuation's arguments when the guest next runs, after any
 * event it is owed (its handler returns to the SYSCALL, as from an
 * interrupt). */
#define SYSCALL_INSN_LEN 2

void do_hypercall(struct cpu_user_regs *regs)
{
    struct vcpu *v = current_vcpu();
    struct continuation c;

    if (v->user_mode) {
        syscall_from_user(v, regs);
        return;
    }
    continuation_reset();
    regs->rax = (uint64_t)hypercall_dispatch(regs->rax, regs->rdi, regs->rsi, regs->rdx, regs->r10,
                                             regs->r8);
    if (continuation_take(&c)) {
        regs->rax = c.op;
        regs->rdi = c.args[0];
        regs->rsi = c.args[1];
        regs->rdx = c.args[2];
        regs->r10 = c.args[3];
        regs->r8 = c.args[4];
        regs->rip -= SYSCALL_INSN_LEN;
    }
}

void do_compat_syscall(struct cpu_user_regs *regs)
{
    domain_crash(current_domain(), "SYSCALL from 32-bit compatibility mode at rip %#llx",
                 (unsigned long long)regs->rip);
}

void bad_guest_frame(struct cpu_user_regs *regs)
{
    domain_crash(current_domain(), "the CPU refused its return frame (rip %#llx, cs %#x)",
                 (unsigned long long)regs->rip, regs->cs);
}
