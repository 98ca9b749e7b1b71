/* SPDX-License-Identifier: MIT */
/*
 * Xenolith's xenstore daemon: one static store (xenstore.c) served to every
 * domain over its xenstore ring page (xen/io/xs_wire.h) and a port bound to
 * Xenolith. docs/xenstore.md, "Serving the rings".
 */
#ifndef XENOLITH_XENSTORE_BACKEND_H
#define XENOLITH_XENSTORE_BACKEND_H

#include <stddef.h>
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

/*
 * The in-hypervisor backends' own store access, as the privileged domain 0
 * their event channels present (docs/xenbus.md): the same requests and
 * answers a dom0 toolstack gets. Negative Xen errnos as xenstored's error
 * strings name them. Watches fired go out on the next serve.
 */
/* The value, NUL-terminated, and its length; -XEN_E2BIG if it needs more
 * than len bytes. */
int xsb_xen_read(const char *path, char *buf, size_t len);
int xsb_xen_write(const char *path, const char *value);
/* perms: XS_SET_PERMS's payload, NUL-separated entries ("n1\0r0\0"). */
int xsb_xen_set_perms(const char *path, const char *perms, size_t perms_len);
/* Removes path and everything under it; a path already gone is 0. */
int xsb_xen_rm(const char *path);

/* Xenolith's own watch on the store, as a dom0 backend keeps one: after
 * requests that modified the store have been served, `changed` is called
 * (at most twice per serve, never from inside itself), and the events its
 * own writes queued go out after it. One watcher; set once at boot. */
void xsb_watch_local(void (*changed)(void));

#endif
