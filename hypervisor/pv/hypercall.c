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

static hypercall_fn *const hypercall_table[NR_HYPERCALLS] = {
    [__HYPERVISOR_set_trap_table] = do_set_trap_table,
    [__HYPERVISOR_mmu_update] = do_mmu_update,
    [__HYPERVISOR_set_gdt] = do_set_gdt,
    [__HYPERVISOR_stack_switch] = do_stack_switch,
    [__HYPERVISOR_set_callbacks] = do_set_callbacks,
    [__HYPERVISOR_fpu_taskswitch] = do_fpu_taskswitch,
    [__HYPERVISOR_iret] = do_iret,
    [__HYPERVISOR_set_segment_base] = do_set_segment_base,
    [__HYPERVISOR_callback_op] = do_callback_op,
    [__HYPERVISOR_update_descriptor] = do_update_descriptor,
    [__HYPERVISOR_memory_op] = do_memory_op,
    [__HYPERVISOR_multicall] = do_multicall,
    [__HYPERVISOR_update_va_mapping] = do_update_va_mapping,
    [__HYPERVISOR_set_timer_op] = do_set_timer_op,
    [__HYPERVISOR_vcpu_op] = do_vcpu_op,
    [__HYPERVISOR_event_channel_op] = do_event_channel_op,
    [__HYPERVISOR_vm_assist] = do_vm_assist,
    [__HYPERVISOR_mmuext_op] = do_mmuext_op,
    [__HYPERVISOR_console_io] = do_console_io,
    [__HYPERVISOR_xen_version] = do_xen_version,
    [__HYPERVISOR_sched_op] = do_sched_op,
    [__HYPERVISOR_grant_table_op] = do_grant_table_op,
};

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
