/* SPDX-License-Identifier: MIT */
/*
 * evtchn suite: hypervisor/event/evtchn.c over three fake domains. Every sub-op
 * with valid arguments and each rejection with Xen 4.17's errno, the bit
 * protocol (pending, mask, selector, upcall_pending), exhaustion, Xen's
 * 64-port buckets, reset, destroy and bad guest pointers. Ports bound to
 * Xenolith itself are evtchn_xen_port.c's, the fake environment
 * evtchn_fake.c's, the randomized test evtchn_model.c's.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "evtchn_fake.h"
#include "arch/x86/uaccess.h"
#include "unit.h"
#include "common/array_size.h"

#define D0 (&fake_dom[0])
#define D1 (&fake_dom[1])
#define D2 (&fake_dom[2])

/* --- Initial state ----------------------------------------------------------------- */

static void test_init(void)
{
    uint32_t port;

    fake_evtchn_reset();
    expect_status(D1, 0, EVTCHNSTAT_closed, 0, 0); /* reserved reads as closed */
    EXPECT_INT(ev_close(D1, 0), -XEN_EINVAL);
    EXPECT_INT(ev_send(D1, 0), -XEN_EINVAL);
    EXPECT_INT(ev_bind_vcpu(D1, 0, 0), -XEN_EINVAL);
    EXPECT_INT(ev_unmask(D1, 0), 0);
    EXPECT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &port), 0);
    EXPECT_INT(port, 1);
}

/* --- alloc_unbound ------------------------------------------------------------------- */

static void test_alloc_unbound(void)
{
    uint32_t port;

    fake_evtchn_reset();
    EXPECT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &port), 0);
    EXPECT_INT(port, 1);
    expect_status(D1, 1, EVTCHNSTAT_unbound, 2, 0);
    EXPECT_INT(ev_alloc_unbound(D1, 1, DOMID_SELF, &port), 0); /* own id */
    EXPECT_INT(port, 2);
    expect_status(D1, 2, EVTCHNSTAT_unbound, 1, 0);               /* DOMID_SELF: caller */
    EXPECT_INT(ev_alloc_unbound(D1, DOMID_SELF, 1234, &port), 0); /* not checked */
    expect_status(D1, 3, EVTCHNSTAT_unbound, 1234, 0);

    /* Another domain: only the privileged one may. */
    EXPECT_INT(ev_alloc_unbound(D1, 2, DOMID_SELF, &port), -XEN_EPERM);
    EXPECT_INT(port, 0xdead); /* not written back */
    expect_status(D2, 1, EVTCHNSTAT_closed, 0, 0);
    EXPECT_INT(ev_alloc_unbound(D0, 2, DOMID_SELF, &port), 0);
    EXPECT_INT(port, 1);
    expect_status(D2, 1, EVTCHNSTAT_unbound, 0, 0); /* the caller, d0 */
    EXPECT_INT(ev_alloc_unbound(D1, FAKE_UNKNOWN, DOMID_SELF, &port), -XEN_ESRCH);
    EXPECT_INT(ev_alloc_unbound(D0, FAKE_UNKNOWN, DOMID_SELF, &port), -XEN_ESRCH);
    EXPECT_INT(ev_alloc_unbound(D1, DOMID_IO, DOMID_SELF, &port), -XEN_ESRCH);
}

/* --- Interdomain ------------------------------------------------------------------- */

