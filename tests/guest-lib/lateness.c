// SPDX-License-Identifier: MIT
/* Timer lateness for the preemption tests (lateness.h): the upcall scans
 * the 2-level bitmap as events_install()'s does and, when the VIRQ_TIMER
 * port fired, records the wakeup and re-arms the one-shot timer. */
#include <stdint.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include "tests/guest-lib/lateness.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

/* Xen's timer slop lets a timer fire up to 50 us early; an upcall earlier
 * than this is some other wakeup, and the same deadline is re-armed. */
#define EARLY_NS 1000000UL

static struct late_sample samples[LATE_MAX_SAMPLES];
static uint64_t sorted[LATE_MAX_SAMPLES];
static volatile unsigned long nr_samples, nr_dropped;
static uint64_t period, deadline;
static evtchn_port_t timer_port;
static volatile bool running;

static void tick(void)
{
    uint64_t now = system_time_ns();

    if (!running)
        return;
    if (now + EARLY_NS < deadline) {
        hc_set_timer_op(deadline);
        return;
    }
    if (nr_samples < LATE_MAX_SAMPLES)
        samples[nr_samples++] = (struct late_sample){ deadline,
                                                      now > deadline ? now - deadline : 0 };
    else
        nr_dropped++;
    /* Deadlines missed during a stall are skipped: the stall is in this
     * wakeup's lateness already. */
    do
        deadline += period;
    while (deadline <= now);
    hc_set_timer_op(deadline);
}

static bool late_upcall(struct cpu_regs *regs)
{
    vcpu_info_t *vi = vcpu0();
    unsigned long sel;

    upcalls++;
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int w = (unsigned int)__builtin_ctzl(sel);
        unsigned long pend;

        sel &= sel - 1;
        pend = shared->evtchn_pending[w] & ~shared->evtchn_mask[w];
        while (pend) {
            unsigned int b = (unsigned int)__builtin_ctzl(pend), port = w * 64 + b;

            pend &= pend - 1;
            __atomic_fetch_and(&shared->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
            port_hits[port]++;
            if (port == timer_port)
                tick();
        }
    }
    return true;
}

long late_timer_start(uint64_t period_ns)
{
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    long rc;

    if ((rc = hc_event_channel_op(EVTCHNOP_bind_virq, &bv)) ||
        (rc = hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL)))
        return rc;
    timer_port = bv.port;
    trap_set_handler(VEC_EVENT, late_upcall);
    period = period_ns;
    deadline = system_time_ns() + period;
    running = true;
    return hc_set_timer_op(deadline);
}

void late_timer_stop(void)
{
    running = false;
    hc_set_timer_op(0);
}

unsigned long late_count(void)
{
    return nr_samples;
}

unsigned long late_dropped(void)
{
    return nr_dropped;
}

/* Shell sort: no allocator, no recursion, fast enough for 16 Ki values. */
static void sort_u64(uint64_t *v, unsigned long n)
{
    for (unsigned long gap = n / 2; gap; gap /= 2)
        for (unsigned long i = gap; i < n; i++)
            for (unsigned long j = i; j >= gap && v[j - gap] > v[j]; j -= gap) {
                uint64_t t = v[j];

                v[j] = v[j - gap];
                v[j - gap] = t;
            }
}

void late_window(uint64_t from, uint64_t to, struct late_stats *st)
{
    unsigned long n = 0, total = nr_samples;

    for (unsigned long i = 0; i < total; i++)
        if (samples[i].deadline >= from && samples[i].deadline <= to)
            sorted[n++] = samples[i].late;
    sort_u64(sorted, n);
    st->n = n;
    st->max = n ? sorted[n - 1] : 0;
    /* The smallest value at or above 99% of the wakeups. */
    st->p99 = n ? sorted[(n * 99 + 99) / 100 - 1] : 0;
}
