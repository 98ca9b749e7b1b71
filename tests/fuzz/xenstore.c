// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the xenstore core (hypervisor/xenstore*.c): the
 * input is a stream of steps, each one domain's request (well-formed from a
 * small vocabulary, raw bytes with any header, or a burst that runs a
 * domain into its shares and quotas) or a toolstack action (introduce,
 * release, drain events), over six connections of which two (domains 0
 * and 40) are privileged. Every reply, event and limit report must be
 * well-formed, no unprivileged request may take any unprivileged domain
 * past a share, and xs_audit runs every eight steps, after each burst and
 * at the end. Any breach aborts. The seeds (corpus/xenstore/) follow the
 * decoding below: an op byte (domain = op % 6, kind = op / 6 % 8), then
 * the kind's own bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "xenstore/xenstore.h"
#include "common/array_size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define AUDIT_EVERY 8
#define BURST_MAX   1500

/* The connections: two privileged (domain 0 and a backend's own id). */
static const struct {
    domid_t id;
    bool priv;
} doms[] = {
    { 0, true }, { 1, false }, { 2, false }, { 3, false }, { 7, false }, { 40, true },
};
#define NDOMS (ARRAY_SIZE(doms))

static void fail(const char *what, unsigned int step) __attribute__((noreturn));
static struct xs_store st;
static unsigned int cur_step;

/* A refusal's report: for the log, so short and plain text. */
static void on_limit(void *arg, domid_t domid, const char *what)
{
    size_t n = strnlen(what, 128);

    (void)arg;
    if (n == 128 || (strncmp(what, "request", 7) && strncmp(what, "watch event", 11) &&
                     strncmp(what, "commit", 6)))
        fail("limit report", cur_step);
    for (unsigned int i = 0; i < NDOMS; i++)
        if (doms[i].id == domid)
            return;
    fail("limit reported for a domain that made no request", cur_step);
}

/* XS_INTRODUCE's hook, as the backend's: only a known domain, named with
 * its port (here: its id modulo 4, as the generator picks ports). */
static int on_introduce(void *arg, domid_t domid, uint64_t mfn, uint32_t port)
{
    (void)arg;
    (void)mfn;
    for (unsigned int i = 0; i < NDOMS; i++)
        if (doms[i].id == domid)
            return port == domid % 4u ? 0 : -XEN_EINVAL;
    return -XEN_EINVAL;
}
static char req[XS_MSG_MAX];
static char rsp[XS_MSG_MAX + 1];
static char ev[XS_MSG_MAX];
static uint32_t last_tx[NDOMS]; /* the id each one's last TRANSACTION_START gave */

/* The input, read front to back; zeros once it is used up. */
struct in {
    const uint8_t *p;
    size_t left;
};

static uint8_t byte(struct in *in)
{
    if (!in->left)
        return 0;
    in->left--;
    return *in->p++;
}

static uint32_t u16(struct in *in)
{
    return byte(in) | (uint32_t)byte(in) << 8;
}

static void fail(const char *what, unsigned int step)
{
    fprintf(stderr, "xenstore fuzz: step %u: %s\n", step, what);
    abort();
}

static void audit(unsigned int step)
{
    const char *why = xs_audit(&st);

    if (why)
        fail(why, step);
}

static const char *const error_strings[] = {
    "EINVAL",    "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM",  "ENOSPC", "EIO",
    "ENOTEMPTY", "ENOSYS", "EROFS",  "EBUSY",  "EAGAIN", "EISCONN", "E2BIG",  "EPERM",
};

static void check_reply(const struct xsd_sockmsg *h, size_t len, unsigned int step)
{
    const struct xsd_sockmsg *r = (const struct xsd_sockmsg *)rsp;

    if (len != sizeof(*r) + r->len || r->len > XENSTORE_PAYLOAD_MAX)
        fail("reply length", step);
    if (r->req_id != h->req_id || r->tx_id != h->tx_id)
        fail("reply does not echo req_id and tx_id", step);
    if (r->type == XS_ERROR) {
        const char *body = rsp + sizeof(*r);

        if (!r->len || body[r->len - 1])
            fail("error reply not NUL-terminated", step);
        for (unsigned int i = 0; i < ARRAY_SIZE(error_strings); i++)
            if (!strcmp(body, error_strings[i]))
                return;
        fail("error string xenstored does not send", step);
    } else if (r->type != h->type)
        fail("reply of another type", step);
}

