// SPDX-License-Identifier: MIT
/*
 * Serves the xenstore core (xenstore.c) over each domain's ring page: reads
 * whole requests from `req`, writes replies and watch events to `rsp`, and
 * signals the guest on its Xenolith-bound port. Every index and length in
 * the page is the guest's and is checked before use.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include <xen/io/xs_wire.h>
#include "ring-buffers/barrier.h"
#include "backends/backend_ring.h"
#include "console/log.h"
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "event/evtchn.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "frames/page_type.h"
#include "xenstore/xenstore.h"
#include "backends/xenstore_backend.h"

/* Messages handled per ring per call: a guest flooding its ring waits for
 * the next notify or tick instead of holding Xenolith. */
#define XSB_MSGS_PER_CALL 8

_Static_assert((XENSTORE_RING_SIZE & (XENSTORE_RING_SIZE - 1)) == 0,
               "MASK_XENSTORE_IDX needs a power-of-two ring");
/* Every domain Xenolith can serve has a share of each pool of its own
 * (docs/xenstore.md, "Shares"): the d0 of a configuration is privileged,
 * but the shares do not count on it. */
_Static_assert(MAX_DOMAINS <= XS_SHARE_DOMAINS, "a xenstore share for every domain");

struct xsb_conn {
    struct domain *d; /* NULL: slot free */
    struct xenstore_domain_interface *intf;
    uint64_t mfn;
    unsigned int port;
    bool stopped; /* ring error set: not served any more */
    /* A reply or event larger than the free space in rsp (up to
     * XS_MSG_MAX, the ring is 1 KiB) goes out over several calls; nothing
     * new is read until it has. */
    uint32_t out_len, out_off;
    char out[XS_MSG_MAX];
    /* The request being gathered: a header, then hdr.len payload bytes.
     * The header is copied here once, so a guest rewriting it in the ring
     * cannot change a length already checked. */
    uint32_t in_len;
    char in[XS_MSG_MAX] __attribute__((aligned(8)));
};

static struct xs_store store;
static bool store_ready;
static struct xsb_conn conns[MAX_DOMAINS];
/* A guest's request (or a domain's release) changed the store since the
 * in-hypervisor backends last looked at their devices. */
static bool store_changed;
static bool in_backend_hook;
static void (*local_watch)(void);

/*
 * XS_INTRODUCE from the privileged domain. Xenolith is the toolstack and
 * introduces every domain it builds, so there is nothing new to map: only
 * a domain it serves, named with its store port, is re-introduced (the
 * core then drops its watches and transactions, as xenstored does). The
 * frame is ignored, as xenstored ignores it. Anything else is EINVAL
 * (docs/xenstore.md).
 */
static int xsb_introduce(void *arg, domid_t domid, uint64_t mfn, uint32_t port)
{
    (void)arg;
    (void)mfn;
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        const struct xsb_conn *c = &conns[i];

        if (c->d && c->d->domain_id == domid)
            return !c->d->is_shutting_down && port == c->port ? 0 : -XEN_EINVAL;
    }
    return -XEN_EINVAL;
}

/* A domain hit one of its store limits (a share, a quota, the reserve):
 * logged with its other refusals, the first few in full, then counted. */
static void xsb_limit(void *arg, domid_t domid, const char *what)
{
    struct domain *d = domain_by_id(domid);

    (void)arg;
    if (d)
        domain_log_refusal(d, "xenstore %s", what);
}

static void store_init_once(void)
{
    if (!store_ready) {
        xs_init(&store);
        store.introduce_hook = xsb_introduce;
        store.limit_hook = xsb_limit;
        store_ready = true;
    }
}

static bool modifies(uint32_t type)
{
    return type == XS_WRITE || type == XS_MKDIR || type == XS_RM || type == XS_SET_PERMS ||
           type == XS_TRANSACTION_END || type == XS_INTRODUCE || type == XS_RELEASE;
}

/* Every index lives in the guest's page, ours included (a hostile guest
 * may write them all), so each is read once per decision, the pair is
 * checked, and every byte offset is masked into the ring. */
static void ring_broken(struct xsb_conn *c, uint32_t error, const char *what)
{
    c->intf->error = error;
    c->stopped = true;
    domain_crash(c->d, "xenstore ring: %s", what);
}

