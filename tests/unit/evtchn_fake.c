/* SPDX-License-Identifier: MIT */
/*
 * The environment hypervisor/event/evtchn.c runs over in the host tests
 * (evtchn_fake.h): three fake domains, their shared_info, the hooks the
 * core calls, and wrappers that issue each sub-op as a guest would.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "evtchn_fake.h"
#include "arch/x86/uaccess.h"
#include "unit.h"

struct domain fake_dom[FAKE_DOMS];
uint64_t fake_ro_ptr;

struct domain *evtchn_env_domain(domid_t id)
{
    for (unsigned int i = 0; i < FAKE_DOMS; i++)
        if (fake_dom[i].live && fake_dom[i].id == id)
            return &fake_dom[i];
    return NULL;
}

struct evtchn_domain *evtchn_env_state(struct domain *d)
{
    return &d->ev;
}

shared_info_t *evtchn_env_shared_info(struct domain *d)
{
    return &d->shared;
}

domid_t evtchn_env_domid(const struct domain *d)
{
    return d->id;
}

bool evtchn_env_privileged(const struct domain *d)
{
    return d->privileged;
}

void evtchn_env_kick(struct domain *d)
{
    d->kicks++;
    if (!d->shared.vcpu_info[0].evtchn_upcall_pending || !d->shared.vcpu_info[0].evtchn_pending_sel)
        d->kick_order_ok = false;
}

void evtchn_env_poll_wake(struct domain *d, unsigned int port)
{
    d->poll_wakes++;
    d->last_poll_port = port;
}

int copy_from_guest(void *dst, uint64_t guest_src, size_t n)
{
    if (guest_src == FAKE_BAD_PTR)
        return -XEN_EFAULT;
    memcpy(dst, (const void *)(uintptr_t)guest_src, n);
    return 0;
}

int copy_to_guest(uint64_t guest_dst, const void *src, size_t n)
{
    if (guest_dst == FAKE_BAD_PTR || (fake_ro_ptr && guest_dst == fake_ro_ptr))
        return -XEN_EFAULT;
    memcpy((void *)(uintptr_t)guest_dst, src, n);
    return 0;
}

void fake_evtchn_reset(void)
{
    memset(fake_dom, 0, sizeof(fake_dom));
    fake_ro_ptr = 0;
    for (unsigned int i = 0; i < FAKE_DOMS; i++) {
        fake_dom[i].id = i;
        fake_dom[i].privileged = i == 0;
        fake_dom[i].live = true;
        fake_dom[i].kick_order_ok = true;
        evtchn_domain_init(&fake_dom[i]);
    }
}

/* --- Typed wrappers over evtchn_op, as a guest would call it ------------------ */
long ev_op(struct domain *d, int cmd, void *arg)
{
    return evtchn_op(d, cmd, (uint64_t)(uintptr_t)arg);
}

long ev_alloc_unbound(struct domain *d, domid_t dom, domid_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote, .port = 0xdead };
    long rc = ev_op(d, EVTCHNOP_alloc_unbound, &a);

    if (port)
        *port = a.port;
    return rc;
}

long ev_bind_interdomain(struct domain *d, domid_t rdom, uint32_t rport, uint32_t *lport)
{
    struct evtchn_bind_interdomain b = { .remote_dom = rdom,
                                         .remote_port = rport,
                                         .local_port = 0xdead };
    long rc = ev_op(d, EVTCHNOP_bind_interdomain, &b);

    if (lport)
        *lport = b.local_port;
    return rc;
}

long ev_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu, .port = 0xdead };
    long rc = ev_op(d, EVTCHNOP_bind_virq, &b);

    if (port)
        *port = b.port;
    return rc;
}

long ev_bind_ipi(struct domain *d, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu, .port = 0xdead };
    long rc = ev_op(d, EVTCHNOP_bind_ipi, &b);

    if (port)
        *port = b.port;
    return rc;
}

long ev_close(struct domain *d, uint32_t port)
{
    struct evtchn_close c = { .port = port };

    return ev_op(d, EVTCHNOP_close, &c);
}

long ev_send(struct domain *d, uint32_t port)
{
    struct evtchn_send s = { .port = port };

    return ev_op(d, EVTCHNOP_send, &s);
}

long ev_unmask(struct domain *d, uint32_t port)
{
    struct evtchn_unmask u = { .port = port };

    return ev_op(d, EVTCHNOP_unmask, &u);
}

long ev_status(struct domain *d, domid_t dom, uint32_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return ev_op(d, EVTCHNOP_status, st);
}

long ev_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

    return ev_op(d, EVTCHNOP_bind_vcpu, &b);
}

long ev_reset(struct domain *d, domid_t dom)
{
    struct evtchn_reset r = { .dom = dom };

    return ev_op(d, EVTCHNOP_reset, &r);
}

bool ev_pending(struct domain *d, unsigned int port)
{
    return (d->shared.evtchn_pending[port / 64] >> (port % 64)) & 1;
}

bool ev_masked(struct domain *d, unsigned int port)
{
    return (d->shared.evtchn_mask[port / 64] >> (port % 64)) & 1;
}

bool ev_sel(struct domain *d, unsigned int port)
{
    return (d->shared.vcpu_info[0].evtchn_pending_sel >> (port / 64)) & 1;
}

bool ev_upcall(struct domain *d)
{
    return d->shared.vcpu_info[0].evtchn_upcall_pending;
}

void ev_mask(struct domain *d, unsigned int port)
{
    d->shared.evtchn_mask[port / 64] |= 1ULL << (port % 64);
}

/* What a guest's upcall handler does: consume every pending bit. */
void ev_ack_all(struct domain *d)
{
    d->shared.vcpu_info[0].evtchn_upcall_pending = 0;
    d->shared.vcpu_info[0].evtchn_pending_sel = 0;
    memset(d->shared.evtchn_pending, 0, sizeof(d->shared.evtchn_pending));
}

/* The status of `port` as seen by its owner: state and the union fields. */
void expect_status(struct domain *d, uint32_t port, uint32_t status, uint32_t dom, uint32_t rport)
{
    struct evtchn_status st;
    char label[64];

    snprintf(label, sizeof(label), "d%u port %u", d->id, port);
    if (!unit_check_int(__FILE__, __LINE__, label, ev_status(d, DOMID_SELF, port, &st), 0, false))
        return;
    unit_check_int(__FILE__, __LINE__, label, st.status, status, false);
    unit_check_int(__FILE__, __LINE__, label, st.vcpu, 0, false);
    if (status == EVTCHNSTAT_unbound)
        unit_check_int(__FILE__, __LINE__, label, st.u.unbound.dom, dom, false);
    if (status == EVTCHNSTAT_interdomain) {
        unit_check_int(__FILE__, __LINE__, label, st.u.interdomain.dom, dom, false);
        unit_check_int(__FILE__, __LINE__, label, st.u.interdomain.port, rport, false);
    }
    if (status == EVTCHNSTAT_virq)
        unit_check_int(__FILE__, __LINE__, label, st.u.virq, dom, false);
}