static void test_interdomain_bind_send_close(void)
{
    uint32_t p2, p1;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &p2), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, p2, &p1), 0);
    EXPECT_INT(p1, 1);
    expect_status(D1, p1, EVTCHNSTAT_interdomain, 2, p2);
    expect_status(D2, p2, EVTCHNSTAT_interdomain, 1, p1);
    /* Xen makes the new local end pending: sends to the unbound end were lost. */
    EXPECT_TRUE(ev_pending(D1, p1));
    EXPECT_TRUE(ev_sel(D1, p1));
    EXPECT_TRUE(ev_upcall(D1));
    EXPECT_INT(D1->kicks, 1);
    EXPECT_TRUE(!ev_pending(D2, p2) && !ev_upcall(D2));

    EXPECT_INT(ev_send(D1, p1), 0);
    EXPECT_TRUE(ev_pending(D2, p2));
    EXPECT_TRUE(ev_sel(D2, p2));
    EXPECT_TRUE(ev_upcall(D2));
    EXPECT_INT(D2->kicks, 1);
    EXPECT_INT(D2->poll_wakes, 1);
    EXPECT_INT(D2->last_poll_port, p2);
    EXPECT_INT(ev_send(D1, p1), 0); /* already pending: nothing new */
    EXPECT_INT(D2->kicks, 1);
    EXPECT_INT(D2->poll_wakes, 1);
    EXPECT_TRUE(D1->kick_order_ok && D2->kick_order_ok);

    /* Selector bit already set: the pending bit alone, no new upcall. */
    ev_ack_all(D2);
    D2->shared.vcpu_info[0].evtchn_pending_sel = 1;
    EXPECT_INT(ev_send(D1, p1), 0);
    EXPECT_TRUE(ev_pending(D2, p2));
    EXPECT_TRUE(!ev_upcall(D2));
    EXPECT_INT(D2->kicks, 1);

    /* Closing one end leaves the other unbound, waiting for the closer. */
    ev_ack_all(D1);
    EXPECT_INT(ev_send(D2, p2), 0);
    EXPECT_TRUE(ev_pending(D1, p1));
    EXPECT_INT(ev_close(D1, p1), 0);
    EXPECT_TRUE(!ev_pending(D1, p1)); /* cleared on close */
    expect_status(D1, p1, EVTCHNSTAT_closed, 0, 0);
    expect_status(D2, p2, EVTCHNSTAT_unbound, 1, 0);
    EXPECT_TRUE(ev_pending(D2, p2)); /* the peer's bit is its own */
    EXPECT_INT(ev_send(D2, p2), 0);  /* unbound: dropped */
    EXPECT_INT(ev_send(D1, p1), -XEN_EINVAL);
    EXPECT_INT(ev_close(D1, p1), -XEN_EINVAL);

    /* And it can be bound again. */
    EXPECT_INT(ev_bind_interdomain(D1, 2, p2, &p1), 0);
    expect_status(D2, p2, EVTCHNSTAT_interdomain, 1, p1);
}

static void test_interdomain_rejections(void)
{
    uint32_t p, q, v, lport;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 0, &p), 0); /* for d0 */
    EXPECT_INT(ev_bind_interdomain(D1, 2, p, &lport), -XEN_EINVAL);
    EXPECT_INT(lport, 0xdead);
    EXPECT_INT(ev_bind_interdomain(D1, FAKE_UNKNOWN, p, NULL), -XEN_ESRCH);
    EXPECT_INT(ev_bind_interdomain(D1, 2, 0, NULL), -XEN_EINVAL);  /* reserved */
    EXPECT_INT(ev_bind_interdomain(D1, 2, 5, NULL), -XEN_EINVAL);  /* free */
    EXPECT_INT(ev_bind_interdomain(D1, 2, 64, NULL), -XEN_EINVAL); /* no bucket */
    EXPECT_INT(ev_bind_interdomain(D1, 2, 4096, NULL), -XEN_EINVAL);
    EXPECT_INT(ev_bind_interdomain(D1, 2, 0xffffffff, NULL), -XEN_EINVAL);
    ASSERT_INT(ev_bind_virq(D2, VIRQ_TIMER, 0, &v), 0);
    EXPECT_INT(ev_bind_interdomain(D1, 2, v, NULL), -XEN_EINVAL);
    /* Already connected. */
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &q), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, q, NULL), 0);
    EXPECT_INT(ev_bind_interdomain(D1, 2, q, NULL), -XEN_EINVAL);
    EXPECT_INT(ev_bind_interdomain(D0, 2, q, NULL), -XEN_EINVAL);
    /* No failure consumed a port of d1: the next is 2. */
    EXPECT_INT(ev_alloc_unbound(D1, DOMID_SELF, 0, &lport), 0);
    EXPECT_INT(lport, 2);
    EXPECT_INT(ev_bind_interdomain(D0, 2, p, &lport), 0);
    EXPECT_INT(lport, 1);
}

static void test_loopback(void)
{
    uint32_t a, b;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, DOMID_SELF, &a), 0);
    ASSERT_INT(ev_bind_interdomain(D1, DOMID_SELF, a, &b), 0);
    EXPECT_INT(b, 2);
    expect_status(D1, a, EVTCHNSTAT_interdomain, 1, b);
    expect_status(D1, b, EVTCHNSTAT_interdomain, 1, a);
    ev_ack_all(D1);
    EXPECT_INT(ev_send(D1, a), 0);
    EXPECT_TRUE(ev_pending(D1, b) && !ev_pending(D1, a));
    EXPECT_INT(ev_close(D1, b), 0);
    expect_status(D1, a, EVTCHNSTAT_unbound, 1, 0);
    /* By own id too. */
    ASSERT_INT(ev_bind_interdomain(D1, 1, a, &b), 0);
    expect_status(D1, a, EVTCHNSTAT_interdomain, 1, b);
}

