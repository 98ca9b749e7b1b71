// SPDX-License-Identifier: MIT
/*
 * The backend of device/console/<n>: the handshake comes from
 * xenbus_backend.c; this file maps the frontend's granted ring, binds its
 * port and drains `out` to the serial line. The ring-ref, the port and the
 * ring's indices are the guest's and are checked before any use.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include "ring-buffers/console_ring.h"
#include "console/log.h"
#include "backends/console_device.h"
#include "console/console_mux.h"
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "event/evtchn.h"
#include "grant/grant_table.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "console/serial.h"
#include "backends/xenbus_backend.h"
#include "common/array_size.h"

#define CONSDEV_OUT_PER_CALL 4096
#define CONSDEV_CHUNK        256

struct consdev {
    struct xbb_device xbb;
    bool added;
    grant_ref_t ref;
    uint64_t mfn;
    struct xencons_interface *intf; /* NULL: not connected */
    unsigned int port;
    char tag[CONSOLE_MUX_TAG_MAX + 1];
    size_t line_len;
    char line[CONSOLE_MUX_LINE];
};

static struct consdev devs[MAX_DOMAINS * CONSDEV_PER_DOMAIN];
static char why_text[96];

/* A local function, not serial_queue itself: see console_backend.c. The
 * lines are charged to the device's domain. */
static domid_t emit_owner = DOMID_XEN;

static void serial_emit(const char *line, size_t len)
{
    (void)serial_queue(emit_owner, line, len);
}

static void line_put(struct consdev *c, const char *s, size_t n)
{
    emit_owner = c->xbb.front->domain_id;
    console_line_put_tagged(c->line, sizeof(c->line), &c->line_len, c->tag, s, n, serial_emit);
    emit_owner = DOMID_XEN;
}

static void drain(struct consdev *c)
{
    struct domain *d = c->xbb.front;
    char chunk[CONSDEV_CHUNK];
    uint32_t done = 0;
    int n;

    /* As the first console's ring: read only while the lines fit. */
    while (c->intf && done < CONSDEV_OUT_PER_CALL &&
           serial_room(d->domain_id) >= CONSOLE_MUX_EMIT_MAX(sizeof(chunk))) {
        n = console_ring_back_read(c->intf, chunk, sizeof(chunk));
        if (n < 0) {
            domain_crash(d, "console %u ring: out_prod - out_cons exceeds the buffer",
                         c->xbb.devid);
            c->intf = NULL; /* not read again; disconnect still unmaps */
            return;
        }
        if (n == 0)
            break;
        line_put(c, chunk, (size_t)n);
        done += (uint32_t)n;
    }
    if (done)
        evtchn_notify_guest(d, c->port); /* the guest may be waiting for space */
}

static void consdev_notify(struct domain *d, unsigned int port, void *arg)
{
    (void)d;
    (void)port;
    drain(arg);
}

static int consdev_connect(struct xbb_device *xbb, const char **why)
{
    struct consdev *c = xbb->priv;
    struct domain *d = xbb->front;
    uint64_t ref, port, mfn;
    int rc, st;

    *why = why_text;
    rc = xbb_read_uint(xbb, "ring-ref", UINT32_MAX, &ref);
    if (rc) {
        snprintf(why_text, sizeof(why_text), "ring-ref is %s",
                 rc == -XEN_ENOENT ? "missing" : "not a grant reference");
        return rc;
    }
    rc = xbb_read_uint(xbb, "port", UINT32_MAX, &port);
    if (rc) {
        snprintf(why_text, sizeof(why_text), "port is %s",
                 rc == -XEN_ENOENT ? "missing" : "not a port number");
        return rc;
    }
    st = gnttab_backend_map(d, (grant_ref_t)ref, XBB_BACKEND_DOMID, &mfn);
    if (st != GNTST_okay) {
        snprintf(why_text, sizeof(why_text), "grant %llu cannot be mapped writable (GNTST %d)",
                 (unsigned long long)ref, st);
        return -XEN_EINVAL;
    }
    rc = evtchn_bind_xen_port(d, (unsigned int)port, consdev_notify, c);
    if (rc) {
        gnttab_backend_unmap(d, (grant_ref_t)ref, mfn);
        snprintf(why_text, sizeof(why_text), "port %llu is not unbound for domain %u",
                 (unsigned long long)port, (unsigned int)XBB_BACKEND_DOMID);
        return rc;
    }
    c->ref = (grant_ref_t)ref;
    c->mfn = mfn;
    c->port = (unsigned int)port;
    c->intf = mfn_to_virt(mfn);
    c->line_len = 0;
    drain(c); /* what the frontend wrote before connecting */
    return 0;
}

static void consdev_disconnect(struct xbb_device *xbb)
{
    struct consdev *c = xbb->priv;
    struct domain *d = xbb->front;

    drain(c);
    if (c->line_len)
        line_put(c, "\n", 1);
    c->intf = NULL;
    evtchn_close_xen_port(d, c->port);
    gnttab_backend_unmap(d, c->ref, c->mfn);
}

static const struct xbb_ops consdev_ops = {
    .type = "console",
    .connect = consdev_connect,
    .disconnect = consdev_disconnect,
};

int consdev_add(struct domain *d, unsigned int count)
{
    for (unsigned int devid = 1; devid < count; devid++) {
        struct consdev *c = NULL;
        int rc;

        for (unsigned int i = 0; i < ARRAY_SIZE(devs) && !c; i++)
            if (!devs[i].added)
                c = &devs[i];
        if (!c)
            rc = -XEN_ENOSPC;
        else
            rc = xbb_device_add(&c->xbb, &consdev_ops, d, devid, c);
        if (rc) {
            consdev_remove(d);
            return rc;
        }
        c->added = true;
        c->intf = NULL;
        snprintf(c->tag, sizeof(c->tag), "(d%u.%u) ", (unsigned int)d->domain_id, devid);
    }
    return 0;
}

void consdev_remove(struct domain *d)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(devs); i++) {
        struct consdev *c = &devs[i];

        if (!c->added || c->xbb.front != d)
            continue;
        xbb_device_remove(&c->xbb);
        c->added = false;
    }
}

void consdev_poll(void)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(devs); i++) {
        struct consdev *c = &devs[i];

        if (c->added && c->intf && !c->xbb.front->is_shutting_down)
            drain(c);
    }
}
