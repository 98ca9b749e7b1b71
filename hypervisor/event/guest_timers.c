// SPDX-License-Identifier: MIT
/* Expiry of the guests' timers (guest_timers.h). */
#include <stdint.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "event/evtchn.h"
#include "event/guest_timers.h"

static void fire(struct vcpu *v, uint64_t now)
{
    if (v->timer_deadline && now >= v->timer_deadline) {
        v->timer_deadline = 0;
        evtchn_send_virq(v->domain, VIRQ_TIMER);
    }
    /* As in Xen, the periodic timer does not run while the vCPU blocks;
     * missed periods collapse into one event. */
    if (v->periodic_period && !v->blocked && now >= v->periodic_next) {
        while (v->periodic_next <= now)
            v->periodic_next += v->periodic_period;
        evtchn_send_virq(v->domain, VIRQ_TIMER);
    }
}

void guest_timers_fire(uint64_t now)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domain_by_index(i);

        if (d)
            fire(&d->vcpu0, now);
    }
}
