// SPDX-License-Identifier: MIT
/*
 * fairshare: one image, three roles. role=spin counts loop iterations
 * (each reads system time, never yields, never makes a hypercall) over the
 * window [start_ms, start_ms + window_ms) of system time and prints the
 * count; tests/multi/fairshare/fairshare.sh compares two spinners' counts. role=sleep
 * wakes on a one-shot timer every period_ms inside the same window, does a
 * little work, and checks that it met its wakeups, reporting its lateness.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "fairshare";

#define MS              1000000UL
#define US              1000UL
/* The sleeper must meet this share of its wakeups (percent). A wakeup is
 * missed only when it comes a whole period late, which round robin with
 * 10 ms slices and two spinners should never cause. */
#define MIN_MET_PERCENT 80
/* Iterations of "a little work" per wakeup: well under a slice. */
#define WORK_ITERATIONS 2000

static uint64_t window_start, window_end, period;

static unsigned long cmdline_ulong(const char *key, unsigned long dflt)
{
    char buf[24];

    return test_cmdline_value(key, buf, sizeof(buf)) ? strtoul(buf, NULL, 10) : dflt;
}

static void run_spin(void)
{
    unsigned long count = 0;
    uint64_t now = system_time_ns();

    if (now >= window_start) {
        test_error("spin: started at %lu ms, after the window opened at %lu ms: "
                   "raise start_ms",
                   now / MS, window_start / MS);
        return;
    }
    /* Spin up to the window too, so that the contention is already steady
     * when counting starts. */
    while (system_time_ns() < window_start)
        ;
    while (system_time_ns() < window_end)
        count++;
    printk("fairshare: spin: %lu iterations in [%lu, %lu) ms\n", count, window_start / MS,
           window_end / MS);
}

/* Sleeps in SCHEDOP_block until system time reaches `deadline`. The timer
 * is re-armed on every pass: a wakeup for anything else, or a guest clock
 * a hair behind the hypervisor's, must not leave us blocked with no timer. */
static uint64_t sleep_until(uint64_t deadline)
{
    uint64_t now;

    while ((now = system_time_ns()) < deadline) {
        hc_set_timer_op(deadline);
        hc_sched_op(SCHEDOP_block, NULL);
        vcpu0()->evtchn_upcall_mask = 1;
    }
    return now;
}

static void run_sleep(void)
{
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    unsigned long expected = (window_end - window_start) / period, met = 0;
    uint64_t late_sum = 0, late_max = 0;
    volatile uint64_t work = 0;

    if (!check_long("bind_virq VIRQ_TIMER", 0, hc_event_channel_op(EVTCHNOP_bind_virq, &bv)) ||
        !check_long("stop_periodic_timer", 0, hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL)))
        return;
    if (system_time_ns() >= window_start) {
        test_error("sleep: started after the window opened at %lu ms: raise start_ms",
                   window_start / MS);
        return;
    }
    sleep_until(window_start);
    /* Wakeups at the middle of each period: the last one is half a period
     * before the spinners stop, so the sleeper has powered off by then and
     * no domain ends while another is blocked. */
    for (unsigned long k = 1; k <= expected; k++) {
        uint64_t deadline = window_start + k * period - period / 2;
        uint64_t late = sleep_until(deadline) - deadline;

        /* A whole period late: this wakeup merged with the next one. */
        if (late >= period)
            continue;
        met++;
        late_sum += late;
        late_max = late > late_max ? late : late_max;
        for (unsigned int i = 0; i < WORK_ITERATIONS; i++)
            work += system_time_ns() & 1;
    }
    printk("fairshare: sleep: %lu of %lu wakeups met, lateness mean %lu us, max %lu us\n", met,
           expected, met ? late_sum / met / US : 0, late_max / US);
    if (met * 100 < expected * MIN_MET_PERCENT)
        test_failure("sleep: wakeups met: expected at least %u%% of %lu, got %lu", MIN_MET_PERCENT,
                     expected, met);
}

void test_main(void)
{
    char role[8];

    window_start = cmdline_ulong("start_ms", 1000) * MS;
    window_end = window_start + cmdline_ulong("window_ms", 3000) * MS;
    period = cmdline_ulong("period_ms", 100) * MS;
    if (!test_cmdline_value("role", role, sizeof(role)) ||
        (strcmp(role, "spin") && strcmp(role, "sleep"))) {
        test_error("fairshare: expected role=spin or role=sleep on the command line");
        return;
    }
    if (!period || window_end <= window_start) {
        test_error("fairshare: expected period_ms and window_ms above 0");
        return;
    }
    if (!shared_info_map()) {
        test_error("fairshare: no shared_info");
        return;
    }
    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, events_install()))
        return;
    vcpu0()->evtchn_upcall_mask = 1;
    if (!strcmp(role, "spin"))
        run_spin();
    else
        run_sleep();
}
