/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's nodes: records, paths and permissions.
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

/* --- Node records ------------------------------------------------------------ */

static uint32_t hash_of(const char *p, uint32_t len, uint32_t tx)
{
    uint32_t h = 5381 + tx * 0x9e3779b1u;

    while (len--)
        h = h * 33 + (uint8_t)*p++;
    return h % XS_HASH_BUCKETS;
}

uint32_t xs_lookup(struct xs_store *s, uint32_t tx, const char *p, uint32_t len)
{
    uint32_t i;

    for (i = s->hash[hash_of(p, len, tx)]; i; i = s->node[i - 1].hnext) {
        struct xs_node *n = &s->node[i - 1];

        if (n->tx == tx && n->name_len == len && xs_chain_eq_at(s, n->name, 0, p, len))
            return i;
    }
    return 0;
}

uint32_t xs_find(const struct xs_store *s, uint32_t tx, const char *p, uint32_t len)
{
    /* xs_lookup() only reads; its cursor helpers are not const-correct. */
    return xs_lookup((struct xs_store *)s, tx, p, len);
}

void xs_hash_insert(struct xs_store *s, uint32_t i, const char *p, uint32_t len)
{
    uint32_t *b = &s->hash[hash_of(p, len, s->node[i - 1].tx)];

    s->node[i - 1].hnext = *b;
    *b = i;
}

void xs_hash_remove(struct xs_store *s, uint32_t i, const char *p, uint32_t len)
{
    uint32_t *link = &s->hash[hash_of(p, len, s->node[i - 1].tx)];

    while (*link != i)
        link = &s->node[*link - 1].hnext;
    *link = s->node[i - 1].hnext;
    s->node[i - 1].hnext = 0;
}

/* A record named p in key space tx, charged to `charged`, empty otherwise.
 * Callers have checked one record and xs_nblk(len) blocks are free. */
uint32_t xs_node_new(struct xs_store *s, uint32_t tx, const char *p, uint32_t len, domid_t charged)
{
    uint32_t i = s->free_node;
    struct xs_node *n = &s->node[i - 1];

    s->free_node = n->hnext;
    s->nr_free_nodes--;
    memset(n, 0, sizeof(*n));
    n->flags = XS_NF_USED;
    n->tx = tx;
    n->name = xs_chain_new(s, p, len);
    n->name_len = len;
    n->charged = charged;
    xs_hash_insert(s, i, p, len);
    xs_charge(s, n, 1);
    if (i > s->node_hi)
        s->node_hi = i;
    return i;
}

/* name: the record's path, which the caller may have at hand (or NULL). */
void xs_node_destroy(struct xs_store *s, uint32_t i, const char *name)
{
    struct xs_node *n = &s->node[i - 1];

    if (!name) {
        xs_chain_read(s, n->name, 0, s->evbuf, n->name_len);
        name = s->evbuf;
    }
    xs_hash_remove(s, i, name, n->name_len);
    xs_charge(s, n, -1);
    xs_chain_free(s, n->name);
    xs_chain_free(s, n->data);
    xs_chain_free(s, n->children);
    memset(n, 0, sizeof(*n));
    n->hnext = s->free_node;
    s->free_node = i;
    s->nr_free_nodes++;
    while (s->node_hi && !(s->node[s->node_hi - 1].flags & XS_NF_USED))
        s->node_hi--;
}

domid_t xs_node_owner(const struct xs_node *n)
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
uint32_t xs_local_prefix(const char *p, uint32_t len)
{
    static const char pre[] = "/local/domain/";
    uint32_t i = sizeof(pre) - 1, digits = 0;

    if (len < i || memcmp(p, pre, i))
        return 0;
    while (i < len && p[i] >= '0' && p[i] <= '9' && digits < 5)
        i++, digits++;
    if (!digits || i >= len || p[i] != '/')
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
int xs_canon(struct xs_req *r, const char *in, bool allow_special, uint32_t *out_len,
             bool *relative)
{
    struct xs_store *s = r->s;
    size_t inlen, len, i;
    int pre = 0;

    if (!in)
        return XEN_EINVAL;
    inlen = strlen(in);
    if (relative)
        *relative = in[0] != '/' && in[0] != '@';
    if (in[0] == '@') {
        if (!allow_special || inlen > XENSTORE_REL_PATH_MAX)
            return XEN_EINVAL;
        for (i = 0; i < inlen; i++)
            if (!valid_char(in[i]))
                return XEN_EINVAL;
        memcpy(s->path, in, inlen + 1);
        *out_len = (uint32_t)inlen;
        return 0;
    }
    if (inlen > XENSTORE_ABS_PATH_MAX)
        return XEN_EINVAL;
    if (in[0] != '/')
        pre = snprintf(s->path, sizeof(s->path), "/local/domain/%u/", r->c->domid);
    memcpy(s->path + pre, in, inlen + 1);
    len = pre + inlen;
    if (len > XENSTORE_ABS_PATH_MAX)
        return XEN_EINVAL;
    for (i = 0; i < len; i++)
        if (!valid_char(s->path[i]))
            return XEN_EINVAL;
    if (len > 1 && s->path[len - 1] == '/')
        return XEN_EINVAL;
    if (strstr(s->path, "//"))
        return XEN_EINVAL;
    if (len > xs_local_prefix(s->path, (uint32_t)len) + XENSTORE_REL_PATH_MAX)
        return XEN_EINVAL;
    *out_len = (uint32_t)len;
    return 0;
}

/* Parent of p[0..len): a prefix of p, except that "/x" and "@x" give "/". */
const char *xs_parent_of(const char *p, uint32_t len, uint32_t *plen)
{
    uint32_t i = len;

    while (i > 1 && p[i - 1] != '/')
        i--;
    if (i <= 1 || p[0] != '/') {
        *plen = 1;
        return "/";
    }
    *plen = i - 1;
    return p;
}

/* Is child at or below parent? ("/" contains everything, as in xenstored.) */
bool xs_is_child(const char *child, uint32_t clen, const char *parent, uint32_t plen)
{
    if (plen == 1 && parent[0] == '/')
        return true;
    if (clen < plen || memcmp(child, parent, plen))
        return false;
    return clen == plen || child[plen] == '/';
}

/* --- Permissions ---------------------------------------------------------------- */
uint8_t xs_perm_for(const struct xs_conn *c, const struct xs_perm *p, unsigned int n)
{
    unsigned int i;

    if (c->priv || p[0].id == c->domid || (c->has_target && p[0].id == c->target))
        return PERM_ALL;
    for (i = 1; i < n; i++)
        if (!(p[i].perms & XS_PERM_IGNORE) &&
            (p[i].id == c->domid || (c->has_target && p[i].id == c->target)))
            return p[i].perms & PERM_ALL;
    return p[0].perms & PERM_ALL;
}

uint8_t xs_perm_node(const struct xs_conn *c, const struct xs_node *n)
{
    return xs_perm_for(c, n->perms, n->nperms);
}
