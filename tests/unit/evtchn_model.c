/* SPDX-License-Identifier: MIT */
/*
 * evtchn_model suite: random sequences (fixed seeds) of event-channel ops
 * and guest bit writes over the three fake domains, each checked against a
 * small reference model of Xen 4.17's rules: return codes, returned ports,
 * every port's binding, Xen's 64-port buckets, and the pending, mask,
 * selector and upcall bits. Xenolith's side of ports bound to it (allocate,
 * signal the guest, close) is among the ops, and every notify call made by
 * a guest's send is checked.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "evtchn_fake.h"
#include "unit.h"

#define NPORTS 4096
#define STEPS  4000

struct mport {
    uint8_t st; /* enum evtchn_state */
    uint16_t rdom, rport, virq;
};

struct mdom {
    struct mport p[NPORTS];
    uint16_t virq[NR_VIRQS];
    unsigned int valid;
    uint64_t pend[64], mask[64], sel;
    bool upcall;
    bool live;
};

static struct mdom model[FAKE_DOMS];
static uint64_t rng;
/* Notify calls since the last step: the real ones, from the backend below. */
static unsigned int nr_notify;
static struct domain *notify_dom;
static unsigned int notify_port;
static void *notify_arg;
/* Coverage, printed once: a model that only ever sees rejections proves little. */
static unsigned long nr_ops, nr_ok, nr_rejected, nr_interdomain, nr_xen, nr_xen_sends;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static struct mdom *m_dom(unsigned int self, domid_t id, unsigned int *idx)
{
    if (id == DOMID_SELF)
        id = self;
    if (id >= FAKE_DOMS || !model[id].live)
        return NULL;
    *idx = id;
    return &model[id];
}

static bool m_bit(const uint64_t *w, unsigned int p)
{
    return (w[p / 64] >> (p % 64)) & 1;
}

static long m_alloc(struct mdom *m)
{
    for (unsigned int p = 0; p < NPORTS; p++)
        if (m->p[p].st == ECS_FREE) {
            if (p >= m->valid)
                m->valid += 64;
            return p;
        }
    return -XEN_ENOSPC;
}

static void m_pending(struct mdom *m, unsigned int p)
{
    if (m_bit(m->pend, p))
        return;
    m->pend[p / 64] |= 1ULL << (p % 64);
    if (!m_bit(m->mask, p) && !((m->sel >> (p / 64)) & 1)) {
        m->sel |= 1ULL << (p / 64);
        m->upcall = true;
    }
}

/* Each Xenolith port's arg names its domain and port, so a notify reaching
 * the wrong slot shows. */
static void *xen_arg(unsigned int di, unsigned int port)
{
    return (void *)(uintptr_t)(0x10000 * (di + 1) + port);
}

static void backend_notify(struct domain *d, unsigned int port, void *arg)
{
    nr_notify++;
    notify_dom = d;
    notify_port = port;
    notify_arg = arg;
}

static unsigned int m_xen_ports(const struct mdom *m)
{
    unsigned int n = 0;

    for (unsigned int p = 0; p < m->valid; p++)
        n += m->p[p].st == ECS_XEN;
    return n;
}

