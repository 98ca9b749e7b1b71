/* SPDX-License-Identifier: MIT */
/*
 * A small xenbus client: xenstore requests over the store ring of
 * start_info (store_mfn, store_evtchn), one at a time, from thread
 * context. Watch events that arrive meanwhile are queued and handed to
 * their callbacks by xenbus_poll(), never from inside a request.
 * Natively and as Xen's dom0 (no xenstored) there is no ring: every call
 * returns -XEN_ENODEV and xenbus_available() says 0.
 */
#ifndef PVOPS_XEN_XENBUS_H
#define PVOPS_XEN_XENBUS_H

#include <stddef.h>
#include <stdint.h>

/* ring: the mapped struct xenstore_domain_interface, or NULL for none. */
void xenbus_init(void *ring, unsigned int port);
int xenbus_available(void);

/* The value of path, NUL-terminated in buf; its length or -XEN_E*. */
int xenbus_read(const char *path, char *buf, size_t len);
int xenbus_write(const char *path, const char *value);
/* The children of path as consecutive NUL-terminated names in buf; the
 * number of names or -XEN_E*. */
int xenbus_directory(const char *path, char *buf, size_t len);

/* The value of path as a strict unsigned decimal: 0, -XEN_E* from the
 * read, or -XEN_EINVAL when it is not one. */
int xenbus_read_uint(const char *path, unsigned long *val);
/* Writes the formatted value to dir/node. 0 or -XEN_E*. */
int xenbus_printf(const char *dir, const char *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef void xenbus_watch_fn(const char *path, const char *token);
/* fn(path, token) for each event on path (xenstore sends one at once). */
int xenbus_watch(const char *path, const char *token, xenbus_watch_fn *fn);
int xenbus_unwatch(const char *path, const char *token);
/* Dispatches the watch events received so far. */
void xenbus_poll(void);
/* fn() from the store port's upcall (interrupts disabled), so a thread
 * waiting for watch events can sleep instead of polling. */
void xenbus_set_event_hook(void (*fn)(void));
/* Sleeps until the store's port signals, or ns pass (thread_wait_ns). */
void xenbus_wait_event(uint64_t ns);

/* The error string of the last XS_ERROR reply ("ENOENT", ...), or of a
 * local failure ("timeout", "unavailable"). */
const char *xenbus_last_error(void);

#endif