/* --- The bit protocol ---------------------------------------------------------------- */

static void test_masked_then_unmask(void)
{
    uint32_t p2, p1;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &p2), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, p2, &p1), 0);
    ev_mask(D2, p2);
    EXPECT_INT(ev_send(D1, p1), 0);
    EXPECT_TRUE(ev_pending(D2, p2));
    EXPECT_TRUE(!ev_sel(D2, p2));
    EXPECT_TRUE(!ev_upcall(D2));
    EXPECT_INT(D2->kicks, 0);
    EXPECT_INT(D2->poll_wakes, 1); /* pollers see masked ports */

    EXPECT_INT(ev_unmask(D2, p2), 0);
    EXPECT_TRUE(!ev_masked(D2, p2));
    EXPECT_TRUE(ev_sel(D2, p2));
    EXPECT_TRUE(ev_upcall(D2));
    EXPECT_INT(D2->kicks, 1);
    EXPECT_TRUE(D2->kick_order_ok);

    /* Xen delivers on unmask only when the mask bit was set. */
    D2->shared.vcpu_info[0].evtchn_upcall_pending = 0;
    D2->shared.vcpu_info[0].evtchn_pending_sel = 0;
    EXPECT_INT(ev_unmask(D2, p2), 0);
    EXPECT_TRUE(!ev_sel(D2, p2) && !ev_upcall(D2));

    /* Masked and not pending: unmask only clears the mask. */
    ev_ack_all(D2);
    ev_mask(D2, p2);
    EXPECT_INT(ev_unmask(D2, p2), 0);
    EXPECT_TRUE(!ev_masked(D2, p2) && !ev_sel(D2, p2) && !ev_upcall(D2));
    EXPECT_INT(D2->kicks, 1);

    /* A port in word 1 sets selector bit 1. */
    for (unsigned int i = 0; i < 70; i++)
        evtchn_set_pending(D2, 1000);
    EXPECT_TRUE(ev_pending(D2, 1000));
    EXPECT_U64(D2->shared.vcpu_info[0].evtchn_pending_sel, 1ULL << (1000 / 64));
    evtchn_set_pending(D2, EVTCHN_NR_PORTS); /* ignored */
    evtchn_set_pending(D2, 0xffffffff);
}

static void test_unmask(void)
{
    uint32_t p;

    fake_evtchn_reset();
    EXPECT_INT(ev_unmask(D1, 64), -XEN_EINVAL);
    EXPECT_INT(ev_unmask(D1, 4096), -XEN_EINVAL);
    EXPECT_INT(ev_unmask(D1, 0xffffffff), -XEN_EINVAL);
    /* A free port in a valid bucket: 0, and nothing moves (Xen's evtchn_usable). */
    ev_mask(D1, 5);
    D1->shared.evtchn_pending[0] |= 1ULL << 5;
    EXPECT_INT(ev_unmask(D1, 5), 0);
    EXPECT_TRUE(ev_masked(D1, 5));
    EXPECT_TRUE(!ev_sel(D1, 5) && !ev_upcall(D1));
    /* Bound: the bit clears and the pending event is delivered. */
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &p), 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &p), 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &p), 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &p), 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &p), 0);
    ASSERT_INT(p, 5);
    EXPECT_INT(ev_unmask(D1, 5), 0);
    EXPECT_TRUE(!ev_masked(D1, 5));
    EXPECT_TRUE(ev_sel(D1, 5) && ev_upcall(D1));
    EXPECT_INT(D1->kicks, 1);
}

/* --- VIRQs and IPIs ---------------------------------------------------------------- */

