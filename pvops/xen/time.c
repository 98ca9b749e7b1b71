// SPDX-License-Identifier: MIT
// Xen PV time: the clock is vcpu_time_info's system time extrapolated with
// the TSC, the wall clock shared_info's wc_* plus system time, and the
// one-shot timer set_timer_op raising VIRQ_TIMER on a bound event channel.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <drivers/tsc.h>
#include <vmi/event_channel_op.h>
#include <vmi/timer.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>

static uint64_t boot_system_time;
static evtchn_port_t timer_port;

/*
 * The version protocol: odd means Xen is mid-update; a changed version
 * means the fields were torn. The barriers order the field reads between
 * the two version reads (x86 keeps loads in order; the compiler must too).
 */
static uint64_t system_time(void)
{
    const volatile struct vcpu_time_info *t = &xenpv_vcpu->time;
    uint32_t version;
    uint64_t ns;

    if (!xenpv_shared_info)
        return 0;
    do {
        struct tsc_scale scale;
        uint64_t stamp;

        version = t->version;
        asm volatile("" : : : "memory");
        stamp = t->tsc_timestamp;
        scale.mul = t->tsc_to_system_mul;
        scale.shift = t->tsc_shift;
        ns = t->system_time + tsc_scale_delta(tsc_read() - stamp, &scale);
        asm volatile("" : : : "memory");
    } while ((version & 1) || version != t->version);
    return ns;
}

static uint64_t xenpv_now_ns(void)
{
    return system_time() - boot_system_time;
}

static int xenpv_wallclock(uint64_t *unix_ns)
{
    const volatile shared_info_t *s = xenpv_shared_info;
    uint32_t version;
    uint64_t sec, nsec;

    if (!s)
        return -XEN_ENODEV;
    do {
        version = s->wc_version;
        asm volatile("" : : : "memory");
        sec = s->wc_sec | ((uint64_t)s->wc_sec_hi << 32);
        nsec = s->wc_nsec;
        asm volatile("" : : : "memory");
    } while ((version & 1) || version != s->wc_version);
    if (sec == 0)
        return -XEN_ENODEV;
    /* wc_* is the wall time at system time 0. */
    *unix_ns = sec * 1000000000ULL + nsec + system_time();
    return 0;
}

static void timer_event(struct pv_trap_frame *f)
{
    xenpv_deliver(f, PV_VECTOR_TIMER);
}

static int xenpv_timer_init(void)
{
    long rc;

    if (!xenpv_vcpu->time.tsc_to_system_mul) {
        xenpv_missing("vcpu_time_info", -XEN_ENOSYS);
        return -XEN_ENOSYS;
    }
    /* set_timer_op(0) only cancels: a harmless probe for support. */
    rc = hypercall_set_timer_op(0);
    if (rc < 0) {
        xenpv_missing("set_timer_op", rc);
        return (int)rc;
    }
    rc = evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port);
    if (rc < 0) {
        xenpv_missing("event_channel_op(bind_virq)", rc);
        return (int)rc;
    }
    /* Only one-shot deadlines from here on; a hypervisor without the
     * periodic timer has nothing to stop. */
    vcpu_stop_periodic_timer(0);
    return xenpv_bind_port(timer_port, timer_event);
}

static int xenpv_timer_set(uint64_t deadline_ns)
{
    /* 0 would cancel: a deadline of boot itself is long past anyway. */
    return (int)hypercall_set_timer_op(deadline_ns + boot_system_time + 1);
}

void xenpv_time_init(void)
{
    boot_system_time = system_time();
}

const struct pv_time_ops xenpv_time_ops = {
    .now_ns = xenpv_now_ns,
    .wallclock = xenpv_wallclock,
    .timer_init = xenpv_timer_init,
    .timer_set = xenpv_timer_set,
};
