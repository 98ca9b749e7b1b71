/* SPDX-License-Identifier: MIT */
/*
 * Who holds what of the store's pools, and the shares (xenstore.h,
 * docs/xenstore.md "Shares"): each unprivileged domain may hold its share of
 * every pool, and all of them together never more than the pool less the
 * reserve, which is the privileged connections'.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <xen/errno.h>

#include "xenstore/xenstore_priv.h"

static const struct {
    const char *name;
    uint32_t share, reserve, size;
    int err; /* at the share: the matching quota's error */
} pools[XS_POOL_KINDS] = {
    [XS_POOL_RECORDS] = { "node records", XS_SHARE_RECORDS, XS_RESERVE_RECORDS, XS_NODES_MAX,
                          XEN_ENOMEM },
    [XS_POOL_BLOCKS] = { "blocks", XS_SHARE_BLOCKS, XS_RESERVE_BLOCKS, XS_BLOCKS_MAX, XEN_ENOMEM },
    [XS_POOL_WATCHES] = { "watches", XS_SHARE_WATCHES, XS_RESERVE_WATCHES, XS_WATCHES_MAX,
                          XEN_E2BIG },
    [XS_POOL_EVENTS] = { "pending watch events", XS_SHARE_EVENTS, XS_RESERVE_EVENTS, XS_EVENTS_MAX,
                         XEN_ENOMEM },
    [XS_POOL_TX] = { "transactions", XS_SHARE_TX, XS_RESERVE_TX, XS_TX_MAX, XEN_ENOSPC },
};

/* A domain's share of records holds its node quota, or a transaction at
 * its quota beside its home: xenstored's quotas stay the limits met first. */
_Static_assert(XS_SHARE_RECORDS > XS_QUOTA_NODES && XS_SHARE_RECORDS > XS_QUOTA_TX_NODES + 1,
               "the record share holds the node and transaction quotas");
/* A privileged watcher's pending events, at their quota and largest size,
 * fit the reserve: a guest's writes under its watches cannot empty it. */
_Static_assert(XS_QUOTA_EVENTS *(1 + (XENSTORE_PAYLOAD_MAX + XS_BLOCK_BYTES - 1) /
                                         XS_BLOCK_BYTES) <= XS_RESERVE_BLOCKS,
               "the block reserve holds one privileged watcher's events");

void xs_limit(struct xs_store *s, domid_t domid, const char *fmt, ...)
{
    char what[96];
    va_list ap;

    if (!s->limit_hook)
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    s->limit_hook(s->hook_arg, domid, what);
}

void xs_use(struct xs_store *s, struct xs_conn *c, enum xs_pool p, int64_t n)
{
    c->use[p] = (uint32_t)((int64_t)c->use[p] + n);
    if (!c->priv)
        s->unpriv_use[p] = (uint32_t)((int64_t)s->unpriv_use[p] + n);
}

void xs_set_priv(struct xs_store *s, struct xs_conn *c, bool priv)
{
    unsigned int p;

    if (c->priv == priv)
        return;
    for (p = 0; p < XS_POOL_KINDS; p++)
        s->unpriv_use[p] += priv ? -c->use[p] : c->use[p];
    c->priv = priv;
}

/* " by d<N>" when another domain's request would have charged this one. */
static const char *by(const struct xs_conn *req, const struct xs_conn *charged, char *buf,
                      size_t size)
{
    buf[0] = 0;
    if (req->domid != charged->domid)
        snprintf(buf, size, " by d%u", req->domid);
    return buf;
}

int xs_share_check(struct xs_store *s, const struct xs_conn *req, const struct xs_conn *charged,
                   enum xs_pool p, uint32_t n, const char *what)
{
    char b[16];

    if (req->priv || charged->priv || !n)
        return 0;
    if (charged->use[p] + n > pools[p].share) {
        xs_limit(s, charged->domid, "%s%s: share of %u %s used up", what, by(req, charged, b, 16),
                 pools[p].share, pools[p].name);
        return pools[p].err;
    }
    /* Only reachable with more unprivileged domains than there are shares. */
    if (s->unpriv_use[p] + n > pools[p].size - pools[p].reserve) {
        xs_limit(s, charged->domid, "%s%s: %s down to the privileged reserve", what,
                 by(req, charged, b, 16), pools[p].name);
        return XEN_ENOMEM;
    }
    return 0;
}

uint32_t xs_conn_mem(const struct xs_conn *c)
{
    return XS_COST_UNIT * (c->use[XS_POOL_RECORDS] + c->use[XS_POOL_BLOCKS] +
                           c->use[XS_POOL_WATCHES] + c->use[XS_POOL_EVENTS]);
}

int xs_memory_check(struct xs_store *s, const struct xs_conn *req, const struct xs_conn *charged,
                    uint32_t recs, uint32_t blks, const char *what)
{
    char b[16];

    if (req->priv || charged->priv ||
        xs_conn_mem(charged) + XS_COST_UNIT * (recs + blks) <= XS_QUOTA_MEMORY)
        return 0;
    xs_limit(s, charged->domid, "%s%s: memory quota of %u bytes reached", what,
             by(req, charged, b, 16), XS_QUOTA_MEMORY);
    return XEN_ENOMEM;
}