static void test_virq(void)
{
    uint32_t t, c, port;

    fake_evtchn_reset();
    ASSERT_INT(ev_bind_virq(D1, VIRQ_TIMER, 0, &t), 0);
    EXPECT_INT(t, 1);
    expect_status(D1, t, EVTCHNSTAT_virq, VIRQ_TIMER, 0);
    EXPECT_INT(ev_bind_virq(D1, VIRQ_TIMER, 0, &port), -XEN_EEXIST);
    EXPECT_INT(port, 0xdead);
    EXPECT_INT(ev_bind_virq(D1, NR_VIRQS, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(ev_bind_virq(D1, 0xffffffff, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(ev_bind_virq(D1, VIRQ_CONSOLE, 1, NULL), -XEN_EINVAL); /* global */
    EXPECT_INT(ev_bind_virq(D1, VIRQ_ARCH_0, 1, NULL), -XEN_EINVAL);  /* x86: global */
    EXPECT_INT(ev_bind_virq(D1, VIRQ_DEBUG, 1, NULL), -XEN_ENOENT);   /* per-vCPU */
    EXPECT_INT(ev_bind_virq(D1, VIRQ_XENPMU, 0xffffffff, NULL), -XEN_ENOENT);
    EXPECT_INT(ev_bind_virq(D1, VIRQ_TIMER, 1, NULL), -XEN_ENOENT); /* before EEXIST */
    ASSERT_INT(ev_bind_virq(D1, VIRQ_CONSOLE, 0, &c), 0);
    EXPECT_INT(c, 2);

    EXPECT_INT(ev_send(D1, t), -XEN_EINVAL);
    EXPECT_TRUE(evtchn_send_virq(D1, VIRQ_TIMER));
    EXPECT_TRUE(ev_pending(D1, t) && ev_sel(D1, t) && ev_upcall(D1));
    EXPECT_TRUE(!evtchn_send_virq(D1, VIRQ_DEBUG));
    EXPECT_TRUE(!evtchn_send_virq(D1, NR_VIRQS));
    EXPECT_TRUE(!evtchn_send_virq(D2, VIRQ_TIMER));
    EXPECT_TRUE(!ev_pending(D2, t));

    /* Global VIRQs may be rebound (to vCPU 0); per-vCPU ones may not. */
    EXPECT_INT(ev_bind_vcpu(D1, c, 0), 0);
    EXPECT_INT(ev_bind_vcpu(D1, t, 0), -XEN_EINVAL);

    EXPECT_INT(ev_close(D1, t), 0);
    EXPECT_TRUE(!ev_pending(D1, t));
    EXPECT_TRUE(!evtchn_send_virq(D1, VIRQ_TIMER));
    ASSERT_INT(ev_bind_virq(D1, VIRQ_TIMER, 0, &port), 0);
    EXPECT_INT(port, t);
    EXPECT_TRUE(evtchn_send_virq(D1, VIRQ_TIMER));
}

static void test_ipi(void)
{
    uint32_t p, port;

    fake_evtchn_reset();
    ASSERT_INT(ev_bind_ipi(D1, 0, &p), 0);
    EXPECT_INT(p, 1);
    expect_status(D1, p, EVTCHNSTAT_ipi, 0, 0);
    EXPECT_INT(ev_bind_ipi(D1, 1, &port), -XEN_ENOENT);
    EXPECT_INT(port, 0xdead);
    EXPECT_INT(ev_bind_ipi(D1, 0xffffffff, NULL), -XEN_ENOENT);
    EXPECT_INT(ev_send(D1, p), 0);
    EXPECT_TRUE(ev_pending(D1, p) && ev_sel(D1, p) && ev_upcall(D1));
    EXPECT_INT(D1->kicks, 1);
    EXPECT_INT(ev_bind_vcpu(D1, p, 0), -XEN_EINVAL);
    EXPECT_INT(ev_close(D1, p), 0);
    EXPECT_INT(ev_send(D1, p), -XEN_EINVAL);
}

/* --- close, status, bind_vcpu ------------------------------------------------------- */

static void test_close_each_state(void)
{
    uint32_t u, i, v, a, b;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &u), 0);
    ASSERT_INT(ev_bind_ipi(D1, 0, &i), 0);
    ASSERT_INT(ev_bind_virq(D1, VIRQ_DEBUG, 0, &v), 0);
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &b), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, b, &a), 0);
    ev_mask(D1, i);
    ASSERT_INT(ev_send(D1, i), 0);

    EXPECT_INT(ev_close(D1, u), 0);
    EXPECT_INT(ev_close(D1, i), 0);
    EXPECT_TRUE(!ev_pending(D1, i));
    EXPECT_TRUE(ev_masked(D1, i)); /* the guest's mask stays */
    EXPECT_INT(ev_close(D1, v), 0);
    EXPECT_TRUE(!evtchn_send_virq(D1, VIRQ_DEBUG));
    EXPECT_INT(ev_bind_virq(D1, VIRQ_DEBUG, 0, &v), 0); /* unbound, so bindable */
    EXPECT_INT(v, 1);                                   /* the lowest free port */
    EXPECT_INT(ev_close(D2, b), 0);
    expect_status(D1, a, EVTCHNSTAT_unbound, 2, 0);
    expect_status(D1, 2, EVTCHNSTAT_closed, 0, 0);
    expect_status(D1, 3, EVTCHNSTAT_closed, 0, 0);
    EXPECT_INT(ev_close(D1, 0), -XEN_EINVAL);
    EXPECT_INT(ev_close(D1, 10), -XEN_EINVAL); /* free */
    EXPECT_INT(ev_close(D1, 64), -XEN_EINVAL); /* not valid */
    EXPECT_INT(ev_close(D1, 0xffffffff), -XEN_EINVAL);
}

