// SPDX-License-Identifier: MIT
// xenbus client over the xenstore ring (xen/io/xs_wire.h): requests are
// copied into req, the port is notified, and the reply is read from rsp;
// XS_WATCH_EVENT messages met on the way go to a small queue for
// xenbus_poll. Thread context only, one request at a time.
#include <pvops/xen/xenbus.h>
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <vmi/event_channel_op.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>
#include <common/array_size.h>

#define TIMEOUT_NS  (5000ULL * 1000000)
/* A wait for the store's event; the backend signals replies, so this is
 * only the fallback for room freed in req without a signal. */
#define WAIT_NS     (10ULL * 1000000)
#define MAX_WATCHES 8
#define MAX_EVENTS  8
#define EVENT_LEN   128

static struct xenstore_domain_interface *xs;
static evtchn_port_t xs_port;
static uint32_t req_id;
static char last_error[16] = "unavailable";
static char reply[XENSTORE_PAYLOAD_MAX + 1];

static struct {
    char path[64], token[32];
    xenbus_watch_fn *fn;
} watches[MAX_WATCHES];

static char events[MAX_EVENTS][EVENT_LEN];
static unsigned int ev_head, ev_tail;

static void (*event_hook)(void);
static void *waiter; /* in xenbus_wait_event */

static void store_upcall(struct pv_trap_frame *f)
{
    (void)f; /* the thread reads the ring; it only needs waking */
    if (waiter)
        pv_kernel->thread_wake(waiter);
    if (event_hook)
        event_hook();
}

void xenbus_wait_event(uint64_t ns)
{
    waiter = pv_kernel->thread_current();
    pv_kernel->thread_wait_ns(ns);
}

void xenbus_set_event_hook(void (*fn)(void))
{
    event_hook = fn;
}

void xenbus_init(void *ring, unsigned int port)
{
    if (!ring)
        return;
    xs = ring;
    xs_port = port;
    xenpv_bind_port(port, store_upcall);
}

int xenbus_available(void)
{
    return xs != NULL;
}

const char *xenbus_last_error(void)
{
    return last_error;
}

static void set_error(const char *e)
{
    snprintf(last_error, sizeof(last_error), "%s", e);
}

static void notify(void)
{
    struct evtchn_send s = { .port = xs_port };

    hypercall_event_channel_op(EVTCHNOP_send, &s);
}

