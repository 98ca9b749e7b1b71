// SPDX-License-Identifier: MIT
/*
 * event-channels: the 2-level ABI end to end. alloc_unbound, a loopback
 * through bind_interdomain to ourselves, send and delivery through the
 * upcall, masking and EVTCHNOP_unmask, bind_virq and bind_ipi, status,
 * close, reset, each rejection with its errno, SCHEDOP_block unmasking
 * atomically, and SCHEDOP_poll. Expected values are Xen 4.17's (dom0).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "event-channels";

static long ev_status(evtchn_port_t port, evtchn_status_t *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return hc_event_channel_op(EVTCHNOP_status, st);
}

static long ev_close(evtchn_port_t port)
{
    evtchn_close_t c = { .port = port };

    return hc_event_channel_op(EVTCHNOP_close, &c);
}

static long ev_unmask(evtchn_port_t port)
{
    evtchn_unmask_t u = { .port = port };

    return hc_event_channel_op(EVTCHNOP_unmask, &u);
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    evtchn_bind_virq_t b = { .virq = virq, .vcpu = vcpu };
    long rc = hc_event_channel_op(EVTCHNOP_bind_virq, &b);

    if (port)
        *port = b.port;
    return rc;
}

static long bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    evtchn_bind_ipi_t b = { .vcpu = vcpu };
    long rc = hc_event_channel_op(EVTCHNOP_bind_ipi, &b);

    if (port)
        *port = b.port;
    return rc;
}

static bool pending(evtchn_port_t p)
{
    return (shared->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void set_mask(evtchn_port_t p, bool m)
{
    if (m)
        __atomic_fetch_or(&shared->evtchn_mask[p / 64], 1UL << (p % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&shared->evtchn_mask[p / 64], ~(1UL << (p % 64)), __ATOMIC_SEQ_CST);
}

/* Sends on `from` with events unmasked and returns how many times `to`
 * was delivered through the upcall. */
static long deliveries(evtchn_port_t from, evtchn_port_t to)
{
    unsigned long before = port_hits[to];
    long rc;

    vcpu0()->evtchn_upcall_mask = 0; /* an upcall may already run here */
    rc = ev_send(from);
    vcpu0()->evtchn_upcall_mask = 1;
    if (rc)
        return rc;
    return (long)(port_hits[to] - before);
}

static void test_loopback(evtchn_port_t *pa, evtchn_port_t *pb)
{
    evtchn_alloc_unbound_t au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    evtchn_bind_interdomain_t bi = { .remote_dom = DOMID_SELF };
    evtchn_status_t st;
    evtchn_port_t a, b;

    check_long("alloc_unbound", 0, hc_event_channel_op(EVTCHNOP_alloc_unbound, &au));
    a = au.port;
    if (a == 0 || a >= EVTCHN_2L_PORTS)
        test_failure("alloc_unbound port: expected 1..4095, got %u", a);
    check_long("status of the unbound port", 0, ev_status(a, &st));
    check_long("status unbound: state", EVTCHNSTAT_unbound, st.status);
    check_long("status unbound: vcpu", 0, st.vcpu);
    check_long("send on an unbound port (dropped)", 0, ev_send(a));
    check_long("unbound port not pending after a send", 0, pending(a));

    bi.remote_port = a;
    check_long("bind_interdomain to our own unbound port", 0,
               hc_event_channel_op(EVTCHNOP_bind_interdomain, &bi));
    b = bi.local_port;
    check_long("bind_interdomain gives a new port", 1, b != a && b != 0);
    check_long("status of the local end", 0, ev_status(b, &st));
    check_long("status local end: state", EVTCHNSTAT_interdomain, st.status);
    check_long("status local end: remote port", a, st.u.interdomain.port);
    check_long("status of the remote end", 0, ev_status(a, &st));
    check_long("status remote end: state", EVTCHNSTAT_interdomain, st.status);
    check_long("status remote end: remote port", b, st.u.interdomain.port);

    check_long("bind_interdomain to a bound port", -XEN_EINVAL,
               hc_event_channel_op(EVTCHNOP_bind_interdomain, &bi));
    bi.remote_port = 4095;
    check_long("bind_interdomain to an unallocated port", -XEN_EINVAL,
               hc_event_channel_op(EVTCHNOP_bind_interdomain, &bi));
    bi.remote_port = a;
    bi.remote_dom = 0x7fef;
    check_long("bind_interdomain to a missing domain", -XEN_ESRCH,
               hc_event_channel_op(EVTCHNOP_bind_interdomain, &bi));

    check_long("send b -> upcall for a", 1, deliveries(b, a));
    check_long("send a -> upcall for b", 1, deliveries(a, b));
    check_long("a not pending after its upcall", 0, pending(a));

    /* Masked: the bit is set, no upcall; EVTCHNOP_unmask re-raises it. */
    set_mask(a, true);
    check_long("send to a masked port: no upcall", 0, deliveries(b, a));
    check_long("masked port pending", 1, pending(a));
    /* 2-level: a masked port gets its pending bit only; the selector bit
     * and upcall_pending wait for the unmask. */
    check_long("masked port's selector bit", 0,
               (long)((vcpu0()->evtchn_pending_sel >> (a / 64)) & 1));
    vcpu0()->evtchn_upcall_mask = 0;
    {
        unsigned long before = port_hits[a];

        check_long("EVTCHNOP_unmask", 0, ev_unmask(a));
        vcpu0()->evtchn_upcall_mask = 1;
        check_long("EVTCHNOP_unmask delivers the pending event", 1, (long)(port_hits[a] - before));
    }
    check_long("unmask clears the mask bit", 0,
               (long)((shared->evtchn_mask[a / 64] >> (a % 64)) & 1));
    *pa = a;
    *pb = b;
}

