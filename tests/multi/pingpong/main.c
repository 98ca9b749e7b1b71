// SPDX-License-Identifier: MIT
/*
 * pingpong: two instances of this image (role=ping as d0, role=pong as d1)
 * bounce one interdomain event back and forth ROUNDS times. Each side
 * receives through its event upcall, waking from SCHEDOP_block, and checks
 * that every event it sent came back exactly once. Xenolith only: Xen 4.17
 * here boots a single domain.
 *
 * Port convention (no xenstore lookup): pong, on a fresh domain, does
 * EVTCHNOP_alloc_unbound(remote_dom=0) and so gets port 3 (port 0 is
 * reserved; Xenolith binds 1 and 2 to the xenstore and console rings at
 * build). Ping retries EVTCHNOP_bind_interdomain(remote_dom=1,
 * remote_port=3), yielding between tries, until pong has allocated it.
 * After the last round and a quiet period, ping sends one closing event and
 * powers off; pong powers off on receiving it, so neither ever ends while
 * the other is blocked.
 */
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "pingpong";

#define MS            1000000UL
#define ROUNDS        1000
#define PING_DOMID    0
#define PONG_DOMID    1
#define PONG_PORT     3
/* A reply later than this is lost: the peer is runnable within a few
 * 10 ms slices even under TCG. */
#define REPLY_TIMEOUT (1000 * MS)
/* How long bind_interdomain is retried before pong is declared absent. */
#define BIND_TIMEOUT  (5000 * MS)
/* After the last round, a duplicated event would show up within this. */
#define QUIET_TIME    (50 * MS)

/* VIRQ_TIMER for wait_event()'s watchdog, with the default 10 ms periodic
 * timer stopped so that it does not end every block for nothing. */
