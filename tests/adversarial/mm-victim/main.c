// SPDX-License-Identifier: MIT
/*
 * mm-victim: the guest an mm-attacker must not reach. It fills its free
 * memory (the start-of-day padding, then every unmapped pfn through a
 * one-page window) with a pattern derived from each frame's pfn, yields
 * to the attacker many times, verifying as it goes, and prints whether its
 * memory is intact.
 *
 * With watch=<domid> on its command line it sleeps on a 10 ms timer
 * instead, checking a slice of its memory at every wakeup, until that
 * domain is gone; then it checks everything once more and reports how
 * many wakeups came and the longest gap between two. A gap of more than a
 * second fails it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <vmi/sched_op.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "mm-victim";

/* More yields than the attacker takes in all, so the last check comes
 * after the attacker is done. A full check every FULL_EVERY rounds. */
#define ROUNDS     300
#define FULL_EVERY 50
#define WORDS      (TEST_PAGE_SIZE / 8)

static unsigned long checked;
/* In timer mode, the scratch page shared_info is mapped at: not filled. */
static unsigned long skip_pfn = ~0UL;

static uint64_t pattern(unsigned long pfn, unsigned int i)
{
    uint64_t x = (pfn << 12 | i) * 0x9e3779b97f4a7c15ULL;

    return x ^ (x >> 29) ^ 0x5ca1ab1eULL;
}

/* The window is scratch page 0; pages 1.. are checked in place. */
static volatile uint64_t *page_at(unsigned long pfn)
{
    if (pfn < mapped_pages())
        return (volatile uint64_t *)(TEST_VIRT_BASE + (pfn << 12));
    if (hc_update_va_mapping(scratch_va(0), mfn_pte(pfn_to_mfn(pfn), PTE_RW_FLAGS), UVMF_INVLPG))
        return NULL;
    return (volatile uint64_t *)scratch_va(0);
}

static unsigned long first_pfn(void)
{
    return (scratch_va(1) - TEST_VIRT_BASE) >> 12;
}

static bool fill(void)
{
    for (unsigned long pfn = first_pfn(); pfn < test_start_info->nr_pages; pfn++) {
        volatile uint64_t *p;

        if (pfn == skip_pfn)
            continue;
        p = page_at(pfn);
        if (!p) {
            test_error("mm-victim: cannot map my own pfn %#lx", pfn);
            return false;
        }
        for (unsigned int i = 0; i < WORDS; i++)
            p[i] = pattern(pfn, i);
    }
    return true;
}

static bool verify_range(unsigned long start_pfn, unsigned long end_pfn)
{
    for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++) {
        volatile uint64_t *p;

        if (pfn == skip_pfn)
            continue;
        p = page_at(pfn);
        if (!p) {
            test_failure("mm-victim: pfn %#lx: expected my mapping back, got a refusal", pfn);
            return false;
        }
        for (unsigned int i = 0; i < WORDS; i++)
            if (p[i] != pattern(pfn, i)) {
                test_failure("mm-victim: CORRUPTED pfn %#lx word %u: expected %#lx, got %#lx", pfn,
                             i, (unsigned long)pattern(pfn, i), (unsigned long)p[i]);
                return false;
            }
        checked++;
    }
    return true;
}

static bool verify(unsigned long end_pfn)
{
    return verify_range(first_pfn(), end_pfn);
}

#define TIMER_NS    10000000UL   /* a wakeup every 10 ms */
#define SLICE_PAGES 16           /* pages checked per wakeup */
#define STALL_NS    1000000000UL /* a longer gap between wakeups fails */

/* True while domain `id` exists: binding to its reserved port 0 is
 * -EINVAL then, -ESRCH once it is gone. */
static bool domain_alive(domid_t id)
{
    struct evtchn_bind_interdomain b = { .remote_dom = id, .remote_port = 0 };

    return hc_event_channel_op(EVTCHNOP_bind_interdomain, &b) != -XEN_ESRCH;
}

static void timer_mode(domid_t watch)
{
    unsigned long n = test_start_info->nr_pages, wakeups = 0, next = first_pfn();
    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
    uint64_t worst = 0, prev;

    if (traps_install() || !shared_info_map() || events_install() ||
        hc_event_channel_op(EVTCHNOP_bind_virq, &b)) {
        test_error("mm-victim: cannot set up the timer's event");
        return;
    }
    skip_pfn = ((unsigned long)shared - TEST_VIRT_BASE) >> 12;
    if (!fill())
        return;
    printk("mm-victim: filled %lu pages, waking every %lu ms until d%u is gone\n",
           n - first_pfn() - 1, TIMER_NS / 1000000, watch);
    prev = system_time_ns();
    while (domain_alive(watch)) {
        struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = prev + TIMER_NS };
        uint64_t now;

        /* Upcalls masked from arming to blocking: a deadline already past
         * (this vCPU waited its turn behind the attacker) fires at once,
         * and its upcall, taken before the block, would leave nothing to
         * wake it. SCHEDOP_block unmasks and checks in one step. */
        vcpu0()->evtchn_upcall_mask = 1;
        hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
        hc_sched_op(SCHEDOP_block, NULL);
        now = system_time_ns();
        if (now < t.timeout_abs_ns)
            continue; /* another event: sleep on */
        wakeups++;
        if (now - prev > worst)
            worst = now - prev;
        prev = now;
        if (!verify_range(next, next + SLICE_PAGES < n ? next + SLICE_PAGES : n))
            return;
        next = next + SLICE_PAGES < n ? next + SLICE_PAGES : first_pfn();
        if (wakeups % 1000 == 0)
            printk("mm-victim: %lu wakeups, longest gap %lu ms\n", wakeups,
                   (unsigned long)(worst / 1000000));
    }
    if (!verify(n))
        return;
    printk("mm-victim: memory intact (%lu page checks, %lu wakeups)\n", checked, wakeups);
    printk("mm-victim: d%u gone after %lu timer wakeups, longest gap %lu ms\n", watch, wakeups,
           (unsigned long)(worst / 1000000));
    if (worst > STALL_NS)
        test_failure("mm-victim: timer wakeups: expected gaps under %lu ms, got %lu ms",
                     STALL_NS / 1000000, (unsigned long)(worst / 1000000));
}

void test_main(void)
{
    unsigned long n = test_start_info->nr_pages;
    char buf[16];

    if (test_cmdline_value("watch", buf, sizeof(buf))) {
        timer_mode((domid_t)strtoul(buf, NULL, 0));
        return;
    }
    if (!fill())
        return;
    printk("mm-victim: filled %lu pages, yielding %d times\n", n - first_pfn(), ROUNDS);
    for (int r = 1; r <= ROUNDS; r++) {
        sched_yield_vcpu();
        if (!verify(r % FULL_EVERY ? mapped_pages() : n))
            return;
    }
    if (!verify(n))
        return;
    printk("mm-victim: memory intact (%lu page checks, %d rounds)\n", checked, ROUNDS);
}
