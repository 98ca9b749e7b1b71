/* SPDX-License-Identifier: MIT */
/*
 * evtchn_xen_port suite: ports bound to Xenolith itself, as its backends
 * use them (evtchn_alloc_xen_port and friends), over evtchn_fake.c's
 * domains: sends both ways, re-entrant notifications, closes from either
 * side, a frontend's port bound by a backend, limits, reset and destroy.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "evtchn_fake.h"
#include "arch/x86/uaccess.h"
#include "unit.h"

#define D0 (&fake_dom[0])
#define D1 (&fake_dom[1])
#define D2 (&fake_dom[2])

/* --- Ports bound to Xenolith ------------------------------------------------------- */

/* A backend as the tests see it: every notify call on it, and what it does
 * when called. */
struct backend {
    unsigned int calls;
    struct domain *d;
    unsigned int port;
    void *arg;
    bool echo;  /* signal the guest back from notify */
    bool close; /* close its end from notify */
};

static void backend_notify(struct domain *d, unsigned int port, void *arg)
{
    struct backend *b = arg;

    b->calls++;
    b->d = d;
    b->port = port;
    b->arg = arg;
    if (b->echo)
        evtchn_notify_guest(d, port);
    if (b->close)
        evtchn_close_xen_port(d, port);
}

/* The calls b has seen, and that the last was for (d, port) with b itself. */
static void expect_calls(const char *label, struct backend *b, unsigned int calls, struct domain *d,
                         unsigned int port)
{
    char what[96];

    snprintf(what, sizeof(what), "%s: notify calls", label);
    if (!unit_check_int(__FILE__, __LINE__, what, b->calls, calls, false) || !calls)
        return;
    snprintf(what, sizeof(what), "%s: notify domain", label);
    unit_check_int(__FILE__, __LINE__, what, b->d ? b->d->id : -1, d->id, false);
    snprintf(what, sizeof(what), "%s: notify port", label);
    unit_check_int(__FILE__, __LINE__, what, b->port, port, false);
    snprintf(what, sizeof(what), "%s: notify arg", label);
    unit_check_true(__FILE__, __LINE__, what, b->arg == b, NULL, false);
}

static bool no_bits(struct domain *d)
{
    for (unsigned int w = 0; w < 64; w++)
        if (d->shared.evtchn_pending[w])
            return false;
    return !d->shared.vcpu_info[0].evtchn_pending_sel && !ev_upcall(d) && !d->kicks &&
           !d->poll_wakes;
}

static void test_xen_port_send(void)
{
    struct backend con = { 0 }, store = { 0 };
    uint32_t u;
    int cp, sp;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &u), 0);
    ASSERT_INT(ev_bind_ipi(D1, 0, NULL), 0);
    ASSERT_INT(ev_close(D1, u), 0);
    cp = evtchn_alloc_xen_port(D1, backend_notify, &con);
    EXPECT_INT(cp, 1); /* the lowest free port */
    sp = evtchn_alloc_xen_port(D1, backend_notify, &store);
    EXPECT_INT(sp, 3);
    ASSERT_TRUE(cp > 0 && sp > 0);
    expect_status(D1, cp, EVTCHNSTAT_interdomain, EVTCHN_XEN_REMOTE_DOM, 0);
    expect_status(D1, sp, EVTCHNSTAT_interdomain, EVTCHN_XEN_REMOTE_DOM, 0);
    EXPECT_TRUE(no_bits(D1)); /* allocation signals nothing */

    /* Each send reaches its own backend, once, and marks nothing pending. */
    EXPECT_INT(ev_send(D1, cp), 0);
    expect_calls("first send", &con, 1, D1, cp);
    expect_calls("first send, other backend", &store, 0, D1, sp);
    EXPECT_INT(ev_send(D1, sp), 0);
    expect_calls("store send", &store, 1, D1, sp);
    EXPECT_INT(ev_send(D1, cp), 0);
    EXPECT_INT(ev_send(D1, cp), 0);
    expect_calls("third send", &con, 3, D1, cp);
    expect_calls("after console sends", &store, 1, D1, sp);
    for (unsigned int i = 0; i < FAKE_DOMS; i++)
        EXPECT_TRUE(no_bits(&fake_dom[i]));

    /* The privileged domain sees it as the guest does. */
    {
        struct evtchn_status st;

        EXPECT_INT(ev_status(D0, 1, cp, &st), 0);
        EXPECT_INT(st.status, EVTCHNSTAT_interdomain);
        EXPECT_INT(st.u.interdomain.dom, EVTCHN_XEN_REMOTE_DOM);
        EXPECT_INT(st.u.interdomain.port, 0);
        EXPECT_INT(ev_status(D2, 1, cp, &st), -XEN_EPERM);
    }

    /* Nobody can bind to it, nor send on it from elsewhere. */
    EXPECT_INT(ev_bind_interdomain(D0, 1, cp, NULL), -XEN_EINVAL);
    EXPECT_INT(ev_bind_interdomain(D1, DOMID_SELF, cp, NULL), -XEN_EINVAL);
    EXPECT_INT(ev_send(D0, cp), -XEN_EINVAL); /* d0's port 1 is free */
    expect_calls("after refused binds", &con, 3, D1, cp);

    /* bind_vcpu answers as for an interdomain port; unmask works. */
    EXPECT_INT(ev_bind_vcpu(D1, cp, 0), 0);
    EXPECT_INT(ev_bind_vcpu(D1, cp, 1), -XEN_ENOENT);
    expect_status(D1, cp, EVTCHNSTAT_interdomain, EVTCHN_XEN_REMOTE_DOM, 0);
}

