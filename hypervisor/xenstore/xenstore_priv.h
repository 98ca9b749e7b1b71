/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the xenstore core's files: xenstore.c and xs_*.c (the
 * tree and the operations, after xenstored's files), xenstore_share.c (who is charged what, and the shares)
 * and xenstore_audit.c (the invariants, recounted). Not for other users.
 */
#ifndef XENOLITH_XENSTORE_PRIV_H
#define XENOLITH_XENSTORE_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>
#include "xenstore/xenstore.h"

/* xs_node.flags */
#define XS_NF_USED       0x01
#define XS_NF_SHADOW     0x02 /* tx: holds the node's content (else: read marker) */
#define XS_NF_GONE       0x04 /* tx: the node is absent in this transaction */
#define XS_NF_DIRTY      0x08 /* tx: to be written to the tree at commit */
#define XS_NF_FIRE       0x10 /* tx, or tree during commit: fire watches */
#define XS_NF_FIRE_EXACT 0x20 /* ... only watches on exactly this path */

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
__attribute__((format(printf, 3, 4))) void xs_limit(struct xs_store *s, domid_t domid,
                                                    const char *fmt, ...);

/* --- Between the core's files (xenstore.c and xs_*.c) ------------------ */
#define NO_GEN        UINT64_MAX
#define NODE_HDR_SIZE 16u /* xenstored's node header, for the node-size quota */
#define PERM_SIZE     8u  /* xenstored's struct xs_permissions */
#define PERM_ALL      (XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER)

/* One request in progress. */
struct xs_req {
    struct xs_store *s;
    struct xs_conn *c;
    uint32_t tx; /* transaction slot + 1, or 0 */
};

/* One position in a chain of blocks. */
struct cursor {
    struct xs_store *s;
    uint32_t blk, pos;
};

struct xs_msg {
    const char *p;
    uint32_t len;
};

/* The reply under construction. */
struct xs_out {
    struct xsd_sockmsg *hdr;
    char *body;
};

typedef int (*xs_op_fn)(struct xs_req *r, const struct xs_msg *m, struct xs_out *o);

#define XS_OP_NOTID 0x1 /* ignores the transaction id */
#define XS_OP_PRIV  0x2 /* privileged domains only */

/* xs_ops.c: the operation of each xs_wire.h type. */
struct xs_op {
    xs_op_fn fn;
    unsigned int flags;
};
extern const struct xs_op xs_ops[XS_TYPE_COUNT];

/* xs_pool.c */
void xs_chain_free(struct xs_store *s, uint32_t head);
uint32_t xs_chain_new(struct xs_store *s, const char *src, uint32_t len);
void xs_cur_init(struct cursor *c, struct xs_store *s, uint32_t head, uint32_t off);
char *xs_cur_ptr(struct cursor *c);
void xs_cur_next(struct cursor *c);
void xs_chain_read(struct xs_store *s, uint32_t head, uint32_t off, char *dst, uint32_t len);
bool xs_chain_eq_at(struct xs_store *s, uint32_t head, uint32_t off, const char *str, uint32_t len);
uint32_t xs_chain_copy(struct xs_store *s, uint32_t src, uint32_t len);
void xs_chain_append(struct xs_store *s, uint32_t *head, uint32_t len, const char *src,
                     uint32_t add);
void xs_chain_cut(struct xs_store *s, uint32_t *head, uint32_t len, uint32_t off, uint32_t cut);

/* xs_conn.c */
struct xs_conn *xs_conn_find(struct xs_store *s, domid_t domid);
struct xs_conn *xs_conn_get(struct xs_store *s, domid_t domid);
bool xs_domain_exists(struct xs_store *s, uint32_t domid);
void xs_charge(struct xs_store *s, const struct xs_node *n, int sign);
int xs_need_grow(struct xs_req *r, domid_t charged, uint32_t recs, uint32_t blks, uint32_t grow);
int xs_need(struct xs_req *r, domid_t charged, uint32_t recs, uint32_t blks);

