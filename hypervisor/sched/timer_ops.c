// SPDX-License-Identifier: MIT
/* Guest timers: set_timer_op and the timer sub-ops of vcpu_op (the
 * single-shot timer they share, and the periodic one), all delivering
 * VIRQ_TIMER. Times are ns of system time (vcpu_time_info). */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/vcpu.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "hypercall/hypercall.h"
#include "sched/sched.h"
#include "arch/x86/clock.h"
#include "arch/x86/uaccess.h"

#define MS_NS           1000000ULL
#define HUGE_TIMEOUT_NS (1ULL << 50) /* Xen's "wrapped Linux jiffies" guard */

static void arm(struct vcpu *v, uint64_t deadline)
{
    v->timer_deadline = deadline ? deadline : 1; /* 0 means disarmed */
    sched_reprogram();
}

/* 0 cancels. A timeout absurdly far ahead fires in 100 ms instead, as Xen
 * does for guests whose timer arithmetic wrapped. */
long do_set_timer_op(uint64_t timeout, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
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

long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a4, uint64_t a5)
{
    struct vcpu *v = current_vcpu();

    if ((uint32_t)vcpuid != 0)
        return -XEN_ENOENT; /* one vCPU per domain */
    switch ((int)cmd) {
    case VCPUOP_is_up:
        return 1;
    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer set;
        if (copy_from_guest(&set, arg, sizeof(set)))
            return -XEN_EFAULT;
        /* Xen's bounds: 1 ms and STIME_DELTA_MAX (2^62 - 1). */
        if (set.period_ns < MS_NS || set.period_ns > (1ULL << 62) - 1)
            return -XEN_EINVAL;
        v->periodic_period = set.period_ns;
        v->periodic_next = time_now_ns() + set.period_ns;
        sched_reprogram();
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        v->periodic_period = 0;
        return 0;
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer set;
        if (copy_from_guest(&set, arg, sizeof(set)))
            return -XEN_EFAULT;
        /* Xen 4.17 ignores VCPU_SSHOTTMR_future: a past deadline fires now. */
        arm(v, set.timeout_abs_ns);
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        v->timer_deadline = 0;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
