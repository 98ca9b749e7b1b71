// SPDX-License-Identifier: MIT
/* sched_op: yield, block, poll, shutdown (own and remote) and the
 * shutdown code, with Xen's semantics. Watchdogs and pinning overrides are
 * not implemented and answer -ENOSYS (docs/abi.md). */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "event/evtchn.h"
#include "hypercall/hypercall.h"
#include "sched/sched.h"
#include "arch/x86/clock.h"
#include "arch/x86/uaccess.h"

#define POLL_MAX_PORTS 128

static long sched_shutdown(uint64_t arg)
{
    struct sched_shutdown req;

    if (copy_from_guest(&req, arg, sizeof(req)))
        return -XEN_EFAULT;
    /* Xen keeps only the low 8 bits and accepts any value. */
    return domain_shutdown(current_domain(), (uint8_t)req.reason);
}

/* Events are enabled, then re-checked after deciding to block, so an
 * event that raced with the hypercall is not slept through. */
static long sched_block_op(struct vcpu *v)
{
    vcpu_info_t *vi = vcpu_info_of(v);

    vi->evtchn_upcall_mask = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!vi->evtchn_upcall_pending)
        sched_block(v);
    return 0;
}

static bool port_pending(const struct domain *d, unsigned int port)
{
    return (__atomic_load_n(&d->shared_info->evtchn_pending[port / 64], __ATOMIC_ACQUIRE) >>
            (port % 64)) &
           1;
}

static long sched_poll_op(struct vcpu *v, uint64_t arg)
{
    struct sched_poll req;

    if (copy_from_guest(&req, arg, sizeof(req)))
        return -XEN_EFAULT;
    if (req.nr_ports > POLL_MAX_PORTS)
        return -XEN_EINVAL;
    /* As Xen's guest_handle_okay: the list's start is checked even when
     * it holds no port. */
    if (!guest_addr_ok((uint64_t)req.ports.p) ||
        !guest_range_ok((uint64_t)req.ports.p, req.nr_ports * sizeof(evtchn_port_t)))
        return -XEN_EFAULT;
    for (unsigned int i = 0; i < req.nr_ports; i++) {
        evtchn_port_t port;

        if (copy_from_guest(&port, (uint64_t)req.ports.p + i * sizeof(port), sizeof(port)))
            return -XEN_EFAULT;
        /* As Xen's evtchn_port_poll: a free or reserved port, or one
         * beyond the valid buckets, cannot be waited on. */
        if (!evtchn_port_pollable(v->domain, port))
            return -XEN_EINVAL;
        if (port_pending(v->domain, port))
            return 0;
        v->poll_ports[i] = (uint16_t)port;
    }
    v->nr_poll_ports = (uint16_t)req.nr_ports;
    v->poll_deadline = req.timeout;
    v->polling = true;
    sched_block(v);
    return 0;
}

static long sched_remote_shutdown(struct domain *self, uint64_t arg)
{
    struct sched_remote_shutdown req;
    struct domain *d;

    if (copy_from_guest(&req, arg, sizeof(req)))
        return -XEN_EFAULT;
    d = domain_by_id(req.domain_id);
    if (!d)
        return -XEN_ESRCH;
    if (!self->is_privileged)
        return -XEN_EPERM;
    return domain_shutdown(d, (uint8_t)req.reason);
}

/* The reason the domain's later shutdown (or crash) reports: the first
 * code latched wins, as in Xen. */
static long sched_shutdown_code(struct domain *d, uint64_t arg)
{
    struct sched_shutdown req;

    if (copy_from_guest(&req, arg, sizeof(req)))
        return -XEN_EFAULT;
    if (d->latched_code < 0)
        d->latched_code = (uint8_t)req.reason;
    return 0;
}

long do_sched_op(int cmd, uint64_t arg)
{
    struct vcpu *v = current_vcpu();

    switch (cmd) {
    case SCHEDOP_yield:
        sched_request();
        return 0;
    case SCHEDOP_block:
        return sched_block_op(v);
    case SCHEDOP_shutdown:
        return sched_shutdown(arg);
    case SCHEDOP_poll:
        return sched_poll_op(v, arg);
    case SCHEDOP_remote_shutdown:
        return sched_remote_shutdown(v->domain, arg);
    case SCHEDOP_shutdown_code:
        return sched_shutdown_code(v->domain, arg);
    default:
        return -XEN_ENOSYS;
    }
}
