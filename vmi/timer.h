/* SPDX-License-Identifier: MIT */
/*
 * One-shot timers: HYPERVISOR_set_timer_op (absolute system time in ns, 0
 * cancels) and the VCPUOP_* timer sub-ops of HYPERVISOR_vcpu_op. Expiry
 * raises VIRQ_TIMER.
 */
#ifndef VMI_TIMER_H
#define VMI_TIMER_H

#include <vmi/hypercall.h>
#include <xen/vcpu.h>

static inline long hypercall_set_timer_op(uint64_t deadline_ns)
{
    return hypercall2(__HYPERVISOR_set_timer_op, deadline_ns, 0);
}

static inline long hypercall_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpu, (unsigned long)arg);
}

static inline long vcpu_set_singleshot_timer(unsigned int vcpu, uint64_t deadline_ns)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline_ns };

    return hypercall_vcpu_op(VCPUOP_set_singleshot_timer, vcpu, &t);
}

/* Xen starts each vCPU with a periodic VIRQ_TIMER; a one-shot user stops it. */
static inline long vcpu_stop_periodic_timer(unsigned int vcpu)
{
    return hypercall_vcpu_op(VCPUOP_stop_periodic_timer, vcpu, 0);
}

#endif
