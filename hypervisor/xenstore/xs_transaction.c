/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's transactions: start, the generation checks, commit
 * and abort.
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

void xs_tx_destroy(struct xs_store *s, uint32_t slot)
{
    struct xs_tx *t = &s->tx[slot - 1];
    struct xs_conn *c = xs_conn_find(s, t->dom);
    uint32_t i;

    for (i = 1; i <= s->node_hi; i++)
        if ((s->node[i - 1].flags & XS_NF_USED) && s->node[i - 1].tx == slot)
            xs_node_destroy(s, i, NULL);
    if (c)
        xs_use(s, c, XS_POOL_TX, -1);
    memset(t, 0, sizeof(*t));
}

void xs_transactions_drop(struct xs_store *s, domid_t dom)
{
    uint32_t i;

    for (i = 1; i <= XS_TX_MAX; i++)
        if (s->tx[i - 1].used && s->tx[i - 1].dom == dom)
            xs_tx_destroy(s, i);
}

/* Any node the transaction looked at changed in the tree since? */
bool xs_tx_conflicts(struct xs_store *s, uint32_t slot)
{
    uint32_t i;

    for (i = 1; i <= s->node_hi; i++) {
        struct xs_node *n = &s->node[i - 1];
        uint32_t tree;

        if (!(n->flags & XS_NF_USED) || n->tx != slot)
            continue;
        xs_chain_read(s, n->name, 0, s->path2, n->name_len);
        tree = xs_lookup(s, 0, s->path2, n->name_len);
        if ((tree ? s->node[tree - 1].generation : NO_GEN) != n->generation)
            return true;
    }
    return false;
}

/* Adds blks blocks (either sign) to domid's entry of d. */
static void tally(struct xs_store *s, int32_t *d, domid_t domid, int32_t blks)
{
    struct xs_conn *c = xs_conn_find(s, domid);

    if (c)
        d[c - s->conn] += blks;
}

/*
 * Would the commit of an unprivileged domain's transaction take any
 * unprivileged domain over its share of blocks? The commit allocates
 * nothing, but moves what the transaction holds (charged to its domain) to
 * the nodes' owners, who may be others that gave it write access. Records
 * cannot grow for anyone: the transaction's new nodes are its domain's own,
 * which gives back a record for each, and only a privileged SET_PERMS
 * changes an owner. 0 or ENOMEM.
 */
int xs_tx_commit_fits(struct xs_store *s, uint32_t slot, domid_t req)
{
    int32_t d[XS_CONNS_MAX];
    uint32_t i, k;

    memset(d, 0, sizeof(d));
    for (i = 1; i <= s->node_hi; i++) {
        const struct xs_node *n = &s->node[i - 1], *tn;
        uint32_t tree;

        if (!(n->flags & XS_NF_USED) || n->tx != slot)
            continue;
        /* Everything the transaction holds leaves its domain. */
        tally(s, d, n->charged, -(int32_t)xs_node_blocks(n));
        if (!(n->flags & XS_NF_DIRTY))
            continue;
        xs_chain_read(s, n->name, 0, s->path2, n->name_len);
        tree = xs_lookup(s, 0, s->path2, n->name_len);
        tn = tree ? &s->node[tree - 1] : NULL;
        if (tn)
            tally(s, d, tn->charged, -(int32_t)xs_node_blocks(tn));
        if (n->flags & XS_NF_GONE)
            continue;
        /* The tree's record keeps its name and takes the copy's contents. */
        tally(s, d, xs_node_owner(n),
              (int32_t)(xs_nblk(n->name_len) + xs_nblk(n->data_len) + xs_nblk(n->child_len)));
    }
    /* Only the shares: the unprivileged domains together hold no more after
     * the commit than before, so the reserve is not at stake. */
    for (k = 0; k < XS_CONNS_MAX; k++) {
        const struct xs_conn *c = &s->conn[k];

        if (!c->used || c->priv)
            continue;
        if (d[k] > 0 && (int64_t)c->use[XS_POOL_BLOCKS] + d[k] > XS_SHARE_BLOCKS) {
            /* Its own use never grows: it is always another's. */
            xs_limit(s, c->domid, "commit by d%u: share of %u blocks used up", req,
                     XS_SHARE_BLOCKS);
            return XEN_ENOMEM;
        }
    }
    return 0;
}

/* Moves the transaction's changes into the tree, then fires its watches.
 * Needs no allocation: copies move as they are. */
void xs_tx_commit(struct xs_store *s, uint32_t slot)
{
    uint32_t i;

    for (i = 1; i <= s->node_hi; i++) {
        struct xs_node *n = &s->node[i - 1], *tn;
        uint32_t tree, len = n->name_len, tmp;
        struct xs_conn *c;

        if (!(n->flags & XS_NF_USED) || n->tx != slot || !(n->flags & XS_NF_DIRTY))
            continue;
        xs_chain_read(s, n->name, 0, s->path2, len);
        tree = xs_lookup(s, 0, s->path2, len);
        if (tree && (c = xs_conn_get(s, xs_node_owner(&s->node[tree - 1]))))
            c->nodes--;
        if (n->flags & XS_NF_GONE) {
            if (tree)
                xs_node_destroy(s, tree, s->path2);
            continue; /* the record stays to fire its watches */
        }
        if ((c = xs_conn_get(s, xs_node_owner(n))))
            c->nodes++;
        if (!tree) {
            /* The copy becomes the tree's node. */
            xs_hash_remove(s, i, s->path2, len);
            n->tx = 0;
            xs_hash_insert(s, i, s->path2, len);
            n->flags = XS_NF_USED | (n->flags & (XS_NF_FIRE | XS_NF_FIRE_EXACT));
            n->seq = ++s->seq;
            n->generation = ++s->generation;
            xs_recharge(s, i, xs_node_owner(n));
            continue;
        }
        /* Swap contents: the tree's old value leaves with the copy. */
        tn = &s->node[tree - 1];
        xs_charge(s, tn, -1);
        xs_charge(s, n, -1);
        tmp = tn->data, tn->data = n->data, n->data = tmp;
        tmp = tn->data_len, tn->data_len = n->data_len, n->data_len = tmp;
        tmp = tn->children, tn->children = n->children, n->children = tmp;
        tmp = tn->child_len, tn->child_len = n->child_len, n->child_len = tmp;
        tn->nperms = n->nperms;
        memcpy(tn->perms, n->perms, sizeof(tn->perms));
        tn->charged = xs_node_owner(tn);
        xs_charge(s, tn, 1);
        xs_charge(s, n, 1);
        tn->generation = ++s->generation;
        tn->flags |= n->flags & (XS_NF_FIRE | XS_NF_FIRE_EXACT);
        n->flags &= ~(XS_NF_FIRE | XS_NF_FIRE_EXACT);
    }
    /* Now the tree is final: xs_fire, and clear the marks. */
    for (i = 1; i <= s->node_hi; i++) {
        struct xs_node *n = &s->node[i - 1];

        if (!(n->flags & XS_NF_FIRE) || (n->tx && n->tx != slot))
            continue;
        xs_chain_read(s, n->name, 0, s->path2, n->name_len);
        xs_fire_now(s, s->path2, n->name_len, n->flags & XS_NF_FIRE_EXACT, n->perms, n->nperms,
                    NULL, 0);
        n->flags &= ~(XS_NF_FIRE | XS_NF_FIRE_EXACT);
    }
}
