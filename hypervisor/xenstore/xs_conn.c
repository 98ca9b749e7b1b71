/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's connections: the domains known to the store.
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

struct xs_conn *xs_conn_find(struct xs_store *s, domid_t domid)
{
    unsigned int i;

    for (i = 0; i < XS_CONNS_MAX; i++)
        if (s->conn[i].used && s->conn[i].domid == domid)
            return &s->conn[i];
    return NULL;
}

struct xs_conn *xs_conn_get(struct xs_store *s, domid_t domid)
{
    struct xs_conn *c = xs_conn_find(s, domid);
    unsigned int i;

    if (c)
        return c;
    for (i = 0; i < XS_CONNS_MAX; i++)
        if (!s->conn[i].used) {
            c = &s->conn[i];
            memset(c, 0, sizeof(*c));
            c->used = true;
            c->domid = domid;
            c->next_tx_id = 1;
            return c;
        }
    return NULL;
}

/* Only domain 0 and domains that talk to the store or were introduced exist:
 * the store has no view of the hypervisor's domain list. */
bool xs_domain_exists(struct xs_store *s, uint32_t domid)
{
    return domid == 0 || (domid < DOMID_FIRST_RESERVED && xs_conn_find(s, (domid_t)domid));
}

/* Record n and its blocks start (sign 1) or stop (-1) counting for the
 * domain it is charged to. Changes to a record's chains or its charged
 * domain are bracketed by the two. */
void xs_charge(struct xs_store *s, const struct xs_node *n, int sign)
{
    struct xs_conn *c = xs_conn_get(s, n->charged);

    if (!c)
        return;
    xs_use(s, c, XS_POOL_RECORDS, sign);
    xs_use(s, c, XS_POOL_BLOCKS, sign * (int64_t)xs_node_blocks(n));
}

/*
 * Are recs records and blks blocks free, and may `charged` keep recs more
 * records and grow more blocks (its share, the reserve, its memory quota)?
 * grow is less than blks where the request frees blocks of the same
 * domain's before it allocates.
 */
int xs_need_grow(struct xs_req *r, domid_t charged, uint32_t recs, uint32_t blks, uint32_t grow)
{
    struct xs_conn *cc = xs_conn_find(r->s, charged);
    int err;

    if (cc && ((err = xs_share_check(r->s, r->c, cc, XS_POOL_RECORDS, recs, "request")) ||
               (err = xs_share_check(r->s, r->c, cc, XS_POOL_BLOCKS, grow, "request"))))
        return err;
    if (r->s->nr_free_nodes < recs || r->s->nr_free_blocks < blks)
        return XEN_ENOMEM;
    return cc ? xs_memory_check(r->s, r->c, cc, recs, grow, "request") : 0;
}

int xs_need(struct xs_req *r, domid_t charged, uint32_t recs, uint32_t blks)
{
    return xs_need_grow(r, charged, recs, blks, blks);
}
