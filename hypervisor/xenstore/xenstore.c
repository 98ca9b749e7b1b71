/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core (see xenstore.h). Like xenstored, the store is a flat
 * table of nodes keyed by full path, each holding its value, its ACL and the
 * names of its children; a transaction is a second key space holding its own
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

#define NO_GEN        UINT64_MAX
#define NODE_HDR_SIZE 16u      /* xenstored's node header, for the node-size quota */
#define PERM_SIZE     8u       /* xenstored's struct xs_permissions */
#define PERM_ALL      (XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER)

/* One request in progress. */
struct xs_req {
    struct xs_store *s;
    struct xs_conn  *c;
    uint32_t         tx;        /* transaction slot + 1, or 0 */
};

/* --- Error strings: xs_wire.h's xsd_errors, which needs the host's errno --- */
static const struct {
    int         err;
    const char *str;
} xs_errors[] = {
    { XEN_EINVAL, "EINVAL" }, { XEN_EACCES, "EACCES" }, { XEN_EEXIST, "EEXIST" },
    { XEN_EISDIR, "EISDIR" }, { XEN_ENOENT, "ENOENT" }, { XEN_ENOMEM, "ENOMEM" },
    { XEN_ENOSPC, "ENOSPC" }, { XEN_EIO, "EIO" }, { XEN_ENOTEMPTY, "ENOTEMPTY" },
    { XEN_ENOSYS, "ENOSYS" }, { XEN_EROFS, "EROFS" }, { XEN_EBUSY, "EBUSY" },
    { XEN_EAGAIN, "EAGAIN" }, { XEN_EISCONN, "EISCONN" }, { XEN_E2BIG, "E2BIG" },
    { XEN_EPERM, "EPERM" },
};

static const char *error_string(int err)
{
    unsigned int i;

    for ( i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++ )
        if ( xs_errors[i].err == err )
            return xs_errors[i].str;
    return "EINVAL";            /* xenstored's answer for untranslatable errors */
}

int xs_errno_of(const char *str)
{
    unsigned int i;

    for ( i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++ )
        if ( !strcmp(xs_errors[i].str, str) )
            return -xs_errors[i].err;
    return -XEN_EIO;
}

/* --- Blocks and chains ------------------------------------------------------ */
static uint32_t blk_alloc(struct xs_store *s)
{
    uint32_t b = s->free_block;

    s->free_block = s->block[b - 1].next;
    s->block[b - 1].next = 0;
    s->nr_free_blocks--;
    return b;
}

static void chain_free(struct xs_store *s, uint32_t head)
{
    while ( head )
    {
        uint32_t next = s->block[head - 1].next;

        s->block[head - 1].next = s->free_block;
        s->free_block = head;
        s->nr_free_blocks++;
        head = next;
    }
}

/* Callers have checked that xs_nblk(len) blocks are free. */
static uint32_t chain_new(struct xs_store *s, const char *src, uint32_t len)
{
    uint32_t head = 0, *link = &head;

    while ( len )
    {
        uint32_t n = len < XS_BLOCK_BYTES ? len : XS_BLOCK_BYTES;
        uint32_t b = blk_alloc(s);

        memcpy(s->block[b - 1].data, src, n);
        *link = b;
        link = &s->block[b - 1].next;
        src += n;
        len -= n;
    }
    return head;
}

struct cursor {
    struct xs_store *s;
    uint32_t blk, pos;
};

static void cur_init(struct cursor *c, struct xs_store *s, uint32_t head, uint32_t off)
{
    c->s = s;
    c->blk = head;
    while ( off >= XS_BLOCK_BYTES )
    {
        c->blk = s->block[c->blk - 1].next;
        off -= XS_BLOCK_BYTES;
    }
    c->pos = off;
}

static char *cur_ptr(struct cursor *c)
{
    return &c->s->block[c->blk - 1].data[c->pos];
}

static void cur_next(struct cursor *c)
{
    if ( ++c->pos == XS_BLOCK_BYTES )
    {
        c->blk = c->s->block[c->blk - 1].next;
        c->pos = 0;
    }
}

static void chain_read(struct xs_store *s, uint32_t head, uint32_t off, char *dst, uint32_t len)
{
    struct cursor c;

    if ( !len )
        return;
    cur_init(&c, s, head, off);
    while ( len )
    {
        uint32_t n = XS_BLOCK_BYTES - c.pos;

        if ( n > len )
            n = len;
        memcpy(dst, cur_ptr(&c), n);
        dst += n;
        len -= n;
        c.pos += n - 1;
        cur_next(&c);
        if ( !c.blk )
            break;
    }
}

/* Do the len bytes at off equal str? */
static bool chain_eq_at(struct xs_store *s, uint32_t head, uint32_t off, const char *str,
                        uint32_t len)
{
    struct cursor c;

    if ( !len )
        return true;
    cur_init(&c, s, head, off);
    while ( len-- )
    {
        if ( *cur_ptr(&c) != *str++ )
            return false;
        if ( len )
            cur_next(&c);
    }
    return true;
}

static uint32_t chain_copy(struct xs_store *s, uint32_t src, uint32_t len)
{
    uint32_t head = 0, *link = &head;

    while ( len )
    {
        uint32_t n = len < XS_BLOCK_BYTES ? len : XS_BLOCK_BYTES;
        uint32_t b = blk_alloc(s);

        memcpy(s->block[b - 1].data, s->block[src - 1].data, n);
        *link = b;
        link = &s->block[b - 1].next;
        src = s->block[src - 1].next;
        len -= n;
    }
    return head;
}

/* Needs xs_nblk(len + add) - xs_nblk(len) free blocks. */
static void chain_append(struct xs_store *s, uint32_t *head, uint32_t len, const char *src,
                         uint32_t add)
{
    uint32_t last = *head, room;

    if ( !add )
        return;
    if ( !last )
    {
        *head = chain_new(s, src, add);
        return;
    }
    while ( s->block[last - 1].next )
        last = s->block[last - 1].next;
    room = xs_nblk(len) * XS_BLOCK_BYTES - len;
    if ( room > add )
        room = add;
    memcpy(&s->block[last - 1].data[XS_BLOCK_BYTES - (xs_nblk(len) * XS_BLOCK_BYTES - len)],
           src, room);
    if ( add > room )
        s->block[last - 1].next = chain_new(s, src + room, add - room);
}

/* Removes bytes [off, off + cut) of a len-byte chain, in place. */
static void chain_cut(struct xs_store *s, uint32_t *head, uint32_t len, uint32_t off, uint32_t cut)
{
    struct cursor w, r;
    uint32_t n = len - off - cut, keep = xs_nblk(len - cut), b, *link;

    if ( n )
    {
        cur_init(&w, s, *head, off);
        cur_init(&r, s, *head, off + cut);
        while ( n-- )
        {
            *cur_ptr(&w) = *cur_ptr(&r);
            if ( n )
            {
                cur_next(&w);
                cur_next(&r);
            }
        }
    }
    link = head;
    for ( b = 0; b < keep; b++ )
        link = &s->block[*link - 1].next;
    chain_free(s, *link);
    *link = 0;
}

/* --- Connections (domains known to the store) ------------------------------- */
static struct xs_conn *conn_find(struct xs_store *s, domid_t domid)
{
    unsigned int i;

    for ( i = 0; i < XS_CONNS_MAX; i++ )
        if ( s->conn[i].used && s->conn[i].domid == domid )
            return &s->conn[i];
    return NULL;
}

static struct xs_conn *conn_get(struct xs_store *s, domid_t domid)
{
    struct xs_conn *c = conn_find(s, domid);
    unsigned int i;

