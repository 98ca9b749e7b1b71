// SPDX-License-Identifier: MIT
/* Hypercall dispatch: a bounds-checked table indexed by the number in rax.
 * Every number without a handler answers -ENOSYS, as Xen does. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "domain.h"
#include "hypercall.h"

#define NR_HYPERCALLS 64

static hypercall_fn *const hypercall_table[NR_HYPERCALLS] = {
    [__HYPERVISOR_update_va_mapping] = do_update_va_mapping,
    [__HYPERVISOR_console_io]        = do_console_io,
    [__HYPERVISOR_xen_version]       = do_xen_version,
    [__HYPERVISOR_sched_op]          = do_sched_op,
};

void do_hypercall(struct cpu_user_regs *regs)
{
    uint64_t nr = regs->rax;
    hypercall_fn *fn = nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;

    if (!fn) {
        regs->rax = (uint64_t)-XEN_ENOSYS;
        return;
    }
    regs->rax = (uint64_t)fn(regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8);
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