/* What every unprivileged connection holds, before a request. */
static uint32_t before[NDOMS][2];

static void snapshot(void)
{
    for (unsigned int i = 0; i < NDOMS; i++) {
        struct xs_usage u = { 0 };

        xs_usage(&st, doms[i].id, &u);
        before[i][0] = u.records;
        before[i][1] = u.blocks;
    }
}

/* An unprivileged request may take no unprivileged domain past a share it
 * was within (privileged ones may: they write for guests). */
static void check_shares(unsigned int step)
{
    for (unsigned int i = 0; i < NDOMS; i++) {
        struct xs_usage u = { 0 };

        if (doms[i].priv || !xs_usage(&st, doms[i].id, &u))
            continue;
        if ((u.records > XS_SHARE_RECORDS && u.records > before[i][0]) ||
            (u.blocks > XS_SHARE_BLOCKS && u.blocks > before[i][1]) ||
            u.watches > XS_SHARE_WATCHES || u.events > XS_SHARE_EVENTS ||
            u.transactions > XS_SHARE_TX)
            fail("an unprivileged request went past a share", step);
    }
}

static void submit(unsigned int d, uint32_t type, uint32_t tx, uint32_t len, unsigned int step)
{
    struct xsd_sockmsg *h = (struct xsd_sockmsg *)req;
    size_t rlen = 0;
    int rc;

    *h = (struct xsd_sockmsg){ .type = type, .req_id = step, .tx_id = tx, .len = len };
    cur_step = step;
    if (!doms[d].priv)
        snapshot();
    rc = xs_handle(&st, doms[d].id, doms[d].priv, h, req + sizeof(*h), rsp, XS_MSG_MAX, &rlen);
    if (rc == -XEN_EBADMSG) {
        if (len <= XENSTORE_PAYLOAD_MAX || rlen)
            fail("EBADMSG for a legal length, or with a reply", step);
        return;
    }
    if (rc)
        fail("xs_handle failed", step);
    check_reply(h, rlen, step);
    if (type == XS_TRANSACTION_START && ((struct xsd_sockmsg *)rsp)->type == type)
        last_tx[d] = (uint32_t)strtoul(rsp + sizeof(*h), NULL, 10);
    if (!doms[d].priv)
        check_shares(step);
}

/* Pops up to n events of domain d, each "path\0token\0". */
static void drain(unsigned int d, unsigned int n, unsigned int step)
{
    size_t len;

    while (n-- && xs_next_watch_event(&st, doms[d].id, ev, sizeof(ev), &len)) {
        const struct xsd_sockmsg *h = (const struct xsd_sockmsg *)ev;
        const char *body = ev + sizeof(*h);
        size_t plen;

        if (h->type != XS_WATCH_EVENT || len != sizeof(*h) + h->len ||
            h->len > XENSTORE_PAYLOAD_MAX || h->len < 2 || body[h->len - 1])
            fail("malformed watch event", step);
        plen = strnlen(body, h->len);
        if (plen + 1 >= h->len || strnlen(body + plen + 1, h->len - plen - 1) != h->len - plen - 2)
            fail("watch event not path and token", step);
    }
}

/* --- Building payloads --------------------------------------------------- */
static uint32_t put(uint32_t off, const char *s, size_t n)
{
    char *body = req + sizeof(struct xsd_sockmsg);

    if (off + n > XENSTORE_PAYLOAD_MAX)
        n = XENSTORE_PAYLOAD_MAX - off;
    memcpy(body + off, s, n);
    return off + (uint32_t)n;
}

static uint32_t put_str(uint32_t off, const char *s)
{
    return put(off, s, strlen(s) + 1);
}

/* A path from the vocabulary: absolute under a home or the root, relative,
 * or special, a few components deep, or (depth 7) long, around the path
 * length limits; sometimes invalid. */
