/* SPDX-License-Identifier: MIT */
/*
 * The environment hypervisor/event/evtchn.c runs over in the host tests: three
 * fake domains (0 privileged, 1 and 2 not) with their own shared_info, and
 * guest copies that are plain memcpy from host pointers, except at
 * FAKE_BAD_PTR (always faults) and fake_ro_ptr (faults on copy-out only).
 */
#ifndef XENOLITH_TESTS_EVTCHN_FAKE_H
#define XENOLITH_TESTS_EVTCHN_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

#include "event/evtchn.h"

/* The fake's own struct domain: evtchn.c sees it only through evtchn_env_*. */
struct domain {
    domid_t id;
    bool privileged;
    bool live;
    shared_info_t shared;
    struct evtchn_domain ev;
    unsigned int kicks;      /* evtchn_env_kick calls */
    unsigned int poll_wakes; /* evtchn_env_poll_wake calls */
    unsigned int last_poll_port;
    bool kick_order_ok; /* at every kick: upcall, a selector bit set */
};

#define FAKE_DOMS    3
#define FAKE_UNKNOWN 7                     /* an id no domain has */
#define FAKE_BAD_PTR 0xffff800000001000ULL /* inside the hypervisor hole */

extern struct domain fake_dom[FAKE_DOMS];
extern uint64_t fake_ro_ptr; /* copy_to_guest to this address faults */

/* Every domain live, initialised by evtchn_domain_init, shared_info zeroed. */
void fake_evtchn_reset(void);

/* Guest-style wrappers over evtchn_op (tests/unit/evtchn.c). OUT ports are
 * preset to 0xdead, so a result that was not copied back shows. */
long ev_op(struct domain *d, int cmd, void *arg);
long ev_alloc_unbound(struct domain *d, domid_t dom, domid_t remote, uint32_t *port);
long ev_bind_interdomain(struct domain *d, domid_t rdom, uint32_t rport, uint32_t *lport);
long ev_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, uint32_t *port);
long ev_bind_ipi(struct domain *d, uint32_t vcpu, uint32_t *port);
long ev_close(struct domain *d, uint32_t port);
long ev_send(struct domain *d, uint32_t port);
long ev_unmask(struct domain *d, uint32_t port);
long ev_status(struct domain *d, domid_t dom, uint32_t port, struct evtchn_status *st);
long ev_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu);
long ev_reset(struct domain *d, domid_t dom);
/* The guest's view of the bits; ev_mask and ev_ack_all write them as a guest. */
bool ev_pending(struct domain *d, unsigned int port);
bool ev_masked(struct domain *d, unsigned int port);
bool ev_sel(struct domain *d, unsigned int port);
bool ev_upcall(struct domain *d);
void ev_mask(struct domain *d, unsigned int port);
void ev_ack_all(struct domain *d);

/* Checks the status of `port` as its owner sees it (unit_check_* records
 * each mismatch). */
void expect_status(struct domain *d, uint32_t port, uint32_t status, uint32_t dom, uint32_t rport);

#endif
