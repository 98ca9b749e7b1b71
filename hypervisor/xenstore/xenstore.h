/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core: the tree, its permissions, transactions, watches and
 * per-domain quotas, speaking xen/io/xs_wire.h one complete message at a
 * time. Pure code over fixed pools (no allocator), so it runs in Xenolith and
 * in the host tests alike; the rings and event channels are the caller's.
 * Semantics follow Xen 4.17's C xenstored; docs/xenstore.md lists the numbers
 * and the deviations.
 */
#ifndef XENOLITH_XENSTORE_H
#define XENOLITH_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/xs_wire.h>

/* --- Per-domain quotas, for unprivileged requesters (xenstored's defaults) - */
#define XS_QUOTA_NODES        1000 /* nodes owned: ENOSPC */
#define XS_QUOTA_NODE_SIZE    2048 /* 16 + 8 * perms + value + child names: ENOSPC */
#define XS_QUOTA_WATCHES      128  /* E2BIG once more than this many exist (as xenstored) */
#define XS_QUOTA_TRANSACTIONS 10   /* ENOSPC once more than this many are open (as xenstored) */
#define XS_QUOTA_TX_NODES     1024 /* nodes one transaction may touch: ENOSPC */
#define XS_QUOTA_PERMS        5    /* ACL entries in a SET_PERMS: ENOSPC */
#define XS_QUOTA_MEMORY       (256 * 1024) /* bytes of records and blocks charged: ENOMEM */
#define XS_QUOTA_EVENTS       128 /* pending watch events, privileged watchers too: dropped */

/*
 * --- Shares and the reserve (docs/xenstore.md, "Shares") --------------------
 * Every pool holds one share for each of XS_SHARE_DOMAINS unprivileged
 * domains, plus a reserve that only privileged connections may use: no set
 * of unprivileged domains can take another's share or the reserve. Xenolith
 * serves at most that many domains (xenstore_backend.c checks). A domain at
 * its share gets the error xenstored gives at the matching quota: ENOMEM for
 * records and blocks (the memory quota), E2BIG for watches, ENOSPC for
 * transactions; events over it are dropped. The shares of watches, events
 * and transactions are those quotas.
 */
enum xs_pool {
    XS_POOL_RECORDS, /* node records: tree nodes, transaction copies and read markers */
    XS_POOL_BLOCKS,  /* names, values, child lists, watch paths and tokens, events */
    XS_POOL_WATCHES,
    XS_POOL_EVENTS, /* pending XS_WATCH_EVENT messages */
    XS_POOL_TX,     /* open transactions */
    XS_POOL_KINDS
};

#define XS_SHARE_DOMAINS 16
#define XS_SHARE_RECORDS 1280 /* the node quota and a transaction's markers beside it */
#define XS_SHARE_BLOCKS  3072 /* 180 KiB of names, values and tokens */
#define XS_SHARE_WATCHES (XS_QUOTA_WATCHES + 1)
#define XS_SHARE_EVENTS  XS_QUOTA_EVENTS
#define XS_SHARE_TX      (XS_QUOTA_TRANSACTIONS + 1)

#define XS_RESERVE_RECORDS 2048  /* layout, d0's nodes, 48 devices, a 1024-node transaction */
#define XS_RESERVE_BLOCKS  12288 /* a privileged watcher's 128 largest events (8832), nodes */
#define XS_RESERVE_WATCHES 512
#define XS_RESERVE_EVENTS  (2 * XS_QUOTA_EVENTS) /* two privileged watchers at their quota */
#define XS_RESERVE_TX      64

/* --- Pool sizes (whole store): the shares plus the reserve ------------------- */
#define XS_NODES_MAX      (XS_SHARE_DOMAINS * XS_SHARE_RECORDS + XS_RESERVE_RECORDS) /* 22528 */
#define XS_BLOCKS_MAX     (XS_SHARE_DOMAINS * XS_SHARE_BLOCKS + XS_RESERVE_BLOCKS)   /* 61440 */
#define XS_WATCHES_MAX    (XS_SHARE_DOMAINS * XS_SHARE_WATCHES + XS_RESERVE_WATCHES) /* 2576 */
#define XS_EVENTS_MAX     (XS_SHARE_DOMAINS * XS_SHARE_EVENTS + XS_RESERVE_EVENTS)   /* 2304 */
#define XS_TX_MAX         (XS_SHARE_DOMAINS * XS_SHARE_TX + XS_RESERVE_TX)           /* 240 */
#define XS_BLOCK_BYTES    60 /* the payload of one 64-byte block */
#define XS_HASH_BUCKETS   8192
#define XS_CONNS_MAX      64 /* domains known to the store: no guest can add one */
#define XS_NODE_PERMS_MAX 8  /* ACL entries a node can hold, owner included */