static void test_virq_ipi(void)
{
    evtchn_port_t p, q, ipi;
    evtchn_status_t st;

    check_long("bind_virq VIRQ_DEBUG", 0, bind_virq(VIRQ_DEBUG, 0, &p));
    check_long("status VIRQ_DEBUG: state", 0, ev_status(p, &st));
    check_long("status VIRQ_DEBUG: state", EVTCHNSTAT_virq, st.status);
    check_long("status VIRQ_DEBUG: virq", VIRQ_DEBUG, st.u.virq);
    check_long("bind_virq VIRQ_DEBUG again", -XEN_EEXIST, bind_virq(VIRQ_DEBUG, 0, NULL));
    check_long("bind_virq VIRQ_TIMER", 0, bind_virq(VIRQ_TIMER, 0, &q));
    check_long("bind_virq VIRQ_TIMER vcpu 1", -XEN_ENOENT, bind_virq(VIRQ_TIMER, 1, NULL));
    check_long("bind_virq VIRQ_DOM_EXC (global) vcpu 1", -XEN_EINVAL,
               bind_virq(VIRQ_DOM_EXC, 1, NULL));
    check_long("bind_virq virq NR_VIRQS", -XEN_EINVAL, bind_virq(NR_VIRQS, 0, NULL));
    check_long("bind_virq virq 0xffffffff", -XEN_EINVAL, bind_virq(0xffffffff, 0, NULL));
    check_long("send on a VIRQ port", -XEN_EINVAL, ev_send(p));
    check_long("close VIRQ_DEBUG", 0, ev_close(p));
    check_long("close VIRQ_TIMER", 0, ev_close(q));
    check_long("bind_virq VIRQ_DEBUG after close", 0, bind_virq(VIRQ_DEBUG, 0, &p));
    check_long("close VIRQ_DEBUG again", 0, ev_close(p));

    check_long("bind_ipi vcpu 0", 0, bind_ipi(0, &ipi));
    check_long("status IPI: state", 0, ev_status(ipi, &st));
    check_long("status IPI: state", EVTCHNSTAT_ipi, st.status);
    check_long("send on the IPI port -> upcall", 1, deliveries(ipi, ipi));
    check_long("bind_ipi vcpu 1", -XEN_ENOENT, bind_ipi(1, NULL));
    check_long("bind_ipi vcpu 0xffffffff", -XEN_ENOENT, bind_ipi(0xffffffff, NULL));
    check_long("close IPI", 0, ev_close(ipi));
    check_long("status of a closed port", 0, ev_status(ipi, &st));
    check_long("status closed: state", EVTCHNSTAT_closed, st.status);
    check_long("close a closed port", -XEN_EINVAL, ev_close(ipi));
    check_long("send on a closed port", -XEN_EINVAL, ev_send(ipi));
}