static void test_xen_port_notify_guest(void)
{
    struct backend con = { 0 };
    int p;

    fake_evtchn_reset();
    p = evtchn_alloc_xen_port(D2, backend_notify, &con);
    ASSERT_INT(p, 1);

    evtchn_notify_guest(D2, p);
    EXPECT_TRUE(ev_pending(D2, p) && ev_sel(D2, p) && ev_upcall(D2));
    EXPECT_INT(D2->kicks, 1);
    EXPECT_INT(D2->poll_wakes, 1);
    EXPECT_INT(D2->last_poll_port, p);
    EXPECT_TRUE(D2->kick_order_ok);
    evtchn_notify_guest(D2, p); /* already pending */
    EXPECT_INT(D2->kicks, 1);
    EXPECT_INT(D2->poll_wakes, 1);
    expect_calls("notify_guest", &con, 0, D2, p); /* never loops back */
    EXPECT_TRUE(no_bits(D0) && no_bits(D1));

    /* Selector bit already set: the pending bit alone. */
    ev_ack_all(D2);
    D2->shared.vcpu_info[0].evtchn_pending_sel = 1;
    evtchn_notify_guest(D2, p);
    EXPECT_TRUE(ev_pending(D2, p) && !ev_upcall(D2));
    EXPECT_INT(D2->kicks, 1);

    /* Masked: pending and pollers only; unmask delivers. */
    ev_ack_all(D2);
    ev_mask(D2, p);
    evtchn_notify_guest(D2, p);
    EXPECT_TRUE(ev_pending(D2, p) && !ev_sel(D2, p) && !ev_upcall(D2));
    EXPECT_INT(D2->kicks, 1);
    EXPECT_INT(D2->poll_wakes, 3);
    EXPECT_INT(ev_unmask(D2, p), 0);
    EXPECT_TRUE(!ev_masked(D2, p) && ev_sel(D2, p) && ev_upcall(D2));
    EXPECT_INT(D2->kicks, 2);
    EXPECT_TRUE(D2->kick_order_ok);

    /* Ports not bound to Xenolith are left alone. */
    ev_ack_all(D2);
    D2->kicks = D2->poll_wakes = 0;
    ASSERT_INT(ev_bind_ipi(D2, 0, NULL), 0);
    evtchn_notify_guest(D2, 2);  /* IPI */
    evtchn_notify_guest(D2, 5);  /* free */
    evtchn_notify_guest(D2, 0);  /* reserved */
    evtchn_notify_guest(D2, 64); /* beyond the valid bucket */
    evtchn_notify_guest(D2, EVTCHN_NR_PORTS);
    evtchn_notify_guest(D2, 0xffffffff);
    EXPECT_TRUE(no_bits(D2));
}

/* A backend that answers from inside notify, or closes from there. */
static void test_xen_port_reentrant(void)
{
    struct backend echo = { .echo = true }, once = { .close = true };
    int e, o;

    fake_evtchn_reset();
    e = evtchn_alloc_xen_port(D1, backend_notify, &echo);
    o = evtchn_alloc_xen_port(D1, backend_notify, &once);
    ASSERT_TRUE(e == 1 && o == 2);
    EXPECT_INT(ev_send(D1, e), 0);
    expect_calls("echo", &echo, 1, D1, e);
    EXPECT_TRUE(ev_pending(D1, e) && ev_upcall(D1));
    EXPECT_INT(ev_send(D1, o), 0);
    expect_calls("close from notify", &once, 1, D1, o);
    expect_status(D1, o, EVTCHNSTAT_unbound, EVTCHN_XEN_REMOTE_DOM, 0);
    EXPECT_INT(ev_send(D1, o), 0);
    expect_calls("after close from notify", &once, 1, D1, o);
}

