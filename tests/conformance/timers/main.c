// SPDX-License-Identifier: MIT
/*
 * timers: vcpu_time_info (version protocol, monotonic, advancing with the
 * TSC), the wall clock, set_timer_op (future, past, cancel), the
 * single-shot and periodic VCPUOP timers, VCPUOP_is_up and bad vCPU ids.
 * VIRQ_TIMER is bound to a port and waited for with SCHEDOP_block.
 * Tolerances: a 10 ms timer must fire no earlier than 9.9 ms (Xen's
 * 50 us timer slop) and within 60 ms under QEMU TCG; the test prints what
 * it measured. Expected errnos are Xen 4.17's.
 */
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "timers";

#define MS          1000000UL
#define EARLY_SLACK 100000UL /* 0.1 ms: Xen fires up to timer_slop early */
#define LATE_LIMIT  (60 * MS)

static evtchn_port_t timer_port;

/* Unmask for one hypercall's return, where a pending upcall runs. */
static void deliver_pending(void)
{
    vcpu0()->evtchn_upcall_mask = 0;
    hc_sched_op(SCHEDOP_yield, NULL);
    vcpu0()->evtchn_upcall_mask = 1;
}

/*
 * Sleeps in SCHEDOP_poll on the timer port (with a timeout, so a timer
 * that never fires cannot hang the test) until VIRQ_TIMER is delivered or
 * `limit` ns pass; returns the time from `start` to the delivery, or 0.
 * A periodic-only wait must spin instead: Xen stops a vCPU's periodic
 * timer while it is blocked.
 */
static uint64_t wait_timer_how(uint64_t start, uint64_t limit, bool spin)
{
    unsigned long before = port_hits[timer_port];
    struct sched_poll poll = { .nr_ports = 1, .timeout = start + limit };

    set_xen_guest_handle(poll.ports, &timer_port);
    while (port_hits[timer_port] == before) {
        if (system_time_ns() - start > limit)
            return 0;
        if (!spin)
            hc_sched_op(SCHEDOP_poll, &poll);
        deliver_pending();
    }
    return system_time_ns() - start;
}

static uint64_t wait_timer(uint64_t start, uint64_t limit)
{
    return wait_timer_how(start, limit, false);
}

/* Nothing arrives on the timer port for `ns`. */
static bool quiet_for(uint64_t ns)
{
    unsigned long before = port_hits[timer_port];

    wait_timer(system_time_ns(), ns);
    return port_hits[timer_port] == before;
}

static void check_fired(const char *name, uint64_t dt, uint64_t req)
{
    if (!dt)
        test_failure("%s: expected VIRQ_TIMER within %lu ms, got none", name, LATE_LIMIT / MS);
    else if (dt + EARLY_SLACK < req || dt > LATE_LIMIT)
        test_failure("%s: expected %lu.0-%lu ms, got %lu us", name, req / MS, LATE_LIMIT / MS,
                     dt / 1000);
    else
        printk("%s: fired after %lu us\n", name, dt / 1000);
}

static void test_time_info(void)
{
    const volatile struct vcpu_time_info *t = &vcpu0()->time;
    uint64_t prev = system_time_ns(), first = prev, tsc0 = rdtsc_now();
    const volatile shared_info_t *s = shared;

    check_long("time version is even", 0, t->version & 1);
    check_long("tsc_to_system_mul nonzero", 1, t->tsc_to_system_mul != 0);
    for (int i = 0; i < 20000; i++) {
        uint64_t now = system_time_ns();

        if (now < prev) {
            test_failure("system time monotonic: expected >= %lu, got %lu", prev, now);
            break;
        }
        prev = now;
    }
    if (prev <= first || rdtsc_now() <= tsc0)
        test_failure("system time advancing: expected > %lu, got %lu", first, prev);
    if (first < 1000)
        test_failure("system time since boot: expected > 1 us, got %lu ns", first);

    check_long("wall clock version is even", 0, s->wc_version & 1);
    /* 2020-01-01T00:00:00Z; the RTC QEMU gives is the host's clock. */
    if (s->wc_sec < 1577836800u)
        test_failure("wc_sec: expected > 1577836800 (2020), got %u", s->wc_sec);
    if (s->wc_nsec >= 1000000000u)
        test_failure("wc_nsec: expected < 1e9, got %u", s->wc_nsec);
}

static void test_set_timer_op(void)
{
    uint64_t now;

    now = system_time_ns();
    check_long("set_timer_op +10 ms", 0, hc_set_timer_op(now + 10 * MS));
    check_fired("set_timer_op +10 ms", wait_timer(now, 200 * MS), 10 * MS);

    now = system_time_ns();
    check_long("set_timer_op in the past", 0, hc_set_timer_op(now - MS));
    check_fired("set_timer_op in the past", wait_timer(now, 200 * MS), 0);

    check_long("set_timer_op +5 ms", 0, hc_set_timer_op(system_time_ns() + 5 * MS));
    check_long("set_timer_op 0 (cancel)", 0, hc_set_timer_op(0));
    check_long("cancelled timer stays quiet for 20 ms", 1, quiet_for(20 * MS));
}