/* Node permission bits (xenstored's xs_perm_type). */
#define XS_PERM_NONE   0x00
#define XS_PERM_READ   0x01
#define XS_PERM_WRITE  0x02
#define XS_PERM_OWNER  0x08
#define XS_PERM_IGNORE 0x10 /* entry of a domain that is gone: never matches */

/* One reply or event never exceeds this. */
#define XS_MSG_MAX (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

struct xs_perm {
    uint32_t id;
    uint8_t perms; /* XS_PERM_* */
};

struct xs_block {
    uint32_t next; /* index + 1 of the next block, 0 ends the chain */
    char data[XS_BLOCK_BYTES];
};

/* A tree node, or a transaction's view of one (tx != 0). Chains hold index+1. */
struct xs_node {
    uint32_t hnext;                /* hash bucket chain, or free list */
    uint32_t name, data, children; /* full path; value; child names, each NUL-ended */
    uint32_t name_len, data_len, child_len;
    uint32_t tx;         /* 0: the tree; else transaction slot + 1 */
    uint64_t generation; /* tree: last change; tx: the tree's at first access */
    uint32_t seq;        /* tree: creation order (for audits) */
    domid_t charged;     /* the record and its blocks count for this domain */
    uint8_t flags;       /* XS_NF_* (xenstore_priv.h) */
    uint8_t nperms;
    struct xs_perm perms[XS_NODE_PERMS_MAX];
};

struct xs_watch {
    bool used;
    domid_t dom;
    uint16_t prefix_len;  /* relative watch: bytes of "/local/domain/N/" to strip */
    uint32_t path, token; /* chains */
    uint32_t path_len, token_len;
};

struct xs_event {
    uint32_t next; /* per-domain FIFO, or free list (index + 1) */
    uint32_t msg;  /* chain: "path\0token\0" */
    uint32_t len;
};

struct xs_tx {
    bool used;
    bool fail; /* an internal error: commit answers ENOMEM */
    domid_t dom;
    uint32_t id;        /* the id the domain sees */
    uint32_t accessed;  /* records tagged with this transaction */
    int32_t node_delta; /* nodes the domain will own more at commit */
};

/* A domain as the store knows it (xenstored's connection + struct domain). */
struct xs_conn {
    bool used, introduced, priv, shutdown, has_target;
    domid_t domid, target;
    uint32_t nodes;              /* tree nodes it owns (the node quota) */
    uint32_t use[XS_POOL_KINDS]; /* pool objects charged to it (xenstore_share.c) */
    uint32_t next_tx_id;
    uint32_t ev_head, ev_tail; /* pending events (index + 1) */
};

/*
 * The whole store. Large (a few MiB): allocate it statically. Not
 * thread-safe: the caller serialises every call.
 */