/* The guest closes its end: the port is free, the backend never hears of
 * it again, and its calls on the old number touch nothing. */
static void test_xen_port_guest_close(void)
{
    struct backend con = { 0 };
    uint32_t ipi;
    int p;

    fake_evtchn_reset();
    p = evtchn_alloc_xen_port(D1, backend_notify, &con);
    ASSERT_INT(p, 1);
    evtchn_notify_guest(D1, p);
    ev_mask(D1, p);
    EXPECT_INT(ev_close(D1, p), 0);
    EXPECT_TRUE(!ev_pending(D1, p)); /* cleared on close */
    EXPECT_TRUE(ev_masked(D1, p));   /* the guest's mask stays */
    expect_status(D1, p, EVTCHNSTAT_closed, 0, 0);
    EXPECT_INT(ev_send(D1, p), -XEN_EINVAL);
    EXPECT_INT(ev_close(D1, p), -XEN_EINVAL);
    expect_calls("after guest close", &con, 0, D1, p);

    /* The number is reused: the backend's calls leave the new port alone. */
    ASSERT_INT(ev_bind_ipi(D1, 0, &ipi), 0);
    ASSERT_INT(ipi, p);
    ev_ack_all(D1);
    evtchn_notify_guest(D1, p);
    EXPECT_TRUE(!ev_pending(D1, p));
    evtchn_close_xen_port(D1, p);
    expect_status(D1, p, EVTCHNSTAT_ipi, 0, 0);
    EXPECT_INT(ev_send(D1, p), 0);
    EXPECT_TRUE(ev_pending(D1, p));
    expect_calls("after reuse", &con, 0, D1, p);
}

/* Xenolith closes its end: as when a dom0 backend closes, the guest's port
 * is unbound, waiting for dom0; the guest still owns and closes it. */
static void test_xen_port_xen_close(void)
{
    struct backend con = { 0 };
    uint32_t lport;
    int p;

    fake_evtchn_reset();
    p = evtchn_alloc_xen_port(D1, backend_notify, &con);
    ASSERT_INT(p, 1);
    evtchn_notify_guest(D1, p);
    evtchn_close_xen_port(D1, p);
    expect_status(D1, p, EVTCHNSTAT_unbound, EVTCHN_XEN_REMOTE_DOM, 0);
    EXPECT_TRUE(ev_pending(D1, p)); /* the guest's to consume */
    EXPECT_INT(ev_send(D1, p), 0);  /* unbound: dropped */
    expect_calls("after xen close", &con, 0, D1, p);
    ev_ack_all(D1);
    evtchn_notify_guest(D1, p); /* no longer Xenolith's */
    EXPECT_TRUE(!ev_pending(D1, p));
    evtchn_close_xen_port(D1, p); /* twice: nothing */
    expect_status(D1, p, EVTCHNSTAT_unbound, EVTCHN_XEN_REMOTE_DOM, 0);
    evtchn_close_xen_port(D1, 0);
    evtchn_close_xen_port(D1, 64);
    evtchn_close_xen_port(D1, 0xffffffff);
    expect_status(D1, 0, EVTCHNSTAT_closed, 0, 0);

    /* It waits for the backends' own id, which no guest has: not even d0
     * can take it over (docs/events.md). */
    EXPECT_INT(ev_bind_interdomain(D2, 1, p, NULL), -XEN_EINVAL);
    EXPECT_INT(ev_bind_interdomain(D0, 1, p, &lport), -XEN_EINVAL);
    expect_status(D1, p, EVTCHNSTAT_unbound, EVTCHN_XEN_REMOTE_DOM, 0);
    EXPECT_INT(ev_close(D1, p), 0);
    expect_status(D1, p, EVTCHNSTAT_closed, 0, 0);
}

/* A frontend's port, allocated for the backends' id, bound by an in-hypervisor
 * backend (evtchn_bind_xen_port): only an unbound port waiting for
 * EVTCHN_XEN_REMOTE_DOM; afterwards it behaves as Xenolith's own. */