static void test_status(void)
{
    struct evtchn_status st;
    uint32_t u;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &u), 0);
    EXPECT_INT(ev_status(D1, FAKE_UNKNOWN, u, &st), -XEN_ESRCH);
    EXPECT_INT(ev_status(D1, DOMID_SELF, 64, &st), -XEN_EINVAL);
    EXPECT_INT(ev_status(D1, 2, 64, &st), -XEN_EINVAL); /* EINVAL before EPERM */
    EXPECT_INT(ev_status(D1, 2, u, &st), -XEN_EPERM);
    EXPECT_INT(ev_status(D1, 1, u, &st), 0); /* own id */
    EXPECT_INT(st.status, EVTCHNSTAT_unbound);
    EXPECT_INT(ev_status(D0, 1, u, &st), 0); /* privileged */
    EXPECT_INT(st.status, EVTCHNSTAT_unbound);
    EXPECT_INT(st.u.unbound.dom, 2);
    EXPECT_INT(st.dom, 1);
    EXPECT_INT(st.port, u);
    EXPECT_INT(ev_status(D0, 1, 63, &st), 0); /* free, valid */
    EXPECT_INT(st.status, EVTCHNSTAT_closed);

    /* Union fields the state does not use come back as the guest sent them. */
    memset(&st, 0xa5, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = 7;
    EXPECT_INT(ev_op(D1, EVTCHNOP_status, &st), 0);
    EXPECT_INT(st.status, EVTCHNSTAT_closed);
    EXPECT_INT(st.vcpu, 0);
    EXPECT_U64(st.u.interdomain.port, 0xa5a5a5a5);
}

static void test_bind_vcpu(void)
{
    uint32_t u, a, b;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &u), 0);
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &b), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, b, &a), 0);
    EXPECT_INT(ev_bind_vcpu(D1, u, 0), 0);
    EXPECT_INT(ev_bind_vcpu(D1, a, 0), 0);
    EXPECT_INT(ev_bind_vcpu(D1, u, 1), -XEN_ENOENT);
    EXPECT_INT(ev_bind_vcpu(D1, 4096, 1), -XEN_ENOENT); /* vCPU checked first */
    EXPECT_INT(ev_bind_vcpu(D1, 64, 0), -XEN_EINVAL);
    EXPECT_INT(ev_bind_vcpu(D1, 9, 0), -XEN_EINVAL); /* free */
}

/* --- Exhaustion and buckets -------------------------------------------------------- */

