/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_event_channel_op: bind, unmask, send and close event channels. */
#ifndef VMI_EVENT_CHANNEL_OP_H
#define VMI_EVENT_CHANNEL_OP_H

#include <vmi/hypercall.h>
#include <xen/event_channel.h>

/* IN/OUT: arg, the EVTCHNOP_<cmd> structure. */
static inline long hypercall_event_channel_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, (unsigned long)cmd, (unsigned long)arg);
}

/* OUT: *port, bound to virq on vcpu. */
static inline long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    long rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &op);

    if (rc == 0)
        *port = op.port;
    return rc;
}

/* OUT: *port, a fresh port of ours that domain `remote` may bind. */
static inline long evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    if (rc == 0)
        *port = op.port;
    return rc;
}

static inline long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_unmask, &op);
}

static inline long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_close, &op);
}

#endif
