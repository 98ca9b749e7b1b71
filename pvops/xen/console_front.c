// SPDX-License-Identifier: MIT
// device/console/<n> frontends: a ring page granted to the backend, a port
// it may bind, both published in our device directory, then Initialised;
// the backend answers Connected (or Closing, with an error node).
#include <pvops/xen/console_front.h>
#include <pvops/xen/gnttab.h>
#include <pvops/xen/xenbus.h>
#include <pvops/xen/xenbus_device.h>
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <ring-buffers/console_ring.h>
#include <vmi/event_channel_op.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/io/console.h>

#define MAX_CONSOLES  4
#define HANDSHAKE_NS  (2000ULL * 1000000)
#define WRITE_WAIT_NS (1000ULL * 1000000)

struct console_front {
    int connected;
    struct xenbus_device dev;
    unsigned long pfn;
    struct xencons_interface *intf;
    int ref;
    evtchn_port_t port;
};

static struct console_front fronts[MAX_CONSOLES];

static void console_upcall(struct pv_trap_frame *f)
{
    (void)f; /* a writer waiting for room polls; waking it is all */
}

static void release(struct console_front *c)
{
    if (c->port)
        evtchn_close(c->port);
    if (c->ref > 0 && gnttab_end_access((grant_ref_t)c->ref) == 0)
        pv_kernel->page_free(c->pfn);
    /* A grant the backend still holds keeps its page: freeing it would
     * hand the backend's window to the next user of the frame. */
    c->port = 0;
    c->ref = 0;
    c->connected = 0;
}

static int publish(struct console_front *c)
{
    evtchn_port_t port = 0;
    int rc;

    if (pv_kernel->page_alloc(&c->pfn) < 0)
        return -XEN_ENOMEM;
    c->intf = xenpv_pfn_to_virt(c->pfn);
    memset(c->intf, 0, 4096);
    c->ref = gnttab_grant_access(c->dev.otherend_id, c->pfn, 0);
    if (c->ref < 0) {
        rc = c->ref;
        c->ref = 0;
        pv_kernel->page_free(c->pfn);
        return rc;
    }
    rc = (int)evtchn_alloc_unbound(c->dev.otherend_id, &port);
    if (rc)
        return rc;
    c->port = port;
    xenpv_bind_port(port, console_upcall);
    rc = xenbus_printf(c->dev.nodename, "ring-ref", "%d", c->ref);
    if (!rc)
        rc = xenbus_printf(c->dev.nodename, "port", "%u", (unsigned int)port);
    if (!rc)
        rc = xenbus_switch_state(&c->dev, XenbusStateInitialised);
    return rc;
}

static int connect_one(struct console_front *c, unsigned int devid)
{
    XenbusState got;
    char error[64];
    int rc;

    rc = xenbus_device_probe("console", devid, &c->dev);
    if (rc == 0)
        rc = publish(c);
    if (rc == 0)
        rc = xenbus_wait_otherend(&c->dev,
                                  1u << XenbusStateConnected | 1u << XenbusStateClosing |
                                      1u << XenbusStateClosed,
                                  HANDSHAKE_NS, &got);
    if (rc == 0 && got != XenbusStateConnected) {
        xenbus_otherend_error(&c->dev, error, sizeof(error));
        pv_kernel->log("Lithos: xenbus: console/%u refused by the backend: %s\n", devid,
                       error[0] ? error : xenbus_state_name(got));
        xenbus_switch_state(&c->dev, XenbusStateClosed);
        release(c);
        return -XEN_EIO;
    }
    if (rc == 0)
        rc = xenbus_switch_state(&c->dev, XenbusStateConnected);
    if (rc) {
        pv_kernel->log("Lithos: xenbus: console/%u FAILED: %d (%s)\n", devid, rc,
                       xenbus_last_error());
        release(c);
        return rc;
    }
    c->connected = 1;
    pv_kernel->log("Lithos: xenbus: console/%u connected to backend %u\n", devid,
                   (unsigned int)c->dev.otherend_id);
    return 0;
}

int console_front_connect_all(void)
{
    unsigned int ids[MAX_CONSOLES + 1];
    int n, connected = 0;

    if (!xenbus_available())
        return 0;
    n = xenbus_devices("console", ids, MAX_CONSOLES + 1);
    for (int i = 0; i < n; i++) {
        /* device/console/0, where a toolstack writes one, is start_info's. */
        if (ids[i] == 0 || ids[i] >= MAX_CONSOLES)
            continue;
        if (connect_one(&fronts[ids[i]], ids[i]) == 0)
            connected++;
    }
    return connected;
}

int console_front_write(unsigned int devid, const char *s, size_t len)
{
    struct console_front *c = devid < MAX_CONSOLES ? &fronts[devid] : NULL;
    uint64_t deadline = pv_time_now_ns() + WRITE_WAIT_NS;
    size_t done = 0;

    if (!c || !c->connected)
        return -XEN_ENODEV;
    while (done < len) {
        int n = console_ring_front_write(c->intf, s + done, len - done);
        struct evtchn_send send = { .port = c->port };

        if (n < 0)
            return -XEN_EIO; /* the backend broke the indices */
        done += (size_t)n;
        hypercall_event_channel_op(EVTCHNOP_send, &send);
        if (done < len) {
            if (pv_time_now_ns() >= deadline)
                return -XEN_ETIMEDOUT;
            pv_kernel->thread_sleep_ns(1000000);
        }
    }
    return (int)done;
}

void console_front_close_all(void)
{
    for (unsigned int i = 0; i < MAX_CONSOLES; i++) {
        struct console_front *c = &fronts[i];
        XenbusState got;

        if (!c->connected)
            continue;
        /* Closing, then Closed once the backend has let go (it goes
         * Closing after unmapping), so the grant can be revoked. */
        xenbus_switch_state(&c->dev, XenbusStateClosing);
        xenbus_wait_otherend(&c->dev, 1u << XenbusStateClosing | 1u << XenbusStateClosed,
                             HANDSHAKE_NS, &got);
        xenbus_switch_state(&c->dev, XenbusStateClosed);
        xenbus_wait_otherend(&c->dev, 1u << XenbusStateClosed, HANDSHAKE_NS, &got);
        release(c);
        pv_kernel->log("Lithos: xenbus: console/%u closed (backend %s)\n", i,
                       xenbus_state_name(got));
    }
}