/* Copies as much of the pending output as rsp has room for. */
static bool flush_out(struct xsb_conn *c, bool *sent)
{
    struct xenstore_domain_interface *in = c->intf;
    XENSTORE_RING_IDX cons = ring_read_idx(&in->rsp_cons);
    XENSTORE_RING_IDX prod = ring_read_idx(&in->rsp_prod);
    uint32_t used = prod - cons, room, n;

    ring_mb(); /* the guest's consumer index before reusing the space it freed */
    if (used > XENSTORE_RING_SIZE) {
        ring_broken(c, XENSTORE_ERROR_RINGIDX, "rsp_cons is more than a ring behind rsp_prod");
        return false;
    }
    room = XENSTORE_RING_SIZE - used;
    n = c->out_len - c->out_off;
    if (n > room)
        n = room;
    for (uint32_t i = 0; i < n; i++)
        in->rsp[MASK_XENSTORE_IDX(prod + i)] = c->out[c->out_off + i];
    ring_wmb(); /* the bytes before the index that publishes them */
    ring_write_idx(&in->rsp_prod, prod + n);
    c->out_off += n;
    if (n)
        *sent = true;
    if (c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    return c->out_len == 0;
}

/* Takes the guest's bytes towards one whole request, which may be larger
 * than the ring and so arrive in pieces; true once c->in holds a complete
 * message, or a header whose length is already a protocol violation. */
static bool read_request(struct xsb_conn *c)
{
    struct xenstore_domain_interface *in = c->intf;
    struct xsd_sockmsg *hdr = (struct xsd_sockmsg *)c->in;

    for (;;) {
        XENSTORE_RING_IDX cons = ring_read_idx(&in->req_cons);
        XENSTORE_RING_IDX prod = ring_read_idx(&in->req_prod);
        uint32_t avail = prod - cons, want, n;

        ring_rmb(); /* the guest's producer index before the bytes it publishes */
        if (avail > XENSTORE_RING_SIZE) {
            ring_broken(c, XENSTORE_ERROR_RINGIDX,
                        "req_prod is more than a ring ahead of req_cons");
            return false;
        }
        if (c->in_len < sizeof(*hdr))
            want = sizeof(*hdr);
        else if (hdr->len > XENSTORE_PAYLOAD_MAX)
            return true; /* xs_handle refuses it before reading any payload */
        else
            want = sizeof(*hdr) + hdr->len;
        if (c->in_len == want) {
            c->in_len = 0;
            return true;
        }
        if (!avail)
            return false;
        n = want - c->in_len < avail ? want - c->in_len : avail;
        for (uint32_t i = 0; i < n; i++)
            c->in[c->in_len + i] = in->req[MASK_XENSTORE_IDX(cons + i)];
        c->in_len += n;
        ring_mb(); /* finish reading before the space is handed back */
        ring_write_idx(&in->req_cons, cons + n);
    }
}

static void serve(struct xsb_conn *c)
{
    bool sent = false;

    if (!c->d || c->stopped || c->d->is_shutting_down)
        return;
    for (unsigned int k = 0; k < XSB_MSGS_PER_CALL && !c->stopped; k++) {
        const struct xsd_sockmsg *hdr = (const struct xsd_sockmsg *)c->in;
        size_t len;
        int rc;

        if (!flush_out(c, &sent))
            break;
        /* Events queued by earlier requests go out before the next reply,
         * in the order xenstored would write them. */
        if (xs_next_watch_event(&store, c->d->domain_id, c->out, sizeof(c->out), &len)) {
            c->out_len = (uint32_t)len;
            continue;
        }
        if (!read_request(c))
            break;
        rc = xs_handle(&store, c->d->domain_id, c->d->is_privileged, hdr, c->in + sizeof(*hdr),
                       c->out, sizeof(c->out), &len);
        if (rc == -XEN_EBADMSG) {
            /* As xenstored's ignore_connection(): the guest learns why
             * from the error field, and the ring is not read again. */
            c->intf->error = XENSTORE_ERROR_PROTO;
            c->stopped = true;
            log_warn("d%u: xenstore: request of %u bytes exceeds %u: ring closed\n",
                     c->d->domain_id, hdr->len, XENSTORE_PAYLOAD_MAX);
            break;
        }
        if (rc == 0) {
            c->out_len = (uint32_t)len;
            if (modifies(hdr->type) && ((struct xsd_sockmsg *)c->out)->type != XS_ERROR)
                store_changed = true;
        }
    }
    if (!c->stopped)
        flush_out(c, &sent);
    if (sent)
        evtchn_notify_guest(c->d, c->port);
}

/* Serves first (NULL: none first), then every other ring: a request may
 * queue events for any domain. */
static void serve_all_after(struct xsb_conn *first)
{
    if (first)
        serve(first);
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (&conns[i] != first)
            serve(&conns[i]);
    /* The backends look at their devices after the requests that changed
     * them, then the events their own writes queued go out. Two rounds at
     * most per call: the tick's poll picks up whatever is left. */
    for (unsigned int round = 0; round < 2 && store_changed && !in_backend_hook && local_watch;
         round++) {
        store_changed = false;
        in_backend_hook = true;
        local_watch();
        in_backend_hook = false;
        for (unsigned int i = 0; i < MAX_DOMAINS; i++)
            serve(&conns[i]);
    }
}

void xsb_watch_local(void (*changed)(void))
{
    local_watch = changed;
}

void xsb_poll(void)
{
    serve_all_after(NULL);
}

/* The notifying ring goes first, and only once. */
static void xsb_notify(struct domain *d, unsigned int port, void *arg)
{
    (void)d;
    (void)port;
    serve_all_after(arg);
}

int xsb_connect(struct domain *d, uint64_t mfn)
{
    struct xsb_conn *c = NULL;
    void *page;
    int rc, port;

    store_init_once();
    for (unsigned int i = 0; i < MAX_DOMAINS && !c; i++)
        if (!conns[i].d)
            c = &conns[i];
    if (!c)
        return -XEN_ENOSPC;
    rc = xs_introduce_domain(&store, d->domain_id);
    if (rc)
        return rc;
    port = backend_ring_attach(d, mfn, xsb_notify, c, &page);
    if (port < 0) {
        xs_release_domain(&store, d->domain_id);
        return port;
    }
    memset(c, 0, sizeof(*c));
    c->d = d;
    c->mfn = mfn;
    c->intf = page;
    c->port = (unsigned int)port;
    c->intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
    c->intf->connection = XENSTORE_CONNECTED;
    return port;
}

void xsb_disconnect(struct domain *d)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct xsb_conn *c = &conns[i];

        if (c->d != d)
            continue;
        c->d = NULL;
        page_put(c->mfn);
        /* Domain 0 owns "/", "/local" and "/local/domain" (xs_init):
         * releasing it would empty the store under the other domains. As
         * XS_RELEASE refuses domain 0, its nodes stay; re-introducing it
         * drops its watches and transactions. */
        if (d->domain_id == 0)
            xs_introduce_domain(&store, 0);
        else
            xs_release_domain(&store, d->domain_id);
        store_changed = true;
        /* Release may fire other domains' watches. */
        xsb_poll();
        return;
    }
}