/* xs_node.c */
uint32_t xs_lookup(struct xs_store *s, uint32_t tx, const char *p, uint32_t len);
void xs_hash_insert(struct xs_store *s, uint32_t i, const char *p, uint32_t len);
void xs_hash_remove(struct xs_store *s, uint32_t i, const char *p, uint32_t len);
uint32_t xs_node_new(struct xs_store *s, uint32_t tx, const char *p, uint32_t len, domid_t charged);
void xs_node_destroy(struct xs_store *s, uint32_t i, const char *name);
domid_t xs_node_owner(const struct xs_node *n);
uint32_t xs_local_prefix(const char *p, uint32_t len);
int xs_canon(struct xs_req *r, const char *in, bool allow_special, uint32_t *out_len,
             bool *relative);
const char *xs_parent_of(const char *p, uint32_t len, uint32_t *plen);
bool xs_is_child(const char *child, uint32_t clen, const char *parent, uint32_t plen);
uint8_t xs_perm_for(const struct xs_conn *c, const struct xs_perm *p, unsigned int n);
uint8_t xs_perm_node(const struct xs_conn *c, const struct xs_node *n);

/* xs_view.c */
struct xs_tx *xs_req_tx(struct xs_req *r);
int xs_view_get(struct xs_req *r, const char *p, uint32_t len, uint32_t *out);
uint32_t xs_shadow_blocks(struct xs_req *r, const char *p, uint32_t len);
uint32_t xs_view_modify(struct xs_req *r, const char *p, uint32_t len);
void xs_node_changed(struct xs_req *r, uint32_t i);
void xs_count_owner(struct xs_req *r, domid_t owner, int d);
void xs_recharge(struct xs_store *s, uint32_t i, domid_t to);
uint32_t xs_view_create(struct xs_req *r, const char *p, uint32_t len, const struct xs_perm *perms,
                        unsigned int nperms);
void xs_view_delete(struct xs_req *r, const char *p, uint32_t len, uint32_t i);
void xs_child_remove(struct xs_req *r, uint32_t i, const char *name, uint32_t nlen);

/* xs_watch.c */
void xs_queue_event(struct xs_store *s, struct xs_conn *c, const char *path, uint32_t plen,
                    uint32_t token, uint32_t tlen);
void xs_event_free(struct xs_store *s, struct xs_conn *c, uint32_t e);
void xs_events_drop(struct xs_store *s, struct xs_conn *c);
void xs_fire_now(struct xs_store *s, const char *name, uint32_t len, bool exact,
                 const struct xs_perm *perms, unsigned int nperms, const struct xs_perm *old,
                 unsigned int nold);
void xs_fire(struct xs_req *r, const char *name, uint32_t len, bool exact, uint32_t node,
             const struct xs_perm *old, unsigned int nold);
void xs_fire_special(struct xs_store *s, const char *name);
void xs_watch_free(struct xs_store *s, struct xs_watch *w);
void xs_watches_drop(struct xs_store *s, domid_t dom);

/* xs_transaction.c */
void xs_tx_destroy(struct xs_store *s, uint32_t slot);
void xs_transactions_drop(struct xs_store *s, domid_t dom);
bool xs_tx_conflicts(struct xs_store *s, uint32_t slot);
int xs_tx_commit_fits(struct xs_store *s, uint32_t slot, domid_t req);
void xs_tx_commit(struct xs_store *s, uint32_t slot);

/* xs_request.c */
unsigned int xs_get_strings(const struct xs_msg *m, const char **vec, unsigned int num);
unsigned int xs_count_nuls(const struct xs_msg *m);
const char *xs_onearg(const struct xs_msg *m);
int xs_atoi(const char *p);
bool xs_parse_id(const char *p, uint32_t *out);
int xs_reply(struct xs_out *o, const void *data, uint32_t len);
int xs_ack(struct xs_out *o);
int xs_get_node(struct xs_req *r, const char *arg, bool special, uint8_t perm, uint32_t *plen,
                uint32_t *out);
uint32_t xs_node_size(uint32_t nperms, uint32_t data_len, uint32_t child_len);
int xs_create_node(struct xs_req *r, uint32_t len, const char *data, uint32_t dlen);
void xs_walk_down(struct xs_store *s, const struct xs_node *n, char *p, uint32_t *len,
                  uint32_t *depth);
void xs_walk_up(char *p, uint32_t *len, uint32_t *depth);
int xs_rm_subtree(struct xs_req *r, uint32_t len);

/* xenstore.c */
void xs_introduce(struct xs_store *s, struct xs_conn *c);
bool xs_first_owned(struct xs_store *s, domid_t domid);

#endif
