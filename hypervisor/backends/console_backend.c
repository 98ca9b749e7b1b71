// SPDX-License-Identifier: MIT
/*
 * The console backend: drains each domain's console ring `out` into the
 * console mux (whole tagged lines on the serial port), and fills its `in`
 * with the serial input the mux queued for it. The ring indices are the
 * guest's and are validated by console_ring.h before any use.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include <xen/io/console.h>
#include "ring-buffers/console_ring.h"
#include "backends/backend_ring.h"
#include "console/log.h"
#include "backends/console_backend.h"
#include "console/console_mux.h"
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "event/evtchn.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "frames/page_type.h"
#include "console/serial.h"

/* Bytes of output taken per ring per call: the `out` buffer is 2 KiB, so
 * one call empties it, and a guest refilling it as fast as it can still
 * leaves Xenolith after this much. */
#define CONSB_OUT_PER_CALL    4096
#define CONSB_CHUNK           256
/* Serial bytes taken per poll: the UART holds 16; more is a paste. */
#define CONSB_SERIAL_PER_POLL 64

struct consb_conn {
    struct domain *d;               /* NULL: slot free */
    struct xencons_interface *intf; /* NULL: no ring (CONSOLEIO only) */
    uint64_t mfn;
    unsigned int port;
    /* The guest has used the ring (notified, or written to `out`): only
     * then does its input go there. A guest reading with CONSOLEIO_read
     * alone (Lithos) would otherwise never see what is typed. */
    bool ring_used;
};

static struct console_mux mux;
static bool mux_ready;
static struct consb_conn conns[MAX_DOMAINS];

/* A local function, not serial_write itself: under -fpie the address of an
 * extern function is loaded from the GOT, which xenolith.ld places past
 * __load_end, where the loader leaves it zero. */
static domid_t emit_owner = DOMID_XEN;

static void serial_emit(const char *line, size_t len)
{
    (void)serial_queue(emit_owner, line, len);
}

/* The mux emits the domain's lines inside these calls: they are charged
 * to the domain's share of the serial queue. */
static void mux_output(struct domain *d, const char *s, size_t n)
{
    emit_owner = d->domain_id;
    console_mux_output(&mux, d->domain_id, s, n);
    emit_owner = DOMID_XEN;
}

static void mux_remove(struct domain *d)
{
    emit_owner = d->domain_id;
    console_mux_remove_domain(&mux, d->domain_id);
    emit_owner = DOMID_XEN;
}

static void mux_init_once(void)
{
    if (!mux_ready) {
        console_mux_init(&mux, serial_emit);
        mux_ready = true;
    }
}

static void take_serial_input(void)
{
    for (unsigned int i = 0; i < CONSB_SERIAL_PER_POLL; i++) {
        int c = serial_getc();

        if (c < 0)
            return;
        console_mux_input_byte(&mux, (uint8_t)c);
    }
}

static void serve(struct consb_conn *c)
{
    struct xencons_interface *in = c->intf;
    char chunk[CONSB_CHUNK];
    uint32_t done = 0, used;
    bool notify = false;
    int n;

    if (!c->d || !in || c->d->is_shutting_down)
        return;
    /* A ring is read only while its lines fit in the domain's share of
     * the serial queue: ring output waits in the ring, never lost. */
    while (done < CONSB_OUT_PER_CALL &&
           serial_room(c->d->domain_id) >= CONSOLE_MUX_EMIT_MAX(sizeof(chunk))) {
        n = console_ring_back_read(in, chunk, sizeof(chunk));
        if (n < 0) {
            domain_crash(c->d, "console ring: out_prod - out_cons exceeds the buffer");
            return;
        }
        if (n == 0)
            break;
        mux_output(c->d, chunk, (size_t)n);
        done += (uint32_t)n;
        notify = true; /* the guest may be waiting for space */
        c->ring_used = true;
    }
    if (!c->ring_used)
        goto out;
    /* Only as much input as the ring has room for leaves the mux queue,
     * so nothing typed is lost to a slow reader. */
    used = ring_read_idx(&in->in_prod) - ring_read_idx(&in->in_cons);
    if (used > sizeof(in->in)) {
        domain_crash(c->d, "console ring: in_prod - in_cons exceeds the buffer");
        return;
    }
    if (used < sizeof(in->in)) {
        n = console_mux_take_input(&mux, c->d->domain_id, chunk,
                                   sizeof(in->in) - used < sizeof(chunk) ? sizeof(in->in) - used
                                                                         : sizeof(chunk));
        if (n > 0) {
            int w = console_ring_back_write(in, chunk, (size_t)n);

            if (w < 0) {
                domain_crash(c->d, "console ring: in_prod - in_cons exceeds the buffer");
                return;
            }
            notify = true;
        }
    }
out:
    if (notify)
        evtchn_notify_guest(c->d, c->port);
}

void consb_poll(void)
{
    mux_init_once();
    take_serial_input();
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        serve(&conns[i]);
}

static void consb_notify(struct domain *d, unsigned int port, void *arg)
{
    struct consb_conn *c = arg;

    (void)d;
    (void)port;
    c->ring_used = true;
    serve(c);
}

int consb_connect(struct domain *d, uint64_t mfn)
{
    struct consb_conn *c = NULL;
    void *page;
    int rc, port;

    mux_init_once();
    for (unsigned int i = 0; i < MAX_DOMAINS && !c; i++)
        if (!conns[i].d)
            c = &conns[i];
    if (!c)
        return -XEN_ENOSPC;
    rc = console_mux_add_domain(&mux, d->domain_id);
    if (rc)
        return rc;
    port = backend_ring_attach(d, mfn, consb_notify, c, &page);
    if (port < 0) {
        mux_remove(d);
        return port;
    }
    memset(c, 0, sizeof(*c));
    c->d = d;
    c->mfn = mfn;
    c->intf = page;
    c->port = (unsigned int)port;
    return port;
}

void consb_disconnect(struct domain *d)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct consb_conn *c = &conns[i];

        if (c->d != d)
            continue;
        /* A crashing guest's last words are still in its ring. */
        if (c->intf) {
            char chunk[CONSB_CHUNK];
            int n;

            for (unsigned int k = 0; k < CONSB_OUT_PER_CALL / CONSB_CHUNK; k++) {
                n = console_ring_back_read(c->intf, chunk, sizeof(chunk));
                if (n <= 0)
                    break;
                mux_output(d, chunk, (size_t)n);
            }
        }
        c->d = NULL;
        page_put(c->mfn);
        mux_remove(d);
        return;
    }
}

void consb_write(struct domain *d, const char *s, size_t n)
{
    mux_init_once();
    mux_output(d, s, n);
}

size_t consb_read(struct domain *d, void *buf, size_t max)
{
    int n;

    mux_init_once();
    take_serial_input();
    n = console_mux_take_input(&mux, d->domain_id, buf, max);
    return n > 0 ? (size_t)n : 0;
}
