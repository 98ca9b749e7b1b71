/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core (see xenstore.h), after xenstored's layout: this file
 * is the public interface (open, close, request dispatch, introductions)
 * and the error strings. Like xenstored, the store is a flat table of
 * nodes keyed by full path, each holding its value, its ACL and the names
 * of its children; a transaction is a second key space holding its own
 * copies of the nodes it touched, checked against the tree's generation
 * counts and moved over at commit. Everything lives in fixed pools.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>
#include "xenstore/xenstore.h"
#include "xenstore/xenstore_priv.h"
#include "common/array_size.h"

/* --- Error strings: xs_wire.h's xsd_errors, which needs the host's errno --- */
static const struct {
    int err;
    const char *str;
} xs_errors[] = {
    { XEN_EINVAL, "EINVAL" }, { XEN_EACCES, "EACCES" },   { XEN_EEXIST, "EEXIST" },
    { XEN_EISDIR, "EISDIR" }, { XEN_ENOENT, "ENOENT" },   { XEN_ENOMEM, "ENOMEM" },
    { XEN_ENOSPC, "ENOSPC" }, { XEN_EIO, "EIO" },         { XEN_ENOTEMPTY, "ENOTEMPTY" },
    { XEN_ENOSYS, "ENOSYS" }, { XEN_EROFS, "EROFS" },     { XEN_EBUSY, "EBUSY" },
    { XEN_EAGAIN, "EAGAIN" }, { XEN_EISCONN, "EISCONN" }, { XEN_E2BIG, "E2BIG" },
    { XEN_EPERM, "EPERM" },
};

static const char *error_string(int err)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(xs_errors); i++)
        if (xs_errors[i].err == err)
            return xs_errors[i].str;
    return "EINVAL"; /* xenstored's answer for untranslatable errors */
}

int xs_errno_of(const char *str)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(xs_errors); i++)
        if (!strcmp(xs_errors[i].str, str))
            return -xs_errors[i].err;
    return -XEN_EIO;
}

/* --- Public interface ------------------------------------------------------------------ */
int xs_handle(struct xs_store *s, domid_t domid, bool is_priv, const struct xsd_sockmsg *hdr,
              const char *payload, char *reply_buf, size_t reply_max, size_t *reply_len)
{
    struct xsd_sockmsg *rh = (struct xsd_sockmsg *)reply_buf;
    struct xs_out o = { .hdr = rh, .body = reply_buf + sizeof(*rh) };
    struct xs_msg m = { .p = payload, .len = hdr->len };
    struct xs_req r = { .s = s };
    uint32_t type = hdr->type, slot;
    int err;

    *reply_len = 0;
    if (reply_max < XS_MSG_MAX)
        return -XEN_EINVAL;
    r.c = xs_conn_get(s, domid);
    if (r.c)
        xs_set_priv(s, r.c, is_priv);
    if (hdr->len > XENSTORE_PAYLOAD_MAX) {
        /* xenstored stops talking to such a domain: ignore_connection(). */
        if (r.c) {
            xs_watches_drop(s, domid);
            xs_transactions_drop(s, domid);
            xs_events_drop(s, r.c);
        }
        return -XEN_EBADMSG;
    }
    *rh = *hdr; /* req_id and tx_id are echoed */
    rh->len = 0;
    if (!r.c)
        err = XEN_ENOMEM;
    else if (type >= XS_TYPE_COUNT || !xs_ops[type].fn)
        err = XEN_ENOSYS;
    else if ((xs_ops[type].flags & XS_OP_PRIV) && !is_priv)
        err = XEN_EACCES;
    else {
        err = 0;
        if (!(xs_ops[type].flags & XS_OP_NOTID) && hdr->tx_id) {
            err = XEN_ENOENT;
            for (slot = 1; slot <= XS_TX_MAX; slot++)
                if (s->tx[slot - 1].used && s->tx[slot - 1].dom == domid &&
                    s->tx[slot - 1].id == hdr->tx_id) {
                    r.tx = slot;
                    err = 0;
                    break;
                }
        }
        if (!err)
            err = xs_ops[type].fn(&r, &m, &o);
    }
    if (err) {
        const char *e = error_string(err);

        rh->type = XS_ERROR;
        xs_reply(&o, e, (uint32_t)strlen(e) + 1);
    }
    *reply_len = sizeof(*rh) + rh->len;
    return 0;
}

bool xs_next_watch_event(struct xs_store *s, domid_t domid, char *msg, size_t max, size_t *len)
{
    struct xs_conn *c = xs_conn_find(s, domid);
    struct xsd_sockmsg h = { .type = XS_WATCH_EVENT };
    uint32_t e;

    if (!c || !c->ev_head)
        return false;
    e = c->ev_head;
    h.len = s->event[e - 1].len;
    if (max < sizeof(h) + h.len)
        return false;
    memcpy(msg, &h, sizeof(h));
    xs_chain_read(s, s->event[e - 1].msg, 0, msg + sizeof(h), h.len);
    *len = sizeof(h) + h.len;
    c->ev_head = s->event[e - 1].next;
    if (!c->ev_head)
        c->ev_tail = 0;
    xs_event_free(s, c, e);
    return true;
}

