/* SPDX-License-Identifier: MIT */
/*
 * The frontend's side of a split device over xenbus: discovery (the
 * device/<type>/<id> directories the toolstack wrote for us), the other
 * end's path and domain, and the XenbusState handshake (xen/io/xenbus.h).
 * Used by the console devices now, and by block and net. Paths relative
 * to our domain's home, as xenstore resolves them. docs/xenbus.md.
 */
#ifndef PVOPS_XEN_XENBUS_DEVICE_H
#define PVOPS_XEN_XENBUS_DEVICE_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/xenbus.h>

#define XENBUS_PATH_MAX 96

struct xenbus_device {
    char nodename[XENBUS_PATH_MAX]; /* "device/console/1" */
    char otherend[XENBUS_PATH_MAX]; /* the backend's directory */
    domid_t otherend_id;
    unsigned int devid;
};

/* The ids under device/<type>, ascending, at most max of them: how many
 * (0 when there is no such directory), or -XEN_E* from the store. Names
 * that are not decimal ids are skipped. */
int xenbus_devices(const char *type, unsigned int *ids, int max);

/* Reads dev's "backend" and "backend-id": 0, or -XEN_E* (-XEN_EINVAL for
 * a malformed value). */
int xenbus_device_probe(const char *type, unsigned int devid, struct xenbus_device *dev);

/* Writes our "state"; 0 or -XEN_E*. */
int xenbus_switch_state(const struct xenbus_device *dev, XenbusState state);

/* The other end's state; XenbusStateUnknown if it cannot be read. */
XenbusState xenbus_otherend_state(const struct xenbus_device *dev);

/* Waits, on a watch of the other end's state, until it is one of those in
 * mask (bits 1 << XenbusState*). 0 with *got set, or -XEN_ETIMEDOUT with
 * the last state read in *got. Thread context. */
int xenbus_wait_otherend(const struct xenbus_device *dev, unsigned int mask, uint64_t timeout_ns,
                         XenbusState *got);

/* The other end's "error" node (a refused connect), or "" in buf. */
void xenbus_otherend_error(const struct xenbus_device *dev, char *buf, unsigned int len);

const char *xenbus_state_name(XenbusState s);

#endif