static bool bind_timer(void)
{
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

    return check_long("bind_virq VIRQ_TIMER", 0, hc_event_channel_op(EVTCHNOP_bind_virq, &bv)) &&
           check_long("stop_periodic_timer", 0, hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
}

/*
 * Blocks until port_hits[port] moves past `seen` or system time reaches
 * `deadline`. The one-shot timer (VIRQ_TIMER) is the watchdog that ends
 * SCHEDOP_block when the event never comes; it is re-armed on every pass,
 * since a timer that fired while our clock read a hair before the
 * deadline would otherwise leave us blocked with none. Upcalls are masked
 * except inside SCHEDOP_block, which unmasks atomically with its pending
 * check, so an event that arrives between the test and the block is not
 * slept through. Returns the new hit count.
 */
static unsigned long wait_event(evtchn_port_t port, unsigned long seen, uint64_t deadline)
{
    while (port_hits[port] == seen && system_time_ns() < deadline) {
        hc_set_timer_op(deadline);
        hc_sched_op(SCHEDOP_block, NULL);
        vcpu0()->evtchn_upcall_mask = 1;
    }
    return port_hits[port];
}

/* Nothing more arrives on `port` for QUIET_TIME: no duplicated event. */
static void check_quiet(const char *role, evtchn_port_t port, unsigned long seen)
{
    unsigned long got = wait_event(port, seen, system_time_ns() + QUIET_TIME);

    if (got != seen)
        test_failure("%s: after the last round: expected no further event, got %lu", role,
                     got - seen);
}

static void run_pong(void)
{
    evtchn_alloc_unbound_t au = { .dom = DOMID_SELF, .remote_dom = PING_DOMID };
    unsigned long seen = 0;
    unsigned int round;

    if (!check_long("pong: alloc_unbound", 0, hc_event_channel_op(EVTCHNOP_alloc_unbound, &au)))
        return;
    if (au.port != PONG_PORT) {
        test_error("pong: convention: expected port %u on a fresh domain, got %u", PONG_PORT,
                   au.port);
        return;
    }
    /* After the alloc: the timer's port must not take PONG_PORT. */
    if (!bind_timer())
        return;
    printk("pong: port %u allocated for d%u\n", au.port, PING_DOMID);
    for (round = 0; round < ROUNDS; round++) {
        unsigned long got = wait_event(au.port, seen, system_time_ns() + BIND_TIMEOUT);

        if (got == seen) {
            test_failure("pong: round %u: expected ping's event, got none in %lu ms", round,
                         BIND_TIMEOUT / MS);
            return;
        }
        /* Only one event is ever in flight, so two hits at once mean one
         * send was delivered twice. */
        if (got != seen + 1) {
            test_failure("pong: round %u: expected 1 event, got %lu", round, got - seen);
            return;
        }
        seen = got;
        if (!check_long("pong: send reply", 0, ev_send(au.port)))
            return;
    }
    /* The closing event, after ping's quiet period: anything sooner would
     * be a duplicate, which ping's quiet check sees as a missing reply. */
    if (wait_event(au.port, seen, system_time_ns() + BIND_TIMEOUT) != seen + 1) {
        test_failure("pong: expected exactly one closing event from ping, got %lu",
                     port_hits[au.port] - seen);
        return;
    }
    printk("pong: %u events received, %u replies sent, then the closing event\n", round, round);
}

static void run_ping(void)
{
    evtchn_bind_interdomain_t bi = { .remote_dom = PONG_DOMID, .remote_port = PONG_PORT };
    uint64_t start = system_time_ns(), t0, total, min_rt = UINT64_MAX, max_rt = 0;
    unsigned long seen;
    unsigned int tries = 0, round;
    evtchn_port_t lp;
    long rc;

    if (!bind_timer())
        return;
    /* -EINVAL until pong's port exists and is unbound for us. */
    while ((rc = hc_event_channel_op(EVTCHNOP_bind_interdomain, &bi)) == -XEN_EINVAL &&
           system_time_ns() - start < BIND_TIMEOUT) {
        tries++;
        hc_sched_op(SCHEDOP_yield, NULL);
    }
    if (!check_long("ping: bind_interdomain to d1 PONG_PORT", 0, rc))
        return;
    lp = bi.local_port;
    printk("ping: bound port %u to d%u port %u after %u retries\n", lp, PONG_DOMID, PONG_PORT,
           tries);

    /* Xen marks a freshly bound local end pending (sends while it was
     * unbound were dropped); take that event before counting. */
    seen = wait_event(lp, 0, system_time_ns() + REPLY_TIMEOUT);
    if (seen != 1) {
        test_failure("ping: bind marks the local end pending: expected 1 event, got %lu", seen);
        return;
    }

    t0 = system_time_ns();
    for (round = 0; round < ROUNDS; round++) {
        uint64_t s = system_time_ns(), rt;
        unsigned long got;

        if (!check_long("ping: send", 0, ev_send(lp)))
            return;
        got = wait_event(lp, seen, s + REPLY_TIMEOUT);
        rt = system_time_ns() - s;
        if (got == seen) {
            test_failure("ping: round %u: expected pong's reply within %lu ms, got none", round,
                         REPLY_TIMEOUT / MS);
            return;
        }
        if (got != seen + 1) {
            test_failure("ping: round %u: expected 1 reply, got %lu", round, got - seen);
            return;
        }
        seen = got;
        min_rt = rt < min_rt ? rt : min_rt;
        max_rt = rt > max_rt ? rt : max_rt;
    }
    total = system_time_ns() - t0;
    check_quiet("ping", lp, seen);
    printk("ping: %u round trips in %lu us: mean %lu ns, min %lu ns, max %lu ns\n", round,
           total / 1000, total / round, min_rt, max_rt);
    check_long("ping: send the closing event", 0, ev_send(lp));
}

void test_main(void)
{
    char role[8];

    if (!test_cmdline_value("role", role, sizeof(role)) ||
        (strcmp(role, "ping") && strcmp(role, "pong"))) {
        test_error("pingpong: expected role=ping or role=pong on the command line");
        return;
    }
    if (!shared_info_map()) {
        test_error("pingpong: no shared_info");
        return;
    }
    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, events_install()))
        return;
    vcpu0()->evtchn_upcall_mask = 1;
    if (!strcmp(role, "ping"))
        run_ping();
    else
        run_pong();
}
