/* SPDX-License-Identifier: MIT */
/* The event-channel state of a domain, as struct domain embeds it: types
 * and limits only, so that the domain layer below can hold them without
 * depending on the event-channel code (evtchn.h). */
#ifndef XENOLITH_EVTCHN_TYPES_H
#define XENOLITH_EVTCHN_TYPES_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

struct domain;

/* 2-level ABI for a 64-bit guest: 64 * 64 ports. */
#define EVTCHN_NR_PORTS (sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)

/* Xen allocates its channel structures in buckets of 64 (one page of
 * 64-byte entries); a port is "valid" once its bucket exists, and which
 * errno a guest sees depends on that (see evtchn.c). */
#define EVTCHN_BUCKET 64

/* Xen's EVTCHNOP_reset_cont, which the public header shows only to Xen
 * itself (__XEN__): guests can still issue it. */
#define EVTCHN_OP_RESET_CONT 14

/* Xen's states, then ECS_XEN: a port whose other end is Xenolith itself (an
 * in-hypervisor backend). Every state above ECS_RESERVED is "usable". */
enum evtchn_state {
    ECS_FREE,
    ECS_RESERVED,
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_PIRQ,
    ECS_VIRQ,
    ECS_IPI,
    ECS_XEN,
};

struct evtchn {
    uint8_t state;       /* enum evtchn_state */
    uint8_t notify_vcpu; /* vCPU that receives the event */
    union {
        uint16_t virq;     /* ECS_VIRQ */
        uint16_t xen_slot; /* ECS_XEN: index in evtchn_domain.xen_port */
    };
    domid_t remote_dom;   /* ECS_UNBOUND: who may bind; ECS_INTERDOMAIN: peer */
    uint16_t remote_port; /* ECS_INTERDOMAIN */
};

/* Called, synchronously from the guest's EVTCHNOP_send, when d signals
 * `port`, a port bound to Xenolith. */
typedef void evtchn_xen_notify_fn(struct domain *d, unsigned int port, void *arg);

/* Ports bound to Xenolith per domain: the console and xenstore need one
 * each. A slot is free while its notify is NULL. Kept apart from struct
 * evtchn so that 4096 ports do not each carry two pointers. */
#define EVTCHN_NR_XEN_PORTS 8

struct evtchn_xen_port {
    evtchn_xen_notify_fn *notify;
    void *arg;
};

/* The identity of Xenolith's in-hypervisor services and backends (the
 * console and xenstore rings, split devices), as a driver domain has its
 * own: EVTCHNOP_status reports it for a port bound to Xenolith, devices
 * publish it as backend-id, frontends grant to it and leave ports unbound
 * for it. No guest is ever given it (domain_alloc skips it), so no guest,
 * not even the privileged d0, can take what is addressed to the backends.
 * The highest ordinary domain id (docs/events.md, docs/xenbus.md). */
#define EVTCHN_XEN_REMOTE_DOM (DOMID_FIRST_RESERVED - 1)

/* Per-domain event-channel state, embedded in struct domain. */
struct evtchn_domain {
    struct evtchn port[EVTCHN_NR_PORTS];
    uint16_t virq_port[NR_VIRQS]; /* 0: VIRQ not bound (port 0 is reserved) */
    uint16_t nr_valid;            /* ports [0, nr_valid) exist: Xen's valid_evtchns */
    struct evtchn_xen_port xen_port[EVTCHN_NR_XEN_PORTS];
};

#endif