static void test_exhaustion(void)
{
    uint32_t port, lport, p2;
    long rc = 0;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &p2), 0);
    for (uint32_t want = 1; want < EVTCHN_NR_PORTS && !rc; want++) {
        rc = ev_alloc_unbound(D1, DOMID_SELF, 2, &port);
        if (!rc && port != want)
            rc = unit_check_int(__FILE__, __LINE__, "port", port, want, false) ? 0 : -1;
    }
    ASSERT_INT(rc, 0);
    EXPECT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &port), -XEN_ENOSPC);
    EXPECT_INT(port, 0xdead);
    EXPECT_INT(ev_bind_virq(D1, VIRQ_TIMER, 0, NULL), -XEN_ENOSPC);
    EXPECT_INT(ev_bind_ipi(D1, 0, NULL), -XEN_ENOSPC);
    EXPECT_INT(ev_bind_interdomain(D1, 2, p2, &lport), -XEN_ENOSPC);
    EXPECT_INT(ev_bind_interdomain(D1, 2, 4000, NULL), -XEN_ENOSPC); /* before EINVAL */
    EXPECT_INT(ev_alloc_unbound(D0, 1, 2, NULL), -XEN_ENOSPC);
    EXPECT_INT(ev_alloc_unbound(D2, 1, 2, NULL), -XEN_ENOSPC); /* before EPERM */
    expect_status(D1, 4095, EVTCHNSTAT_unbound, 2, 0);
    EXPECT_INT(ev_status(D1, DOMID_SELF, 4096, &(struct evtchn_status){ 0 }), -XEN_EINVAL);

    EXPECT_INT(ev_close(D1, 77), 0);
    EXPECT_INT(ev_close(D1, 3000), 0);
    EXPECT_INT(ev_bind_interdomain(D1, 2, p2, &lport), 0);
    EXPECT_INT(lport, 77);
    EXPECT_INT(ev_bind_ipi(D1, 0, &port), 0);
    EXPECT_INT(port, 3000);
}

static void test_buckets(void)
{
    struct evtchn_status st;
    uint32_t port;

    fake_evtchn_reset();
    EXPECT_INT(ev_status(D1, DOMID_SELF, 63, &st), 0);
    EXPECT_INT(ev_status(D1, DOMID_SELF, 64, &st), -XEN_EINVAL);
    for (unsigned int i = 1; i < 64; i++)
        ASSERT_INT(ev_bind_ipi(D1, 0, &port), 0);
    /* The 64th port opens the second bucket. */
    ASSERT_INT(ev_bind_ipi(D1, 0, &port), 0);
    EXPECT_INT(port, 64);
    EXPECT_INT(ev_status(D1, DOMID_SELF, 127, &st), 0);
    EXPECT_INT(st.status, EVTCHNSTAT_closed);
    EXPECT_INT(ev_status(D1, DOMID_SELF, 128, &st), -XEN_EINVAL);
    EXPECT_INT(ev_unmask(D1, 127), 0);

    /* As in Xen, a bucket allocated for a refused request stays. */
    for (unsigned int i = 1; i < 64; i++)
        ASSERT_INT(ev_bind_ipi(D2, 0, &port), 0);
    EXPECT_INT(ev_status(D2, DOMID_SELF, 64, &st), -XEN_EINVAL);
    EXPECT_INT(ev_alloc_unbound(D1, 2, DOMID_SELF, NULL), -XEN_EPERM);
    EXPECT_INT(ev_status(D2, DOMID_SELF, 64, &st), 0);
    EXPECT_INT(st.status, EVTCHNSTAT_closed);
}

/* What SCHEDOP_poll may wait on: bound ports in valid buckets only. */
static void test_pollable(void)
{
    uint32_t port;

    fake_evtchn_reset();
    EXPECT_INT(evtchn_port_pollable(D1, 0), false);  /* reserved */
    EXPECT_INT(evtchn_port_pollable(D1, 5), false);  /* free, valid bucket */
    EXPECT_INT(evtchn_port_pollable(D1, 64), false); /* beyond the buckets */
    EXPECT_INT(evtchn_port_pollable(D1, EVTCHN_NR_PORTS), false);
    EXPECT_INT(evtchn_port_pollable(D1, 0xffffffffu), false);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 2, &port), 0);
    EXPECT_INT(evtchn_port_pollable(D1, port), true); /* unbound */
    ASSERT_INT(ev_bind_virq(D1, VIRQ_TIMER, 0, &port), 0);
    EXPECT_INT(evtchn_port_pollable(D1, port), true);
    ASSERT_INT(ev_bind_ipi(D1, 0, &port), 0);
    EXPECT_INT(evtchn_port_pollable(D1, port), true);
    ASSERT_INT(ev_close(D1, port), 0);
    EXPECT_INT(evtchn_port_pollable(D1, port), false); /* closed again */
}

/* --- reset and destroy --------------------------------------------------------------- */

