/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_sched_op: yield, block and shut the domain down. */
#ifndef VMI_SCHED_OP_H
#define VMI_SCHED_OP_H

#include <vmi/hypercall.h>
#include <stdint.h>
#include <xen/sched.h>

static inline long hypercall_sched_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, (unsigned long)cmd, (unsigned long)arg);
}

/* reason: SHUTDOWN_*. Returns only on failure. */
static inline long sched_shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    return hypercall_sched_op(SCHEDOP_shutdown, &s);
}

/* Sleeps until an event is pending; unmasks events atomically first, so
 * one that arrived after the caller checked its work still wakes it. */
static inline long sched_block(void)
{
    return hypercall_sched_op(SCHEDOP_block, 0);
}

static inline long sched_yield_vcpu(void)
{
    return hypercall_sched_op(SCHEDOP_yield, 0);
}

#endif