static void test_vcpu_timers(void)
{
    vcpu_set_singleshot_timer_t ss;
    vcpu_set_periodic_timer_t per;
    uint64_t now;
    unsigned long before;

    now = system_time_ns();
    ss = (vcpu_set_singleshot_timer_t){ .timeout_abs_ns = now + 10 * MS };
    check_long("set_singleshot_timer +10 ms", 0, hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss));
    check_fired("set_singleshot_timer +10 ms", wait_timer(now, 200 * MS), 10 * MS);

    now = system_time_ns();
    ss = (vcpu_set_singleshot_timer_t){ .timeout_abs_ns = now + 10 * MS,
                                        .flags = VCPU_SSHOTTMR_future };
    check_long("set_singleshot_timer +10 ms, future flag", 0,
               hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss));
    check_fired("set_singleshot_timer future flag", wait_timer(now, 200 * MS), 10 * MS);

    ss = (vcpu_set_singleshot_timer_t){ .timeout_abs_ns = system_time_ns() - MS,
                                        .flags = VCPU_SSHOTTMR_future };
    /* Xen 4.17 (Debian) ignores VCPU_SSHOTTMR_future: no -ETIME, and the
     * timer fires at once. */
    now = system_time_ns();
    check_long("set_singleshot_timer past, future flag", 0,
               hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss));
    check_fired("set_singleshot_timer past, future flag", wait_timer(now, 200 * MS), 0);
    now = system_time_ns();
    ss = (vcpu_set_singleshot_timer_t){ .timeout_abs_ns = now - MS };
    check_long("set_singleshot_timer past, no flag", 0,
               hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss));
    check_fired("set_singleshot_timer past", wait_timer(now, 200 * MS), 0);

    ss = (vcpu_set_singleshot_timer_t){ .timeout_abs_ns = system_time_ns() + 5 * MS };
    check_long("set_singleshot_timer +5 ms", 0, hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss));
    check_long("stop_singleshot_timer", 0, hc_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL));
    check_long("stopped single-shot stays quiet for 20 ms", 1, quiet_for(20 * MS));
    check_long("set_singleshot_timer vcpu 1", -XEN_ENOENT,
               hc_vcpu_op(VCPUOP_set_singleshot_timer, 1, &ss));
    check_long("set_singleshot_timer unmapped argument", -XEN_EFAULT,
               hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, (void *)BAD_VA_UNMAPPED));

    per = (vcpu_set_periodic_timer_t){ .period_ns = 999999 };
    check_long("set_periodic_timer 0.999999 ms", -XEN_EINVAL,
               hc_vcpu_op(VCPUOP_set_periodic_timer, 0, &per));
    per.period_ns = 0;
    check_long("set_periodic_timer 0", -XEN_EINVAL, hc_vcpu_op(VCPUOP_set_periodic_timer, 0, &per));
    /* The largest period is Xen's STIME_DELTA_MAX, 2^62 - 1 ns. */
    per.period_ns = 1UL << 62;
    check_long("set_periodic_timer 2^62 ns", -XEN_EINVAL,
               hc_vcpu_op(VCPUOP_set_periodic_timer, 0, &per));
    per.period_ns = (1UL << 62) - 1;
    check_long("set_periodic_timer 2^62 - 1 ns", 0, hc_vcpu_op(VCPUOP_set_periodic_timer, 0, &per));
    per.period_ns = 10 * MS;
    check_long("set_periodic_timer vcpu 1", -XEN_ENOENT,
               hc_vcpu_op(VCPUOP_set_periodic_timer, 1, &per));
    check_long("set_periodic_timer 10 ms", 0, hc_vcpu_op(VCPUOP_set_periodic_timer, 0, &per));
    now = system_time_ns();
    before = port_hits[timer_port];
    for (int i = 0; i < 5; i++)
        if (!wait_timer_how(system_time_ns(), 200 * MS, true))
            break;
    {
        uint64_t dt = system_time_ns() - now;
        unsigned long ticks = port_hits[timer_port] - before;

        if (ticks != 5 || dt + EARLY_SLACK < 40 * MS || dt > 5 * LATE_LIMIT)
            test_failure("periodic 10 ms: expected 5 ticks in 40-300 ms, got %lu in %lu us", ticks,
                         dt / 1000);
        else
            printk("periodic 10 ms: 5 ticks in %lu us\n", dt / 1000);
    }
    check_long("stop_periodic_timer", 0, hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
    check_long("stopped periodic timer stays quiet for 30 ms", 1, quiet_for(30 * MS));
    check_long("stop_periodic_timer vcpu 1", -XEN_ENOENT,
               hc_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL));
}

static void test_vcpu_ids(void)
{
    check_long("VCPUOP_is_up vcpu 0", 1, hc_vcpu_op(VCPUOP_is_up, 0, NULL));
    check_long("VCPUOP_is_up vcpu 1", -XEN_ENOENT, hc_vcpu_op(VCPUOP_is_up, 1, NULL));
    check_long("VCPUOP_is_up vcpu 0xffffffff", -XEN_ENOENT,
               hc_vcpu_op(VCPUOP_is_up, 0xffffffffu, NULL));
    check_long("VCPUOP cmd 99 vcpu 0", -XEN_ENOSYS, hc_vcpu_op(99, 0, NULL));
    check_long("VCPUOP cmd 99 vcpu 1", -XEN_ENOENT, hc_vcpu_op(99, 1, NULL));
}

void test_main(void)
{
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

    if (!shared_info_map()) {
        test_error("no shared_info");
        return;
    }
    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, events_install()))
        return;
    vcpu0()->evtchn_upcall_mask = 1;
    test_time_info();
    test_vcpu_ids();
    if (!check_long("bind_virq VIRQ_TIMER", 0, hc_event_channel_op(EVTCHNOP_bind_virq, &bv)))
        return;
    timer_port = bv.port;
    /* Xen starts every vCPU with a 10 ms periodic timer: stop it first. */
    check_long("stop_periodic_timer (the default one)", 0,
               hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
    quiet_for(2 * MS);
    test_set_timer_op();
    test_vcpu_timers();
}
