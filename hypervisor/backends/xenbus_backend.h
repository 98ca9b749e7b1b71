/* SPDX-License-Identifier: MIT */
/*
 * Split-driver devices whose backend runs inside Xenolith: the xenstore
 * nodes a toolstack writes for a new device, and the backend's half of the
 * XenbusState handshake, for any device type. A device type supplies how
 * to connect to a ready frontend and how to let go. Xenolith's backends
 * present themselves as a domain of their own, EVTCHN_XEN_REMOTE_DOM
 * (backend-id 32751), as their event channels do. docs/xenbus.md.
 */
#ifndef XENOLITH_XENBUS_BACKEND_H
#define XENOLITH_XENBUS_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/xenbus.h>
#include "event/evtchn.h"

#define XBB_BACKEND_DOMID   EVTCHN_XEN_REMOTE_DOM
#define XBB_PATH_MAX        80
#define XBB_MAX_DEVICES     64
/* Connects and closes logged per device; the rest are counted, so a
 * frontend cycling its state cannot flood the serial line. */
#define XBB_LOG_TRANSITIONS 4

struct domain;
struct xbb_device;

struct xbb_ops {
    const char *type; /* "console": device/<type>/<devid> */
    /* The frontend says its nodes are written: read them (xbb_read_uint)
     * and connect. 0, or a negative Xen errno with *why saying what was
     * wrong; the device then goes Closing with an error node. */
    int (*connect)(struct xbb_device *dev, const char **why);
    /* Undoes a successful connect. */
    void (*disconnect)(struct xbb_device *dev);
};

struct xbb_device {
    const struct xbb_ops *ops;
    struct domain *front;
    unsigned int devid;
    XenbusState state; /* the backend's, as last written */
    bool connected;
    uint32_t nr_connects, nr_closes;
    char fe_path[XBB_PATH_MAX]; /* /local/domain/<fe>/device/<type>/<id> */
    char be_path[XBB_PATH_MAX]; /* /local/domain/<backend>/backend/<type>/<fe>/<id> */
    void *priv;                 /* the device type's */
};

/*
 * At build, after the domain's xenstore connection: writes the frontend's
 * directory (backend, backend-id, state = Initialising; owned by the
 * frontend, readable by the backend) and the backend's (frontend,
 * frontend-id, state = InitWait; the reverse), and registers dev. 0 or a
 * negative errno, with nothing left behind.
 */
int xbb_device_add(struct xbb_device *dev, const struct xbb_ops *ops, struct domain *front,
                   unsigned int devid, void *priv);
/* At destroy: disconnects if connected, removes both directories. */
void xbb_device_remove(struct xbb_device *dev);

/* The store changed: every device looks at its frontend's state and acts
 * (xbb_next_action). Called by the xenstore service. */
void xbb_store_changed(void);

/* The frontend's node `name` as a strict decimal <= max: 0, -XEN_ENOENT
 * (missing), -XEN_EINVAL (not such a number). */
int xbb_read_uint(const struct xbb_device *dev, const char *name, uint64_t max, uint64_t *val);

#endif