static void test_xen_port_bind_frontend(void)
{
    struct backend con = { 0 }, b[EVTCHN_NR_XEN_PORTS] = { 0 };
    uint32_t fe, other, self_port, ipi;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, EVTCHN_XEN_REMOTE_DOM, &fe), 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &other), 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, DOMID_SELF, &self_port), 0);
    ASSERT_INT(ev_bind_ipi(D1, 0, &ipi), 0);

    /* Refusals leave the port as it was. */
    EXPECT_INT(evtchn_bind_xen_port(D1, other, backend_notify, &con), -XEN_EINVAL);
    expect_status(D1, other, EVTCHNSTAT_unbound, 2, 0);
    EXPECT_INT(evtchn_bind_xen_port(D1, self_port, backend_notify, &con), -XEN_EINVAL);
    EXPECT_INT(evtchn_bind_xen_port(D1, ipi, backend_notify, &con), -XEN_EINVAL);
    EXPECT_INT(evtchn_bind_xen_port(D1, 0, backend_notify, &con), -XEN_EINVAL);
    EXPECT_INT(evtchn_bind_xen_port(D1, 63, backend_notify, &con), -XEN_EINVAL); /* free */
    EXPECT_INT(evtchn_bind_xen_port(D1, 64, backend_notify, &con), -XEN_EINVAL); /* no bucket */
    EXPECT_INT(evtchn_bind_xen_port(D1, 0xffffffff, backend_notify, &con), -XEN_EINVAL);
    EXPECT_INT(evtchn_bind_xen_port(D1, fe, NULL, &con), -XEN_EINVAL);
    expect_status(D1, fe, EVTCHNSTAT_unbound, EVTCHN_XEN_REMOTE_DOM, 0);

    ASSERT_INT(evtchn_bind_xen_port(D1, fe, backend_notify, &con), 0);
    expect_status(D1, fe, EVTCHNSTAT_interdomain, EVTCHN_XEN_REMOTE_DOM, 0);
    EXPECT_INT(evtchn_bind_xen_port(D1, fe, backend_notify, &con), -XEN_EINVAL); /* twice */
    ASSERT_INT(ev_send(D1, fe), 0);
    expect_calls("bound frontend port", &con, 1, D1, fe);
    evtchn_notify_guest(D1, fe);
    EXPECT_TRUE(ev_pending(D1, fe));
    /* The backend lets go: unbound for dom 0 again, bindable again. */
    evtchn_close_xen_port(D1, fe);
    expect_status(D1, fe, EVTCHNSTAT_unbound, EVTCHN_XEN_REMOTE_DOM, 0);
    EXPECT_INT(evtchn_bind_xen_port(D1, fe, backend_notify, &con), 0);

    /* Every Xenolith slot in use: -ENOSPC, the port stays unbound. */
    fake_evtchn_reset();
    for (unsigned int i = 0; i < EVTCHN_NR_XEN_PORTS; i++)
        ASSERT_TRUE(evtchn_alloc_xen_port(D1, backend_notify, &b[i]) > 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, EVTCHN_XEN_REMOTE_DOM, &fe), 0);
    EXPECT_INT(evtchn_bind_xen_port(D1, fe, backend_notify, &con), -XEN_ENOSPC);
    expect_status(D1, fe, EVTCHNSTAT_unbound, EVTCHN_XEN_REMOTE_DOM, 0);
}

