/* SPDX-License-Identifier: MIT */
/*
 * Further PV consoles: device/console/1.. of a domain, found by its
 * frontend through xenstore and connected with the XenbusState handshake
 * (a granted xencons_interface page and an event channel the frontend
 * allocates), as Linux's hvc_xen sets up every console after the first.
 * Their output goes to the serial line tagged "(d<id>.<n>) ". docs/console.md.
 */
#ifndef XENOLITH_CONSOLE_DEVICE_H
#define XENOLITH_CONSOLE_DEVICE_H

struct domain;

/* Console devices a domain may have beside its console ring. */
#define CONSDEV_PER_DOMAIN 3

/* At build, after the xenstore connection: device/console/1 .. count-1
 * (count - 1 at most CONSDEV_PER_DOMAIN). 0 or a negative errno (nothing is left behind). */
int consdev_add(struct domain *d, unsigned int count);
/* At destroy, before the grant table goes: flush, disconnect, remove. */
void consdev_remove(struct domain *d);
/* The scheduler tick: drain every connected ring a bounded amount. */
void consdev_poll(void);

#endif
