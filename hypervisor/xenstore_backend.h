/* SPDX-License-Identifier: MIT */
/*
 * Xenolith's xenstore daemon: one static store (xenstore.c) served to every
 * domain over its xenstore ring page (xen/io/xs_wire.h) and a port bound to
 * Xenolith. docs/xenstore.md, "Serving the rings".
 */
#ifndef XENOLITH_XENSTORE_BACKEND_H
#define XENOLITH_XENSTORE_BACKEND_H

#include <stdint.h>

struct domain;

/* At build, before d runs: introduce d to the store, take a reference on
 * its ring frame `mfn` and bind a Xenolith port. Returns the port, or a
 * negative errno (nothing is left half-connected). */
int xsb_connect(struct domain *d, uint64_t mfn);
/* At destroy: drop the ring and its reference, release d from the store
 * (other domains' watches fire). Nothing if d was never connected. */
void xsb_disconnect(struct domain *d);
/* Serve every connected ring a bounded amount: the scheduler tick's
 * defensive poll, in case a guest wrote without notifying. */
void xsb_poll(void);

#endif
