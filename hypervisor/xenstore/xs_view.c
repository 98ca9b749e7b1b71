/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's view of a request: the tree, or a transaction over
 * it (reads, writes and removals through the transaction's copies).
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

struct xs_tx *xs_req_tx(struct xs_req *r)
{
    return r->tx ? &r->s->tx[r->tx - 1] : NULL;
}

/* Room for one more transaction record of len name bytes plus extra blocks. */
static int tx_room(struct xs_req *r, uint32_t len, uint32_t extra)
{
    if (!r->c->priv && xs_req_tx(r)->accessed >= XS_QUOTA_TX_NODES) {
        xs_limit(r->s, r->c->domid, "request: quota of %u nodes per transaction reached",
                 XS_QUOTA_TX_NODES);
        return XEN_ENOSPC;
    }
    return xs_need(r, r->c->domid, 1, xs_nblk(len) + extra);
}

/*
 * The record holding p's content as the request sees it (0: absent). In a
 * transaction, the first look at a node records the tree's generation (or
 * that it was absent), as xenstored's access_node() does.
 */
int xs_view_get(struct xs_req *r, const char *p, uint32_t len, uint32_t *out)
{
    struct xs_store *s = r->s;
    uint32_t t, tree;
    int err;

    tree = xs_lookup(s, 0, p, len);
    if (!r->tx) {
        *out = tree;
        return 0;
    }
    t = xs_lookup(s, r->tx, p, len);
    if (t) {
        const struct xs_node *n = &s->node[t - 1];

        *out = (n->flags & XS_NF_GONE) ? 0 : (n->flags & XS_NF_SHADOW) ? t : tree;
        return 0;
    }
    err = tx_room(r, len, 0);
    if (err)
        return err;
    t = xs_node_new(s, r->tx, p, len, r->c->domid);
    xs_req_tx(r)->accessed++;
    s->node[t - 1].generation = tree ? s->node[tree - 1].generation : NO_GEN;
    if (!tree)
        s->node[t - 1].flags |= XS_NF_GONE;
    *out = tree;
    return 0;
}

/* Blocks a writable copy of the existing node p would take (0 outside a
 * transaction or once copied). view_get must have been called for p. */
uint32_t xs_shadow_blocks(struct xs_req *r, const char *p, uint32_t len)
{
    struct xs_store *s = r->s;
    uint32_t t, tree;

    if (!r->tx)
        return 0;
    t = xs_lookup(s, r->tx, p, len);
    if (t && (s->node[t - 1].flags & XS_NF_SHADOW))
        return 0;
    tree = xs_lookup(s, 0, p, len);
    return xs_nblk(s->node[tree - 1].data_len) + xs_nblk(s->node[tree - 1].child_len);
}

/*
 * A writable record for the existing node p: the tree's, or the
 * transaction's copy of it. Callers have checked xs_shadow_blocks() are free.
 */
uint32_t xs_view_modify(struct xs_req *r, const char *p, uint32_t len)
{
    struct xs_store *s = r->s;
    uint32_t t, tree = xs_lookup(s, 0, p, len);
    struct xs_node *n, *src;

    if (!r->tx)
        return tree;
    t = xs_lookup(s, r->tx, p, len);
    n = &s->node[t - 1];
    if (n->flags & XS_NF_SHADOW)
        return t;
    src = &s->node[tree - 1];
    xs_charge(s, n, -1);
    n->data = xs_chain_copy(s, src->data, src->data_len);
    n->data_len = src->data_len;
    n->children = xs_chain_copy(s, src->children, src->child_len);
    n->child_len = src->child_len;
    n->nperms = src->nperms;
    memcpy(n->perms, src->perms, sizeof(n->perms));
    n->flags |= XS_NF_SHADOW;
    xs_charge(s, n, 1);
    return t;
}

/* The request changed record i: bump the tree's generation, or mark the
 * transaction's copy for commit. */
void xs_node_changed(struct xs_req *r, uint32_t i)
{
    struct xs_node *n = &r->s->node[i - 1];

    if (n->tx)
        n->flags |= XS_NF_DIRTY;
    else
        n->generation = ++r->s->generation;
}

/* Owned-node accounting for a node that appears (+1) or goes (-1). */
void xs_count_owner(struct xs_req *r, domid_t owner, int d)
{
    struct xs_conn *c;

    if (r->tx) {
        if (owner == r->c->domid)
            xs_req_tx(r)->node_delta += d;
        return;
    }
    c = xs_conn_get(r->s, owner);
    if (c)
        c->nodes += d;
}

/* Record changes of charge when a tree node's owner changes. */
void xs_recharge(struct xs_store *s, uint32_t i, domid_t to)
{
    struct xs_node *n = &s->node[i - 1];

    xs_charge(s, n, -1);
    n->charged = to;
    xs_charge(s, n, 1);
}

/* A new node p (absent in the view) with the given ACL. Needs one record and
 * xs_nblk(len) blocks (none in a transaction, whose view_get left a record). */
uint32_t xs_view_create(struct xs_req *r, const char *p, uint32_t len, const struct xs_perm *perms,
                        unsigned int nperms)
{
    struct xs_store *s = r->s;
    uint32_t i = r->tx ? xs_lookup(s, r->tx, p, len) : 0;
    struct xs_node *n;

    if (!i)
        i = xs_node_new(s, r->tx, p, len, r->tx ? r->c->domid : (domid_t)perms[0].id);
    n = &s->node[i - 1];
    n->flags = (n->flags & ~XS_NF_GONE) | (r->tx ? XS_NF_SHADOW : 0);
    n->nperms = (uint8_t)nperms;
    memcpy(n->perms, perms, nperms * sizeof(*perms));
    if (!r->tx)
        n->seq = ++s->seq;
    xs_node_changed(r, i);
    xs_count_owner(r, (domid_t)perms[0].id, 1);
    return i;
}

/* Node p (in the view, at record i) goes away. */
void xs_view_delete(struct xs_req *r, const char *p, uint32_t len, uint32_t i)
{
    struct xs_store *s = r->s;
    struct xs_node *n;
    uint32_t t;

    xs_count_owner(r, xs_node_owner(&s->node[i - 1]), -1);
    if (!r->tx) {
        xs_node_destroy(s, i, p);
        return;
    }
    t = xs_lookup(s, r->tx, p, len);
    n = &s->node[t - 1];
    if (t != i) {
        /* A read marker: keep the ACL so watches can be checked at commit. */
        n->nperms = s->node[i - 1].nperms;
        memcpy(n->perms, s->node[i - 1].perms, sizeof(n->perms));
    }
    xs_charge(s, n, -1);
    xs_chain_free(s, n->data);
    xs_chain_free(s, n->children);
    n->data = n->children = 0;
    n->data_len = n->child_len = 0;
    xs_charge(s, n, 1);
    n->flags |= XS_NF_SHADOW | XS_NF_GONE | XS_NF_DIRTY;
}

/* Finds child entry name in record i's list: its offset, or -1. */
static int64_t child_find(struct xs_store *s, uint32_t i, const char *name, uint32_t nlen)
{
    const struct xs_node *n = &s->node[i - 1];
    struct cursor c;
    uint32_t off = 0, start = 0;

    if (!n->child_len)
        return -1;
    xs_cur_init(&c, s, n->children, 0);
    for (off = 0; off < n->child_len; off++) {
        if (!*xs_cur_ptr(&c)) {
            if (off - start == nlen && xs_chain_eq_at(s, n->children, start, name, nlen))
                return start;
            start = off + 1;
        }
        if (off + 1 < n->child_len)
            xs_cur_next(&c);
    }
    return -1;
}

void xs_child_remove(struct xs_req *r, uint32_t i, const char *name, uint32_t nlen)
{
    struct xs_store *s = r->s;
    struct xs_node *n = &s->node[i - 1];
    int64_t off = child_find(s, i, name, nlen);

    if (off < 0)
        return;
    xs_charge(s, n, -1);
    xs_chain_cut(s, &n->children, n->child_len, (uint32_t)off, nlen + 1);
    n->child_len -= nlen + 1;
    xs_charge(s, n, 1);
    xs_node_changed(r, i);
}
