/* SPDX-License-Identifier: MIT */
/*
 * xs_audit: the store's invariants, checked by recounting everything from
 * the raw pools rather than trusting the counters the core keeps. For the
 * unit tests and the fuzzer (tests/fuzz/xenstore.c); Xenolith never calls it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "xenstore/xenstore_priv.h"
#include "common/array_size.h"

struct audit {
    const struct xs_store *s;
    uint8_t block_seen[(XS_BLOCKS_MAX + 7) / 8];
    uint8_t event_seen[(XS_EVENTS_MAX + 7) / 8];
    uint32_t blocks_seen;
    uint32_t use[XS_CONNS_MAX][XS_POOL_KINDS];
    uint32_t nodes[XS_CONNS_MAX];
    uint32_t tx_records[XS_TX_MAX];
    uint8_t listed[XS_NODES_MAX]; /* times each record is in a child list */
    char name[XENSTORE_ABS_PATH_MAX + 8];
    char child[2 * XENSTORE_ABS_PATH_MAX + 8];
};

/* Large, and the audit is not re-entered: static rather than on the stack. */
static struct audit A;

static bool test_and_set(uint8_t *map, uint32_t i)
{
    bool was = map[i / 8] & (1u << (i % 8));

    map[i / 8] |= (uint8_t)(1u << (i % 8));
    return was;
}

/* The connection of domid, as an index, or -1. */
static int conn_index(const struct xs_store *s, uint32_t domid)
{
    for (int k = 0; k < XS_CONNS_MAX; k++)
        if (s->conn[k].used && s->conn[k].domid == domid)
            return k;
    return -1;
}

/*
 * Walks the chain at head, which must hold exactly xs_nblk(len) blocks, none
 * free or in another chain; copies up to max bytes of it to out (NULL: none).
 */
static const char *chain(uint32_t head, uint32_t len, char *out, uint32_t max)
{
    const struct xs_store *s = A.s;
    uint32_t b = head, n = 0;

    while (b) {
        if (b > XS_BLOCKS_MAX)
            return "chain points outside the block pool";
        if (++n > xs_nblk(len))
            return "chain longer than its length";
        if (test_and_set(A.block_seen, b - 1))
            return "block in two chains, or free and in use";
        A.blocks_seen++;
        if (out) {
            uint32_t off = (n - 1) * XS_BLOCK_BYTES, k = len - off;

            if (k > XS_BLOCK_BYTES)
                k = XS_BLOCK_BYTES;
            if (off + k <= max)
                memcpy(out + off, s->block[b - 1].data, k);
        }
        b = s->block[b - 1].next;
    }
    return n == xs_nblk(len) ? NULL : "chain shorter than its length";
}

/* Reads a chain already checked by chain(), byte by byte. */
struct reader {
    uint32_t blk, pos;
};

static char next_byte(struct reader *r)
{
    char ch = A.s->block[r->blk - 1].data[r->pos];

    if (++r->pos == XS_BLOCK_BYTES) {
        r->blk = A.s->block[r->blk - 1].next;
        r->pos = 0;
    }
    return ch;
}

static const char *free_lists(void)
{
    const struct xs_store *s = A.s;
    uint32_t i, n = 0;

    for (i = s->free_node; i; i = s->node[i - 1].hnext)
        if (i > XS_NODES_MAX || ++n > XS_NODES_MAX || s->node[i - 1].flags)
            return "node free list broken";
    if (n != s->nr_free_nodes)
        return "node free count";
    n = 0;
    for (i = s->free_block; i; i = s->block[i - 1].next) {
        if (i > XS_BLOCKS_MAX || test_and_set(A.block_seen, i - 1))
            return "block free list broken";
        n++;
    }
    if (n != s->nr_free_blocks)
        return "block free count";
    A.blocks_seen += n;
    for (i = s->free_event; i; i = s->event[i - 1].next)
        if (i > XS_EVENTS_MAX || test_and_set(A.event_seen, i - 1))
            return "event free list broken";
    return NULL;
}

/* Every record is in the bucket its name hashes to, exactly once. */
static const char *hash_chains(uint32_t used)
{
    const struct xs_store *s = A.s;
    uint32_t b, i, n = 0;

    for (b = 0; b < XS_HASH_BUCKETS; b++)
        for (i = s->hash[b]; i; i = s->node[i - 1].hnext)
            if (i > XS_NODES_MAX || ++n > used || !(s->node[i - 1].flags & XS_NF_USED))
                return "hash chain broken";
    return n == used ? NULL : "records missing from the hash";
}

static const char *perms_ok(const struct xs_node *n)
{
    const uint8_t valid = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_IGNORE;

    if (!n->nperms || n->nperms > XS_NODE_PERMS_MAX)
        return "ACL size";
    for (unsigned int j = 0; j < n->nperms; j++)
        if (n->perms[j].perms & ~valid)
            return "ACL entry with unknown bits";
    if (n->perms[0].perms & XS_PERM_IGNORE)
        return "owner entry ignored";
    return NULL;
}