struct xs_store {
    struct xs_node node[XS_NODES_MAX];
    struct xs_block block[XS_BLOCKS_MAX];
    uint32_t hash[XS_HASH_BUCKETS];
    struct xs_conn conn[XS_CONNS_MAX];
    struct xs_watch watch[XS_WATCHES_MAX];
    struct xs_event event[XS_EVENTS_MAX];
    struct xs_tx tx[XS_TX_MAX];
    uint32_t free_node, free_block, free_event; /* free lists (index + 1) */
    uint32_t nr_free_nodes, nr_free_blocks;
    /* Every record in use is at index < node_hi, every watch below
     * watch_hi: scans stop there rather than at the pool's end. */
    uint32_t node_hi, watch_hi;
    uint32_t unpriv_use[XS_POOL_KINDS]; /* sum of the unprivileged use[] */
    /* The store's own requests (its layout, releasing a domain): privileged,
     * and not a domain, so it never charges anything to itself. */
    struct xs_conn authority;
    uint64_t generation;
    uint32_t seq;
    /* Scratch for one request; the store is single-threaded. */
    char path[XENSTORE_ABS_PATH_MAX + 64];
    char path2[XENSTORE_ABS_PATH_MAX + 64];
    char buf[XENSTORE_PAYLOAD_MAX + 64];
    char evbuf[XENSTORE_PAYLOAD_MAX + 64];
    uint32_t rm_off[XENSTORE_ABS_PATH_MAX / 2 + 2]; /* subtree walk: child offset per level */
    /* XS_INTRODUCE from a privileged domain: the caller maps the ring page
     * (mfn) and binds the event channel. Optional; nonzero refuses (EINVAL). */
    int (*introduce_hook)(void *arg, domid_t domid, uint64_t mfn, uint32_t port);
    /* A domain was refused for one of its limits (a share, a quota, the
     * reserve): `what` says which, for the caller's log. Optional. */
    void (*limit_hook)(void *arg, domid_t domid, const char *what);
    void *hook_arg;
};

/* Empty store: "/", "/local", "/local/domain", "@introduceDomain" and
 * "@releaseDomain", owned by domain 0 with no access for others. Domain 0's
 * connection starts out privileged, until a request says otherwise. */
void xs_init(struct xs_store *s);

/*
 * Handles one complete request from `domid`'s connection. `is_priv` says
 * whether that connection is privileged (the toolstack domain, Xenolith's
 * own backends): it bypasses permissions and quotas and may use the
 * reserve. The store keeps it with the connection, so that what is charged
 * to the connection later (its pending events, nodes it owns) counts as
 * privileged too. `payload` holds hdr->len bytes. Writes the xs_reply,
 * header included, to reply[0..*reply_len); reply_max must be at least
 * XS_MSG_MAX. May queue watch events for any domain (xs_next_watch_event).
 * Returns 0 when a reply was written (errors are XS_ERROR replies), or
 *   -XEN_EINVAL  reply_max too small (nothing done);
 *   -XEN_EBADMSG hdr->len > XENSTORE_PAYLOAD_MAX: a protocol violation. As
 *                xenstored does, the domain's watches and transactions are
 *                dropped; the caller should set the ring's error field to
 *                XENSTORE_ERROR_PROTO and stop reading it.
 */
int xs_handle(struct xs_store *s, domid_t domid, bool is_priv, const struct xsd_sockmsg *hdr,
              const char *payload, char *xs_reply, size_t reply_max, size_t *reply_len);

/* Pops the oldest pending XS_WATCH_EVENT message (header included) for
 * domid. False if none, or if it does not fit in max (it stays queued). */
bool xs_next_watch_event(struct xs_store *s, domid_t domid, char *msg, size_t max, size_t *len);

/*
 * Introduces domid (the toolstack's and XS_INTRODUCE's work): creates
 * /local/domain/<domid> owned by domid ("n<domid>") if missing, drops any
 * watches and transactions it had, and fires @introduceDomain the first time
 * (not for domain 0). 0 or -XEN_ENOMEM.
 */
int xs_introduce_domain(struct xs_store *s, domid_t domid);

/*
 * The domain is gone: drops its watches, transactions and pending events,
 * removes every node it owns (firing the other domains' watches), marks its
 * ACL entries elsewhere as ignored, and fires @releaseDomain.
 */
void xs_release_domain(struct xs_store *s, domid_t domid);

bool xs_domain_introduced(const struct xs_store *s, domid_t domid);

/* The negative Xen errno an XS_ERROR reply's string names ("ENOENT" ->
 * -XEN_ENOENT); -XEN_EIO for a string xenstored does not send. */
int xs_errno_of(const char *str);

/* Resource use of one domain, for tests and diagnostics: records and
 * blocks are pool objects, mem the memory quota's count of them. */
struct xs_usage {
    uint32_t nodes, mem, watches, transactions, events, records, blocks;
};
bool xs_usage(const struct xs_store *s, domid_t domid, struct xs_usage *u);

/* Checks the store's invariants by recounting everything
 * (xenstore_audit.c): NULL if sound, else what is broken. */
const char *xs_audit(struct xs_store *s);

#endif
