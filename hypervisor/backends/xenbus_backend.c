// SPDX-License-Identifier: MIT
/*
 * The device nodes and the backend's half of the handshake for Xenolith's
 * in-hypervisor backends. Everything here reads what a guest wrote: a
 * frontend's nodes are parsed strictly and a bad value is refused with an
 * error node and a log line, never followed.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "console/log.h"
#include "domain/domain.h"
#include "lib/errno_name.h"
#include "backends/xenbus_backend.h"
#include "backends/xenbus_state.h"
#include "backends/xenstore_backend.h"

static struct xbb_device *devices[XBB_MAX_DEVICES];

static int write_node(const char *dir, const char *name, const char *value)
{
    char path[XBB_PATH_MAX + 16];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return xsb_xen_write(path, value);
}

static int write_uint(const char *dir, const char *name, unsigned int v)
{
    char text[12];

    snprintf(text, sizeof(text), "%u", v);
    return write_node(dir, name, text);
}

/* owner `owner` with no access for others, read access for `reader`: the
 * permissions a toolstack gives each side's directory. */
static int set_owner(const char *dir, domid_t owner, domid_t reader)
{
    char perms[24];
    int n = snprintf(perms, sizeof(perms), "n%u", (unsigned int)owner) + 1;

    n += snprintf(perms + n, sizeof(perms) - (size_t)n, "r%u", (unsigned int)reader) + 1;
    return xsb_xen_set_perms(dir, perms, (size_t)n);
}

static void switch_state(struct xbb_device *dev, XenbusState s)
{
    int rc = write_uint(dev->be_path, "state", s);

    if (rc)
        log_warn("d%u: %s/%u: writing backend state %s: %s\n", dev->front->domain_id,
                 dev->ops->type, dev->devid, xbb_state_name(s), xen_errno_name(rc));
    dev->state = s;
}

/* Each directory is made and given its owner before its nodes, which
 * inherit the directory's permissions as they are created. */
static int make_dir(const char *dir, domid_t owner, domid_t reader)
{
    int rc = xsb_xen_write(dir, "");

    return rc ? rc : set_owner(dir, owner, reader);
}

static int write_dirs(struct xbb_device *dev)
{
    domid_t fe = dev->front->domain_id;
    int rc;

    /* The backend's directory first: a frontend that finds its own
     * directory finds everything its nodes point at. */
    rc = make_dir(dev->be_path, XBB_BACKEND_DOMID, fe);
    if (!rc)
        rc = write_node(dev->be_path, "frontend", dev->fe_path);
    if (!rc)
        rc = write_uint(dev->be_path, "frontend-id", fe);
    if (!rc)
        rc = write_uint(dev->be_path, "state", XenbusStateInitWait);
    if (!rc)
        rc = make_dir(dev->fe_path, fe, XBB_BACKEND_DOMID);
    if (!rc)
        rc = write_node(dev->fe_path, "backend", dev->be_path);
    if (!rc)
        rc = write_uint(dev->fe_path, "backend-id", XBB_BACKEND_DOMID);
    if (!rc)
        rc = write_uint(dev->fe_path, "state", XenbusStateInitialising);
    return rc;
}

int xbb_device_add(struct xbb_device *dev, const struct xbb_ops *ops, struct domain *front,
                   unsigned int devid, void *priv)
{
    unsigned int slot;
    int rc;

    for (slot = 0; slot < XBB_MAX_DEVICES && devices[slot]; slot++)
        ;
    if (slot == XBB_MAX_DEVICES)
        return -XEN_ENOSPC;
    memset(dev, 0, sizeof(*dev));
    dev->ops = ops;
    dev->front = front;
    dev->devid = devid;
    dev->priv = priv;
    snprintf(dev->fe_path, sizeof(dev->fe_path), "/local/domain/%u/device/%s/%u",
             (unsigned int)front->domain_id, ops->type, devid);
    snprintf(dev->be_path, sizeof(dev->be_path), "/local/domain/%u/backend/%s/%u/%u",
             (unsigned int)XBB_BACKEND_DOMID, ops->type, (unsigned int)front->domain_id, devid);
    rc = write_dirs(dev);
    if (rc) {
        xsb_xen_rm(dev->fe_path);
        xsb_xen_rm(dev->be_path);
        return rc;
    }
    dev->state = XenbusStateInitWait;
    devices[slot] = dev;
    return 0;
}