static void test_rejections(void)
{
    evtchn_alloc_unbound_t au = { .dom = 0x7fef, .remote_dom = DOMID_SELF };
    evtchn_status_t st;

    check_long("alloc_unbound for a missing domain", -XEN_ESRCH,
               hc_event_channel_op(EVTCHNOP_alloc_unbound, &au));
    check_long("close port 0", -XEN_EINVAL, ev_close(0));
    check_long("close port 4096", -XEN_EINVAL, ev_close(4096));
    check_long("close port 0xffffffff", -XEN_EINVAL, ev_close(0xffffffff));
    check_long("send port 0", -XEN_EINVAL, ev_send(0));
    check_long("send port 4096", -XEN_EINVAL, ev_send(4096));
    check_long("unmask port 4096", -XEN_EINVAL, ev_unmask(4096));
    check_long("status port 4096", -XEN_EINVAL, ev_status(4096, &st));
    check_long("status port 0", 0, ev_status(0, &st));
    check_long("status port 0: state (reserved reads as closed)", EVTCHNSTAT_closed, st.status);
    check_long("event_channel_op cmd 99", -XEN_ENOSYS, hc_event_channel_op(99, &st));
    check_long("event_channel_op status, unmapped pointer", -XEN_EFAULT,
               hc_event_channel_op(EVTCHNOP_status, (void *)BAD_VA_UNMAPPED));
    check_long("event_channel_op send, hole pointer", -XEN_EFAULT,
               hc_event_channel_op(EVTCHNOP_send, (void *)BAD_VA_HOLE));
}

/* SCHEDOP_block with an event pending and upcalls masked: returns at
 * once, and unmasks on the way, so the upcall runs before it returns to
 * the caller. */