/* A transaction's record: a read marker, a copy, or a deletion. */
static const char *tx_record_ok(const struct xs_node *n)
{
    const struct xs_tx *t;

    if (n->tx > XS_TX_MAX || !A.s->tx[n->tx - 1].used)
        return "record of a closed transaction";
    t = &A.s->tx[n->tx - 1];
    if (n->charged != t->dom)
        return "transaction record not charged to its domain";
    if ((n->flags & XS_NF_DIRTY) && !(n->flags & XS_NF_SHADOW))
        return "dirty read marker";
    if (!(n->flags & XS_NF_SHADOW) && (n->data_len || n->child_len))
        return "read marker with contents";
    if ((n->flags & (XS_NF_SHADOW | XS_NF_GONE)) == (XS_NF_SHADOW | XS_NF_GONE) &&
        (n->data_len || n->child_len))
        return "deleted copy with contents";
    A.tx_records[n->tx - 1]++;
    return NULL;
}

/* Each name in n's list is a node of the tree, counted in A.listed. */
static const char *children_ok(const struct xs_node *n)
{
    uint32_t base = n->name_len == 1 ? 0 : n->name_len, off, len = 0, i;
    struct reader r = { .blk = n->children };
    char ch = 0;

    memcpy(A.child, A.name, base);
    A.child[base] = '/';
    for (off = 0; off < n->child_len; off++) {
        ch = next_byte(&r);
        if (ch) {
            if (base + 1 + len >= sizeof(A.child))
                return "child name too long";
            A.child[base + 1 + len++] = ch;
            continue;
        }
        if (!len)
            return "empty child name";
        if (!(i = xs_find(A.s, 0, A.child, base + 1 + len)))
            return "listed child missing";
        if (A.listed[i - 1]++)
            return "a child listed twice";
        len = 0;
    }
    return ch ? "child list not NUL-terminated" : NULL;
}

static const char *records(void)
{
    const struct xs_store *s = A.s;
    const char *why;
    uint32_t i;
    int k;

    for (i = 1; i <= XS_NODES_MAX; i++) {
        const struct xs_node *n = &s->node[i - 1];

        if (!(n->flags & XS_NF_USED))
            continue;
        if (i > s->node_hi)
            return "record in use above node_hi";
        if (!n->name_len || n->name_len > XENSTORE_ABS_PATH_MAX)
            return "record name length";
        if ((why = chain(n->name, n->name_len, A.name, sizeof(A.name))) ||
            (why = chain(n->data, n->data_len, NULL, 0)) ||
            (why = chain(n->children, n->child_len, NULL, 0)))
            return why;
        if (A.name[0] != '/' && A.name[0] != '@')
            return "record name neither absolute nor special";
        if (xs_find(s, n->tx, A.name, n->name_len) != i)
            return "record not found under its name";
        if ((k = conn_index(s, n->charged)) < 0)
            return "charged to an unknown domain";
        A.use[k][XS_POOL_RECORDS]++;
        A.use[k][XS_POOL_BLOCKS] += xs_node_blocks(n);
        /* A read marker holds no ACL; the tree and copies do. */
        if ((!n->tx || (n->flags & XS_NF_SHADOW)) && (why = perms_ok(n)))
            return why;
        if (n->tx) {
            if ((why = tx_record_ok(n)))
                return why;
            continue;
        }
        if (n->flags != XS_NF_USED)
            return "tree node with transaction flags";
        if (n->generation > s->generation || n->seq > s->seq)
            return "tree node from the future";
        if (n->charged != n->perms[0].id)
            return "tree node not charged to its owner";
        A.nodes[k]++;
        if ((why = children_ok(n)))
            return why;
    }
    return NULL;
}

/* Every tree node but "/" and the special ones is in its parent's list
 * (children_ok counted each once at most): so its parent exists. */
static const char *parents(void)
{
    const struct xs_store *s = A.s;

    for (uint32_t i = 1; i <= XS_NODES_MAX; i++) {
        const struct xs_node *n = &s->node[i - 1];
        bool top;

        if (!(n->flags & XS_NF_USED) || n->tx)
            continue;
        top = n->name_len == 1 || s->block[n->name - 1].data[0] == '@';
        if (top && A.listed[i - 1])
            return "root or special node listed";
        if (!top && !A.listed[i - 1])
            return "node missing from its parent's list";
    }
    return NULL;
}

static const char *watches(void)
{
    const struct xs_store *s = A.s;
    const char *why;
    int k;

    for (unsigned int w = 0; w < XS_WATCHES_MAX; w++) {
        const struct xs_watch *x = &s->watch[w];

        if (!x->used) {
            if (x->path || x->token)
                return "free watch holding chains";
            continue;
        }
        if (w >= s->watch_hi)
            return "watch in use above watch_hi";
        if ((k = conn_index(s, x->dom)) < 0)
            return "watch of an unknown domain";
        if (!x->path_len || x->prefix_len >= x->path_len)
            return "watch path length";
        if ((why = chain(x->path, x->path_len, NULL, 0)) ||
            (why = chain(x->token, x->token_len, NULL, 0)))
            return why;
        A.use[k][XS_POOL_WATCHES]++;
        A.use[k][XS_POOL_BLOCKS] += xs_nblk(x->path_len) + xs_nblk(x->token_len);
    }
    return NULL;
}

