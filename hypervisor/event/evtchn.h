/* SPDX-License-Identifier: MIT */
/*
 * Event channels, 2-level ABI (xen/event_channel.h): per-domain ports, their
 * binding state, and the pending/mask/selector bits in shared_info and
 * vcpu_info with the atomics and ordering the ABI requires. Delivery (the
 * upcall) is the trap code's: this module only marks events pending and
 * kicks the vCPU.
 *
 * evtchn.c sees struct domain only through the evtchn_env_* functions, so
 * the host tests can run it over fake domains.
 */
#ifndef XENOLITH_EVTCHN_H
#define XENOLITH_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include "event/evtchn_types.h"

struct domain;

/* --- Environment (hypervisor: domain.c/sched.c; tests: a fake) ----------- */
/* The live domain with this id, or NULL. Not called with DOMID_SELF. */
struct domain *evtchn_env_domain(domid_t id);
/* The domain's event-channel state and shared_info. */
struct evtchn_domain *evtchn_env_state(struct domain *d);
shared_info_t *evtchn_env_shared_info(struct domain *d);
domid_t evtchn_env_domid(const struct domain *d);
bool evtchn_env_privileged(const struct domain *d);
/* vcpu_info[0].evtchn_upcall_pending of d went from 0 to 1: wake vCPU 0 if
 * it is blocked (SCHEDOP_block), as Xen's vcpu_kick. */
void evtchn_env_kick(struct domain *d);
/* Port became pending (masked or not): wake vCPU 0 if it polls this port or
 * any port (SCHEDOP_poll), as Xen's evtchn_check_pollers. */
void evtchn_env_poll_wake(struct domain *d, unsigned int port);

/* --- Interface --------------------------------------------------------------- */
/* Port 0 reserved, everything else free. Does not touch shared_info. */
void evtchn_domain_init(struct domain *d);
/* Closes every port (interdomain peers see their end become unbound); no
 * port is valid afterwards. */
void evtchn_domain_destroy(struct domain *d);

/* HYPERVISOR_event_channel_op for the calling domain `self`, with Xen's
 * semantics and errnos for each EVTCHNOP_*; `arg` is the guest pointer.
 * `cmd` is an int as in Xen's prototype: pass the low 32 bits of rdi. */
long evtchn_op(struct domain *self, int cmd, uint64_t arg);

/* Raise VIRQ `virq` on the domain, if bound. Returns true if it was. */
bool evtchn_send_virq(struct domain *d, unsigned int virq);

/* Whether SCHEDOP_poll may wait on port (Xen's evtchn_port_poll): it lies
 * in a valid bucket and is bound (not free, not the reserved port 0). */
bool evtchn_port_pollable(struct domain *d, unsigned int port);

/* Mark port pending with the ABI's rule: set the pending bit; if it was
 * clear and the port is unmasked, set the selector bit and, if that was
 * clear, upcall_pending (kicking the vCPU); a newly pending port also wakes
 * pollers. Ports >= EVTCHN_NR_PORTS are ignored. */
void evtchn_set_pending(struct domain *d, unsigned int port);

/* --- Ports whose other end is Xenolith (in-hypervisor backends) ------------- */
/* Semantics, and what the guest sees, in docs/events.md ("Ports bound to
 * Xenolith"). Allocates the lowest free port of d, as alloc_unbound does,
 * bound to Xenolith: the guest's EVTCHNOP_send on it calls
 * notify(d, port, arg) instead of marking a peer's port pending. Returns
 * the port, or -EINVAL (notify NULL), -ESRCH (d's ports are destroyed),
 * -ENOSPC (no free port, or EVTCHN_NR_XEN_PORTS already bound). If the
 * guest closes the port (or resets, or d is destroyed), notify is never
 * called again and Xenolith is not told: the two calls below then do
 * nothing, unless Xenolith has since bound the reused number again. */
int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_fn *notify, void *arg);
/* The other way round, for a frontend that allocated the port: binds d's
 * unbound `port`, which must be waiting for domain EVTCHN_XEN_REMOTE_DOM
 * (EVTCHNOP_alloc_unbound with remote_dom 0), to Xenolith, as a dom0
 * backend's bind_interdomain would. Returns 0, or -EINVAL (no such port,
 * not unbound, waiting for another domain: bind_interdomain's answer),
 * -ENOSPC (EVTCHN_NR_XEN_PORTS already bound). */
int evtchn_bind_xen_port(struct domain *d, unsigned int port, evtchn_xen_notify_fn *notify,
                         void *arg);
/* Xenolith signals the guest: evtchn_set_pending on port, if it is still
 * bound to Xenolith; otherwise nothing. */
void evtchn_notify_guest(struct domain *d, unsigned int port);
/* Xenolith closes its end: notify is never called again, and the guest's
 * port becomes unbound, waiting for domain EVTCHN_XEN_REMOTE_DOM, as a Xen
 * guest's end does when its dom0 backend closes. The guest still owns the
 * port (its pending bit stays) and closes it itself. Nothing if the port
 * is not bound to Xenolith. */
void evtchn_close_xen_port(struct domain *d, unsigned int port);

struct subsystem_ops;
/* Closes a dying domain's ports (evtchn_domain_destroy). */
extern const struct subsystem_ops evtchn_subsystem;

#endif
