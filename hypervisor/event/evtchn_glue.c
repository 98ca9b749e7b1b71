// SPDX-License-Identifier: MIT
/* What the event-channel core needs from the rest of Xenolith (domains,
 * the scheduler), and its hypercall entry. */
#include <stdint.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "domain/subsystems.h"
#include "event/evtchn.h"
#include "hypercall/hypercall.h"
#include "sched/sched.h"

struct domain *evtchn_env_domain(domid_t id)
{
    struct domain *d = domain_by_id(id);

    return d && !d->is_shutting_down ? d : NULL;
}

struct evtchn_domain *evtchn_env_state(struct domain *d)
{
    return &d->evtchn;
}

shared_info_t *evtchn_env_shared_info(struct domain *d)
{
    return d->shared_info;
}

domid_t evtchn_env_domid(const struct domain *d)
{
    return d->domain_id;
}

bool evtchn_env_privileged(const struct domain *d)
{
    return d->is_privileged;
}

/* An upcall became pending: the vCPU wakes whether it blocks or polls,
 * as Xen's vcpu_kick (a poll may so return early). */
void evtchn_env_kick(struct domain *d)
{
    sched_wake(&d->vcpu0, true);
}

/* A port became pending: a vCPU polling it wakes (sched_wake checks the
 * polled ports). */
void evtchn_env_poll_wake(struct domain *d, unsigned int port)
{
    (void)port;
    if (d->vcpu0.polling)
        sched_wake(&d->vcpu0, false);
}

long do_event_channel_op(int cmd, uint64_t arg)
{
    return evtchn_op(current_domain(), cmd, arg);
}

const struct subsystem_ops evtchn_subsystem = {
    .name = "event channels",
    .domain_teardown = evtchn_domain_destroy,
};