static void test_reset(void)
{
    uint32_t b, a, port;
    struct evtchn_reset r = { .dom = DOMID_SELF };

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &b), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, b, &a), 0);
    ASSERT_INT(ev_bind_virq(D1, VIRQ_TIMER, 0, NULL), 0);
    ASSERT_INT(ev_bind_ipi(D1, 0, NULL), 0);
    ASSERT_INT(ev_alloc_unbound(D1, DOMID_SELF, 0, NULL), 0);

    EXPECT_INT(ev_reset(D1, FAKE_UNKNOWN), -XEN_ESRCH);
    EXPECT_INT(ev_reset(D1, 2), -XEN_EPERM);
    EXPECT_INT(ev_reset(D0, 1), -XEN_EINVAL); /* not paused by a controller */
    EXPECT_INT(ev_op(D1, EVTCHN_OP_RESET_CONT, &r), -XEN_EBUSY);
    EXPECT_INT(ev_op(D2, EVTCHN_OP_RESET_CONT, &(struct evtchn_reset){ .dom = 1 }), -XEN_EPERM);
    expect_status(D1, 2, EVTCHNSTAT_virq, VIRQ_TIMER, 0); /* nothing closed yet */

    EXPECT_INT(ev_reset(D1, DOMID_SELF), 0);
    for (uint32_t p = 1; p < 64; p++)
        expect_status(D1, p, EVTCHNSTAT_closed, 0, 0);
    expect_status(D1, 0, EVTCHNSTAT_closed, 0, 0);
    expect_status(D2, b, EVTCHNSTAT_unbound, 1, 0);
    EXPECT_TRUE(!evtchn_send_virq(D1, VIRQ_TIMER));
    EXPECT_INT(ev_alloc_unbound(D1, DOMID_SELF, 0, &port), 0);
    EXPECT_INT(port, 1);
    EXPECT_INT(ev_reset(D1, 1), 0); /* own id */
    EXPECT_INT(ev_reset(D0, DOMID_SELF), 0);
}

/* A peer that has left the lookup (shutting down) closes its end only at
 * destroy; by then our port may be reused, and must not be touched. */
static void test_destroy_after_peer_reuse(void)
{
    uint32_t b, a, p0, reused;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &b), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, b, &a), 0);
    D1->live = false; /* shutting down */
    EXPECT_INT(ev_close(D2, b), 0);
    ASSERT_INT(ev_alloc_unbound(D0, DOMID_SELF, 2, &p0), 0);
    ASSERT_INT(ev_bind_interdomain(D2, 0, p0, &reused), 0);
    EXPECT_INT(reused, b);
    evtchn_domain_destroy(D1);
    expect_status(D2, reused, EVTCHNSTAT_interdomain, 0, p0);
    expect_status(D0, p0, EVTCHNSTAT_interdomain, 2, reused);
}

static void test_destroy(void)
{
    uint32_t b, a;
    struct evtchn_status st;

    fake_evtchn_reset();
    ASSERT_INT(ev_alloc_unbound(D2, DOMID_SELF, 1, &b), 0);
    ASSERT_INT(ev_bind_interdomain(D1, 2, b, &a), 0);
    ASSERT_INT(ev_bind_virq(D1, VIRQ_TIMER, 0, NULL), 0);
    evtchn_domain_destroy(D1);
    D1->live = false;
    expect_status(D2, b, EVTCHNSTAT_unbound, 1, 0);
    EXPECT_INT(ev_send(D2, b), 0);
    EXPECT_INT(ev_status(D2, 1, a, &st), -XEN_ESRCH);
    EXPECT_INT(ev_bind_interdomain(D2, 1, a, NULL), -XEN_ESRCH);
    EXPECT_INT(evtchn_env_state(D1)->nr_valid, 0);
    EXPECT_TRUE(!evtchn_send_virq(D1, VIRQ_TIMER));
}