static void disconnect(struct xbb_device *dev)
{
    if (!dev->connected)
        return;
    dev->ops->disconnect(dev);
    dev->connected = false;
}

void xbb_device_remove(struct xbb_device *dev)
{
    for (unsigned int slot = 0; slot < XBB_MAX_DEVICES; slot++)
        if (devices[slot] == dev)
            devices[slot] = NULL;
    disconnect(dev);
    if (dev->nr_connects > XBB_LOG_TRANSITIONS || dev->nr_closes > XBB_LOG_TRANSITIONS)
        log_info("d%u: %s/%u: %u connects and %u closes in all\n", dev->front->domain_id,
                 dev->ops->type, dev->devid, dev->nr_connects, dev->nr_closes);
    xsb_xen_rm(dev->fe_path);
    xsb_xen_rm(dev->be_path);
}

int xbb_read_uint(const struct xbb_device *dev, const char *name, uint64_t max, uint64_t *val)
{
    char path[XBB_PATH_MAX + 16], text[24];
    int n;

    snprintf(path, sizeof(path), "%s/%s", dev->fe_path, name);
    n = xsb_xen_read(path, text, sizeof(text));
    if (n == -XEN_ENOENT)
        return n;
    if (n < 0 || !xbb_parse_uint(text, max, val))
        return -XEN_EINVAL;
    return 0;
}

/* Linux's xenbus_dev_fatal, with the error node in the backend's own
 * directory (readable by the frontend): "<errno> <what>", then Closing. */
static void refuse(struct xbb_device *dev, int rc, const char *why)
{
    char text[96];

    /* Counted with the domain's other refusals: the first few are logged. */
    domain_log_refusal(dev->front, "%s/%u connect: %s (%s)", dev->ops->type, dev->devid, why,
                       xen_errno_name(rc));
    snprintf(text, sizeof(text), "%d %s", -rc, why);
    write_node(dev->be_path, "error", text);
    switch_state(dev, XenbusStateClosing);
}

static void look_at(struct xbb_device *dev)
{
    char path[XBB_PATH_MAX + 16], text[16];
    XenbusState fe;
    const char *why = "?";
    int rc;

    if (dev->front->is_shutting_down)
        return;
    snprintf(path, sizeof(path), "%s/state", dev->fe_path);
    fe = xsb_xen_read(path, text, sizeof(text)) < 0 ? XenbusStateUnknown : xbb_parse_state(text);
    switch (xbb_next_action(dev->state, fe)) {
    case XBB_NONE:
        return;
    case XBB_CONNECT:
        rc = dev->ops->connect(dev, &why);
        if (rc) {
            refuse(dev, rc, why);
            return;
        }
        dev->connected = true;
        if (++dev->nr_connects <= XBB_LOG_TRANSITIONS)
            log_info("d%u: %s/%u: connected\n", dev->front->domain_id, dev->ops->type, dev->devid);
        switch_state(dev, XenbusStateConnected);
        return;
    case XBB_CLOSING:
        disconnect(dev);
        switch_state(dev, XenbusStateClosing);
        return;
    case XBB_CLOSED:
        disconnect(dev);
        if (++dev->nr_closes <= XBB_LOG_TRANSITIONS)
            log_info("d%u: %s/%u: closed (frontend %s)\n", dev->front->domain_id, dev->ops->type,
                     dev->devid, xbb_state_name(fe));
        switch_state(dev, XenbusStateClosed);
        return;
    case XBB_REARM:
        snprintf(path, sizeof(path), "%s/error", dev->be_path);
        xsb_xen_rm(path);
        switch_state(dev, XenbusStateInitWait);
        return;
    }
}

void xbb_store_changed(void)
{
    for (unsigned int slot = 0; slot < XBB_MAX_DEVICES; slot++)
        if (devices[slot])
            look_at(devices[slot]);
}