/* --- Xenolith's own requests ---------------------------------------------------- */

/* One request from the in-hypervisor backends, as privileged domain
 * EVTCHN_XEN_REMOTE_DOM (their own id), through the same code as a guest's: the
 * reply's payload lands in xen_reply, NUL-terminated. */
static char xen_req[XS_MSG_MAX] __attribute__((aligned(8)));
static char xen_reply[XS_MSG_MAX + 1] __attribute__((aligned(8)));

static int xen_request(uint32_t type, const char *a, size_t alen, const char *b, size_t blen)
{
    struct xsd_sockmsg *hdr = (struct xsd_sockmsg *)xen_req;
    const struct xsd_sockmsg *rsp = (const struct xsd_sockmsg *)xen_reply;
    size_t len;

    if (alen + blen > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    store_init_once();
    *hdr = (struct xsd_sockmsg){ .type = type, .len = (uint32_t)(alen + blen) };
    memcpy(xen_req + sizeof(*hdr), a, alen);
    if (blen)
        memcpy(xen_req + sizeof(*hdr) + alen, b, blen);
    if (xs_handle(&store, EVTCHN_XEN_REMOTE_DOM, true, hdr, xen_req + sizeof(*hdr), xen_reply,
                  XS_MSG_MAX, &len))
        return -XEN_EIO;
    xen_reply[len] = '\0';
    if (rsp->type == XS_ERROR)
        return xs_errno_of(xen_reply + sizeof(*rsp));
    return (int)rsp->len;
}

int xsb_xen_read(const char *path, char *buf, size_t len)
{
    int n = xen_request(XS_READ, path, strlen(path) + 1, NULL, 0);

    if (n < 0)
        return n;
    if ((size_t)n >= len)
        return -XEN_E2BIG;
    memcpy(buf, xen_reply + sizeof(struct xsd_sockmsg), (size_t)n);
    buf[n] = '\0';
    return n;
}

int xsb_xen_write(const char *path, const char *value)
{
    int n = xen_request(XS_WRITE, path, strlen(path) + 1, value, strlen(value));

    return n < 0 ? n : 0;
}

int xsb_xen_set_perms(const char *path, const char *perms, size_t perms_len)
{
    int n = xen_request(XS_SET_PERMS, path, strlen(path) + 1, perms, perms_len);

    return n < 0 ? n : 0;
}

int xsb_xen_rm(const char *path)
{
    int n = xen_request(XS_RM, path, strlen(path) + 1, NULL, 0);

    return n < 0 && n != -XEN_ENOENT ? n : 0;
}
