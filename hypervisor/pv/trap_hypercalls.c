// SPDX-License-Identifier: MIT
/*
 * The hypercalls that set up trap virtualization: set_trap_table,
 * set_callbacks, callback_op, stack_switch, fpu_taskswitch,
 * set_segment_base and iret, with Xen's semantics and errnos.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "hypercall/hypercall.h"
#include "sched/sched.h"
#include "pv/trap_bounce.h"
#include "arch/x86/traps.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"
#include "common/array_size.h"

/* A NULL table clears every entry; otherwise entries are read until one
 * with address 0, each replacing the vector it names. The table has no
 * length, so the walk is preemptible after every entry, as in Xen: the
 * continuation starts at the next one. */
long do_set_trap_table(uint64_t traps)
{
    struct vcpu *v = current_vcpu();

    if (!traps) {
        memset(v->trap_ctxt, 0, sizeof(v->trap_ctxt));
        return 0;
    }
    for (;; traps += sizeof(trap_info_t)) {
        trap_info_t ti;

        if (copy_from_guest(&ti, traps, sizeof(ti)))
            return -XEN_EFAULT;
        if (!ti.address)
            return 0;
        if (!is_canonical(ti.address))
            return -XEN_EINVAL;
        v->trap_ctxt[ti.vector] = ti;
        if (hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_set_trap_table,
                                                 traps + sizeof(trap_info_t), 0, 0, 0, 0);
    }
}

static long register_callback(struct vcpu *v, const struct callback_register *reg)
{
    bool mask = reg->flags & CALLBACKF_mask_events;

    if (!is_canonical(reg->address))
        return -XEN_EINVAL;
    switch (reg->type) {
    case CALLBACKTYPE_event:
        v->event_callback = reg->address;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->failsafe_callback = reg->address;
        v->failsafe_masks_events = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        v->syscall_callback = reg->address;
        v->syscall_masks_events = mask;
        return 0;
    case CALLBACKTYPE_syscall32:
        v->syscall32_callback = reg->address;
        v->syscall32_masks_events = mask;
        return 0;
    case CALLBACKTYPE_sysenter:
        v->sysenter_callback = reg->address;
        v->sysenter_masks_events = mask;
        return 0;
    case CALLBACKTYPE_nmi:
        v->nmi_callback = reg->address;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* Only the NMI callback can be unregistered; the others are replaced. */
static long unregister_callback(struct vcpu *v, const struct callback_unregister *unreg)
{
    switch (unreg->type) {
    case CALLBACKTYPE_event:
    case CALLBACKTYPE_failsafe:
    case CALLBACKTYPE_syscall:
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        return -XEN_EINVAL;
    case CALLBACKTYPE_nmi:
        v->nmi_callback = 0;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

static long callback_register_op(struct vcpu *v, const void *arg)
{
    return register_callback(v, arg);
}

static long callback_unregister_op(struct vcpu *v, const void *arg)
{
    return unregister_callback(v, arg);
}

/* callback_op's sub-ops with the argument each reads, copied in first (an
 * unreadable one is -EFAULT), as evtchn_op's table. */
static const struct callback_subop {
    long (*fn)(struct vcpu *v, const void *arg);
    size_t size;
} callback_subops[] = {
    [CALLBACKOP_register] = { callback_register_op, sizeof(struct callback_register) },
    [CALLBACKOP_unregister] = { callback_unregister_op, sizeof(struct callback_unregister) },
};

union callback_op_arg {
    struct callback_register reg;
    struct callback_unregister unreg;
};

long do_callback_op(int c, uint64_t arg)
{
    const struct callback_subop *op;
    union callback_op_arg buf;

    if (c < 0 || (unsigned int)c >= ARRAY_SIZE(callback_subops) || !callback_subops[c].fn)
        return -XEN_ENOSYS;
    op = &callback_subops[c];
    if (copy_from_guest(&buf, arg, op->size))
        return -XEN_EFAULT;
    return op->fn(current_vcpu(), &buf);
}

long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
    struct vcpu *v = current_vcpu();
    struct callback_register regs[] = {
        { .type = CALLBACKTYPE_event, .address = event },
        { .type = CALLBACKTYPE_failsafe, .address = failsafe },
        { .type = CALLBACKTYPE_syscall, .address = syscall },
    };

    /* Xen ignores each registration's result here. */
    for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++)
        (void)register_callback(v, &regs[i]);
    return 0;
}

long do_stack_switch(uint64_t ss, uint64_t sp)
{
    struct vcpu *v = current_vcpu();

    v->kernel_ss = (uint16_t)(ss | 3);
    v->kernel_sp = sp;
    return 0;
}

long do_fpu_taskswitch(int set)
{
    struct vcpu *v = current_vcpu();

    v->fpu_ts = set != 0;
    write_cr0(v->fpu_ts ? (read_cr0() | X86_CR0_TS) : (read_cr0() & ~X86_CR0_TS));
    return 0;
}

/* The running vCPU's bases live in the MSRs: write the one named. */
long do_set_segment_base(unsigned int which, uint64_t base)
{
    struct vcpu *v = current_vcpu();
    uint32_t msr;

    switch (which) {
    case SEGBASE_FS:
        msr = MSR_FS_BASE;
        break;
    case SEGBASE_GS_USER:
        msr = v->user_mode ? MSR_GS_BASE : MSR_KERNEL_GS_BASE;
        break;
    case SEGBASE_GS_KERNEL:
        msr = v->user_mode ? MSR_KERNEL_GS_BASE : MSR_GS_BASE;
        break;
    case SEGBASE_GS_USER_SEL:
        /* Loading a flat selector into the user %gs resets its base. */
        msr = v->user_mode ? MSR_GS_BASE : MSR_KERNEL_GS_BASE;
        base = 0;
        break;
    default:
        return -XEN_EINVAL;
    }
    if (!is_canonical(base))
        return -XEN_EINVAL;
    wrmsr(msr, base);
    return 0;
}

/*
 * HYPERVISOR_iret: the guest pushed a struct iret_context and called entry
 * 23, so its %rsp points at it. A CS with RPL 3 returns to user mode. Only
 * with VGCF_in_syscall set is the return a SYSRET (rcx/r11 not restored).
 */
long do_iret(void)
{
    struct vcpu *v = current_vcpu();
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    struct iret_context ctx;

    if (copy_from_guest(&ctx, regs->rsp, sizeof(ctx))) {
        domain_crash(v->domain, "iret: cannot read the iret context at %#llx",
                     (unsigned long long)regs->rsp);
        return 0;
    }
    if ((ctx.cs & 3) == 3) {
        if (!v->guest_table_user) {
            domain_crash(v->domain, "iret: switching to user mode without user page tables");
            return 0;
        }
        if (!v->user_mode)
            toggle_guest_mode(v);
    }
    regs->rip = ctx.rip;
    regs->cs = ctx.cs | 3;
    regs->rflags = (ctx.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
    regs->rsp = ctx.rsp;
    regs->ss = ctx.ss | 3;
    if (!(ctx.flags & VGCF_in_syscall)) {
        regs->entry_vector = 0;
        regs->r11 = ctx.r11;
        regs->rcx = ctx.rcx;
    }
    vcpu_info_of(v)->evtchn_upcall_mask = !(ctx.rflags & X86_EFLAGS_IF);
    /* Unmasking may let a pending event through on the way out. */
    return (long)ctx.rax;
}