static void test_block_poll(evtchn_port_t a, evtchn_port_t b)
{
    unsigned long before;
    evtchn_port_t ports[1] = { a };
    struct sched_poll poll = { .nr_ports = 1 };
    uint64_t t0;

    vcpu0()->evtchn_upcall_mask = 1;
    check_long("send with upcalls masked", 0, ev_send(b));
    check_long("upcall pending flag set", 1, vcpu0()->evtchn_upcall_pending);
    before = port_hits[a];
    check_long("SCHEDOP_block with an event pending", 0, hc_sched_op(SCHEDOP_block, NULL));
    check_long("SCHEDOP_block: the upcall ran", 1, (long)(port_hits[a] - before));
    check_long("SCHEDOP_block: upcall mask left clear", 0, vcpu0()->evtchn_upcall_mask);
    vcpu0()->evtchn_upcall_mask = 1;

    set_xen_guest_handle(poll.ports, ports);
    check_long("send for poll", 0, ev_send(b));
    check_long("SCHEDOP_poll on a pending port", 0, hc_sched_op(SCHEDOP_poll, &poll));
    check_long("SCHEDOP_poll leaves the port pending", 1, pending(a));
    __atomic_fetch_and(&shared->evtchn_pending[a / 64], ~(1UL << (a % 64)), __ATOMIC_SEQ_CST);
    vcpu0()->evtchn_upcall_pending = 0;

    poll.timeout = system_time_ns() + 5000000;
    t0 = system_time_ns();
    check_long("SCHEDOP_poll with a 5 ms timeout", 0, hc_sched_op(SCHEDOP_poll, &poll));
    {
        uint64_t dt = system_time_ns() - t0;

        if (dt < 4900000 || dt > 200000000)
            test_failure("SCHEDOP_poll timeout: expected 4.9-200 ms, got %lu us", dt / 1000);
        printk("SCHEDOP_poll 5 ms timeout took %lu us\n", dt / 1000);
    }
    poll.timeout = 0;
    poll.nr_ports = 129;
    check_long("SCHEDOP_poll 129 ports", -XEN_EINVAL, hc_sched_op(SCHEDOP_poll, &poll));
    poll.nr_ports = 1;
    ports[0] = 4096;
    check_long("SCHEDOP_poll port 4096", -XEN_EINVAL, hc_sched_op(SCHEDOP_poll, &poll));
    /* Xen's evtchn_port_poll: only bound ports can be waited on; these
     * fail before any wait (the 1 ms timeout only bounds a wrong wait). */
    poll.timeout = system_time_ns() + 1000000;
    ports[0] = 0;
    check_long("SCHEDOP_poll reserved port 0", -XEN_EINVAL, hc_sched_op(SCHEDOP_poll, &poll));
    {
        struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
        evtchn_port_t two[2];

        if (check_long("alloc_unbound for a free port", 0,
                       hc_event_channel_op(EVTCHNOP_alloc_unbound, &au)) &&
            check_long("close it", 0, hc_event_channel_op(EVTCHNOP_close, &au.port))) {
            ports[0] = au.port;
            check_long("SCHEDOP_poll free port", -XEN_EINVAL, hc_sched_op(SCHEDOP_poll, &poll));
        }
        ports[0] = 63 + 64 * 10;
        check_long("SCHEDOP_poll port beyond the valid buckets", -XEN_EINVAL,
                   hc_sched_op(SCHEDOP_poll, &poll));
        /* In order: a reserved port before a pending one refuses... */
        check_long("send for poll", 0, ev_send(b));
        two[0] = 0;
        two[1] = a;
        set_xen_guest_handle(poll.ports, two);
        poll.nr_ports = 2;
        check_long("SCHEDOP_poll [port 0, pending port]", -XEN_EINVAL,
                   hc_sched_op(SCHEDOP_poll, &poll));
        /* ...a pending port before it returns at once. */
        two[0] = a;
        two[1] = 0;
        check_long("SCHEDOP_poll [pending port, port 0]", 0, hc_sched_op(SCHEDOP_poll, &poll));
        __atomic_fetch_and(&shared->evtchn_pending[a / 64], ~(1UL << (a % 64)), __ATOMIC_SEQ_CST);
        vcpu0()->evtchn_upcall_pending = 0;
        poll.nr_ports = 1;
        set_xen_guest_handle(poll.ports, ports);
    }
    set_xen_guest_handle(poll.ports, (evtchn_port_t *)BAD_VA_UNMAPPED);
    check_long("SCHEDOP_poll unmapped port list", -XEN_EFAULT, hc_sched_op(SCHEDOP_poll, &poll));
    /* The list's address is checked even for no ports; unmapped is fine
     * then (the 1 ms timeout ends the wait). */
    poll.nr_ports = 0;
    poll.timeout = system_time_ns() + 1000000;
    set_xen_guest_handle(poll.ports, (evtchn_port_t *)BAD_VA_NONCANON);
    check_long("SCHEDOP_poll no ports, non-canonical list", -XEN_EFAULT,
               hc_sched_op(SCHEDOP_poll, &poll));
    set_xen_guest_handle(poll.ports, (evtchn_port_t *)BAD_VA_HOLE);
    check_long("SCHEDOP_poll no ports, list in the hypervisor hole", -XEN_EFAULT,
               hc_sched_op(SCHEDOP_poll, &poll));
    set_xen_guest_handle(poll.ports, (evtchn_port_t *)BAD_VA_UNMAPPED);
    check_long("SCHEDOP_poll no ports, unmapped list", 0, hc_sched_op(SCHEDOP_poll, &poll));
    poll.nr_ports = 1;
    check_long("SCHEDOP_poll unmapped argument", -XEN_EFAULT,
               hc_sched_op(SCHEDOP_poll, (void *)BAD_VA_UNMAPPED));
}

void test_main(void)
{
    evtchn_port_t a, b;
    evtchn_status_t st;
    evtchn_reset_t reset = { .dom = DOMID_SELF };

    if (!shared_info_map()) {
        test_error("no shared_info");
        return;
    }
    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, events_install()))
        return;
    vcpu0()->evtchn_upcall_mask = 1;

    test_loopback(&a, &b);
    test_virq_ipi();
    test_rejections();
    test_block_poll(a, b);

    check_long("close the local end", 0, ev_close(b));
    check_long("remote end after close: status", 0, ev_status(a, &st));
    check_long("remote end after close: unbound again", EVTCHNSTAT_unbound, st.status);
    check_long("EVTCHNOP_reset self", 0, hc_event_channel_op(EVTCHNOP_reset, &reset));
    check_long("after reset: status", 0, ev_status(a, &st));
    check_long("after reset: closed", EVTCHNSTAT_closed, st.status);
    reset.dom = 0x7fef;
    check_long("EVTCHNOP_reset missing domain", -XEN_ESRCH,
               hc_event_channel_op(EVTCHNOP_reset, &reset));
}