    if ( c )
        return c;
    for ( i = 0; i < XS_CONNS_MAX; i++ )
        if ( !s->conn[i].used )
        {
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
static bool domain_exists(struct xs_store *s, uint32_t domid)
{
    return domid == 0 || (domid < DOMID_FIRST_RESERVED && conn_find(s, (domid_t)domid));
}

/* Record n and its blocks start (sign 1) or stop (-1) counting for the
 * domain it is charged to. Changes to a record's chains or its charged
 * domain are bracketed by the two. */
static void charge(struct xs_store *s, const struct xs_node *n, int sign)
{
    struct xs_conn *c = conn_get(s, n->charged);

    if ( !c )
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
static int need_grow(struct xs_req *r, domid_t charged, uint32_t recs, uint32_t blks,
                     uint32_t grow)
{
    struct xs_conn *cc = conn_find(r->s, charged);
    int err;

    if ( cc && ((err = xs_share_check(r->s, r->c, cc, XS_POOL_RECORDS, recs, "request")) ||
                (err = xs_share_check(r->s, r->c, cc, XS_POOL_BLOCKS, grow, "request"))) )
        return err;
    if ( r->s->nr_free_nodes < recs || r->s->nr_free_blocks < blks )
        return XEN_ENOMEM;
    return cc ? xs_memory_check(r->s, r->c, cc, recs, grow, "request") : 0;
}

static int need(struct xs_req *r, domid_t charged, uint32_t recs, uint32_t blks)
{
    return need_grow(r, charged, recs, blks, blks);
}

/* --- Node records ------------------------------------------------------------ */

static uint32_t hash_of(const char *p, uint32_t len, uint32_t tx)
{
    uint32_t h = 5381 + tx * 0x9e3779b1u;

    while ( len-- )
        h = h * 33 + (uint8_t)*p++;
    return h % XS_HASH_BUCKETS;
}

static uint32_t lookup(struct xs_store *s, uint32_t tx, const char *p, uint32_t len)
{
    uint32_t i;

    for ( i = s->hash[hash_of(p, len, tx)]; i; i = s->node[i - 1].hnext )
    {
        struct xs_node *n = &s->node[i - 1];

        if ( n->tx == tx && n->name_len == len && chain_eq_at(s, n->name, 0, p, len) )
            return i;
    }
    return 0;
}

uint32_t xs_find(const struct xs_store *s, uint32_t tx, const char *p, uint32_t len)
{
    /* lookup() only reads; its cursor helpers are not const-correct. */
    return lookup((struct xs_store *)s, tx, p, len);
}

static void hash_insert(struct xs_store *s, uint32_t i, const char *p, uint32_t len)
{
    uint32_t *b = &s->hash[hash_of(p, len, s->node[i - 1].tx)];

    s->node[i - 1].hnext = *b;
    *b = i;
}

static void hash_remove(struct xs_store *s, uint32_t i, const char *p, uint32_t len)
{
    uint32_t *link = &s->hash[hash_of(p, len, s->node[i - 1].tx)];

    while ( *link != i )
        link = &s->node[*link - 1].hnext;
    *link = s->node[i - 1].hnext;
    s->node[i - 1].hnext = 0;
}

/* A record named p in key space tx, charged to `charged`, empty otherwise.
 * Callers have checked one record and xs_nblk(len) blocks are free. */
static uint32_t node_new(struct xs_store *s, uint32_t tx, const char *p, uint32_t len,
                         domid_t charged)
{
    uint32_t i = s->free_node;
    struct xs_node *n = &s->node[i - 1];

    s->free_node = n->hnext;
    s->nr_free_nodes--;
    memset(n, 0, sizeof(*n));
    n->flags = XS_NF_USED;
    n->tx = tx;
    n->name = chain_new(s, p, len);
    n->name_len = len;
    n->charged = charged;
    hash_insert(s, i, p, len);
    charge(s, n, 1);
    if ( i > s->node_hi )
        s->node_hi = i;
    return i;
}

/* name: the record's path, which the caller may have at hand (or NULL). */
static void node_destroy(struct xs_store *s, uint32_t i, const char *name)
{
    struct xs_node *n = &s->node[i - 1];

    if ( !name )
    {
        chain_read(s, n->name, 0, s->evbuf, n->name_len);
        name = s->evbuf;
    }
    hash_remove(s, i, name, n->name_len);
    charge(s, n, -1);
    chain_free(s, n->name);
    chain_free(s, n->data);
    chain_free(s, n->children);
    memset(n, 0, sizeof(*n));
    n->hnext = s->free_node;
    s->free_node = i;
    s->nr_free_nodes++;
    while ( s->node_hi && !(s->node[s->node_hi - 1].flags & XS_NF_USED) )
        s->node_hi--;
}

static domid_t node_owner(const struct xs_node *n)
{
    return (domid_t)n->perms[0].id;
}

/* --- Paths -------------------------------------------------------------------- */
static bool valid_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '/' || ch == '_' || ch == '@';
}

/* Length of "/local/domain/<id>/" at the start of p, or 0 (sscanf "%5u/"). */
static uint32_t local_prefix(const char *p, uint32_t len)
{
    static const char pre[] = "/local/domain/";
    uint32_t i = sizeof(pre) - 1, digits = 0;

    if ( len < i || memcmp(p, pre, i) )
        return 0;
    while ( i < len && p[i] >= '0' && p[i] <= '9' && digits < 5 )
        i++, digits++;
    if ( !digits || i >= len || p[i] != '/' )
        return 0;
    return i + 1;
}

/*
 * xenstored's canonicalize() and is_valid_nodename(): a relative path is
 * taken from /local/domain/<domid>/; the result is in s->path. EINVAL for a
 * missing argument (no NUL), bad characters, "@..." where not allowed, a
 * trailing or double slash, over XENSTORE_ABS_PATH_MAX, or over
 * XENSTORE_REL_PATH_MAX beyond /local/domain/<id>/.
 */
static int canon(struct xs_req *r, const char *in, bool allow_special, uint32_t *out_len,
                 bool *relative)
{
    struct xs_store *s = r->s;
    size_t inlen, len, i;
    int pre = 0;

    if ( !in )
        return XEN_EINVAL;
    inlen = strlen(in);
    if ( relative )
        *relative = in[0] != '/' && in[0] != '@';
    if ( in[0] == '@' )
    {
        if ( !allow_special || inlen > XENSTORE_REL_PATH_MAX )
            return XEN_EINVAL;
        for ( i = 0; i < inlen; i++ )
            if ( !valid_char(in[i]) )
                return XEN_EINVAL;
        memcpy(s->path, in, inlen + 1);
        *out_len = (uint32_t)inlen;
        return 0;
    }
    if ( inlen > XENSTORE_ABS_PATH_MAX )
        return XEN_EINVAL;
    if ( in[0] != '/' )
        pre = snprintf(s->path, sizeof(s->path), "/local/domain/%u/", r->c->domid);
    memcpy(s->path + pre, in, inlen + 1);
    len = pre + inlen;
    if ( len > XENSTORE_ABS_PATH_MAX )
        return XEN_EINVAL;
    for ( i = 0; i < len; i++ )
        if ( !valid_char(s->path[i]) )
            return XEN_EINVAL;
    if ( len > 1 && s->path[len - 1] == '/' )
        return XEN_EINVAL;
    if ( strstr(s->path, "//") )
        return XEN_EINVAL;
    if ( len > local_prefix(s->path, (uint32_t)len) + XENSTORE_REL_PATH_MAX )
        return XEN_EINVAL;
    *out_len = (uint32_t)len;
    return 0;
}

/* Parent of p[0..len): a prefix of p, except that "/x" and "@x" give "/". */
static const char *parent_of(const char *p, uint32_t len, uint32_t *plen)
{
    uint32_t i = len;

    while ( i > 1 && p[i - 1] != '/' )
        i--;
    if ( i <= 1 || p[0] != '/' )
    {
        *plen = 1;
        return "/";
    }
    *plen = i - 1;
    return p;
}

/* Is child at or below parent? ("/" contains everything, as in xenstored.) */
static bool is_child(const char *child, uint32_t clen, const char *parent, uint32_t plen)
{
    if ( plen == 1 && parent[0] == '/' )
        return true;
    if ( clen < plen || memcmp(child, parent, plen) )
        return false;
    return clen == plen || child[plen] == '/';
}

/* --- Permissions ---------------------------------------------------------------- */
static uint8_t perm_for(const struct xs_conn *c, const struct xs_perm *p, unsigned int n)
{
    unsigned int i;

    if ( c->priv || p[0].id == c->domid || (c->has_target && p[0].id == c->target) )
        return PERM_ALL;
    for ( i = 1; i < n; i++ )
        if ( !(p[i].perms & XS_PERM_IGNORE) &&
             (p[i].id == c->domid || (c->has_target && p[i].id == c->target)) )
            return p[i].perms & PERM_ALL;
    return p[0].perms & PERM_ALL;
}

static uint8_t perm_node(const struct xs_conn *c, const struct xs_node *n)
{
    return perm_for(c, n->perms, n->nperms);
}

/* --- The request's view: the tree, or a transaction over it --------------------- */
static struct xs_tx *req_tx(struct xs_req *r)
{
    return r->tx ? &r->s->tx[r->tx - 1] : NULL;
}

/* Room for one more transaction record of len name bytes plus extra blocks. */
static int tx_room(struct xs_req *r, uint32_t len, uint32_t extra)
{
    if ( !r->c->priv && req_tx(r)->accessed >= XS_QUOTA_TX_NODES )
    {
        xs_limit(r->s, r->c->domid, "request: quota of %u nodes per transaction reached",
                 XS_QUOTA_TX_NODES);
        return XEN_ENOSPC;
    }
    return need(r, r->c->domid, 1, xs_nblk(len) + extra);
}

/*
 * The record holding p's content as the request sees it (0: absent). In a
 * transaction, the first look at a node records the tree's generation (or
 * that it was absent), as xenstored's access_node() does.
 */
static int view_get(struct xs_req *r, const char *p, uint32_t len, uint32_t *out)
{
    struct xs_store *s = r->s;
    uint32_t t, tree;
    int err;

    tree = lookup(s, 0, p, len);
    if ( !r->tx )
    {
        *out = tree;
        return 0;
    }
    t = lookup(s, r->tx, p, len);
    if ( t )
    {
        const struct xs_node *n = &s->node[t - 1];

        *out = (n->flags & XS_NF_GONE) ? 0 : (n->flags & XS_NF_SHADOW) ? t : tree;
        return 0;
    }
    err = tx_room(r, len, 0);
    if ( err )
        return err;
    t = node_new(s, r->tx, p, len, r->c->domid);
    req_tx(r)->accessed++;
    s->node[t - 1].generation = tree ? s->node[tree - 1].generation : NO_GEN;
    if ( !tree )
        s->node[t - 1].flags |= XS_NF_GONE;
    *out = tree;
    return 0;
}

/* Blocks a writable copy of the existing node p would take (0 outside a
 * transaction or once copied). view_get must have been called for p. */
static uint32_t shadow_blocks(struct xs_req *r, const char *p, uint32_t len)
{
    struct xs_store *s = r->s;
    uint32_t t, tree;

    if ( !r->tx )
        return 0;
    t = lookup(s, r->tx, p, len);
    if ( t && (s->node[t - 1].flags & XS_NF_SHADOW) )
        return 0;
    tree = lookup(s, 0, p, len);
    return xs_nblk(s->node[tree - 1].data_len) + xs_nblk(s->node[tree - 1].child_len);
}

/*
 * A writable record for the existing node p: the tree's, or the
 * transaction's copy of it. Callers have checked shadow_blocks() are free.
 */
static uint32_t view_modify(struct xs_req *r, const char *p, uint32_t len)
{
    struct xs_store *s = r->s;
    uint32_t t, tree = lookup(s, 0, p, len);
    struct xs_node *n, *src;

    if ( !r->tx )
        return tree;
    t = lookup(s, r->tx, p, len);
    n = &s->node[t - 1];
    if ( n->flags & XS_NF_SHADOW )
        return t;
    src = &s->node[tree - 1];
    charge(s, n, -1);
    n->data = chain_copy(s, src->data, src->data_len);
    n->data_len = src->data_len;
    n->children = chain_copy(s, src->children, src->child_len);
    n->child_len = src->child_len;
    n->nperms = src->nperms;
    memcpy(n->perms, src->perms, sizeof(n->perms));
    n->flags |= XS_NF_SHADOW;
    charge(s, n, 1);
    return t;
}

/* The request changed record i: bump the tree's generation, or mark the
 * transaction's copy for commit. */
static void node_changed(struct xs_req *r, uint32_t i)
{
    struct xs_node *n = &r->s->node[i - 1];

    if ( n->tx )
        n->flags |= XS_NF_DIRTY;
    else
        n->generation = ++r->s->generation;
}

/* Owned-node accounting for a node that appears (+1) or goes (-1). */
static void count_owner(struct xs_req *r, domid_t owner, int d)
{
    struct xs_conn *c;

    if ( r->tx )
    {
        if ( owner == r->c->domid )
            req_tx(r)->node_delta += d;
        return;
    }
    c = conn_get(r->s, owner);
    if ( c )
        c->nodes += d;
}

/* Record changes of charge when a tree node's owner changes. */
static void recharge(struct xs_store *s, uint32_t i, domid_t to)
{
    struct xs_node *n = &s->node[i - 1];

    charge(s, n, -1);
    n->charged = to;
    charge(s, n, 1);
}

/* A new node p (absent in the view) with the given ACL. Needs one record and
 * xs_nblk(len) blocks (none in a transaction, whose view_get left a record). */
static uint32_t view_create(struct xs_req *r, const char *p, uint32_t len,
                            const struct xs_perm *perms, unsigned int nperms)
{
    struct xs_store *s = r->s;
    uint32_t i = r->tx ? lookup(s, r->tx, p, len) : 0;
    struct xs_node *n;

    if ( !i )
        i = node_new(s, r->tx, p, len, r->tx ? r->c->domid : (domid_t)perms[0].id);
    n = &s->node[i - 1];
    n->flags = (n->flags & ~XS_NF_GONE) | (r->tx ? XS_NF_SHADOW : 0);
    n->nperms = (uint8_t)nperms;
    memcpy(n->perms, perms, nperms * sizeof(*perms));
    if ( !r->tx )
        n->seq = ++s->seq;
    node_changed(r, i);
    count_owner(r, (domid_t)perms[0].id, 1);
    return i;
}

/* Node p (in the view, at record i) goes away. */
static void view_delete(struct xs_req *r, const char *p, uint32_t len, uint32_t i)
{
    struct xs_store *s = r->s;
    struct xs_node *n;
    uint32_t t;

    count_owner(r, node_owner(&s->node[i - 1]), -1);
    if ( !r->tx )
    {
        node_destroy(s, i, p);
        return;
    }
    t = lookup(s, r->tx, p, len);
    n = &s->node[t - 1];
    if ( t != i )
    {
        /* A read marker: keep the ACL so watches can be checked at commit. */
        n->nperms = s->node[i - 1].nperms;
        memcpy(n->perms, s->node[i - 1].perms, sizeof(n->perms));
    }
    charge(s, n, -1);
    chain_free(s, n->data);
    chain_free(s, n->children);
    n->data = n->children = 0;
    n->data_len = n->child_len = 0;
    charge(s, n, 1);
    n->flags |= XS_NF_SHADOW | XS_NF_GONE | XS_NF_DIRTY;
}

/* Finds child entry name in record i's list: its offset, or -1. */
static int64_t child_find(struct xs_store *s, uint32_t i, const char *name, uint32_t nlen)
{
    const struct xs_node *n = &s->node[i - 1];
    struct cursor c;
    uint32_t off = 0, start = 0;

    if ( !n->child_len )
        return -1;
    cur_init(&c, s, n->children, 0);
    for ( off = 0; off < n->child_len; off++ )
    {
        if ( !*cur_ptr(&c) )
        {
            if ( off - start == nlen && chain_eq_at(s, n->children, start, name, nlen) )
                return start;
            start = off + 1;
        }
        if ( off + 1 < n->child_len )
            cur_next(&c);
    }
    return -1;
}

static void child_remove(struct xs_req *r, uint32_t i, const char *name, uint32_t nlen)
{
    struct xs_store *s = r->s;
    struct xs_node *n = &s->node[i - 1];
    int64_t off = child_find(s, i, name, nlen);

    if ( off < 0 )
        return;
    charge(s, n, -1);
    chain_cut(s, &n->children, n->child_len, (uint32_t)off, nlen + 1);
    n->child_len -= nlen + 1;
    charge(s, n, 1);
    node_changed(r, i);
}

/* --- Watches and events ------------------------------------------------------------ */
static bool event_dup(struct xs_store *s, struct xs_conn *c, const char *msg, uint32_t len)
{
    uint32_t e;

    for ( e = c->ev_head; e; e = s->event[e - 1].next )
        if ( s->event[e - 1].len == len && chain_eq_at(s, s->event[e - 1].msg, 0, msg, len) )
            return true;
    return false;
}

/* May c queue one more event of len bytes? Its quota holds for privileged
 * watchers too, so that a guest's writes under their watches take at most
 * XS_QUOTA_EVENTS events of the reserve. */
static bool event_room(struct xs_store *s, struct xs_conn *c, uint32_t len)
{
    uint32_t blks = xs_nblk(len);

    if ( c->priv && c->use[XS_POOL_EVENTS] >= XS_QUOTA_EVENTS )
    {
        xs_limit(s, c->domid, "watch event: quota of %u pending watch events reached",
                 XS_QUOTA_EVENTS);
        return false;
    }
    if ( xs_share_check(s, c, c, XS_POOL_EVENTS, 1, "watch event") ||
         xs_share_check(s, c, c, XS_POOL_BLOCKS, blks, "watch event") )
        return false;
    if ( !s->free_event || s->nr_free_blocks < blks )
        return false;
    return !xs_memory_check(s, c, c, 1, blks, "watch event");
}

/* Queues "path\0token\0" for c. Events that cannot be queued are dropped, as
 * xenstored drops them over quota: the request that caused them succeeded. */
static void queue_event(struct xs_store *s, struct xs_conn *c, const char *path, uint32_t plen,
                        uint32_t token, uint32_t tlen)
{
    uint32_t len = plen + 1 + tlen + 1, e;
    struct xs_event *ev;

    if ( len > XENSTORE_PAYLOAD_MAX )
        return;
    memmove(s->evbuf, path, plen);
    s->evbuf[plen] = 0;
    chain_read(s, token, 0, s->evbuf + plen + 1, tlen);
    s->evbuf[len - 1] = 0;
    /* An identical event still pending says it all (special ones excepted);
     * checked first, so that no limit is reported for it. */
    if ( path[0] != '@' && event_dup(s, c, s->evbuf, len) )
        return;
    if ( !event_room(s, c, len) )
        return;
    e = s->free_event;
    ev = &s->event[e - 1];
    s->free_event = ev->next;
    ev->next = 0;
    ev->len = len;
    ev->msg = chain_new(s, s->evbuf, len);
    if ( c->ev_tail )
        s->event[c->ev_tail - 1].next = e;
    else
        c->ev_head = e;
    c->ev_tail = e;
    xs_use(s, c, XS_POOL_EVENTS, 1);
    xs_use(s, c, XS_POOL_BLOCKS, xs_nblk(len));
}

static void event_free(struct xs_store *s, struct xs_conn *c, uint32_t e)
{
    struct xs_event *ev = &s->event[e - 1];

    xs_use(s, c, XS_POOL_EVENTS, -1);
    xs_use(s, c, XS_POOL_BLOCKS, -(int64_t)xs_nblk(ev->len));
    chain_free(s, ev->msg);
    ev->msg = 0;
    ev->len = 0;
    ev->next = s->free_event;
    s->free_event = e;
}

static void events_drop(struct xs_store *s, struct xs_conn *c)
{
    while ( c->ev_head )
    {
        uint32_t e = c->ev_head;

        c->ev_head = s->event[e - 1].next;
        event_free(s, c, e);
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

    if ( old && (perm_for(c, old, nold) & XS_PERM_READ) )
        return true;
    if ( perms && (perm_for(c, perms, nperms) & XS_PERM_READ) )
        return true;
    if ( !perms )
    {
        i = lookup(s, 0, name, len);
        if ( i && (perm_node(c, &s->node[i - 1]) & XS_PERM_READ) )
            return true;
    }
    pp = parent_of(name, len, &plen);
    i = lookup(s, 0, pp, plen);
    return i && (perm_node(c, &s->node[i - 1]) & XS_PERM_READ);
}

/* Fires every watch at or above name (exact: on name only). name must not be
 * s->evbuf. */
static void fire_now(struct xs_store *s, const char *name, uint32_t len, bool exact,
                     const struct xs_perm *perms, unsigned int nperms,
                     const struct xs_perm *old, unsigned int nold)
{
    unsigned int i;

    for ( i = 0; i < s->watch_hi; i++ )
    {
        struct xs_watch *w = &s->watch[i];
        struct xs_conn *c;
        bool hit;

        if ( !w->used )
            continue;
        if ( w->path_len > len || !chain_eq_at(s, w->path, 0, name, w->path_len) )
            continue;
        hit = exact ? w->path_len == len : is_child(name, len, name, w->path_len);
        if ( !hit )
            continue;
        c = conn_find(s, w->dom);
        if ( !c || !watch_permitted(s, c, name, len, perms, nperms, old, nold) )
            continue;
        queue_event(s, c, name + w->prefix_len, len - w->prefix_len, w->token, w->token_len);
    }
}

/* In a transaction, watches fire at commit. */
static void fire(struct xs_req *r, const char *name, uint32_t len, bool exact, uint32_t node,
                 const struct xs_perm *old, unsigned int nold)
{
    struct xs_store *s = r->s;
    struct xs_node *n = &s->node[node - 1];

    if ( r->tx )
    {
        uint32_t t = lookup(s, r->tx, name, len);
        struct xs_node *tn = &s->node[t - 1];

        if ( !(tn->flags & XS_NF_FIRE) )
            tn->flags |= XS_NF_FIRE | (exact ? XS_NF_FIRE_EXACT : 0);
        else if ( !exact )
            tn->flags &= ~XS_NF_FIRE_EXACT;
        return;
    }
    fire_now(s, name, len, exact, n->perms, n->nperms, old, nold);
}

static void fire_special(struct xs_store *s, const char *name)
{
    uint32_t len = (uint32_t)strlen(name), i = lookup(s, 0, name, len);

    if ( i )
        fire_now(s, name, len, true, s->node[i - 1].perms, s->node[i - 1].nperms, NULL, 0);
}

static void watch_free(struct xs_store *s, struct xs_watch *w)
{
    struct xs_conn *c = conn_find(s, w->dom);

    if ( c )
    {
        xs_use(s, c, XS_POOL_WATCHES, -1);
        xs_use(s, c, XS_POOL_BLOCKS, -(int64_t)(xs_nblk(w->path_len) + xs_nblk(w->token_len)));
    }
    chain_free(s, w->path);
    chain_free(s, w->token);
    memset(w, 0, sizeof(*w));
    while ( s->watch_hi && !s->watch[s->watch_hi - 1].used )
        s->watch_hi--;
}

static void watches_drop(struct xs_store *s, domid_t dom)
{
    unsigned int i;

    for ( i = 0; i < s->watch_hi; i++ )
        if ( s->watch[i].used && s->watch[i].dom == dom )
            watch_free(s, &s->watch[i]);
}

/* --- Transactions --------------------------------------------------------------- */
static void tx_destroy(struct xs_store *s, uint32_t slot)
{
    struct xs_tx *t = &s->tx[slot - 1];
    struct xs_conn *c = conn_find(s, t->dom);
    uint32_t i;

    for ( i = 1; i <= s->node_hi; i++ )
        if ( (s->node[i - 1].flags & XS_NF_USED) && s->node[i - 1].tx == slot )
            node_destroy(s, i, NULL);
    if ( c )
        xs_use(s, c, XS_POOL_TX, -1);
    memset(t, 0, sizeof(*t));
}

static void transactions_drop(struct xs_store *s, domid_t dom)
{
    uint32_t i;

    for ( i = 1; i <= XS_TX_MAX; i++ )
        if ( s->tx[i - 1].used && s->tx[i - 1].dom == dom )
            tx_destroy(s, i);
}

/* Any node the transaction looked at changed in the tree since? */
static bool tx_conflicts(struct xs_store *s, uint32_t slot)
{
    uint32_t i;

    for ( i = 1; i <= s->node_hi; i++ )
    {
        struct xs_node *n = &s->node[i - 1];
        uint32_t tree;

        if ( !(n->flags & XS_NF_USED) || n->tx != slot )
            continue;
        chain_read(s, n->name, 0, s->path2, n->name_len);
        tree = lookup(s, 0, s->path2, n->name_len);
        if ( (tree ? s->node[tree - 1].generation : NO_GEN) != n->generation )
            return true;
    }
    return false;
}

/* Adds blks blocks (either sign) to domid's entry of d. */
static void tally(struct xs_store *s, int32_t *d, domid_t domid, int32_t blks)
{
    struct xs_conn *c = conn_find(s, domid);

    if ( c )
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
static int tx_commit_fits(struct xs_store *s, uint32_t slot, domid_t req)
{
    int32_t d[XS_CONNS_MAX];
    uint32_t i, k;

    memset(d, 0, sizeof(d));
    for ( i = 1; i <= s->node_hi; i++ )
    {
        const struct xs_node *n = &s->node[i - 1], *tn;
        uint32_t tree;

        if ( !(n->flags & XS_NF_USED) || n->tx != slot )
            continue;
        /* Everything the transaction holds leaves its domain. */
        tally(s, d, n->charged, -(int32_t)xs_node_blocks(n));
        if ( !(n->flags & XS_NF_DIRTY) )
            continue;
        chain_read(s, n->name, 0, s->path2, n->name_len);
        tree = lookup(s, 0, s->path2, n->name_len);
        tn = tree ? &s->node[tree - 1] : NULL;
        if ( tn )
            tally(s, d, tn->charged, -(int32_t)xs_node_blocks(tn));
        if ( n->flags & XS_NF_GONE )
            continue;
        /* The tree's record keeps its name and takes the copy's contents. */
        tally(s, d, node_owner(n),
              (int32_t)(xs_nblk(n->name_len) + xs_nblk(n->data_len) + xs_nblk(n->child_len)));
    }
    /* Only the shares: the unprivileged domains together hold no more after
     * the commit than before, so the reserve is not at stake. */
    for ( k = 0; k < XS_CONNS_MAX; k++ )
    {
        const struct xs_conn *c = &s->conn[k];

        if ( !c->used || c->priv )
            continue;
        if ( d[k] > 0 && (int64_t)c->use[XS_POOL_BLOCKS] + d[k] > XS_SHARE_BLOCKS )
        {
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
static void tx_commit(struct xs_store *s, uint32_t slot)
{
    uint32_t i;

    for ( i = 1; i <= s->node_hi; i++ )
    {
        struct xs_node *n = &s->node[i - 1], *tn;
        uint32_t tree, len = n->name_len, tmp;
        struct xs_conn *c;

        if ( !(n->flags & XS_NF_USED) || n->tx != slot || !(n->flags & XS_NF_DIRTY) )
            continue;
        chain_read(s, n->name, 0, s->path2, len);
        tree = lookup(s, 0, s->path2, len);
        if ( tree && (c = conn_get(s, node_owner(&s->node[tree - 1]))) )
            c->nodes--;
        if ( n->flags & XS_NF_GONE )
        {
            if ( tree )
                node_destroy(s, tree, s->path2);
            continue;               /* the record stays to fire its watches */
        }
        if ( (c = conn_get(s, node_owner(n))) )
            c->nodes++;
        if ( !tree )
        {
            /* The copy becomes the tree's node. */
            hash_remove(s, i, s->path2, len);
            n->tx = 0;
            hash_insert(s, i, s->path2, len);
            n->flags = XS_NF_USED | (n->flags & (XS_NF_FIRE | XS_NF_FIRE_EXACT));
            n->seq = ++s->seq;
            n->generation = ++s->generation;
            recharge(s, i, node_owner(n));
            continue;
        }
        /* Swap contents: the tree's old value leaves with the copy. */
        tn = &s->node[tree - 1];
        charge(s, tn, -1);
        charge(s, n, -1);
        tmp = tn->data, tn->data = n->data, n->data = tmp;
        tmp = tn->data_len, tn->data_len = n->data_len, n->data_len = tmp;
        tmp = tn->children, tn->children = n->children, n->children = tmp;
        tmp = tn->child_len, tn->child_len = n->child_len, n->child_len = tmp;
        tn->nperms = n->nperms;
        memcpy(tn->perms, n->perms, sizeof(tn->perms));
        tn->charged = node_owner(tn);
        charge(s, tn, 1);
        charge(s, n, 1);
        tn->generation = ++s->generation;
        tn->flags |= n->flags & (XS_NF_FIRE | XS_NF_FIRE_EXACT);
        n->flags &= ~(XS_NF_FIRE | XS_NF_FIRE_EXACT);
    }
    /* Now the tree is final: fire, and clear the marks. */
    for ( i = 1; i <= s->node_hi; i++ )
    {
        struct xs_node *n = &s->node[i - 1];

        if ( !(n->flags & XS_NF_FIRE) || (n->tx && n->tx != slot) )
            continue;
        chain_read(s, n->name, 0, s->path2, n->name_len);
        fire_now(s, s->path2, n->name_len, n->flags & XS_NF_FIRE_EXACT, n->perms, n->nperms,
                 NULL, 0);
        n->flags &= ~(XS_NF_FIRE | XS_NF_FIRE_EXACT);
    }
}

/* --- Request helpers ---------------------------------------------------------------- */
struct xs_msg {
    const char *p;
    uint32_t    len;
};

/* xenstored's get_strings(): the NUL-terminated strings at the start of the
 * payload (bytes after the last NUL are not counted). */
static unsigned int get_strings(const struct xs_msg *m, const char **vec, unsigned int num)
{
    uint32_t off = 0;
    unsigned int n = 0;

    while ( off < m->len )
    {
        const char *nul = memchr(m->p + off, 0, m->len - off);

        if ( !nul )
            break;
        if ( n < num )
            vec[n] = m->p + off;
        n++;
        off = (uint32_t)(nul - m->p) + 1;
    }
    return n;
}

/* Exactly one string, ending at the payload's end. */
static const char *onearg(const struct xs_msg *m)
{
    if ( !m->len || memchr(m->p, 0, m->len) != m->p + m->len - 1 )
        return NULL;
    return m->p;
}

static unsigned int count_nuls(const struct xs_msg *m)
{
    unsigned int n = 0;
    uint32_t i;

    for ( i = 0; i < m->len; i++ )
        n += !m->p[i];
    return n;
}

/* C's atoi() (wrapping instead of overflowing), which xenstored uses on ids. */
static int xs_atoi(const char *p)
{
    unsigned int v = 0;
    bool neg = false;

    while ( *p == ' ' || (*p >= '\t' && *p <= '\r') )
        p++;
    if ( *p == '+' || *p == '-' )
        neg = *p++ == '-';
    while ( *p >= '0' && *p <= '9' )
        v = v * 10 + (unsigned int)(*p++ - '0');
    return (int)(neg ? 0u - v : v);
}

/* strtol(p, &end, 0) for a permission's domain id: all of p must be used. */
static bool parse_id(const char *p, uint32_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;

    if ( !*p )
        return false;
    if ( p[0] == '0' && (p[1] == 'x' || p[1] == 'X') )
        base = 16, p += 2;
    else if ( p[0] == '0' )
        base = 8;
    if ( !*p )
        return false;
    for ( ; *p; p++ )
    {
        unsigned int d;

        if ( *p >= '0' && *p <= '9' )
            d = (unsigned int)(*p - '0');
        else if ( base == 16 && *p >= 'a' && *p <= 'f' )
            d = (unsigned int)(*p - 'a' + 10);
        else if ( base == 16 && *p >= 'A' && *p <= 'F' )
            d = (unsigned int)(*p - 'A' + 10);
        else
            return false;
        if ( d >= base )
            return false;
        v = v * base + d;
        if ( v > UINT32_MAX )
            v = UINT32_MAX;
    }
    *out = (uint32_t)v;
    return true;
}

/* The reply under construction. */
struct xs_out {
    struct xsd_sockmsg *hdr;
    char               *body;
};

static int reply(struct xs_out *o, const void *data, uint32_t len)
{
    if ( len > XENSTORE_PAYLOAD_MAX )
        return XEN_E2BIG;
    memmove(o->body, data, len);
    o->hdr->len = len;
    return 0;
}

static int ack(struct xs_out *o)
{
    return reply(o, "OK", 3);
}

/*
 * xenstored's get_node(): the node at path (in s->path after canon) if the
 * requester has perm on it. Otherwise EACCES or ENOENT, where a domain that
 * may not see the nearest existing ancestor learns only EACCES.
 */
static int get_node(struct xs_req *r, const char *arg, bool special, uint8_t perm,
                    uint32_t *plen, uint32_t *out)
{
    struct xs_store *s = r->s;
    const char *pp = s->path;
    uint32_t len, i = 0;
    int err;

    *out = 0;
    err = canon(r, arg, special, plen, NULL);
    if ( err )
        return err;
    err = view_get(r, s->path, *plen, &i);
    if ( err )
        return err;
    if ( i && (perm_node(r->c, &s->node[i - 1]) & perm) == perm )
    {
        *out = i;
        return 0;
    }
    err = i ? XEN_EACCES : XEN_ENOENT;
    /* Ask the parents. */
    len = *plen;
    do
    {
        int e;

        pp = parent_of(pp, len, &len);
        e = view_get(r, pp, len, &i);
        if ( e )
            return e;
    } while ( !i && !(len == 1 && pp[0] == '/') );
    if ( !i || !(perm_node(r->c, &s->node[i - 1]) & perm) )
        return XEN_EACCES;
    return err;
}

static uint32_t node_size(uint32_t nperms, uint32_t data_len, uint32_t child_len)
{
    return NODE_HDR_SIZE + PERM_SIZE * nperms + data_len + child_len;
}

/*
 * xenstored's create_node(): creates path (s->path[0..len)) and any missing
 * parents, which inherit the nearest existing ancestor's ACL (an unprivileged
 * creator becomes their owner), and stores data in the last one.
 */
static int create_node(struct xs_req *r, uint32_t len, const char *data, uint32_t dlen)
{
    struct xs_store *s = r->s;
    const char *p = s->path, *pp = p;
    struct xs_perm perms[XS_NODE_PERMS_MAX];
    uint32_t alen = len, anc = 0, k = 0, blks = 0, anc_blks, recs, first, i, off, nperms;
    domid_t owner, anc_owner;
    struct xs_node *a;
    int err;

    /* The nearest existing ancestor, and what the new levels need. */
    do
    {
        pp = parent_of(pp, alen, &alen);
        err = view_get(r, pp, alen, &anc);
        if ( err )
            return err;
        k++;
    } while ( !anc );
    a = &s->node[anc - 1];
    nperms = a->nperms;
    memcpy(perms, a->perms, sizeof(perms));
    if ( !r->c->priv )
        perms[0].id = r->c->domid;

    first = alen == 1 ? 1 : alen + 1;           /* start of the first new name */
    if ( !r->c->priv )
    {
        int32_t delta = r->tx ? req_tx(r)->node_delta : 0;

        if ( (int64_t)r->c->nodes + delta + k > XS_QUOTA_NODES )
        {
            xs_limit(s, r->c->domid, "request: quota of %u nodes reached", XS_QUOTA_NODES);
            return XEN_ENOSPC;
        }
        uint32_t grown = a->child_len + (uint32_t)strcspn(p + first, "/") + 1;

        if ( node_size(a->nperms, a->data_len, grown) > XS_QUOTA_NODE_SIZE ||
             node_size(nperms, dlen, 0) > XS_QUOTA_NODE_SIZE )
            return XEN_ENOSPC;
    }
    /* Resources, counted generously: names, the data, the ancestor's list. */
    for ( off = first; off <= len; off++ )
        if ( off == len || p[off] == '/' )
            blks += xs_nblk(off);
    for ( off = first; off < len; off++ )
        if ( p[off] == '/' )
            blks += xs_nblk(len - off);            /* an intermediate's child list */
    blks += xs_nblk(dlen);
    anc_blks = xs_nblk((uint32_t)strcspn(p + first, "/") + 1) + 1 + shadow_blocks(r, pp, alen);
    recs = r->tx ? 0 : k;
    /* The new nodes count for their owner (the creator, unless privileged),
     * the ancestor's longer list for the ancestor's: in a transaction both
     * are the transaction's until it commits. */
    owner = r->tx ? r->c->domid : (domid_t)perms[0].id;
    anc_owner = r->tx ? r->c->domid : a->charged;
    err = need_grow(r, owner, recs, blks + anc_blks, owner == anc_owner ? blks + anc_blks : blks);
    if ( !err && owner != anc_owner )
        err = need_grow(r, anc_owner, 0, 0, anc_blks);
    if ( err )
        return err;
    if ( r->tx && !r->c->priv && req_tx(r)->accessed + 1 > XS_QUOTA_TX_NODES )
        return XEN_ENOSPC;

    /* Link the first new name into the ancestor. */
    i = view_modify(r, pp, alen);
    a = &s->node[i - 1];
    off = (uint32_t)strcspn(p + first, "/");
    charge(s, a, -1);
    chain_append(s, &a->children, a->child_len, p + first, off);
    chain_append(s, &a->children, a->child_len + off, "", 1);
    a->child_len += off + 1;
    charge(s, a, 1);
    node_changed(r, i);

    /* Each new level, top down. */
    for ( off = first; ; off++ )
    {
        struct xs_node *n;
        uint32_t next;

        if ( off < len && p[off] != '/' )
            continue;
        i = view_create(r, p, off, perms, nperms);
        n = &s->node[i - 1];
        charge(s, n, -1);
        if ( off == len )
        {
            n->data = chain_new(s, data, dlen);
            n->data_len = dlen;
        }
        else
        {
            next = (uint32_t)strcspn(p + off + 1, "/");
            n->children = chain_new(s, p + off + 1, next);
            chain_append(s, &n->children, next, "", 1);
            n->child_len = next + 1;
        }
        charge(s, n, 1);
        if ( off == len )
            break;
    }
    return 0;
}

/*
 * The depth-first walks below (rm_subtree, first_owned) hold the current
 * path in p[0..*len) and, per depth, the offset in the node's child list of
 * the next child to visit (s->rm_off). walk_down enters n's next child;
 * walk_up returns to the parent. The root "/" takes no extra separator.
 */
static void walk_down(struct xs_store *s, const struct xs_node *n, char *p, uint32_t *len,
                      uint32_t *depth)
{
    uint32_t off = s->rm_off[*depth], clen = 0, base = *len == 1 ? 0 : *len;
    struct cursor c;

    cur_init(&c, s, n->children, off);
    while ( *cur_ptr(&c) )
        clen++, cur_next(&c);
    s->rm_off[*depth] = off + clen + 1;
    p[base] = '/';
    chain_read(s, n->children, off, p + base + 1, clen);
    *len = base + 1 + clen;
    p[*len] = 0;
    s->rm_off[++*depth] = 0;
}

static void walk_up(char *p, uint32_t *len, uint32_t *depth)
{
    uint32_t l = *len;

    (*depth)--;
    while ( l > 1 && p[l - 1] != '/' )
        l--;
    l = l > 1 ? l - 1 : 1;
    p[l] = 0;
    *len = l;
}

/* Removes path (s->path2[0..len)) and everything below it, firing watches
 * as xenstored does: the top one for watches at or above it, the others for
 * watches on exactly them. */
static int rm_subtree(struct xs_req *r, uint32_t len)
{
    struct xs_store *s = r->s;
    char *p = s->path2;
    uint32_t root_len = len, depth = 0, i, pl;
    const char *pp;
    int err;

    s->rm_off[0] = 0;
    for ( ;; )
    {
        struct xs_node *n;

        err = view_get(r, p, len, &i);
        if ( err )
            goto fail;
        n = &s->node[i - 1];
        if ( s->rm_off[depth] < n->child_len )
        {
            walk_down(s, n, p, &len, &depth);
            continue;
        }
        fire(r, p, len, depth != 0, i, NULL, 0);
        view_delete(r, p, len, i);
        if ( !depth )
            break;
        walk_up(p, &len, &depth);
    }
    /* Unlink the top from its parent. */
    pp = parent_of(p, root_len, &pl);
    err = view_get(r, pp, pl, &i);
    if ( err || !i )
        goto fail;
    err = need(r, r->c->domid, 0, shadow_blocks(r, pp, pl));
    if ( err )
        goto fail;
    i = view_modify(r, pp, pl);
    child_remove(r, i, p + (pl == 1 ? 1 : pl + 1), root_len - (pl == 1 ? 1 : pl + 1));
    return 0;

 fail:
    /* Only a transaction can run out of room midway; it can no longer commit. */
    if ( r->tx )
        req_tx(r)->fail = true;
    return err ? err : XEN_EIO;
}

/* --- Operations ---------------------------------------------------------------------- */
typedef int (*xs_op_fn)(struct xs_req *r, const struct xs_msg *m, struct xs_out *o);

static int do_read(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = get_node(r, onearg(m), false, XS_PERM_READ, &len, &i);

    if ( err )
        return err;
    chain_read(s, s->node[i - 1].data, 0, s->buf, s->node[i - 1].data_len);
    return reply(o, s->buf, s->node[i - 1].data_len);
}

static int do_directory(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = get_node(r, onearg(m), false, XS_PERM_READ, &len, &i);

    if ( err )
        return err;
    if ( s->node[i - 1].child_len > XENSTORE_PAYLOAD_MAX )
        return XEN_E2BIG;
    chain_read(s, s->node[i - 1].children, 0, s->buf, s->node[i - 1].child_len);
    return reply(o, s->buf, s->node[i - 1].child_len);
}

/* <path>|<offset>|: "<generation>\0" then the children from offset that fit,
 * with a final empty name once the list is complete. */
static int do_directory_part(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i, off, genlen, clen, take = 0;
    struct xs_node *n;
    int err;

    if ( count_nuls(m) != 2 )
        return XEN_EINVAL;
    err = get_node(r, m->p, false, XS_PERM_READ, &len, &i);
    if ( err )
        return err;
    n = &s->node[i - 1];
    off = (uint32_t)xs_atoi(m->p + strlen(m->p) + 1);
    genlen = (uint32_t)snprintf(s->buf, 24, "%llu", (unsigned long long)n->generation) + 1;
    if ( off >= n->child_len )
    {
        s->buf[genlen] = 0;
        return reply(o, s->buf, genlen + 1);
    }
    /* Whole names only, leaving room for the terminating empty one. */
    while ( off + take < n->child_len )
    {
        struct cursor c;

        clen = 0;
        cur_init(&c, s, n->children, off + take);
        while ( *cur_ptr(&c) )
            clen++, cur_next(&c);
        if ( take + clen >= XENSTORE_PAYLOAD_MAX - genlen - 1 )
            break;
        take += clen + 1;
    }
    chain_read(s, n->children, off, s->buf + genlen, take);
    if ( off + take == n->child_len )
        s->buf[genlen + take++] = 0;
    return reply(o, s->buf, genlen + take);
}

static int write_value(struct xs_req *r, uint32_t len, uint32_t i, const char *data,
                       uint32_t dlen)
{
    struct xs_store *s = r->s;
    struct xs_node *n = &s->node[i - 1];
    uint32_t blks, freed;
    int err;

    if ( !r->c->priv && node_size(n->nperms, dlen, n->child_len) > XS_QUOTA_NODE_SIZE )
        return XEN_ENOSPC;
    /* The old value's blocks go before the new one's are taken, so a domain
     * at its share may still rewrite a value of the same size. */
    blks = xs_nblk(dlen) + shadow_blocks(r, s->path, len);
    freed = xs_nblk(n->data_len);
    err = need_grow(r, r->tx ? r->c->domid : n->charged, 0, blks, blks > freed ? blks - freed : 0);
    if ( err )
        return err;
    i = view_modify(r, s->path, len);
    n = &s->node[i - 1];
    charge(s, n, -1);
    chain_free(s, n->data);
    n->data = chain_new(s, data, dlen);
    n->data_len = dlen;
    charge(s, n, 1);
    node_changed(r, i);
    return 0;
}

/* <path>|<value> (the value is not NUL-terminated) */
static int do_write(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *vec[1];
    uint32_t len, i, off, dlen;
    int err;

    if ( get_strings(m, vec, 1) < 1 )
        return XEN_EINVAL;
    off = (uint32_t)strlen(vec[0]) + 1;
    dlen = m->len - off;
    err = get_node(r, vec[0], false, XS_PERM_WRITE, &len, &i);
    if ( err == XEN_ENOENT )
        err = create_node(r, len, m->p + off, dlen);
    else if ( !err )
        err = write_value(r, len, i, m->p + off, dlen);
    if ( err )
        return err;
    err = view_get(r, s->path, len, &i);
    if ( err )
        return err;
    fire(r, s->path, len, false, i, NULL, 0);
    return ack(o);
}

static int do_mkdir(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = get_node(r, onearg(m), false, XS_PERM_WRITE, &len, &i);

    if ( err == XEN_ENOENT )
    {
        err = create_node(r, len, NULL, 0);
        if ( err )
            return err;
        err = view_get(r, s->path, len, &i);
        if ( err )
            return err;
        fire(r, s->path, len, false, i, NULL, 0);
    }
    return err ? err : ack(o);
}

static int do_rm(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i, pl;
    const char *pp;
    int err = get_node(r, onearg(m), false, XS_PERM_WRITE, &len, &i);

    if ( err == XEN_ENOENT )
    {
        /* Already gone: fine, if the parent exists. */
        pp = parent_of(s->path, len, &pl);
        err = view_get(r, pp, pl, &i);
        if ( err )
            return err;
        return i ? ack(o) : XEN_ENOENT;
    }
    if ( err )
        return err;
    if ( len == 1 )
        return XEN_EINVAL;
    pp = parent_of(s->path, len, &pl);
    err = view_get(r, pp, pl, &i);
    if ( err )
        return err;
    if ( !i )
        return XEN_EINVAL;
    memcpy(s->path2, s->path, len + 1);
    err = rm_subtree(r, len);
    return err ? err : ack(o);
}

static uint32_t perms_to_string(const struct xs_perm *p, unsigned int n, char *out)
{
    static const char letter[4] = { 'n', 'r', 'w', 'b' };
    uint32_t len = 0;
    unsigned int i;

    for ( i = 0; i < n; i++ )
        len += (uint32_t)snprintf(out + len, 16, "%c%u", letter[p[i].perms & 3], p[i].id) + 1;
    return len;
}

static int do_get_perms(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = get_node(r, onearg(m), true, XS_PERM_READ, &len, &i);

    if ( err )
        return err;
    len = perms_to_string(s->node[i - 1].perms, s->node[i - 1].nperms, s->buf);
    return reply(o, s->buf, len);
}

/* <path>|<perm>|<perm>|... */
static int do_set_perms(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    struct xs_perm perms[XS_NODE_PERMS_MAX], old[XS_NODE_PERMS_MAX];
    unsigned int num = count_nuls(m), nold, j;
    const char *p;
    uint32_t len, i;
    struct xs_node *n;
    domid_t old_owner;
    int err;

    if ( num < 2 )
        return XEN_EINVAL;
    num--;
    if ( (!r->c->priv && num > XS_QUOTA_PERMS) || num > XS_NODE_PERMS_MAX )
        return XEN_ENOSPC;
    p = m->p + strlen(m->p) + 1;
    memset(perms, 0, sizeof(perms));
    for ( j = 0; j < num; j++ )
    {
        switch ( *p )
        {
        case 'n': perms[j].perms = XS_PERM_NONE; break;
        case 'r': perms[j].perms = XS_PERM_READ; break;
        case 'w': perms[j].perms = XS_PERM_WRITE; break;
        case 'b': perms[j].perms = XS_PERM_READ | XS_PERM_WRITE; break;
        default: return XEN_EINVAL;
        }
        if ( !parse_id(p + 1, &perms[j].id) )
            return XEN_EINVAL;
        if ( !domain_exists(s, perms[j].id) )
            perms[j].perms |= XS_PERM_IGNORE;
        p += strlen(p) + 1;
    }
    if ( perms[0].perms & XS_PERM_IGNORE )
        return XEN_ENOENT;
    err = get_node(r, m->p, true, XS_PERM_WRITE | XS_PERM_OWNER, &len, &i);
    if ( err )
        return err;
    n = &s->node[i - 1];
    if ( !r->c->priv && perms[0].id != node_owner(n) )
        return XEN_EPERM;
    if ( !r->c->priv && node_size(num, n->data_len, n->child_len) > XS_QUOTA_NODE_SIZE )
        return XEN_ENOSPC;
    err = need(r, r->tx ? r->c->domid : (domid_t)perms[0].id, 0, shadow_blocks(r, s->path, len));
    if ( err )
        return err;
    nold = n->nperms;
    memcpy(old, n->perms, sizeof(old));
    old_owner = node_owner(n);
    i = view_modify(r, s->path, len);
    n = &s->node[i - 1];
    memset(n->perms, 0, sizeof(n->perms));
    memcpy(n->perms, perms, num * sizeof(perms[0]));
    n->nperms = (uint8_t)num;
    if ( old_owner != node_owner(n) )
    {
        count_owner(r, old_owner, -1);
        count_owner(r, node_owner(n), 1);
        if ( !n->tx )
            recharge(s, i, node_owner(n));
    }
    node_changed(r, i);
    fire(r, s->path, len, false, i, old, nold);
    return ack(o);
}

/* <path>|<token>| */
static int do_watch(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *vec[2];
    struct xs_watch *w = NULL;
    uint32_t len, tlen, blks;
    unsigned int i;
    bool relative;
    int err;

    if ( get_strings(m, vec, 2) != 2 )
        return XEN_EINVAL;
    err = canon(r, vec[0], true, &len, &relative);
    if ( err )
        return err;
    tlen = (uint32_t)strlen(vec[1]);
    for ( i = 0; i < s->watch_hi; i++ )
    {
        struct xs_watch *x = &s->watch[i];

        if ( !x->used )
        {
            w = w ? w : x;
            continue;
        }
        if ( x->dom == r->c->domid && x->path_len == len && x->token_len == tlen &&
             chain_eq_at(s, x->path, 0, s->path, len) && chain_eq_at(s, x->token, 0, vec[1], tlen) )
            return XEN_EEXIST;
    }
    if ( !w && s->watch_hi < XS_WATCHES_MAX )
        w = &s->watch[s->watch_hi];
    /* The share of watches is xenstored's quota: E2BIG once more than
     * XS_QUOTA_WATCHES exist. */
    blks = xs_nblk(len) + xs_nblk(tlen);
    err = xs_share_check(s, r->c, r->c, XS_POOL_WATCHES, 1, "request");
    if ( !err )
        err = xs_share_check(s, r->c, r->c, XS_POOL_BLOCKS, blks, "request");
    if ( !err && (!w || s->nr_free_blocks < blks) )
        err = XEN_ENOMEM;
    if ( !err )
        err = xs_memory_check(s, r->c, r->c, 1, blks, "request");
    if ( err )
        return err;
    w->used = true;
    if ( w - s->watch >= s->watch_hi )
        s->watch_hi = (uint32_t)(w - s->watch) + 1;
    w->dom = r->c->domid;
    w->prefix_len = relative ? (uint16_t)local_prefix(s->path, len) : 0;
    w->path = chain_new(s, s->path, len);
    w->path_len = len;
    w->token = chain_new(s, vec[1], tlen);
    w->token_len = tlen;
    xs_use(s, r->c, XS_POOL_WATCHES, 1);
    xs_use(s, r->c, XS_POOL_BLOCKS, blks);
    err = ack(o);
    /* The first event comes at once: it simplifies clients and restarts. */
    queue_event(s, r->c, s->path + w->prefix_len, len - w->prefix_len, w->token, tlen);
    return err;
}

static int do_unwatch(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *vec[2];
    uint32_t len, tlen;
    unsigned int i;
    int err;

    if ( get_strings(m, vec, 2) != 2 )
        return XEN_EINVAL;
    err = canon(r, vec[0], true, &len, NULL);
    if ( err )
        return err;
    tlen = (uint32_t)strlen(vec[1]);
    for ( i = 0; i < s->watch_hi; i++ )
    {
        struct xs_watch *x = &s->watch[i];

        if ( x->used && x->dom == r->c->domid && x->path_len == len && x->token_len == tlen &&
             chain_eq_at(s, x->path, 0, s->path, len) && chain_eq_at(s, x->token, 0, vec[1], tlen) )
        {
            watch_free(s, x);
            return ack(o);
        }
    }
    return XEN_ENOENT;
}

static int do_transaction_start(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    struct xs_tx *t = NULL;
    uint32_t slot, id;
    bool taken;
    char str[16];
    int err;

    if ( r->tx )
        return XEN_EBUSY;           /* no nested transactions */
    /* The share of transactions is xenstored's quota: ENOSPC once more
     * than XS_QUOTA_TRANSACTIONS are open. */
    err = xs_share_check(s, r->c, r->c, XS_POOL_TX, 1, "request");
    if ( err )
        return err;
    for ( slot = 1; slot <= XS_TX_MAX && !t; slot++ )
        if ( !s->tx[slot - 1].used )
            t = &s->tx[slot - 1];
    if ( !t )
        return XEN_ENOMEM;
    do
    {
        id = r->c->next_tx_id++;
        taken = !id;
        for ( slot = 1; slot <= XS_TX_MAX && !taken; slot++ )
            taken = s->tx[slot - 1].used && s->tx[slot - 1].dom == r->c->domid &&
                    s->tx[slot - 1].id == id;
    } while ( taken );
    memset(t, 0, sizeof(*t));
    t->used = true;
    t->dom = r->c->domid;
    t->id = id;
    xs_use(s, r->c, XS_POOL_TX, 1);
    return reply(o, str, (uint32_t)snprintf(str, sizeof(str), "%u", id) + 1);
}

/* "T" commits, "F" aborts; the transaction ends either way. */
static int do_transaction_end(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *arg = onearg(m);
    uint32_t slot = r->tx;
    struct xs_tx *t;
    int err = 0;

    if ( !arg || (strcmp(arg, "T") && strcmp(arg, "F")) )
        return XEN_EINVAL;
    if ( !slot )
        return XEN_ENOENT;
    t = &s->tx[slot - 1];
    if ( arg[0] == 'T' )
    {
        if ( t->fail )
            err = XEN_ENOMEM;
        else if ( !r->c->priv && t->node_delta > 0 &&
                  (int64_t)r->c->nodes + t->node_delta > XS_QUOTA_NODES )
        {
            xs_limit(s, r->c->domid, "commit: quota of %u nodes reached", XS_QUOTA_NODES);
            err = XEN_ENOSPC;
        }
        else if ( tx_conflicts(s, slot) )
            err = XEN_EAGAIN;
        else if ( !r->c->priv )
            err = tx_commit_fits(s, slot, r->c->domid);
        if ( !err )
            tx_commit(s, slot);
    }
    tx_destroy(s, slot);
    return err ? err : ack(o);
}

static int do_get_domain_path(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    const char *arg = onearg(m);
    char path[32];

    if ( !arg )
        return XEN_EINVAL;
    return reply(o, path, (uint32_t)snprintf(path, sizeof(path), "/local/domain/%u",
                                             (unsigned int)xs_atoi(arg)) + 1);
}

static void introduce(struct xs_store *s, struct xs_conn *c);

/* <domid>|<mfn>|<evtchn>| */
static int do_introduce(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *vec[3];
    unsigned int domid;
    uint64_t mfn = 0;
    struct xs_conn *c;
    const char *q;
    int port, rc;

    if ( get_strings(m, vec, 3) < 3 )
        return XEN_EINVAL;
    domid = (unsigned int)xs_atoi(vec[0]);
    for ( q = vec[1]; *q >= '0' && *q <= '9'; q++ )
        mfn = mfn * 10 + (uint64_t)(*q - '0');
    port = xs_atoi(vec[2]);
    if ( port <= 0 || domid >= DOMID_FIRST_RESERVED )
        return XEN_EINVAL;
    if ( s->introduce_hook )
    {
        rc = s->introduce_hook(s->hook_arg, (domid_t)domid, mfn, (uint32_t)port);
        if ( rc )
            return rc < 0 ? -rc : XEN_EINVAL;
    }
    c = conn_get(s, (domid_t)domid);
    if ( !c )
        return XEN_ENOMEM;
    introduce(s, c);
    return ack(o);
}

/* xenstored's onearg_domain(): an introduced domain other than 0. */
static int arg_domain(struct xs_req *r, const struct xs_msg *m, struct xs_conn **out)
{
    const char *arg = onearg(m);
    unsigned int domid;

    if ( !arg )
        return XEN_EINVAL;
    domid = (unsigned int)xs_atoi(arg);
    if ( domid == 0 )
        return XEN_EINVAL;
    *out = domid < DOMID_FIRST_RESERVED ? conn_find(r->s, (domid_t)domid) : NULL;
    return *out && (*out)->introduced ? 0 : XEN_ENOENT;
}

static int do_release(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_conn *c;
    int err = arg_domain(r, m, &c);

    if ( err )
        return err;
    xs_release_domain(r->s, c->domid);
    return ack(o);
}

static int do_resume(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_conn *c;
    int err = arg_domain(r, m, &c);

    if ( err )
        return err;
    c->shutdown = false;
    return ack(o);
}

static int do_is_domain_introduced(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    const char *arg = onearg(m);
    unsigned int domid;

    if ( !arg )
        return XEN_EINVAL;
    domid = (unsigned int)xs_atoi(arg);
    return reply(o, domid == DOMID_SELF ||
                    (domid < DOMID_FIRST_RESERVED && xs_domain_introduced(r->s, (domid_t)domid))
                    ? "T" : "F", 2);
}

/* <domid>|<target>|: domid acts with target's rights (a device model). */
static int do_set_target(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    const char *vec[2];
    unsigned int d, t;
    struct xs_conn *dc, *tc;

    if ( get_strings(m, vec, 2) < 2 )
        return XEN_EINVAL;
    d = (unsigned int)xs_atoi(vec[0]);
    t = (unsigned int)xs_atoi(vec[1]);
    dc = d < DOMID_FIRST_RESERVED ? conn_find(r->s, (domid_t)d) : NULL;
    tc = t < DOMID_FIRST_RESERVED ? conn_find(r->s, (domid_t)t) : NULL;
    if ( !dc || !dc->introduced || !tc || !tc->introduced )
        return XEN_ENOENT;
    dc->has_target = true;
    dc->target = (domid_t)t;
    return ack(o);
}

static int do_reset_watches(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    watches_drop(r->s, r->c->domid);
    transactions_drop(r->s, r->c->domid);
    return ack(o);
}

/* No control commands are implemented. */
static int do_control(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    return XEN_EINVAL;
}

#define XS_OP_NOTID 0x1         /* ignores the transaction id */
#define XS_OP_PRIV  0x2         /* privileged domains only */

static const struct {
    xs_op_fn     fn;
    unsigned int flags;
} xs_ops[XS_TYPE_COUNT] = {
    [XS_CONTROL]              = { do_control, XS_OP_PRIV },
    [XS_DIRECTORY]            = { do_directory, 0 },
    [XS_READ]                 = { do_read, 0 },
    [XS_GET_PERMS]            = { do_get_perms, 0 },
    [XS_WATCH]                = { do_watch, XS_OP_NOTID },
    [XS_UNWATCH]              = { do_unwatch, XS_OP_NOTID },
    [XS_TRANSACTION_START]    = { do_transaction_start, 0 },
    [XS_TRANSACTION_END]      = { do_transaction_end, 0 },
    [XS_INTRODUCE]            = { do_introduce, XS_OP_PRIV },
    [XS_RELEASE]              = { do_release, XS_OP_PRIV },
    [XS_GET_DOMAIN_PATH]      = { do_get_domain_path, 0 },
    [XS_WRITE]                = { do_write, 0 },
    [XS_MKDIR]                = { do_mkdir, 0 },
    [XS_RM]                   = { do_rm, 0 },
    [XS_SET_PERMS]            = { do_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, XS_OP_PRIV },
    [XS_RESUME]               = { do_resume, XS_OP_PRIV },
    [XS_SET_TARGET]           = { do_set_target, XS_OP_PRIV },
    [XS_RESET_WATCHES]        = { do_reset_watches, 0 },
    [XS_DIRECTORY_PART]       = { do_directory_part, 0 },
};

/* --- Public interface ------------------------------------------------------------------ */
int xs_handle(struct xs_store *s, domid_t domid, bool is_priv,
              const struct xsd_sockmsg *hdr, const char *payload,
              char *reply_buf, size_t reply_max, size_t *reply_len)
{
    struct xsd_sockmsg *rh = (struct xsd_sockmsg *)reply_buf;
    struct xs_out o = { .hdr = rh, .body = reply_buf + sizeof(*rh) };
    struct xs_msg m = { .p = payload, .len = hdr->len };
    struct xs_req r = { .s = s };
    uint32_t type = hdr->type, slot;
    int err;

    *reply_len = 0;
    if ( reply_max < XS_MSG_MAX )
        return -XEN_EINVAL;
    r.c = conn_get(s, domid);
    if ( r.c )
        xs_set_priv(s, r.c, is_priv);
    if ( hdr->len > XENSTORE_PAYLOAD_MAX )
    {
        /* xenstored stops talking to such a domain: ignore_connection(). */
        if ( r.c )
        {
            watches_drop(s, domid);
            transactions_drop(s, domid);
            events_drop(s, r.c);
        }
        return -XEN_EBADMSG;
    }
    *rh = *hdr;                                 /* req_id and tx_id are echoed */
    rh->len = 0;
    if ( !r.c )
        err = XEN_ENOMEM;
    else if ( type >= XS_TYPE_COUNT || !xs_ops[type].fn )
        err = XEN_ENOSYS;
    else if ( (xs_ops[type].flags & XS_OP_PRIV) && !is_priv )
        err = XEN_EACCES;
    else
    {
        err = 0;
        if ( !(xs_ops[type].flags & XS_OP_NOTID) && hdr->tx_id )
        {
            err = XEN_ENOENT;
            for ( slot = 1; slot <= XS_TX_MAX; slot++ )
                if ( s->tx[slot - 1].used && s->tx[slot - 1].dom == domid &&
                     s->tx[slot - 1].id == hdr->tx_id )
                {
                    r.tx = slot;
                    err = 0;
                    break;
                }
        }
        if ( !err )
            err = xs_ops[type].fn(&r, &m, &o);
    }
    if ( err )
    {
        const char *e = error_string(err);

        rh->type = XS_ERROR;
        reply(&o, e, (uint32_t)strlen(e) + 1);
    }
    *reply_len = sizeof(*rh) + rh->len;
    return 0;
}

bool xs_next_watch_event(struct xs_store *s, domid_t domid, char *msg, size_t max, size_t *len)
{
    struct xs_conn *c = conn_find(s, domid);
    struct xsd_sockmsg h = { .type = XS_WATCH_EVENT };
    uint32_t e;

    if ( !c || !c->ev_head )
        return false;
    e = c->ev_head;
    h.len = s->event[e - 1].len;
    if ( max < sizeof(h) + h.len )
        return false;
    memcpy(msg, &h, sizeof(h));
    chain_read(s, s->event[e - 1].msg, 0, msg + sizeof(h), h.len);
    *len = sizeof(h) + h.len;
    c->ev_head = s->event[e - 1].next;
    if ( !c->ev_head )
        c->ev_tail = 0;
    event_free(s, c, e);
    return true;
}

/* A node made by the store itself, on its own authority, owned by `owner`. */
static void make_node(struct xs_store *s, const char *path, uint32_t owner)
{
    struct xs_req r = { .s = s, .c = &s->authority };
    uint32_t len = (uint32_t)strlen(path), i;
    struct xs_perm perm = { .id = owner, .perms = XS_PERM_NONE };

    if ( lookup(s, 0, path, len) )
        return;
    if ( path[0] == '@' || len == 1 )
    {
        if ( need(&r, (domid_t)owner, 1, xs_nblk(len)) )
            return;
        view_create(&r, path, len, &perm, 1);
        return;
    }
    memcpy(s->path, path, len + 1);
    if ( create_node(&r, len, NULL, 0) )
        return;
    i = lookup(s, 0, path, len);
    memcpy(s->node[i - 1].perms, &perm, sizeof(perm));
    s->node[i - 1].nperms = 1;
    if ( owner != 0 )
    {
        count_owner(&r, 0, -1);
        count_owner(&r, (domid_t)owner, 1);
        recharge(s, i, (domid_t)owner);
    }
    fire_now(s, path, len, false, &perm, 1, NULL, 0);
}

void xs_init(struct xs_store *s)
{
    uint32_t i;

    memset(s, 0, sizeof(*s));
    for ( i = XS_NODES_MAX; i; i-- )
    {
        s->node[i - 1].hnext = s->free_node;
        s->free_node = i;
    }
    for ( i = XS_BLOCKS_MAX; i; i-- )
    {
        s->block[i - 1].next = s->free_block;
        s->free_block = i;
    }
    for ( i = XS_EVENTS_MAX; i; i-- )
    {
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
    conn_get(s, 0)->priv = true;
    make_node(s, "/", 0);
    make_node(s, "/local", 0);
    make_node(s, "/local/domain", 0);
    make_node(s, "@introduceDomain", 0);
    make_node(s, "@releaseDomain", 0);
}

static void introduce(struct xs_store *s, struct xs_conn *c)
{
    char path[32];
    bool first = !c->introduced;

    /* xenstored's domain_conn_reset(). */
    watches_drop(s, c->domid);
    transactions_drop(s, c->domid);
    events_drop(s, c);
    c->introduced = true;
    c->shutdown = false;
    snprintf(path, sizeof(path), "/local/domain/%u", c->domid);
    make_node(s, path, c->domid);
    if ( first && c->domid != 0 )
        fire_special(s, "@introduceDomain");
}

int xs_introduce_domain(struct xs_store *s, domid_t domid)
{
    struct xs_conn *c = conn_get(s, domid);

    if ( !c )
        return -XEN_ENOMEM;
    introduce(s, c);
    return 0;
}

/* The first node in depth-first tree order owned by domid: into s->path2. */
static bool first_owned(struct xs_store *s, domid_t domid)
{
    char *p = s->path2;
    uint32_t len = 1, depth = 0, i;

    p[0] = '/';
    p[1] = 0;
    s->rm_off[0] = 0;
    for ( ;; )
    {
        struct xs_node *n;

        i = lookup(s, 0, p, len);
        n = &s->node[i - 1];
        if ( len > 1 && s->rm_off[depth] == 0 && node_owner(n) == domid )
            return true;
        if ( s->rm_off[depth] < n->child_len )
        {
            walk_down(s, n, p, &len, &depth);
            continue;
        }
        if ( !depth )
            return false;
        walk_up(p, &len, &depth);
    }
}

void xs_release_domain(struct xs_store *s, domid_t domid)
{
    struct xs_conn *c = conn_find(s, domid);
    struct xs_req r = { .s = s, .c = &s->authority };
    bool was = c && c->introduced;
    uint32_t i, j, p, left = 0;

    if ( !c )
        return;
    watches_drop(s, domid);
    transactions_drop(s, domid);
    events_drop(s, c);
    /* Its nodes go, in tree order, as xenstored's domain_tree_remove() walks. */
    while ( first_owned(s, domid) )
        rm_subtree(&r, (uint32_t)strlen(s->path2));
    /* A later domain with this id must not inherit its rights. */
    for ( i = 0; i < s->node_hi; i++ )
        for ( j = 1; j < s->node[i].nperms; j++ )
            if ( s->node[i].perms[j].id == domid )
                s->node[i].perms[j].perms |= XS_PERM_IGNORE;
    c->introduced = false;
    c->has_target = false;
    /* The record goes once nothing is charged to it any more (domain 0
     * keeps the layout). */
    for ( p = 0; p < XS_POOL_KINDS; p++ )
        left += c->use[p];
    if ( !c->nodes && !left && domid != 0 )
        memset(c, 0, sizeof(*c));
    if ( was )
        fire_special(s, "@releaseDomain");
}

bool xs_domain_introduced(const struct xs_store *s, domid_t domid)
{
    unsigned int i;

    for ( i = 0; i < XS_CONNS_MAX; i++ )
        if ( s->conn[i].used && s->conn[i].domid == domid )
            return s->conn[i].introduced;
    return false;
}

bool xs_usage(const struct xs_store *s, domid_t domid, struct xs_usage *u)
{
    unsigned int i;

    for ( i = 0; i < XS_CONNS_MAX; i++ )
        if ( s->conn[i].used && s->conn[i].domid == domid )
        {
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
