/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the xenstore core's files: xenstore.c (the tree and
 * the operations), xenstore_share.c (who is charged what, and the shares)
 * and xenstore_audit.c (the invariants, recounted). Not for other users.
 */
#ifndef XENOLITH_XENSTORE_PRIV_H
#define XENOLITH_XENSTORE_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include "xenstore/xenstore.h"

/* xs_node.flags */
#define XS_NF_USED       0x01
#define XS_NF_SHADOW     0x02   /* tx: holds the node's content (else: read marker) */
#define XS_NF_GONE       0x04   /* tx: the node is absent in this transaction */
#define XS_NF_DIRTY      0x08   /* tx: to be written to the tree at commit */
#define XS_NF_FIRE       0x10   /* tx, or tree during commit: fire watches */
#define XS_NF_FIRE_EXACT 0x20   /* ... only watches on exactly this path */

/* What the memory quota counts per record (node, copy, watch, event) and per
 * block: xenstored counts bytes, this store counts both at 64. */
#define XS_COST_UNIT 64u

static inline uint32_t xs_nblk(uint32_t len)
{
    return (len + XS_BLOCK_BYTES - 1) / XS_BLOCK_BYTES;
}

/* Blocks a node record holds. */
static inline uint32_t xs_node_blocks(const struct xs_node *n)
{
    return xs_nblk(n->name_len) + xs_nblk(n->data_len) + xs_nblk(n->child_len);
}

/* The record named p in key space tx (0: the tree), as index + 1; 0 if none. */
uint32_t xs_find(const struct xs_store *s, uint32_t tx, const char *p, uint32_t len);

/* --- xenstore_share.c ------------------------------------------------------ */

/* c's use of pool p changes by n (either sign). Every charge and release of
 * a pool object goes through here, so use[] and unpriv_use[] stay exact. */
void xs_use(struct xs_store *s, struct xs_conn *c, enum xs_pool p, int64_t n);

/* c's privilege, as its latest request names it: its use moves between the
 * unprivileged totals and the reserve's side. */
void xs_set_priv(struct xs_store *s, struct xs_conn *c, bool priv);

/*
 * May `charged` take n more objects of pool p for a request of `req`? 0, or
 * the error of its share (the matching quota's) or of the reserve (ENOMEM),
 * reported through limit_hook as "<what>: ..." (what: "request", "watch
 * event"). Privileged requests, and objects charged to a
 * privileged connection, are not limited: they come from the reserve, or
 * from whatever is free. The caller checks that the pool has n free.
 */
int xs_share_check(struct xs_store *s, const struct xs_conn *req, const struct xs_conn *charged,
                   enum xs_pool p, uint32_t n, const char *what);

/* xenstored's memory quota for recs more records and blks more blocks charged
 * to `charged` by `req`: 0 or ENOMEM (reported). Unprivileged on both sides
 * only, as xenstored checks it. */
int xs_memory_check(struct xs_store *s, const struct xs_conn *req, const struct xs_conn *charged,
                    uint32_t recs, uint32_t blks, const char *what);

/* The memory quota's count of what is charged to c, in bytes. */
uint32_t xs_conn_mem(const struct xs_conn *c);

/* Reports that domid was refused one of its limits, for the caller's log. */
__attribute__((format(printf, 3, 4)))
void xs_limit(struct xs_store *s, domid_t domid, const char *fmt, ...);

#endif
