/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's request helpers: arguments, replies, errors.
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

/* xenstored's xs_get_strings(): the NUL-terminated strings at the start of the
 * payload (bytes after the last NUL are not counted). */
unsigned int xs_get_strings(const struct xs_msg *m, const char **vec, unsigned int num)
{
    uint32_t off = 0;
    unsigned int n = 0;

    while (off < m->len) {
        const char *nul = memchr(m->p + off, 0, m->len - off);

        if (!nul)
            break;
        if (n < num)
            vec[n] = m->p + off;
        n++;
        off = (uint32_t)(nul - m->p) + 1;
    }
    return n;
}

/* Exactly one string, ending at the payload's end. */
const char *xs_onearg(const struct xs_msg *m)
{
    if (!m->len || memchr(m->p, 0, m->len) != m->p + m->len - 1)
        return NULL;
    return m->p;
}

unsigned int xs_count_nuls(const struct xs_msg *m)
{
    unsigned int n = 0;
    uint32_t i;

    for (i = 0; i < m->len; i++)
        n += !m->p[i];
    return n;
}

/* C's atoi() (wrapping instead of overflowing), which xenstored uses on ids. */
int xs_atoi(const char *p)
{
    unsigned int v = 0;
    bool neg = false;

    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (unsigned int)(*p++ - '0');
    return (int)(neg ? 0u - v : v);
}

/* strtol(p, &end, 0) for a permission's domain id: all of p must be used. */
bool xs_parse_id(const char *p, uint32_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;

    if (!*p)
        return false;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16, p += 2;
    else if (p[0] == '0')
        base = 8;
    if (!*p)
        return false;
    for (; *p; p++) {
        unsigned int d;

        if (*p >= '0' && *p <= '9')
            d = (unsigned int)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned int)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned int)(*p - 'A' + 10);
        else
            return false;
        if (d >= base)
            return false;
        v = v * base + d;
        if (v > UINT32_MAX)
            v = UINT32_MAX;
    }
    *out = (uint32_t)v;
    return true;
}

int xs_reply(struct xs_out *o, const void *data, uint32_t len)
{
    if (len > XENSTORE_PAYLOAD_MAX)
        return XEN_E2BIG;
    memmove(o->body, data, len);
    o->hdr->len = len;
    return 0;
}

int xs_ack(struct xs_out *o)
{
    return xs_reply(o, "OK", 3);
}

/*
 * xenstored's xs_get_node(): the node at path (in s->path after xs_canon) if the
 * requester has perm on it. Otherwise EACCES or ENOENT, where a domain that
 * may not see the nearest existing ancestor learns only EACCES.
 */
int xs_get_node(struct xs_req *r, const char *arg, bool special, uint8_t perm, uint32_t *plen,
                uint32_t *out)
{
    struct xs_store *s = r->s;
    const char *pp = s->path;
    uint32_t len, i = 0;
    int err;

    *out = 0;
    err = xs_canon(r, arg, special, plen, NULL);
    if (err)
        return err;
    err = xs_view_get(r, s->path, *plen, &i);
    if (err)
        return err;
    if (i && (xs_perm_node(r->c, &s->node[i - 1]) & perm) == perm) {
        *out = i;
        return 0;
    }
    err = i ? XEN_EACCES : XEN_ENOENT;
    /* Ask the parents. */
    len = *plen;
    do {
        int e;

        pp = xs_parent_of(pp, len, &len);
        e = xs_view_get(r, pp, len, &i);
        if (e)
            return e;
    } while (!i && !(len == 1 && pp[0] == '/'));
    if (!i || !(xs_perm_node(r->c, &s->node[i - 1]) & perm))
        return XEN_EACCES;
    return err;
}

uint32_t xs_node_size(uint32_t nperms, uint32_t data_len, uint32_t child_len)
{
    return NODE_HDR_SIZE + PERM_SIZE * nperms + data_len + child_len;
}

/*
 * xenstored's xs_create_node(): creates path (s->path[0..len)) and any missing
 * parents, which inherit the nearest existing ancestor's ACL (an unprivileged
 * creator becomes their owner), and stores data in the last one.
 */