/* A node made by the store itself, on its own authority, owned by `owner`. */
static void make_node(struct xs_store *s, const char *path, uint32_t owner)
{
    struct xs_req r = { .s = s, .c = &s->authority };
    uint32_t len = (uint32_t)strlen(path), i;
    struct xs_perm perm = { .id = owner, .perms = XS_PERM_NONE };

    if (xs_lookup(s, 0, path, len))
        return;
    if (path[0] == '@' || len == 1) {
        if (xs_need(&r, (domid_t)owner, 1, xs_nblk(len)))
            return;
        xs_view_create(&r, path, len, &perm, 1);
        return;
    }
    memcpy(s->path, path, len + 1);
    if (xs_create_node(&r, len, NULL, 0))
        return;
    i = xs_lookup(s, 0, path, len);
    memcpy(s->node[i - 1].perms, &perm, sizeof(perm));
    s->node[i - 1].nperms = 1;
    if (owner != 0) {
        xs_count_owner(&r, 0, -1);
        xs_count_owner(&r, (domid_t)owner, 1);
        xs_recharge(s, i, (domid_t)owner);
    }
    xs_fire_now(s, path, len, false, &perm, 1, NULL, 0);
}

void xs_init(struct xs_store *s)
{
    uint32_t i;

    memset(s, 0, sizeof(*s));
    for (i = XS_NODES_MAX; i; i--) {
        s->node[i - 1].hnext = s->free_node;
        s->free_node = i;
    }
    for (i = XS_BLOCKS_MAX; i; i--) {
        s->block[i - 1].next = s->free_block;
        s->free_block = i;
    }
    for (i = XS_EVENTS_MAX; i; i--) {
        s->event[i - 1].next = s->free_event;
        s->free_event = i;
    }
    s->nr_free_nodes = XS_NODES_MAX;
    s->nr_free_blocks = XS_BLOCKS_MAX;
    /* Privileged, and in no table: nothing is ever charged to it. */
    s->authority.priv = true;
    /* The layout is domain 0's, as in xenstored, so its connection starts
     * out privileged: the layout is the reserve's, not a share's. A request
     * naming domain 0 unprivileged makes it a guest like the others. */
    xs_conn_get(s, 0)->priv = true;
    make_node(s, "/", 0);
    make_node(s, "/local", 0);
    make_node(s, "/local/domain", 0);
    make_node(s, "@introduceDomain", 0);
    make_node(s, "@releaseDomain", 0);
}

void xs_introduce(struct xs_store *s, struct xs_conn *c)
{
    char path[32];
    bool first = !c->introduced;

    /* xenstored's domain_conn_reset(). */
    xs_watches_drop(s, c->domid);
    xs_transactions_drop(s, c->domid);
    xs_events_drop(s, c);
    c->introduced = true;
    c->shutdown = false;
    snprintf(path, sizeof(path), "/local/domain/%u", c->domid);
    make_node(s, path, c->domid);
    if (first && c->domid != 0)
        xs_fire_special(s, "@introduceDomain");
}

int xs_introduce_domain(struct xs_store *s, domid_t domid)
{
    struct xs_conn *c = xs_conn_get(s, domid);

    if (!c)
        return -XEN_ENOMEM;
    xs_introduce(s, c);
    return 0;
}

/* The first node in depth-first tree order owned by domid: into s->path2. */
bool xs_first_owned(struct xs_store *s, domid_t domid)
{
    char *p = s->path2;
    uint32_t len = 1, depth = 0, i;

    p[0] = '/';
    p[1] = 0;
    s->rm_off[0] = 0;
    for (;;) {
        struct xs_node *n;

        i = xs_lookup(s, 0, p, len);
        n = &s->node[i - 1];
        if (len > 1 && s->rm_off[depth] == 0 && xs_node_owner(n) == domid)
            return true;
        if (s->rm_off[depth] < n->child_len) {
            xs_walk_down(s, n, p, &len, &depth);
            continue;
        }
        if (!depth)
            return false;
        xs_walk_up(p, &len, &depth);
    }
}

void xs_release_domain(struct xs_store *s, domid_t domid)
{
    struct xs_conn *c = xs_conn_find(s, domid);
    struct xs_req r = { .s = s, .c = &s->authority };
    bool was = c && c->introduced;
    uint32_t i, j, p, left = 0;

    if (!c)
        return;
    xs_watches_drop(s, domid);
    xs_transactions_drop(s, domid);
    xs_events_drop(s, c);
    /* Its nodes go, in tree order, as xenstored's domain_tree_remove() walks. */
    while (xs_first_owned(s, domid))
        xs_rm_subtree(&r, (uint32_t)strlen(s->path2));
    /* A later domain with this id must not inherit its rights. */
    for (i = 0; i < s->node_hi; i++)
        for (j = 1; j < s->node[i].nperms; j++)
            if (s->node[i].perms[j].id == domid)
                s->node[i].perms[j].perms |= XS_PERM_IGNORE;
    c->introduced = false;
    c->has_target = false;
    /* The record goes once nothing is charged to it any more (domain 0
     * keeps the layout). */
    for (p = 0; p < XS_POOL_KINDS; p++)
        left += c->use[p];
    if (!c->nodes && !left && domid != 0)
        memset(c, 0, sizeof(*c));
    if (was)
        xs_fire_special(s, "@releaseDomain");
}

bool xs_domain_introduced(const struct xs_store *s, domid_t domid)
{
    unsigned int i;

    for (i = 0; i < XS_CONNS_MAX; i++)
        if (s->conn[i].used && s->conn[i].domid == domid)
            return s->conn[i].introduced;
    return false;
}

bool xs_usage(const struct xs_store *s, domid_t domid, struct xs_usage *u)
{
    unsigned int i;

    for (i = 0; i < XS_CONNS_MAX; i++)
        if (s->conn[i].used && s->conn[i].domid == domid) {
            const struct xs_conn *c = &s->conn[i];

            u->nodes = c->nodes;
            u->mem = xs_conn_mem(c);
            u->watches = c->use[XS_POOL_WATCHES];
            u->transactions = c->use[XS_POOL_TX];
            u->events = c->use[XS_POOL_EVENTS];
            u->records = c->use[XS_POOL_RECORDS];
            u->blocks = c->use[XS_POOL_BLOCKS];
            return true;
        }
    return false;
}
