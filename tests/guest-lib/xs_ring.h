/* SPDX-License-Identifier: MIT */
/*
 * A raw xenstore client for test guests over start_info's store ring: byte
 * transfer, one request at a time, and reading replies. Raw on purpose:
 * adversarial guests write malformed messages and indices straight into the
 * ring, which Lithos's xenbus client would never do.
 */
#ifndef TESTS_COMMON_XS_RING_H
#define TESTS_COMMON_XS_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#define XS_RING_TIMEOUT_NS (5000 * 1000000UL)

/* The store ring, mapped by xs_ring_init(); tests may poke it directly. */
extern struct xenstore_domain_interface *xs;
/* Watch events received so far (by xs_recv, hence also inside xs_call). */
extern unsigned long xs_watch_events;
/* If set, called with each watch event's payload (path\0token\0). */
extern void (*xs_on_watch_event)(const char *payload, uint32_t len);

/* Maps the store ring of start_info; false if its frame is not ours. */
bool xs_ring_init(void);
long xs_notify(void);

/* Copies len bytes into / out of the ring, waiting for room / data until
 * deadline (system time, ns); false on a timeout. */
bool xs_put(const void *data, uint32_t len, uint64_t deadline);
bool xs_get(void *data, uint32_t len, uint64_t deadline);

/*
 * Reads one message into body (NUL-terminated, truncated to max - 1).
 * Returns its type (XS_WATCH_EVENT for an event, counted and handed to
 * xs_on_watch_event), -1 on a timeout or a header whose length exceeds
 * XENSTORE_PAYLOAD_MAX, or -2 for a reply to another request.
 */
int xs_recv(char *body, uint32_t max, uint64_t deadline);

/* One request in transaction tx (0: none), then its reply as xs_recv,
 * skipping watch events; XS_RING_TIMEOUT_NS in all. */
int xs_call_tx(uint32_t type, uint32_t tx, const void *payload, uint32_t plen, char *body,
               uint32_t max);
int xs_call(uint32_t type, const void *payload, uint32_t plen, char *body, uint32_t max);
/* XS_WRITE of value (not NUL-terminated on the wire) to path, as xs_call. */
int xs_write_value(const char *path, const char *value, char *body, uint32_t max);

#endif