int xs_create_node(struct xs_req *r, uint32_t len, const char *data, uint32_t dlen)
{
    struct xs_store *s = r->s;
    const char *p = s->path, *pp = p;
    struct xs_perm perms[XS_NODE_PERMS_MAX];
    uint32_t alen = len, anc = 0, k = 0, blks = 0, anc_blks, recs, first, i, off, nperms;
    domid_t owner, anc_owner;
    struct xs_node *a;
    int err;

    /* The nearest existing ancestor, and what the new levels need. */
    do {
        pp = xs_parent_of(pp, alen, &alen);
        err = xs_view_get(r, pp, alen, &anc);
        if (err)
            return err;
        k++;
    } while (!anc);
    a = &s->node[anc - 1];
    nperms = a->nperms;
    memcpy(perms, a->perms, sizeof(perms));
    if (!r->c->priv)
        perms[0].id = r->c->domid;

    first = alen == 1 ? 1 : alen + 1; /* start of the first new name */
    if (!r->c->priv) {
        int32_t delta = r->tx ? xs_req_tx(r)->node_delta : 0;

        if ((int64_t)r->c->nodes + delta + k > XS_QUOTA_NODES) {
            xs_limit(s, r->c->domid, "request: quota of %u nodes reached", XS_QUOTA_NODES);
            return XEN_ENOSPC;
        }
        uint32_t grown = a->child_len + (uint32_t)strcspn(p + first, "/") + 1;

        if (xs_node_size(a->nperms, a->data_len, grown) > XS_QUOTA_NODE_SIZE ||
            xs_node_size(nperms, dlen, 0) > XS_QUOTA_NODE_SIZE)
            return XEN_ENOSPC;
    }
    /* Resources, counted generously: names, the data, the ancestor's list. */
    for (off = first; off <= len; off++)
        if (off == len || p[off] == '/')
            blks += xs_nblk(off);
    for (off = first; off < len; off++)
        if (p[off] == '/')
            blks += xs_nblk(len - off); /* an intermediate's child list */
    blks += xs_nblk(dlen);
    anc_blks = xs_nblk((uint32_t)strcspn(p + first, "/") + 1) + 1 + xs_shadow_blocks(r, pp, alen);
    recs = r->tx ? 0 : k;
    /* The new nodes count for their owner (the creator, unless privileged),
     * the ancestor's longer list for the ancestor's: in a transaction both
     * are the transaction's until it commits. */
    owner = r->tx ? r->c->domid : (domid_t)perms[0].id;
    anc_owner = r->tx ? r->c->domid : a->charged;
    err = xs_need_grow(r, owner, recs, blks + anc_blks,
                       owner == anc_owner ? blks + anc_blks : blks);
    if (!err && owner != anc_owner)
        err = xs_need_grow(r, anc_owner, 0, 0, anc_blks);
    if (err)
        return err;
    if (r->tx && !r->c->priv && xs_req_tx(r)->accessed + 1 > XS_QUOTA_TX_NODES)
        return XEN_ENOSPC;

    /* Link the first new name into the ancestor. */
    i = xs_view_modify(r, pp, alen);
    a = &s->node[i - 1];
    off = (uint32_t)strcspn(p + first, "/");
    xs_charge(s, a, -1);
    xs_chain_append(s, &a->children, a->child_len, p + first, off);
    xs_chain_append(s, &a->children, a->child_len + off, "", 1);
    a->child_len += off + 1;
    xs_charge(s, a, 1);
    xs_node_changed(r, i);

    /* Each new level, top down. */
    for (off = first;; off++) {
        struct xs_node *n;
        uint32_t next;

        if (off < len && p[off] != '/')
            continue;
        i = xs_view_create(r, p, off, perms, nperms);
        n = &s->node[i - 1];
        xs_charge(s, n, -1);
        if (off == len) {
            n->data = xs_chain_new(s, data, dlen);
            n->data_len = dlen;
        } else {
            next = (uint32_t)strcspn(p + off + 1, "/");
            n->children = xs_chain_new(s, p + off + 1, next);
            xs_chain_append(s, &n->children, next, "", 1);
            n->child_len = next + 1;
        }
        xs_charge(s, n, 1);
        if (off == len)
            break;
    }
    return 0;
}

/*
 * The depth-first walks below (xs_rm_subtree, xs_first_owned) hold the current
 * path in p[0..*len) and, per depth, the offset in the node's child list of
 * the next child to visit (s->rm_off). walk_down enters n's next child;
 * walk_up returns to the parent. The root "/" takes no extra separator.
 */
void xs_walk_down(struct xs_store *s, const struct xs_node *n, char *p, uint32_t *len,
                  uint32_t *depth)
{
    uint32_t off = s->rm_off[*depth], clen = 0, base = *len == 1 ? 0 : *len;
    struct cursor c;

    xs_cur_init(&c, s, n->children, off);
    while (*xs_cur_ptr(&c))
        clen++, xs_cur_next(&c);
    s->rm_off[*depth] = off + clen + 1;
    p[base] = '/';
    xs_chain_read(s, n->children, off, p + base + 1, clen);
    *len = base + 1 + clen;
    p[*len] = 0;
    s->rm_off[++*depth] = 0;
}

void xs_walk_up(char *p, uint32_t *len, uint32_t *depth)
{
    uint32_t l = *len;

    (*depth)--;
    while (l > 1 && p[l - 1] != '/')
        l--;
    l = l > 1 ? l - 1 : 1;
    p[l] = 0;
    *len = l;
}

/* Removes path (s->path2[0..len)) and everything below it, firing watches
 * as xenstored does: the top one for watches at or above it, the others for
 * watches on exactly them. */
int xs_rm_subtree(struct xs_req *r, uint32_t len)
{
    struct xs_store *s = r->s;
    char *p = s->path2;
    uint32_t root_len = len, depth = 0, i, pl;
    const char *pp;
    int err;

    s->rm_off[0] = 0;
    for (;;) {
        struct xs_node *n;

        err = xs_view_get(r, p, len, &i);
        if (err)
            goto fail;
        n = &s->node[i - 1];
        if (s->rm_off[depth] < n->child_len) {
            xs_walk_down(s, n, p, &len, &depth);
            continue;
        }
        xs_fire(r, p, len, depth != 0, i, NULL, 0);
        xs_view_delete(r, p, len, i);
        if (!depth)
            break;
        xs_walk_up(p, &len, &depth);
    }
    /* Unlink the top from its parent. */
    pp = xs_parent_of(p, root_len, &pl);
    err = xs_view_get(r, pp, pl, &i);
    if (err || !i)
        goto fail;
    err = xs_need(r, r->c->domid, 0, xs_shadow_blocks(r, pp, pl));
    if (err)
        goto fail;
    i = xs_view_modify(r, pp, pl);
    xs_child_remove(r, i, p + (pl == 1 ? 1 : pl + 1), root_len - (pl == 1 ? 1 : pl + 1));
    return 0;

fail:
    /* Only a transaction can run out of room midway; it can no longer commit. */
    if (r->tx)
        xs_req_tx(r)->fail = true;
    return err ? err : XEN_EIO;
}