static void make_path(struct in *in, char *p, size_t max)
{
    static const char *const roots[] = {
        "/local/domain/1",
        "/local/domain/2",
        "/local/domain/3",
        "/local/domain/0",
        "/local/domain/40",
        "/local",
        "/",
        "",
        "@introduceDomain",
        "@releaseDomain",
        "/local/domain/7",
        "/backend",
    };
    static const char *const parts[] = {
        "a", "b", "device", "console", "0", "state", "x-y_z", "data", "bad//", "sp ace",
    };
    uint8_t b = byte(in);
    unsigned int depth = b >> 5, i;
    size_t len;

    snprintf(p, max, "%s", roots[(b & 0x1f) % (ARRAY_SIZE(roots))]);
    if (depth == 7) {
        size_t want = 2000 + u16(in) % 1200;

        for (len = strlen(p); len + 32 < max && len < want; len = strlen(p))
            snprintf(p + len, max - len, "%sabcdefghijklmnopqrstuvwxyz", len > 1 ? "/" : "");
        p[want < len ? want : len] = 0;
        return;
    }
    for (i = 0; i < depth; i++) {
        const char *part = parts[byte(in) % (ARRAY_SIZE(parts))];

        len = strlen(p);
        if (!(len == 1 && p[0] == '/') && len)
            snprintf(p + len, max - len, "/%s", part);
        else
            snprintf(p + len, max - len, "%s", part);
    }
    if (!p[0])
        snprintf(p, max, "rel");
}

/* A value or token: len bytes of the input. */
static uint32_t put_bytes(struct in *in, uint32_t off, uint32_t len)
{
    char *body = req + sizeof(struct xsd_sockmsg);

    while (len-- && off < XENSTORE_PAYLOAD_MAX)
        body[off++] = (char)byte(in);
    return off;
}

static const uint32_t types[] = {
    XS_READ,
    XS_WRITE,
    XS_MKDIR,
    XS_RM,
    XS_DIRECTORY,
    XS_DIRECTORY_PART,
    XS_GET_PERMS,
    XS_SET_PERMS,
    XS_WATCH,
    XS_UNWATCH,
    XS_TRANSACTION_START,
    XS_TRANSACTION_END,
    XS_GET_DOMAIN_PATH,
    XS_RESET_WATCHES,
    XS_INTRODUCE,
    XS_RELEASE,
    XS_RESUME,
    XS_IS_DOMAIN_INTRODUCED,
    XS_SET_TARGET,
    XS_CONTROL,
};

static uint32_t pick_tx(struct in *in, unsigned int d)
{
    uint8_t b = byte(in);

    return b < 128 ? 0 : b < 224 ? last_tx[d] : b;
}

/* One well-formed (or nearly) request of a type from the table. */
static void request(struct in *in, unsigned int d, unsigned int step)
{
    uint32_t type = types[byte(in) % (ARRAY_SIZE(types))];
    uint32_t tx = pick_tx(in, d), off = 0;
    char p[XENSTORE_ABS_PATH_MAX + 256], a[32];

    make_path(in, p, sizeof(p));
    switch (type) {
    case XS_WRITE:
        off = put_str(0, p);
        off = put_bytes(in, off, byte(in) % 80);
        break;
    case XS_SET_PERMS:
        off = put_str(0, p);
        for (unsigned int n = byte(in) % 9; n; n--) {
            /* Mostly the connections' ids, in strtol's three bases. */
            static const char letter[] = "nrwbq";
            static const char *const fmt[] = { "%c%u", "%c0x%x", "%c0%o", "%c%ux" };
            uint8_t b = byte(in), f = byte(in);
            unsigned int id = b & 0x80 ? doms[(b >> 3) % NDOMS].id : (b >> 3) % 16;

            snprintf(a, sizeof(a), fmt[f % 4], letter[b % 5], id);
            off = put_str(off, a);
        }
        break;
    case XS_WATCH:
    case XS_UNWATCH:
        off = put_str(0, p);
        snprintf(a, sizeof(a), "tok%u", byte(in) % 4);
        off = put_str(off, a);
        break;
    case XS_TRANSACTION_START:
    case XS_RESET_WATCHES:
        off = put_str(0, "");
        break;
    case XS_TRANSACTION_END:
        off = put_str(0, byte(in) & 1 ? "T" : "F");
        break;
    case XS_DIRECTORY_PART:
        off = put_str(0, p);
        snprintf(a, sizeof(a), "%u", byte(in));
        off = put_str(off, a);
        break;
    case XS_INTRODUCE:
        snprintf(a, sizeof(a), "%u", doms[byte(in) % NDOMS].id);
        off = put_str(0, a);
        off = put_str(off, "1234");
        snprintf(a, sizeof(a), "%u", byte(in) % 4);
        off = put_str(off, a);
        break;
    case XS_SET_TARGET:
        snprintf(a, sizeof(a), "%u", doms[byte(in) % NDOMS].id);
        off = put_str(0, a);
        snprintf(a, sizeof(a), "%u", doms[byte(in) % NDOMS].id);
        off = put_str(off, a);
        break;
    case XS_RELEASE:
    case XS_RESUME:
    case XS_IS_DOMAIN_INTRODUCED:
    case XS_GET_DOMAIN_PATH:
        snprintf(a, sizeof(a), "%u", doms[byte(in) % NDOMS].id);
        off = put_str(0, a);
        break;
    default:
        off = put_str(0, p);
        break;
    }
    submit(d, type, tx, off, step);
}

