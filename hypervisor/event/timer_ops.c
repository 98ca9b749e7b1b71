// SPDX-License-Identifier: MIT
/* Guest timers: set_timer_op and the timer sub-ops of vcpu_op (the
 * single-shot timer they share, and the periodic one), all delivering
 * VIRQ_TIMER. Times are ns of system time (vcpu_time_info). */
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/vcpu.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "hypercall/hypercall.h"
#include "sched/sched.h"
#include "arch/x86/clock.h"
#include "arch/x86/uaccess.h"
#include "common/array_size.h"

#define MS_NS           1000000ULL
#define HUGE_TIMEOUT_NS (1ULL << 50) /* Xen's "wrapped Linux jiffies" guard */

static void arm(struct vcpu *v, uint64_t deadline)
{
    v->timer_deadline = deadline ? deadline : 1; /* 0 means disarmed */
    sched_reprogram();
}

/* 0 cancels. A timeout absurdly far ahead fires in 100 ms instead, as Xen
 * does for guests whose timer arithmetic wrapped. */
long do_set_timer_op(uint64_t timeout)
{
    struct vcpu *v = current_vcpu();
    uint64_t now = time_now_ns();

    if (!timeout) {
        v->timer_deadline = 0;
        return 0;
    }
    if (timeout > now && timeout - now >= HUGE_TIMEOUT_NS)
        timeout = now + 100 * MS_NS;
    arm(v, timeout);
    return 0;
}

static long vcpu_is_up(struct vcpu *v, const void *arg)
{
    return 1;
}

static long vcpu_set_periodic(struct vcpu *v, const void *arg)
{
    const struct vcpu_set_periodic_timer *set = arg;

    /* Xen's bounds: 1 ms and STIME_DELTA_MAX (2^62 - 1). */
    if (set->period_ns < MS_NS || set->period_ns > (1ULL << 62) - 1)
        return -XEN_EINVAL;
    v->periodic_period = set->period_ns;
    v->periodic_next = time_now_ns() + set->period_ns;
    sched_reprogram();
    return 0;
}

static long vcpu_stop_periodic(struct vcpu *v, const void *arg)
{
    v->periodic_period = 0;
    return 0;
}

static long vcpu_set_singleshot(struct vcpu *v, const void *arg)
{
    const struct vcpu_set_singleshot_timer *set = arg;

    /* Xen 4.17 ignores VCPU_SSHOTTMR_future: a past deadline fires now. */
    arm(v, set->timeout_abs_ns);
    return 0;
}

static long vcpu_stop_singleshot(struct vcpu *v, const void *arg)
{
    v->timer_deadline = 0;
    return 0;
}

/* The sub-ops of vcpu_op Xenolith implements, each with the argument it
 * reads, copied in before it runs (an unreadable one is -EFAULT). The
 * others are -ENOSYS (docs/abi.md, vcpu_op). */
static const struct vcpu_subop {
    long (*fn)(struct vcpu *v, const void *arg);
    size_t size;
} vcpu_subops[] = {
    [VCPUOP_is_up] = { vcpu_is_up, 0 },
    [VCPUOP_set_periodic_timer] = { vcpu_set_periodic, sizeof(struct vcpu_set_periodic_timer) },
    [VCPUOP_stop_periodic_timer] = { vcpu_stop_periodic, 0 },
    [VCPUOP_set_singleshot_timer] = { vcpu_set_singleshot,
                                      sizeof(struct vcpu_set_singleshot_timer) },
    [VCPUOP_stop_singleshot_timer] = { vcpu_stop_singleshot, 0 },
};

union vcpu_op_arg {
    struct vcpu_set_periodic_timer periodic;
    struct vcpu_set_singleshot_timer singleshot;
};

long do_vcpu_op(int c, unsigned int vcpuid, uint64_t arg)
{
    const struct vcpu_subop *op;
    union vcpu_op_arg buf;

    if (vcpuid != 0)
        return -XEN_ENOENT; /* one vCPU per domain */
    if (c < 0 || (unsigned int)c >= ARRAY_SIZE(vcpu_subops) || !vcpu_subops[c].fn)
        return -XEN_ENOSYS;
    op = &vcpu_subops[c];
    if (op->size && copy_from_guest(&buf, arg, op->size))
        return -XEN_EFAULT;
    return op->fn(current_vcpu(), &buf);
}
