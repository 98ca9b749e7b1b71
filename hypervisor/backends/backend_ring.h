/* SPDX-License-Identifier: MIT */
/*
 * A ring page of the start-of-day layout that an in-hypervisor backend
 * serves (the xenstore and console rings): the frame held and mapped, and
 * a port bound to Xenolith.
 */
#ifndef XENOLITH_BACKEND_RING_H
#define XENOLITH_BACKEND_RING_H

#include <stdint.h>
#include "event/evtchn.h"

struct domain;

/*
 * At build, before d runs: takes a general reference on d's frame mfn
 * (held until the backend's page_put at disconnect, so a frame the guest
 * gives back is never reused under the backend), binds a port of d to
 * Xenolith with notify(arg) and zeroes the page, which *page then maps.
 * Returns the port, or a negative errno with nothing held.
 */
int backend_ring_attach(struct domain *d, uint64_t mfn, evtchn_xen_notify_fn *notify, void *arg,
                        void **page);

#endif
