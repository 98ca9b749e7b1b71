// SPDX-License-Identifier: MIT
// Device discovery and the XenbusState handshake on top of the xenbus
// client. The other end is trusted no further than xenbus.c trusts the
// store: its values are parsed, and a wait always has a deadline.
#include <pvops/xen/xenbus_device.h>
#include <pvops/xen/xenbus.h>
#include <pvops/pvops.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>
#include <common/array_size.h>

#define WAIT_TOKEN "xenbus-wait"
#define POLL_NS    (50ULL * 1000000)

static int cmp_uint(const void *a, const void *b)
{
    unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

    return x < y ? -1 : x > y;
}

int xenbus_devices(const char *type, unsigned int *ids, int max)
{
    /* As large as any reply, so no name is ever cut short; static, as
     * xenbus is used from one thread at a time. */
    static char names[XENSTORE_PAYLOAD_MAX + 1];
    char dir[XENBUS_PATH_MAX];
    const char *p;
    int n, found = 0;

    snprintf(dir, sizeof(dir), "device/%s", type);
    n = xenbus_directory(dir, names, sizeof(names));
    if (n == -XEN_ENOENT)
        return 0;
    if (n < 0)
        return n;
    p = names;
    for (int i = 0; i < n && found < max; i++, p += strlen(p) + 1) {
        char *end;
        unsigned long id;

        if (*p < '0' || *p > '9')
            continue;
        id = strtoul(p, &end, 10);
        if (*end || id > 0xffffu)
            continue;
        ids[found++] = (unsigned int)id;
    }
    qsort(ids, (size_t)found, sizeof(ids[0]), cmp_uint);
    return found;
}

int xenbus_device_probe(const char *type, unsigned int devid, struct xenbus_device *dev)
{
    char path[XENBUS_PATH_MAX + 16];
    unsigned long id;
    int rc;

    memset(dev, 0, sizeof(*dev));
    dev->devid = devid;
    snprintf(dev->nodename, sizeof(dev->nodename), "device/%s/%u", type, devid);
    snprintf(path, sizeof(path), "%s/backend", dev->nodename);
    rc = xenbus_read(path, dev->otherend, sizeof(dev->otherend));
    if (rc < 0)
        return rc;
    if (rc == 0 || (size_t)rc >= sizeof(dev->otherend))
        return -XEN_EINVAL;
    snprintf(path, sizeof(path), "%s/backend-id", dev->nodename);
    rc = xenbus_read_uint(path, &id);
    if (rc < 0)
        return rc;
    if (id >= DOMID_FIRST_RESERVED)
        return -XEN_EINVAL;
    dev->otherend_id = (domid_t)id;
    return 0;
}

int xenbus_switch_state(const struct xenbus_device *dev, XenbusState state)
{
    return xenbus_printf(dev->nodename, "state", "%d", (int)state);
}

XenbusState xenbus_otherend_state(const struct xenbus_device *dev)
{
    char path[XENBUS_PATH_MAX + 8];
    unsigned long v;

    snprintf(path, sizeof(path), "%s/state", dev->otherend);
    if (xenbus_read_uint(path, &v) < 0 || v > XenbusStateReconfigured)
        return XenbusStateUnknown;
    return (XenbusState)v;
}

static volatile int otherend_changed;

static void on_change(const char *path, const char *token)
{
    (void)path;
    (void)token;
    otherend_changed = 1;
}

int xenbus_wait_otherend(const struct xenbus_device *dev, unsigned int mask, uint64_t timeout_ns,
                         XenbusState *got)
{
    char path[XENBUS_PATH_MAX + 8];
    uint64_t deadline = pv_time_now_ns() + timeout_ns;
    int rc = -XEN_ETIMEDOUT;
    uint64_t last_read = 0;

    snprintf(path, sizeof(path), "%s/state", dev->otherend);
    /* The watch fires once at once (as xenstored's do), so a state
     * reached before the watch was set is read all the same. */
    otherend_changed = 1;
    if (xenbus_watch(path, WAIT_TOKEN, on_change) < 0)
        return -XEN_EIO;
    while (pv_time_now_ns() < deadline) {
        /* On the watch's event, and every POLL_NS regardless: an event
         * dropped from a full queue costs latency, not the handshake.
         * Not on every wake: our own reads' replies wake us too. */
        if (otherend_changed || pv_time_now_ns() - last_read >= POLL_NS) {
            otherend_changed = 0;
            last_read = pv_time_now_ns();
            *got = xenbus_otherend_state(dev);
            if (mask & (1u << *got)) {
                rc = 0;
                break;
            }
        }
        xenbus_wait_event(POLL_NS);
        xenbus_poll();
    }
    if (rc)
        *got = xenbus_otherend_state(dev);
    xenbus_unwatch(path, WAIT_TOKEN);
    return rc;
}

void xenbus_otherend_error(const struct xenbus_device *dev, char *buf, unsigned int len)
{
    char path[XENBUS_PATH_MAX + 8];

    snprintf(path, sizeof(path), "%s/error", dev->otherend);
    if (xenbus_read(path, buf, len) < 0)
        buf[0] = '\0';
}

const char *xenbus_state_name(XenbusState s)
{
    static const char *const names[] = {
        "Unknown", "Initialising", "InitWait",      "Initialised",  "Connected",
        "Closing", "Closed",       "Reconfiguring", "Reconfigured",
    };

    return (unsigned int)s < ARRAY_SIZE(names) ? names[s] : "?";
}