/* Each domain's FIFO of "path\0token\0" messages. */
static const char *events(int k)
{
    const struct xs_store *s = A.s;
    const struct xs_conn *c = &s->conn[k];
    uint32_t e, last = 0;
    const char *why;

    for (e = c->ev_head; e; e = s->event[e - 1].next) {
        const struct xs_event *ev;
        uint32_t nuls = 0;

        if (e > XS_EVENTS_MAX || test_and_set(A.event_seen, e - 1))
            return "event list broken";
        ev = &s->event[e - 1];
        if (ev->len < 2 || ev->len > XENSTORE_PAYLOAD_MAX)
            return "event length";
        if ((why = chain(ev->msg, ev->len, NULL, 0)))
            return why;
        {
            struct reader r = { .blk = ev->msg };
            char ch = 0;

            for (uint32_t off = 0; off < ev->len; off++)
                nuls += !(ch = next_byte(&r));
            if (nuls != 2 || ch)
                return "event not path and token";
        }
        A.use[k][XS_POOL_EVENTS]++;
        A.use[k][XS_POOL_BLOCKS] += xs_nblk(ev->len);
        last = e;
    }
    return last == c->ev_tail ? NULL : "event tail";
}

static const char *transactions(void)
{
    const struct xs_store *s = A.s;
    int k;

    for (uint32_t t = 0; t < XS_TX_MAX; t++) {
        const struct xs_tx *x = &s->tx[t];

        if (!x->used)
            continue;
        if ((k = conn_index(s, x->dom)) < 0)
            return "transaction of an unknown domain";
        if (!x->id)
            return "transaction id 0";
        for (uint32_t u = t + 1; u < XS_TX_MAX; u++)
            if (s->tx[u].used && s->tx[u].dom == x->dom && s->tx[u].id == x->id)
                return "transaction id used twice";
        if (x->accessed != A.tx_records[t])
            return "transaction's record count";
        A.use[k][XS_POOL_TX]++;
    }
    return NULL;
}

/* Each domain's counters equal the recount, and the totals the pools. */
static const char *accounts(void)
{
    const struct xs_store *s = A.s;
    uint32_t unpriv[XS_POOL_KINDS] = { 0 }, all[XS_POOL_KINDS] = { 0 };
    uint32_t used_watches = 0, used_tx = 0, free_events = 0;

    for (int k = 0; k < XS_CONNS_MAX; k++) {
        const struct xs_conn *c = &s->conn[k];

        if (!c->used)
            continue;
        if (conn_index(s, c->domid) != k)
            return "two records for one domain";
        if (c->nodes != A.nodes[k])
            return "owned-node count";
        for (unsigned int p = 0; p < XS_POOL_KINDS; p++) {
            if (c->use[p] != A.use[k][p])
                return "a domain's pool use differs from the recount";
            all[p] += c->use[p];
            if (!c->priv)
                unpriv[p] += c->use[p];
        }
    }
    for (unsigned int p = 0; p < XS_POOL_KINDS; p++)
        if (unpriv[p] != s->unpriv_use[p])
            return "unprivileged total";
    if (A.blocks_seen != XS_BLOCKS_MAX)
        return "blocks leaked";
    for (unsigned int w = 0; w < XS_WATCHES_MAX; w++)
        used_watches += s->watch[w].used;
    for (uint32_t t = 0; t < XS_TX_MAX; t++)
        used_tx += s->tx[t].used;
    for (uint32_t e = s->free_event; e; e = s->event[e - 1].next)
        free_events++;
    if (all[XS_POOL_RECORDS] != XS_NODES_MAX - s->nr_free_nodes ||
        all[XS_POOL_BLOCKS] != XS_BLOCKS_MAX - s->nr_free_blocks ||
        all[XS_POOL_WATCHES] != used_watches || all[XS_POOL_TX] != used_tx ||
        all[XS_POOL_EVENTS] + free_events != XS_EVENTS_MAX)
        return "pool objects not charged to anyone";
    return NULL;
}

const char *xs_audit(struct xs_store *s)
{
    static const char *const layout[] = { "/", "@introduceDomain", "@releaseDomain" };
    const char *why;

    memset(&A, 0, sizeof(A));
    A.s = s;
    if (s->authority.used || !s->authority.priv)
        return "the store's authority";
    for (unsigned int i = 0; i < ARRAY_SIZE(layout); i++)
        if (!xs_find(s, 0, layout[i], (uint32_t)strlen(layout[i])))
            return "layout node missing";
    if ((why = free_lists()) || (why = hash_chains(XS_NODES_MAX - s->nr_free_nodes)) ||
        (why = records()) || (why = parents()) || (why = watches()) || (why = transactions()))
        return why;
    for (int k = 0; k < XS_CONNS_MAX; k++) {
        if (!s->conn[k].used) {
            if (s->conn[k].ev_head || s->conn[k].ev_tail)
                return "events of no domain";
            continue;
        }
        if ((why = events(k)))
            return why;
    }
    return accounts();
}
