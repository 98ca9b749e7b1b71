// SPDX-License-Identifier: MIT
/*
 * latency-victim: runs beside preempt-attacker (d0) on Xenolith, blocked
 * except for a one-shot 10 ms timer whose every wakeup it records with
 * its lateness (lateness.h). The attacker's phase board, a page it grants
 * us (ref BOARD_GREF), says when each attack ran; once the attacker is
 * done the victim reports, per phase, its worst and 99th-percentile
 * lateness, fails if any wakeup came more than a second late (a stall) or
 * a long phase saw none, and checks that a MiB of its memory kept its
 * pattern throughout. Xenolith only: Xen boots a single domain here.
 */
#include <stdint.h>
#include <string.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <vmi/sched_op.h>
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/lateness.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "latency-victim";

#define MS          1000000UL
#define US          1000UL
#define PERIOD      (10 * MS)
#define ATTACKER    0
#define MAP_TIMEOUT (10000 * MS)
/* The attacker's phases take well under a minute; past this it is gone. */
#define RUN_TIMEOUT (300000 * MS)
/* A wakeup later than this is a stall: a hypercall held the CPU. */
#define STALL_LIMIT (1000 * MS)
/* A phase this long must have seen wakeups. */
#define MIN_PHASE   (5 * PERIOD)
#define MEM_WORDS   (1UL << 17) /* 1 MiB */

static uint64_t memory[MEM_WORDS];
static struct phase_board copy;

static uint64_t pattern(unsigned long i)
{
    uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ULL;

    return x ^ (x >> 31);
}

static unsigned long memory_bad(void)
{
    unsigned long bad = 0;

    for (unsigned long i = 0; i < MEM_WORDS; i++)
        bad += memory[i] != pattern(i);
    return bad;
}

/* The board, mapped at scratch page 0 once the attacker has granted it. */
static volatile struct phase_board *map_board(void)
{
    gnttab_map_grant_ref_t map = { .host_addr = scratch_va(0),
                                   .flags = GNTMAP_host_map,
                                   .ref = BOARD_GREF,
                                   .dom = ATTACKER };
    uint64_t t0 = system_time_ns();

    for (;;) {
        map.status = 1;
        if (gnttab_op(GNTTABOP_map_grant_ref, &map, 1) == 0 && map.status == GNTST_okay)
            break;
        if (system_time_ns() - t0 > MAP_TIMEOUT) {
            test_error("latency-victim: the attacker's board never became mappable (status %d)",
                       map.status);
            return NULL;
        }
        sched_yield_vcpu();
    }
    return (volatile struct phase_board *)scratch_va(0);
}

static void report(void)
{
    uint64_t worst = 0;

    for (unsigned int k = 0; k < copy.nr_phases && k < BOARD_PHASES; k++) {
        const struct board_phase *p = &copy.phase[k];
        char name[BOARD_NAME];
        struct late_stats st;

        memcpy(name, p->name, BOARD_NAME);
        name[BOARD_NAME - 1] = 0;
        late_window(p->start, p->end, &st);
        printk("latency-victim: phase %s (%lu ms): worst %lu us, p99 %lu us, %lu wakeups\n", name,
               (p->end - p->start) / MS, st.max / US, st.p99 / US, st.n);
        if (st.n) {
            printk("bench: victim_late_%s_max_ns %lu\n", name, st.max);
            printk("bench: victim_late_%s_p99_ns %lu\n", name, st.p99);
        }
        if (st.max > STALL_LIMIT)
            test_failure(
                "latency-victim: phase %s: expected no wakeup over %lu ms late, got %lu ms", name,
                STALL_LIMIT / MS, st.max / MS);
        if (p->end - p->start >= MIN_PHASE && !st.n)
            test_failure("latency-victim: phase %s: expected wakeups in %lu ms, got none", name,
                         (p->end - p->start) / MS);
        worst = st.max > worst ? st.max : worst;
    }
    printk("latency-victim: %u phases, worst lateness %lu us (limit %lu ms)\n", copy.nr_phases,
           worst / US, STALL_LIMIT / MS);
}

void test_main(void)
{
    volatile struct phase_board *board;
    unsigned long bad;
    uint64_t t0;

    for (unsigned long i = 0; i < MEM_WORDS; i++)
        memory[i] = pattern(i);
    if (!shared_info_map()) {
        test_error("latency-victim: no shared_info");
        return;
    }
    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, events_install()))
        return;
    if (!(board = map_board()))
        return;
    if (board->magic != BOARD_MAGIC) {
        test_error("latency-victim: board magic: expected %#llx, got %#llx",
                   (unsigned long long)BOARD_MAGIC, (unsigned long long)board->magic);
        return;
    }
    if (!check_long("timer", 0, late_timer_start(PERIOD)))
        return;
    vcpu0()->evtchn_upcall_mask = 0;
    board->victim_ready = 1;
    t0 = system_time_ns();
    /* SCHEDOP_block unmasks and sleeps unless an event is pending; each
     * timer upcall records its wakeup and re-arms. */
    while (!board->done) {
        if (system_time_ns() - t0 > RUN_TIMEOUT) {
            test_failure("latency-victim: the attacker never finished its phases in %lu s",
                         RUN_TIMEOUT / 1000 / MS);
            return;
        }
        hc_sched_op(SCHEDOP_block, NULL);
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    memcpy(&copy, (const void *)board, sizeof(copy));
    board->victim_done = 1;
    late_timer_stop();
    vcpu0()->evtchn_upcall_mask = 1;
    report();
    bad = memory_bad();
    if (bad)
        test_failure("latency-victim: memory: expected the pattern, got %lu words changed", bad);
    else
        printk("latency-victim: memory intact (%lu KiB)\n", MEM_WORDS * 8 / 1024);
    printk("latency-victim: %lu timer wakeups (%lu not recorded)\n", late_count(), late_dropped());
}