static bool m_global(unsigned int virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

static long m_close(unsigned int di, uint32_t p)
{
    struct mdom *m = &model[di];
    struct mport *c;

    if (p >= m->valid)
        return -XEN_EINVAL;
    c = &m->p[p];
    if (c->st == ECS_FREE || c->st == ECS_RESERVED)
        return -XEN_EINVAL;
    if (c->st == ECS_VIRQ)
        m->virq[c->virq] = 0;
    if (c->st == ECS_INTERDOMAIN) {
        struct mport *r = &model[c->rdom].p[c->rport];
        r->st = ECS_UNBOUND;
        r->rdom = di;
        r->rport = 0;
    }
    memset(c, 0, sizeof(*c));
    m->pend[p / 64] &= ~(1ULL << (p % 64));
    return 0;
}

/* A port number worth trying: mostly low, sometimes at a bucket edge or far. */
static uint32_t pick_port(void)
{
    static const uint32_t odd[] = { 0, 63, 64, 127, 128, 4095, 4096, 0xffffffff };

    return rnd(8) ? rnd(72) : odd[rnd(8)];
}

static domid_t pick_dom(void)
{
    static const domid_t ids[] = { 0, 1, 2, DOMID_SELF, DOMID_SELF, FAKE_UNKNOWN };

    return ids[rnd(6)];
}

/* One random op by domain `di` on both the model and the real thing; false
 * (with the failure recorded) when they disagree. */
static bool step(unsigned int seed, unsigned int n, unsigned int di)
{
    struct domain *d = &fake_dom[di];
    struct mdom *m = &model[di], *t;
    unsigned int ti;
    uint32_t port = 0xdead, p = pick_port(), v;
    domid_t dom = pick_dom();
    long want = 0, got = 0, wport = -1;
    unsigned int want_notify = 0;
    char what[160];
    int op = rnd(18);

    nr_notify = 0;
    switch (op) {
    case 0:
    case 1: { /* alloc_unbound */
        domid_t remote = pick_dom();

        got = ev_alloc_unbound(d, dom, remote, &port);
        if (!(t = m_dom(di, dom, &ti))) {
            want = -XEN_ESRCH;
            break;
        }
        want = m_alloc(t);
        if (want < 0)
            break;
        if (ti != di && di != 0) {
            want = -XEN_EPERM;
            break;
        }
        t->p[want].st = ECS_UNBOUND;
        t->p[want].rdom = remote == DOMID_SELF ? di : remote;
        wport = want;
        want = 0;
        break;
    }
    case 2:
    case 3: { /* bind_interdomain, to a port likely to be unbound */
        if (rnd(2) && (t = m_dom(di, dom, &ti)))
            for (unsigned int q = 1; q < t->valid; q++)
                if (t->p[q].st == ECS_UNBOUND && t->p[q].rdom == di && !rnd(3)) {
                    p = q;
                    break;
                }
        got = ev_bind_interdomain(d, dom, p, &port);
        if (!(t = m_dom(di, dom, &ti))) {
            want = -XEN_ESRCH;
            break;
        }
        want = m_alloc(m);
        if (want < 0)
            break;
        if (p >= t->valid || t->p[p].st != ECS_UNBOUND || t->p[p].rdom != di) {
            want = -XEN_EINVAL;
            break;
        }
        m->p[want] = (struct mport){ .st = ECS_INTERDOMAIN, .rdom = ti, .rport = p };
        t->p[p] = (struct mport){ .st = ECS_INTERDOMAIN, .rdom = di, .rport = want };
        m_pending(m, want);
        wport = want;
        want = 0;
        break;
    }
    case 4: /* bind_virq */
        v = rnd(10) ? rnd(NR_VIRQS + 2) : 0x80000000u;
        p = rnd(6) ? 0 : rnd(2) + 1; /* here: the vCPU */
        got = ev_bind_virq(d, v, p, &port);
        if (v >= NR_VIRQS || (m_global(v) && p))
            want = -XEN_EINVAL;
        else if (p)
            want = -XEN_ENOENT;
        else if (m->virq[v])
            want = -XEN_EEXIST;
        else if ((want = m_alloc(m)) >= 0) {
            m->p[want] = (struct mport){ .st = ECS_VIRQ, .virq = v };
            m->virq[v] = want;
            wport = want;
            want = 0;
        }
        break;
    case 5: /* bind_ipi */
        v = rnd(6) ? 0 : 1;
        got = ev_bind_ipi(d, v, &port);
        if (v)
            want = -XEN_ENOENT;
        else if ((want = m_alloc(m)) >= 0) {
            m->p[want].st = ECS_IPI;
            wport = want;
            want = 0;
        }
        break;
    case 6:
    case 7: /* close */
        got = ev_close(d, p);
        want = m_close(di, p);
        break;
    case 8:
    case 9: /* send */
        got = ev_send(d, p);
        if (p >= m->valid)
            want = -XEN_EINVAL;
        else if (m->p[p].st == ECS_INTERDOMAIN)
            m_pending(&model[m->p[p].rdom], m->p[p].rport);
        else if (m->p[p].st == ECS_IPI)
            m_pending(m, p);
        else if (m->p[p].st == ECS_XEN)
            want_notify = 1;
        else if (m->p[p].st != ECS_UNBOUND)
            want = -XEN_EINVAL;
        break;
    case 10: /* unmask */
        got = ev_unmask(d, p);
        if (p >= m->valid)
            want = -XEN_EINVAL;
        else if (m->p[p].st > ECS_RESERVED && m_bit(m->mask, p)) {
            m->mask[p / 64] &= ~(1ULL << (p % 64));
            if (m_bit(m->pend, p) && !((m->sel >> (p / 64)) & 1)) {
                m->sel |= 1ULL << (p / 64);
                m->upcall = true;
            }
        }
        break;
    case 11: /* the guest masks a port */
        p %= NPORTS;
        ev_mask(d, p);
        m->mask[p / 64] |= 1ULL << (p % 64);
        break;
    case 12: /* the guest's upcall handler runs */
        ev_ack_all(d);
        memset(m->pend, 0, sizeof(m->pend));
        m->sel = 0;
        m->upcall = false;
        break;
    case 13: /* a VIRQ fires */
        v = rnd(NR_VIRQS);
        got = evtchn_send_virq(d, v);
        want = m->virq[v] != 0;
        if (want)
            m_pending(m, m->virq[v]);
        break;
    case 15: /* Xenolith binds a port of d to itself */
        want = m_xen_ports(m) == EVTCHN_NR_XEN_PORTS ? -XEN_ENOSPC : m_alloc(m);
        got = evtchn_alloc_xen_port(d, backend_notify, xen_arg(di, want < 0 ? 0 : want));
        if (want >= 0) {
            m->p[want].st = ECS_XEN;
            nr_xen++;
        }
        break;
    case 16: /* Xenolith signals the guest */
        evtchn_notify_guest(d, p);
        if (p < m->valid && m->p[p].st == ECS_XEN)
            m_pending(m, p);
        break;
    case 17: /* Xenolith closes its end */
        evtchn_close_xen_port(d, p);
        if (p < m->valid && m->p[p].st == ECS_XEN)
            m->p[p] = (struct mport){ .st = ECS_UNBOUND, .rdom = EVTCHN_XEN_REMOTE_DOM };
        break;
    default: /* reset, rarely */
        if (rnd(8))
            return true;
        got = ev_reset(d, dom);
        if (!(t = m_dom(di, dom, &ti)))
            want = -XEN_ESRCH;
        else if (ti != di)
            want = di ? -XEN_EPERM : -XEN_EINVAL;
        else
            for (unsigned int q = 1; q < m->valid; q++)
                m_close(di, q);
        break;
    }

    nr_ops++;
    if (want < 0)
        nr_rejected++;
    else
        nr_ok++;
    if ((op == 2 || op == 3) && want == 0)
        nr_interdomain++;
    snprintf(what, sizeof(what), "seed %u step %u: d%u op %d (dom %u, port %u)", seed, n, di, op,
             dom, p);
    if (!unit_check_int(__FILE__, __LINE__, what, got, want, false))
        return false;
    if (wport >= 0 && !unit_check_int(__FILE__, __LINE__, what, port, wport, false))
        return false;
    if (!unit_check_int(__FILE__, __LINE__, what, nr_notify, want_notify, false))
        return false;
    if (want_notify) {
        nr_xen_sends++;
        if (!unit_check_int(__FILE__, __LINE__, what, notify_dom->id, di, false) ||
            !unit_check_int(__FILE__, __LINE__, what, notify_port, p, false) ||
            !unit_check_true(__FILE__, __LINE__, what, notify_arg == xen_arg(di, p), NULL, false))
            return false;
    }
    return true;
}

/* Every domain's real state equals the model's. */
static bool compare(unsigned int seed, unsigned int n)
{
    char what[160];

    for (unsigned int i = 0; i < FAKE_DOMS; i++) {
        struct domain *d = &fake_dom[i];
        struct mdom *m = &model[i];
        struct evtchn_domain *e = evtchn_env_state(d);
        vcpu_info_t *vi = &d->shared.vcpu_info[0];

        snprintf(what, sizeof(what), "seed %u step %u: d%u valid ports", seed, n, i);
        if (!unit_check_int(__FILE__, __LINE__, what, e->nr_valid, m->valid, false))
            return false;
        for (unsigned int p = 0; p < m->valid; p++) {
            const struct evtchn *c = &e->port[p];
            const struct mport *mp = &m->p[p];
            bool same = c->state == mp->st;

            if (mp->st == ECS_UNBOUND)
                same = same && c->remote_dom == mp->rdom;
            if (mp->st == ECS_INTERDOMAIN)
                same = same && c->remote_dom == mp->rdom && c->remote_port == mp->rport;
            if (mp->st == ECS_VIRQ)
                same = same && c->virq == mp->virq;
            if (mp->st == ECS_XEN)
                same = same && c->xen_slot < EVTCHN_NR_XEN_PORTS &&
                       e->xen_port[c->xen_slot].notify == backend_notify &&
                       e->xen_port[c->xen_slot].arg == xen_arg(i, p);
            if (same)
                continue;
            snprintf(what, sizeof(what),
                     "seed %u step %u: d%u port %u state %u/%u remote "
                     "d%u:%u/d%u:%u virq %u/%u (expected/got)",
                     seed, n, i, p, mp->st, c->state, mp->rdom, mp->rport, c->remote_dom,
                     c->remote_port, mp->virq, c->virq);
            return unit_check_true(__FILE__, __LINE__, what, false, NULL, false);
        }
        /* A slot freed by neither close nor reset would run out. */
        if (m->valid) {
            unsigned int slots = 0;

            for (unsigned int k = 0; k < EVTCHN_NR_XEN_PORTS; k++)
                slots += e->xen_port[k].notify != NULL;
            snprintf(what, sizeof(what), "seed %u step %u: d%u Xenolith slots in use", seed, n, i);
            if (!unit_check_int(__FILE__, __LINE__, what, slots, m_xen_ports(m), false))
                return false;
        }
        /* Formatted only on a mismatch: this runs after every step. */
        for (unsigned int w = 0; w < 64; w++) {
            if (d->shared.evtchn_pending[w] != m->pend[w]) {
                snprintf(what, sizeof(what), "seed %u step %u: d%u pending word %u", seed, n, i, w);
                return unit_check_u64(__FILE__, __LINE__, what, d->shared.evtchn_pending[w],
                                      m->pend[w], false);
            }
            if (d->shared.evtchn_mask[w] != m->mask[w]) {
                snprintf(what, sizeof(what), "seed %u step %u: d%u mask word %u", seed, n, i, w);
                return unit_check_u64(__FILE__, __LINE__, what, d->shared.evtchn_mask[w],
                                      m->mask[w], false);
            }
        }
        snprintf(what, sizeof(what), "seed %u step %u: d%u selector", seed, n, i);
        if (!unit_check_u64(__FILE__, __LINE__, what, vi->evtchn_pending_sel, m->sel, false))
            return false;
        snprintf(what, sizeof(what), "seed %u step %u: d%u upcall_pending", seed, n, i);
        if (!unit_check_int(__FILE__, __LINE__, what, vi->evtchn_upcall_pending, m->upcall, false))
            return false;
        snprintf(what, sizeof(what), "seed %u step %u: d%u kicked before its bits were set", seed,
                 n, i);
        if (!unit_check_true(__FILE__, __LINE__, what, d->kick_order_ok, NULL, false))
            return false;
    }
    return true;
}

static void run_seed(unsigned int seed)
{
    fake_evtchn_reset();
    memset(model, 0, sizeof(model));
    for (unsigned int i = 0; i < FAKE_DOMS; i++) {
        model[i].valid = 64;
        model[i].p[0].st = ECS_RESERVED;
        model[i].live = true;
    }
    rng = 0x9e3779b97f4a7c15ULL * (seed + 1);
    for (unsigned int n = 0; n < STEPS; n++)
        if (!step(seed, n, rnd(FAKE_DOMS)) || !compare(seed, n))
            return;
}

static void test_random_seeds(void)
{
    for (unsigned int seed = 1; seed <= 6; seed++)
        run_seed(seed);
}

/* Destroying a domain mid-sequence: its peers' ends become unbound. */
static void test_random_destroy(void)
{
    for (unsigned int seed = 100; seed < 103; seed++) {
        run_seed(seed);
        evtchn_domain_destroy(&fake_dom[2]);
        fake_dom[2].live = false;
        model[2].live = false;
        for (unsigned int q = 1; q < model[2].valid; q++)
            m_close(2, q);
        model[2].valid = 0;
        for (unsigned int n = 0; n < 500; n++)
            if (!step(seed, STEPS + n, rnd(2)) || !compare(seed, STEPS + n))
                break;
    }
}

static void test_report(void)
{
    printf("evtchn_model: %lu ops, %lu succeeded (%lu interdomain binds, %lu Xenolith ports, "
           "%lu sends to them), %lu rejected\n",
           nr_ops, nr_ok, nr_interdomain, nr_xen, nr_xen_sends, nr_rejected);
    EXPECT_TRUE(nr_interdomain > 100 && nr_rejected > 1000);
    EXPECT_TRUE(nr_xen > 100 && nr_xen_sends > 100);
}

static const struct unit_test evtchn_model_tests[] = {
    { "random_seeds", test_random_seeds },
    { "random_destroy", test_random_destroy },
    { "coverage", test_report },
};

void register_evtchn_model_tests(void)
{
    UNIT_SUITE("evtchn_model", evtchn_model_tests);
}