static int put(const void *data, uint32_t len, uint64_t deadline)
{
    const char *p = data;

    while (len) {
        XENSTORE_RING_IDX cons = __atomic_load_n(&xs->req_cons, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX prod = xs->req_prod;
        uint32_t n = 0;

        if (prod - cons > XENSTORE_RING_SIZE)
            return -XEN_EIO;
        while (len && prod - cons < XENSTORE_RING_SIZE) {
            xs->req[MASK_XENSTORE_IDX(prod)] = *p++;
            prod++;
            len--;
            n++;
        }
        __atomic_store_n(&xs->req_prod, prod, __ATOMIC_RELEASE);
        if (n)
            notify();
        if (len) {
            if (pv_time_now_ns() >= deadline)
                return -XEN_ETIMEDOUT;
            xenbus_wait_event(WAIT_NS);
        }
    }
    return 0;
}

/* Whether a whole message is waiting (header and payload). */
static int message_ready(void)
{
    XENSTORE_RING_IDX prod = __atomic_load_n(&xs->rsp_prod, __ATOMIC_ACQUIRE);
    XENSTORE_RING_IDX cons = xs->rsp_cons;
    struct xsd_sockmsg h;
    char *hp = (char *)&h;

    if (prod - cons < sizeof(h))
        return 0;
    for (uint32_t i = 0; i < sizeof(h); i++)
        hp[i] = xs->rsp[MASK_XENSTORE_IDX(cons + i)];
    return prod - cons >= sizeof(h) + (h.len > XENSTORE_PAYLOAD_MAX ? 0 : h.len);
}

static void get(void *data, uint32_t len)
{
    char *p = data;
    XENSTORE_RING_IDX cons = xs->rsp_cons;

    for (uint32_t i = 0; i < len; i++)
        p[i] = xs->rsp[MASK_XENSTORE_IDX(cons + i)];
    __atomic_store_n(&xs->rsp_cons, cons + len, __ATOMIC_RELEASE);
}

/* Reads one waiting message into reply; watch events go to the queue.
 * Returns its type and *len, 0 if none is complete, -XEN_EIO if bad. */
static int recv_one(struct xsd_sockmsg *h)
{
    if (!message_ready())
        return 0;
    get(h, sizeof(*h));
    if (h->len > XENSTORE_PAYLOAD_MAX)
        return -XEN_EIO;
    get(reply, h->len);
    reply[h->len] = '\0';
    if (h->type == XS_WATCH_EVENT) {
        if (ev_tail - ev_head < MAX_EVENTS) {
            char *ev = events[ev_tail++ % MAX_EVENTS];
            uint32_t n = h->len < EVENT_LEN - 2 ? h->len : EVENT_LEN - 2;

            memcpy(ev, reply, n);
            ev[n] = ev[n + 1] = '\0';
        }
        return -1; /* not a reply */
    }
    return 1;
}

static int errno_of(const char *e)
{
    static const struct {
        const char *name;
        int rc;
    } map[] = {
        { "ENOENT", -XEN_ENOENT }, { "EACCES", -XEN_EACCES }, { "EINVAL", -XEN_EINVAL },
        { "EEXIST", -XEN_EEXIST }, { "ENOSPC", -XEN_ENOSPC }, { "E2BIG", -XEN_E2BIG },
        { "EISDIR", -XEN_EISDIR }, { "ENOMEM", -XEN_ENOMEM }, { "EAGAIN", -XEN_EAGAIN },
        { "EBUSY", -XEN_EBUSY },   { "EPERM", -XEN_EPERM },
    };

    for (size_t i = 0; i < ARRAY_SIZE(map); i++)
        if (!strcmp(e, map[i].name))
            return map[i].rc;
    return -XEN_EIO;
}

/* One request; the reply's payload in reply[] and its length. */
static int call(uint32_t type, const char *a, size_t alen, const char *b, size_t blen)
{
    struct xsd_sockmsg h = { .type = type,
                             .req_id = ++req_id,
                             .tx_id = 0,
                             .len = (uint32_t)(alen + blen) };
    uint64_t deadline = pv_time_now_ns() + TIMEOUT_NS;
    int rc;

    if (!xs) {
        set_error("unavailable");
        return -XEN_ENODEV;
    }
    if (alen + blen > XENSTORE_PAYLOAD_MAX) {
        set_error("E2BIG");
        return -XEN_E2BIG;
    }
    rc = put(&h, sizeof(h), deadline);
    if (rc == 0)
        rc = put(a, (uint32_t)alen, deadline);
    if (rc == 0 && blen)
        rc = put(b, (uint32_t)blen, deadline);
    if (rc < 0) {
        set_error(rc == -XEN_ETIMEDOUT ? "timeout" : "EIO");
        return rc;
    }
    for (;;) {
        struct xsd_sockmsg r;

        rc = recv_one(&r);
        if (rc == 1) {
            if (r.type == XS_ERROR) {
                set_error(reply);
                return errno_of(reply);
            }
            return (int)r.len;
        }
        if (rc == -XEN_EIO) {
            set_error("EIO");
            return rc;
        }
        if (rc == 0) {
            if (pv_time_now_ns() >= deadline) {
                set_error("timeout");
                return -XEN_ETIMEDOUT;
            }
            xenbus_wait_event(WAIT_NS);
        }
    }
}

int xenbus_read(const char *path, char *buf, size_t len)
{
    int n = call(XS_READ, path, strlen(path) + 1, NULL, 0);

    if (n < 0)
        return n;
    snprintf(buf, len, "%.*s", n, reply);
    return n;
}

int xenbus_write(const char *path, const char *value)
{
    int n = call(XS_WRITE, path, strlen(path) + 1, value, strlen(value));

    return n < 0 ? n : 0;
}

int xenbus_read_uint(const char *path, unsigned long *val)
{
    char text[24], *end;
    int n = xenbus_read(path, text, sizeof(text));

    if (n < 0)
        return n;
    if (text[0] < '0' || text[0] > '9')
        return -XEN_EINVAL;
    *val = strtoul(text, &end, 10);
    return *end ? -XEN_EINVAL : 0;
}

int xenbus_printf(const char *dir, const char *node, const char *fmt, ...)
{
    char path[128], value[64];
    va_list ap;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, node) >= sizeof(path))
        return -XEN_E2BIG;
    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    return xenbus_write(path, value);
}

int xenbus_directory(const char *path, char *buf, size_t len)
{
    int n = call(XS_DIRECTORY, path, strlen(path) + 1, NULL, 0), count = 0;

    if (n < 0)
        return n;
    if ((size_t)n > len - 1)
        n = (int)len - 1;
    memcpy(buf, reply, (size_t)n);
    buf[n] = '\0';
    for (int i = 0; i < n; i++)
        if (reply[i] == '\0')
            count++;
    if (n && reply[n - 1] != '\0')
        count++;
    return count;
}

int xenbus_watch(const char *path, const char *token, xenbus_watch_fn *fn)
{
    int slot = -1, rc;

    for (int i = 0; i < MAX_WATCHES; i++)
        if (!watches[i].fn) {
            slot = i;
            break;
        }
    if (slot < 0 || strlen(path) >= sizeof(watches[0].path) ||
        strlen(token) >= sizeof(watches[0].token))
        return -XEN_ENOSPC;
    strcpy(watches[slot].path, path);
    strcpy(watches[slot].token, token);
    watches[slot].fn = fn;
    rc = call(XS_WATCH, path, strlen(path) + 1, token, strlen(token) + 1);
    if (rc < 0)
        watches[slot].fn = NULL;
    return rc < 0 ? rc : 0;
}

int xenbus_unwatch(const char *path, const char *token)
{
    int rc = call(XS_UNWATCH, path, strlen(path) + 1, token, strlen(token) + 1);

    for (int i = 0; i < MAX_WATCHES; i++)
        if (watches[i].fn && !strcmp(watches[i].path, path) && !strcmp(watches[i].token, token))
            watches[i].fn = NULL;
    return rc < 0 ? rc : 0;
}

void xenbus_poll(void)
{
    struct xsd_sockmsg r;

    if (!xs)
        return;
    while (recv_one(&r) != 0) /* replies here answer nothing: dropped */
        ;
    while (ev_head != ev_tail) {
        const char *path = events[ev_head % MAX_EVENTS];
        const char *token = path + strlen(path) + 1;

        for (int i = 0; i < MAX_WATCHES; i++)
            if (watches[i].fn && !strcmp(watches[i].token, token))
                watches[i].fn(path, token);
        ev_head++;
    }
}