/* Any header, any bytes: missing NULs, unknown types, lengths over the
 * limit (which close the connection). */
static void raw(struct in *in, unsigned int d, unsigned int step)
{
    uint32_t type = byte(in) % 32, tx = pick_tx(in, d), len = u16(in);

    if (len & 0x8000)
        len = XENSTORE_PAYLOAD_MAX + 1 + (len & 0xff);
    else
        len %= XENSTORE_PAYLOAD_MAX + 1;
    memset(req + sizeof(struct xsd_sockmsg), 0, len <= XENSTORE_PAYLOAD_MAX ? len : 0);
    put_bytes(in, 0, len <= XENSTORE_PAYLOAD_MAX ? (len < 64 ? len : 64) : 0);
    submit(d, type, tx, len, step);
}

/* The same request many times over, with a counter in the path: enough to
 * reach the shares and quotas. */
static void burst(struct in *in, unsigned int d, unsigned int *step)
{
    uint8_t kind = byte(in) % 5, drains = byte(in) % 4;
    uint32_t n = 1 + u16(in) % BURST_MAX, tlen = u16(in) % 3000, tx = 0;
    char p[64], tok[3001];

    memset(tok, 'k', tlen);
    tok[tlen] = 0;
    for (uint32_t i = 0; i < n; i++, (*step)++) {
        uint32_t off;

        switch (kind) {
        case 0: /* small nodes, 25 to a directory */
            snprintf(p, sizeof(p), "b/d%u/e%u", i / 25, i % 25);
            submit(d, XS_WRITE, 0, put(put_str(0, p), "x", 1), *step);
            break;
        case 1: /* read markers for absent paths, a new
                             * transaction before each one's quota */
            if (i % 1000 == 0) {
                submit(d, XS_TRANSACTION_START, 0, put_str(0, ""), (*step)++);
                tx = last_tx[d];
            }
            snprintf(p, sizeof(p), "m%u", i);
            submit(d, XS_READ, tx, put_str(0, p), *step);
            break;
        case 2: /* watches with long tokens */
            snprintf(p, sizeof(p), "w%u", i);
            off = put_str(0, p);
            submit(d, XS_WATCH, 0, put_str(off, tok), *step);
            break;
        case 3: /* large values */
            snprintf(p, sizeof(p), "v%u", i);
            off = put_str(0, p);
            submit(d, XS_WRITE, 0, put(off, tok, tlen < 2000 ? tlen : 2000), *step);
            break;
        default: /* transactions */
            submit(d, XS_TRANSACTION_START, 0, put_str(0, ""), *step);
            break;
        }
        drain(d, drains, *step);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = { .p = data, .left = size };
    unsigned int step = 0, ops = 0;

    xs_init(&st);
    st.limit_hook = on_limit;
    st.introduce_hook = on_introduce;
    memset(last_tx, 0, sizeof(last_tx));
    for (unsigned int i = 1; i < NDOMS; i++)
        xs_introduce_domain(&st, doms[i].id);
    while (in.left) {
        uint8_t op = byte(&in);
        unsigned int d = op % NDOMS;

        switch ((op / NDOMS) % 8) {
        case 0:
        case 1:
        case 2:
        case 3:
            request(&in, d, step++);
            break;
        case 4:
            raw(&in, d, step++);
            break;
        case 5:
            burst(&in, d, &step);
            ops = AUDIT_EVERY - 1; /* a burst changes much: audit now */
            break;
        case 6: /* the toolstack */
            if (byte(&in) & 1)
                xs_introduce_domain(&st, doms[d].id);
            else if (doms[d].id != 0)
                xs_release_domain(&st, doms[d].id);
            step++;
            break;
        default: /* the backend writing events to the rings */
            drain(d, byte(&in) % 16, step++);
            break;
        }
        for (unsigned int k = 0; k < NDOMS; k++)
            drain(k, 2, step);
        if (++ops % AUDIT_EVERY == 0)
            audit(step);
    }
    audit(step);
    return 0;
}