static void test_pirq_fifo_unknown(void)
{
    struct evtchn_bind_pirq bp = { .pirq = 0 };
    struct evtchn_init_control ic = { .control_gfn = 1 };
    struct evtchn_expand_array ea = { .array_gfn = 1 };
    struct evtchn_set_priority sp = { .port = 1, .priority = 1 };
    struct evtchn_close c = { .port = 1 };

    fake_evtchn_reset();
    EXPECT_INT(ev_op(D1, EVTCHNOP_bind_pirq, &bp), -XEN_EPERM);
    bp.pirq = 55;
    EXPECT_INT(ev_op(D1, EVTCHNOP_bind_pirq, &bp), -XEN_EPERM);
    bp.pirq = 56;
    EXPECT_INT(ev_op(D1, EVTCHNOP_bind_pirq, &bp), -XEN_EINVAL);
    bp.pirq = 0xffffffff;
    EXPECT_INT(ev_op(D0, EVTCHNOP_bind_pirq, &bp), -XEN_EINVAL);

    EXPECT_INT(ev_op(D1, EVTCHNOP_init_control, &ic), -XEN_ENOSYS);
    EXPECT_INT(ev_op(D1, EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
    EXPECT_INT(ev_op(D1, EVTCHNOP_set_priority, &sp), -XEN_ENOSYS); /* valid, free */
    sp.port = 64;
    EXPECT_INT(ev_op(D1, EVTCHNOP_set_priority, &sp), -XEN_EINVAL);

    EXPECT_INT(ev_op(D1, 15, &c), -XEN_ENOSYS);
    EXPECT_INT(ev_op(D1, 1000, &c), -XEN_ENOSYS);
    EXPECT_INT(ev_op(D1, -1, &c), -XEN_ENOSYS);
    EXPECT_INT(evtchn_op(D1, 15, FAKE_BAD_PTR), -XEN_ENOSYS); /* no copy first */
}

static void test_bad_pointers(void)
{
    static const int cmds[] = {
        EVTCHNOP_bind_interdomain,
        EVTCHNOP_bind_virq,
        EVTCHNOP_bind_pirq,
        EVTCHNOP_close,
        EVTCHNOP_send,
        EVTCHNOP_status,
        EVTCHNOP_alloc_unbound,
        EVTCHNOP_bind_ipi,
        EVTCHNOP_bind_vcpu,
        EVTCHNOP_unmask,
        EVTCHNOP_reset,
        EVTCHNOP_init_control,
        EVTCHNOP_expand_array,
        EVTCHNOP_set_priority,
        EVTCHN_OP_RESET_CONT,
    };
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 2 };
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER };
    struct evtchn_status st = { .dom = DOMID_SELF, .port = 1 };
    char label[32];

    fake_evtchn_reset();
    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
        snprintf(label, sizeof(label), "cmd %d", cmds[i]);
        unit_check_int(__FILE__, __LINE__, label, evtchn_op(D1, cmds[i], FAKE_BAD_PTR), -XEN_EFAULT,
                       false);
    }
    expect_status(D1, 1, EVTCHNSTAT_closed, 0, 0);

    /* Copy-out fails after the work is done: Xen keeps the port and says -EFAULT. */
    fake_ro_ptr = (uint64_t)(uintptr_t)&a;
    EXPECT_INT(ev_op(D1, EVTCHNOP_alloc_unbound, &a), -XEN_EFAULT);
    fake_ro_ptr = (uint64_t)(uintptr_t)&bv;
    EXPECT_INT(ev_op(D1, EVTCHNOP_bind_virq, &bv), -XEN_EFAULT);
    fake_ro_ptr = (uint64_t)(uintptr_t)&st;
    EXPECT_INT(ev_op(D1, EVTCHNOP_status, &st), -XEN_EFAULT);
    fake_ro_ptr = 0;
    expect_status(D1, 1, EVTCHNSTAT_unbound, 2, 0);
    expect_status(D1, 2, EVTCHNSTAT_virq, VIRQ_TIMER, 0);
    /* A failing op is not copied back at all. */
    fake_ro_ptr = (uint64_t)(uintptr_t)&bv;
    EXPECT_INT(ev_op(D1, EVTCHNOP_bind_virq, &bv), -XEN_EEXIST);
    fake_ro_ptr = 0;
}

static const struct unit_test evtchn_tests[] = {
    { "init", test_init },
    { "alloc_unbound", test_alloc_unbound },
    { "interdomain_bind_send_close", test_interdomain_bind_send_close },
    { "interdomain_rejections", test_interdomain_rejections },
    { "loopback", test_loopback },
    { "masked_then_unmask", test_masked_then_unmask },
    { "unmask", test_unmask },
    { "virq", test_virq },
    { "ipi", test_ipi },
    { "close_each_state", test_close_each_state },
    { "status", test_status },
    { "bind_vcpu", test_bind_vcpu },
    { "exhaustion", test_exhaustion },
    { "buckets", test_buckets },
    { "pollable", test_pollable },
    { "reset", test_reset },
    { "destroy", test_destroy },
    { "destroy_after_peer_reuse", test_destroy_after_peer_reuse },
    { "pirq_fifo_unknown", test_pirq_fifo_unknown },
    { "bad_pointers", test_bad_pointers },
};

void register_evtchn_tests(void)
{
    UNIT_SUITE("evtchn", evtchn_tests);
}