static void test_xen_port_limits(void)
{
    struct backend b[EVTCHN_NR_XEN_PORTS + 1] = { 0 };
    int p[EVTCHN_NR_XEN_PORTS];
    uint32_t port;
    long rc = 0;
    int q;

    fake_evtchn_reset();
    EXPECT_INT(evtchn_alloc_xen_port(D1, NULL, &b[0]), -XEN_EINVAL);
    for (unsigned int i = 0; i < EVTCHN_NR_XEN_PORTS; i++) {
        p[i] = evtchn_alloc_xen_port(D1, backend_notify, &b[i]);
        EXPECT_INT(p[i], i + 1);
    }
    EXPECT_INT(evtchn_alloc_xen_port(D1, backend_notify, &b[EVTCHN_NR_XEN_PORTS]), -XEN_ENOSPC);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &port), 0); /* no port was taken */
    EXPECT_INT(port, EVTCHN_NR_XEN_PORTS + 1);
    EXPECT_INT(evtchn_alloc_xen_port(D2, backend_notify, &b[EVTCHN_NR_XEN_PORTS]), 1);

    /* Either side's close frees a slot, and each port keeps its own arg. */
    ASSERT_INT(ev_close(D1, p[2]), 0);
    evtchn_close_xen_port(D1, p[5]);
    q = evtchn_alloc_xen_port(D1, backend_notify, &b[EVTCHN_NR_XEN_PORTS]);
    EXPECT_INT(q, p[2]);
    EXPECT_INT(evtchn_alloc_xen_port(D1, backend_notify, &b[2]), EVTCHN_NR_XEN_PORTS + 2);
    EXPECT_INT(evtchn_alloc_xen_port(D1, backend_notify, &b[5]), -XEN_ENOSPC);
    for (unsigned int i = 0; i < EVTCHN_NR_XEN_PORTS; i++)
        if (i != 2 && i != 5)
            ASSERT_INT(ev_send(D1, p[i]), 0);
    ASSERT_INT(ev_send(D1, q), 0);
    for (unsigned int i = 0; i < EVTCHN_NR_XEN_PORTS; i++)
        if (i != 2 && i != 5)
            expect_calls("slot", &b[i], 1, D1, p[i]);
    expect_calls("reused slot", &b[EVTCHN_NR_XEN_PORTS], 1, D1, q);

    /* A full domain: -ENOSPC, and a new bucket when the valid ones are full. */
    fake_evtchn_reset();
    for (unsigned int i = 1; i < 64; i++)
        ASSERT_INT(ev_bind_ipi(D1, 0, NULL), 0);
    EXPECT_INT(evtchn_alloc_xen_port(D1, backend_notify, &b[0]), 64);
    for (uint32_t want = 65; want < EVTCHN_NR_PORTS && !rc; want++)
        rc = ev_bind_ipi(D1, 0, NULL);
    ASSERT_INT(rc, 0);
    EXPECT_INT(evtchn_alloc_xen_port(D1, backend_notify, &b[1]), -XEN_ENOSPC);
    EXPECT_INT(ev_close(D1, 4000), 0);
    EXPECT_INT(evtchn_alloc_xen_port(D1, backend_notify, &b[1]), 4000);
}

static void test_xen_port_reset_destroy(void)
{
    struct backend con = { 0 }, store = { 0 };
    uint32_t port;
    int c, s;

    fake_evtchn_reset();
    c = evtchn_alloc_xen_port(D1, backend_notify, &con);
    s = evtchn_alloc_xen_port(D1, backend_notify, &store);
    ASSERT_TRUE(c == 1 && s == 2);
    evtchn_notify_guest(D1, c);
    EXPECT_INT(ev_reset(D1, DOMID_SELF), 0);
    expect_status(D1, c, EVTCHNSTAT_closed, 0, 0);
    expect_status(D1, s, EVTCHNSTAT_closed, 0, 0);
    EXPECT_TRUE(!ev_pending(D1, c));
    EXPECT_INT(ev_send(D1, c), -XEN_EINVAL);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &port), 0);
    EXPECT_INT(port, 1);
    ev_ack_all(D1);
    evtchn_notify_guest(D1, c); /* now an unbound port */
    EXPECT_TRUE(!ev_pending(D1, c));
    expect_calls("after reset", &con, 0, D1, c);
    expect_calls("after reset", &store, 0, D1, s);
    /* Every slot is free again. */
    for (unsigned int i = 0; i < EVTCHN_NR_XEN_PORTS; i++)
        EXPECT_TRUE(evtchn_alloc_xen_port(D1, backend_notify, &con) > 0);

    fake_evtchn_reset();
    c = evtchn_alloc_xen_port(D2, backend_notify, &con);
    ASSERT_INT(c, 1);
    evtchn_domain_destroy(D2);
    D2->live = false;
    evtchn_notify_guest(D2, c);
    evtchn_close_xen_port(D2, c);
    EXPECT_TRUE(no_bits(D2));
    EXPECT_INT(evtchn_alloc_xen_port(D2, backend_notify, &con), -XEN_ESRCH);
    EXPECT_INT(evtchn_env_state(D2)->nr_valid, 0);
    expect_calls("after destroy", &con, 0, D2, c);
}

/* --- PIRQ, FIFO, unknown cmds, guest pointers ----------------------------------------- */

static const struct unit_test evtchn_xen_port_tests[] = {
    { "send", test_xen_port_send },
    { "notify_guest", test_xen_port_notify_guest },
    { "reentrant", test_xen_port_reentrant },
    { "guest_close", test_xen_port_guest_close },
    { "xen_close", test_xen_port_xen_close },
    { "limits", test_xen_port_limits },
    { "bind_frontend", test_xen_port_bind_frontend },
    { "reset_destroy", test_xen_port_reset_destroy },
};

void register_evtchn_xen_port_tests(void)
{
    UNIT_SUITE("evtchn_xen_port", evtchn_xen_port_tests);
}
