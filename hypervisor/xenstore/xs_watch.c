/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's watches and the events they queue.
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

static bool event_dup(struct xs_store *s, struct xs_conn *c, const char *msg, uint32_t len)
{
    uint32_t e;

    for (e = c->ev_head; e; e = s->event[e - 1].next)
        if (s->event[e - 1].len == len && xs_chain_eq_at(s, s->event[e - 1].msg, 0, msg, len))
            return true;
    return false;
}

/* May c queue one more event of len bytes? Its quota holds for privileged
 * watchers too, so that a guest's writes under their watches take at most
 * XS_QUOTA_EVENTS events of the reserve. */
static bool event_room(struct xs_store *s, struct xs_conn *c, uint32_t len)
{
    uint32_t blks = xs_nblk(len);

    if (c->priv && c->use[XS_POOL_EVENTS] >= XS_QUOTA_EVENTS) {
        xs_limit(s, c->domid, "watch event: quota of %u pending watch events reached",
                 XS_QUOTA_EVENTS);
        return false;
    }
    if (xs_share_check(s, c, c, XS_POOL_EVENTS, 1, "watch event") ||
        xs_share_check(s, c, c, XS_POOL_BLOCKS, blks, "watch event"))
        return false;
    if (!s->free_event || s->nr_free_blocks < blks)
        return false;
    return !xs_memory_check(s, c, c, 1, blks, "watch event");
}

/* Queues "path\0token\0" for c. Events that cannot be queued are dropped, as
 * xenstored drops them over quota: the request that caused them succeeded. */
void xs_queue_event(struct xs_store *s, struct xs_conn *c, const char *path, uint32_t plen,
                    uint32_t token, uint32_t tlen)
{
    uint32_t len = plen + 1 + tlen + 1, e;
    struct xs_event *ev;

    if (len > XENSTORE_PAYLOAD_MAX)
        return;
    memmove(s->evbuf, path, plen);
    s->evbuf[plen] = 0;
    xs_chain_read(s, token, 0, s->evbuf + plen + 1, tlen);
    s->evbuf[len - 1] = 0;
    /* An identical event still pending says it all (special ones excepted);
     * checked first, so that no limit is reported for it. */
    if (path[0] != '@' && event_dup(s, c, s->evbuf, len))
        return;
    if (!event_room(s, c, len))
        return;
    e = s->free_event;
    ev = &s->event[e - 1];
    s->free_event = ev->next;
    ev->next = 0;
    ev->len = len;
    ev->msg = xs_chain_new(s, s->evbuf, len);
    if (c->ev_tail)
        s->event[c->ev_tail - 1].next = e;
    else
        c->ev_head = e;
    c->ev_tail = e;
    xs_use(s, c, XS_POOL_EVENTS, 1);
    xs_use(s, c, XS_POOL_BLOCKS, xs_nblk(len));
}

void xs_event_free(struct xs_store *s, struct xs_conn *c, uint32_t e)
{
    struct xs_event *ev = &s->event[e - 1];

    xs_use(s, c, XS_POOL_EVENTS, -1);
    xs_use(s, c, XS_POOL_BLOCKS, -(int64_t)xs_nblk(ev->len));
    xs_chain_free(s, ev->msg);
    ev->msg = 0;
    ev->len = 0;
    ev->next = s->free_event;
    s->free_event = e;
}

void xs_events_drop(struct xs_store *s, struct xs_conn *c)
{
    while (c->ev_head) {
        uint32_t e = c->ev_head;

        c->ev_head = s->event[e - 1].next;
        xs_event_free(s, c, e);
    }
    c->ev_tail = 0;
}

/* xenstored's watch_permitted(): the watcher may read the node (with its
 * current or old ACL) or its parent. */
static bool watch_permitted(struct xs_store *s, const struct xs_conn *c, const char *name,
                            uint32_t len, const struct xs_perm *perms, unsigned int nperms,
                            const struct xs_perm *old, unsigned int nold)
{
    const char *pp;
    uint32_t plen, i;

    if (old && (xs_perm_for(c, old, nold) & XS_PERM_READ))
        return true;
    if (perms && (xs_perm_for(c, perms, nperms) & XS_PERM_READ))
        return true;
    if (!perms) {
        i = xs_lookup(s, 0, name, len);
        if (i && (xs_perm_node(c, &s->node[i - 1]) & XS_PERM_READ))
            return true;
    }
    pp = xs_parent_of(name, len, &plen);
    i = xs_lookup(s, 0, pp, plen);
    return i && (xs_perm_node(c, &s->node[i - 1]) & XS_PERM_READ);
}

/* Fires every watch at or above name (exact: on name only). name must not be
 * s->evbuf. */
void xs_fire_now(struct xs_store *s, const char *name, uint32_t len, bool exact,
                 const struct xs_perm *perms, unsigned int nperms, const struct xs_perm *old,
                 unsigned int nold)
{
    unsigned int i;

    for (i = 0; i < s->watch_hi; i++) {
        struct xs_watch *w = &s->watch[i];
        struct xs_conn *c;
        bool hit;

        if (!w->used)
            continue;
        if (w->path_len > len || !xs_chain_eq_at(s, w->path, 0, name, w->path_len))
            continue;
        hit = exact ? w->path_len == len : xs_is_child(name, len, name, w->path_len);
        if (!hit)
            continue;
        c = xs_conn_find(s, w->dom);
        if (!c || !watch_permitted(s, c, name, len, perms, nperms, old, nold))
            continue;
        xs_queue_event(s, c, name + w->prefix_len, len - w->prefix_len, w->token, w->token_len);
    }
}

/* In a transaction, watches fire at commit. */
void xs_fire(struct xs_req *r, const char *name, uint32_t len, bool exact, uint32_t node,
             const struct xs_perm *old, unsigned int nold)
{
    struct xs_store *s = r->s;
    struct xs_node *n = &s->node[node - 1];

    if (r->tx) {
        uint32_t t = xs_lookup(s, r->tx, name, len);
        struct xs_node *tn = &s->node[t - 1];

        if (!(tn->flags & XS_NF_FIRE))
            tn->flags |= XS_NF_FIRE | (exact ? XS_NF_FIRE_EXACT : 0);
        else if (!exact)
            tn->flags &= ~XS_NF_FIRE_EXACT;
        return;
    }
    xs_fire_now(s, name, len, exact, n->perms, n->nperms, old, nold);
}

void xs_fire_special(struct xs_store *s, const char *name)
{
    uint32_t len = (uint32_t)strlen(name), i = xs_lookup(s, 0, name, len);

    if (i)
        xs_fire_now(s, name, len, true, s->node[i - 1].perms, s->node[i - 1].nperms, NULL, 0);
}

void xs_watch_free(struct xs_store *s, struct xs_watch *w)
{
    struct xs_conn *c = xs_conn_find(s, w->dom);

    if (c) {
        xs_use(s, c, XS_POOL_WATCHES, -1);
        xs_use(s, c, XS_POOL_BLOCKS, -(int64_t)(xs_nblk(w->path_len) + xs_nblk(w->token_len)));
    }
    xs_chain_free(s, w->path);
    xs_chain_free(s, w->token);
    memset(w, 0, sizeof(*w));
    while (s->watch_hi && !s->watch[s->watch_hi - 1].used)
        s->watch_hi--;
}

void xs_watches_drop(struct xs_store *s, domid_t dom)
{
    unsigned int i;

    for (i = 0; i < s->watch_hi; i++)
        if (s->watch[i].used && s->watch[i].dom == dom)
            xs_watch_free(s, &s->watch[i]);
}
