/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's operations, one function per xs_wire.h type.
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

static int do_read(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = xs_get_node(r, xs_onearg(m), false, XS_PERM_READ, &len, &i);

    if (err)
        return err;
    xs_chain_read(s, s->node[i - 1].data, 0, s->buf, s->node[i - 1].data_len);
    return xs_reply(o, s->buf, s->node[i - 1].data_len);
}

static int do_directory(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = xs_get_node(r, xs_onearg(m), false, XS_PERM_READ, &len, &i);

    if (err)
        return err;
    if (s->node[i - 1].child_len > XENSTORE_PAYLOAD_MAX)
        return XEN_E2BIG;
    xs_chain_read(s, s->node[i - 1].children, 0, s->buf, s->node[i - 1].child_len);
    return xs_reply(o, s->buf, s->node[i - 1].child_len);
}

/* <path>|<offset>|: "<generation>\0" then the children from offset that fit,
 * with a final empty name once the list is complete. */
static int do_directory_part(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i, off, genlen, clen, take = 0;
    struct xs_node *n;
    int err;

    if (xs_count_nuls(m) != 2)
        return XEN_EINVAL;
    err = xs_get_node(r, m->p, false, XS_PERM_READ, &len, &i);
    if (err)
        return err;
    n = &s->node[i - 1];
    off = (uint32_t)xs_atoi(m->p + strlen(m->p) + 1);
    genlen = (uint32_t)snprintf(s->buf, 24, "%llu", (unsigned long long)n->generation) + 1;
    if (off >= n->child_len) {
        s->buf[genlen] = 0;
        return xs_reply(o, s->buf, genlen + 1);
    }
    /* Whole names only, leaving room for the terminating empty one. */
    while (off + take < n->child_len) {
        struct cursor c;

        clen = 0;
        xs_cur_init(&c, s, n->children, off + take);
        while (*xs_cur_ptr(&c))
            clen++, xs_cur_next(&c);
        if (take + clen >= XENSTORE_PAYLOAD_MAX - genlen - 1)
            break;
        take += clen + 1;
    }
    xs_chain_read(s, n->children, off, s->buf + genlen, take);
    if (off + take == n->child_len)
        s->buf[genlen + take++] = 0;
    return xs_reply(o, s->buf, genlen + take);
}

static int write_value(struct xs_req *r, uint32_t len, uint32_t i, const char *data, uint32_t dlen)
{
    struct xs_store *s = r->s;
    struct xs_node *n = &s->node[i - 1];
    uint32_t blks, freed;
    int err;

    if (!r->c->priv && xs_node_size(n->nperms, dlen, n->child_len) > XS_QUOTA_NODE_SIZE)
        return XEN_ENOSPC;
    /* The old value's blocks go before the new one's are taken, so a domain
     * at its share may still rewrite a value of the same size. */
    blks = xs_nblk(dlen) + xs_shadow_blocks(r, s->path, len);
    freed = xs_nblk(n->data_len);
    err = xs_need_grow(r, r->tx ? r->c->domid : n->charged, 0, blks,
                       blks > freed ? blks - freed : 0);
    if (err)
        return err;
    i = xs_view_modify(r, s->path, len);
    n = &s->node[i - 1];
    xs_charge(s, n, -1);
    xs_chain_free(s, n->data);
    n->data = xs_chain_new(s, data, dlen);
    n->data_len = dlen;
    xs_charge(s, n, 1);
    xs_node_changed(r, i);
    return 0;
}

/* <path>|<value> (the value is not NUL-terminated) */
static int do_write(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *vec[1];
    uint32_t len, i, off, dlen;
    int err;

    if (xs_get_strings(m, vec, 1) < 1)
        return XEN_EINVAL;
    off = (uint32_t)strlen(vec[0]) + 1;
    dlen = m->len - off;
    err = xs_get_node(r, vec[0], false, XS_PERM_WRITE, &len, &i);
    if (err == XEN_ENOENT)
        err = xs_create_node(r, len, m->p + off, dlen);
    else if (!err)
        err = write_value(r, len, i, m->p + off, dlen);
    if (err)
        return err;
    err = xs_view_get(r, s->path, len, &i);
    if (err)
        return err;
    xs_fire(r, s->path, len, false, i, NULL, 0);
    return xs_ack(o);
}

static int do_mkdir(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = xs_get_node(r, xs_onearg(m), false, XS_PERM_WRITE, &len, &i);

    if (err == XEN_ENOENT) {
        err = xs_create_node(r, len, NULL, 0);
        if (err)
            return err;
        err = xs_view_get(r, s->path, len, &i);
        if (err)
            return err;
        xs_fire(r, s->path, len, false, i, NULL, 0);
    }
    return err ? err : xs_ack(o);
}

static int do_rm(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i, pl;
    const char *pp;
    int err = xs_get_node(r, xs_onearg(m), false, XS_PERM_WRITE, &len, &i);

    if (err == XEN_ENOENT) {
        /* Already gone: fine, if the parent exists. */
        pp = xs_parent_of(s->path, len, &pl);
        err = xs_view_get(r, pp, pl, &i);
        if (err)
            return err;
        return i ? xs_ack(o) : XEN_ENOENT;
    }
    if (err)
        return err;
    if (len == 1)
        return XEN_EINVAL;
    pp = xs_parent_of(s->path, len, &pl);
    err = xs_view_get(r, pp, pl, &i);
    if (err)
        return err;
    if (!i)
        return XEN_EINVAL;
    memcpy(s->path2, s->path, len + 1);
    err = xs_rm_subtree(r, len);
    return err ? err : xs_ack(o);
}

static uint32_t perms_to_string(const struct xs_perm *p, unsigned int n, char *out)
{
    static const char letter[4] = { 'n', 'r', 'w', 'b' };
    uint32_t len = 0;
    unsigned int i;

    for (i = 0; i < n; i++)
        len += (uint32_t)snprintf(out + len, 16, "%c%u", letter[p[i].perms & 3], p[i].id) + 1;
    return len;
}

static int do_get_perms(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    uint32_t len, i;
    int err = xs_get_node(r, xs_onearg(m), true, XS_PERM_READ, &len, &i);

    if (err)
        return err;
    len = perms_to_string(s->node[i - 1].perms, s->node[i - 1].nperms, s->buf);
    return xs_reply(o, s->buf, len);
}

/* <path>|<perm>|<perm>|... */
static int do_set_perms(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    struct xs_perm perms[XS_NODE_PERMS_MAX], old[XS_NODE_PERMS_MAX];
    unsigned int num = xs_count_nuls(m), nold, j;
    const char *p;
    uint32_t len, i;
    struct xs_node *n;
    domid_t old_owner;
    int err;

    if (num < 2)
        return XEN_EINVAL;
    num--;
    if ((!r->c->priv && num > XS_QUOTA_PERMS) || num > XS_NODE_PERMS_MAX)
        return XEN_ENOSPC;
    p = m->p + strlen(m->p) + 1;
    memset(perms, 0, sizeof(perms));
    for (j = 0; j < num; j++) {
        switch (*p) {
        case 'n':
            perms[j].perms = XS_PERM_NONE;
            break;
        case 'r':
            perms[j].perms = XS_PERM_READ;
            break;
        case 'w':
            perms[j].perms = XS_PERM_WRITE;
            break;
        case 'b':
            perms[j].perms = XS_PERM_READ | XS_PERM_WRITE;
            break;
        default:
            return XEN_EINVAL;
        }
        if (!xs_parse_id(p + 1, &perms[j].id))
            return XEN_EINVAL;
        if (!xs_domain_exists(s, perms[j].id))
            perms[j].perms |= XS_PERM_IGNORE;
        p += strlen(p) + 1;
    }
    if (perms[0].perms & XS_PERM_IGNORE)
        return XEN_ENOENT;
    err = xs_get_node(r, m->p, true, XS_PERM_WRITE | XS_PERM_OWNER, &len, &i);
    if (err)
        return err;
    n = &s->node[i - 1];
    if (!r->c->priv && perms[0].id != xs_node_owner(n))
        return XEN_EPERM;
    if (!r->c->priv && xs_node_size(num, n->data_len, n->child_len) > XS_QUOTA_NODE_SIZE)
        return XEN_ENOSPC;
    err = xs_need(r, r->tx ? r->c->domid : (domid_t)perms[0].id, 0,
                  xs_shadow_blocks(r, s->path, len));
    if (err)
        return err;
    nold = n->nperms;
    memcpy(old, n->perms, sizeof(old));
    old_owner = xs_node_owner(n);
    i = xs_view_modify(r, s->path, len);
    n = &s->node[i - 1];
    memset(n->perms, 0, sizeof(n->perms));
    memcpy(n->perms, perms, num * sizeof(perms[0]));
    n->nperms = (uint8_t)num;
    if (old_owner != xs_node_owner(n)) {
        xs_count_owner(r, old_owner, -1);
        xs_count_owner(r, xs_node_owner(n), 1);
        if (!n->tx)
            xs_recharge(s, i, xs_node_owner(n));
    }
    xs_node_changed(r, i);
    xs_fire(r, s->path, len, false, i, old, nold);
    return xs_ack(o);
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

    if (xs_get_strings(m, vec, 2) != 2)
        return XEN_EINVAL;
    err = xs_canon(r, vec[0], true, &len, &relative);
    if (err)
        return err;
    tlen = (uint32_t)strlen(vec[1]);
    for (i = 0; i < s->watch_hi; i++) {
        struct xs_watch *x = &s->watch[i];

        if (!x->used) {
            w = w ? w : x;
            continue;
        }
        if (x->dom == r->c->domid && x->path_len == len && x->token_len == tlen &&
            xs_chain_eq_at(s, x->path, 0, s->path, len) &&
            xs_chain_eq_at(s, x->token, 0, vec[1], tlen))
            return XEN_EEXIST;
    }
    if (!w && s->watch_hi < XS_WATCHES_MAX)
        w = &s->watch[s->watch_hi];
    /* The share of watches is xenstored's quota: E2BIG once more than
     * XS_QUOTA_WATCHES exist. */
    blks = xs_nblk(len) + xs_nblk(tlen);
    err = xs_share_check(s, r->c, r->c, XS_POOL_WATCHES, 1, "request");
    if (!err)
        err = xs_share_check(s, r->c, r->c, XS_POOL_BLOCKS, blks, "request");
    if (!err && (!w || s->nr_free_blocks < blks))
        err = XEN_ENOMEM;
    if (!err)
        err = xs_memory_check(s, r->c, r->c, 1, blks, "request");
    if (err)
        return err;
    w->used = true;
    if (w - s->watch >= s->watch_hi)
        s->watch_hi = (uint32_t)(w - s->watch) + 1;
    w->dom = r->c->domid;
    w->prefix_len = relative ? (uint16_t)xs_local_prefix(s->path, len) : 0;
    w->path = xs_chain_new(s, s->path, len);
    w->path_len = len;
    w->token = xs_chain_new(s, vec[1], tlen);
    w->token_len = tlen;
    xs_use(s, r->c, XS_POOL_WATCHES, 1);
    xs_use(s, r->c, XS_POOL_BLOCKS, blks);
    err = xs_ack(o);
    /* The first event comes at once: it simplifies clients and restarts. */
    xs_queue_event(s, r->c, s->path + w->prefix_len, len - w->prefix_len, w->token, tlen);
    return err;
}

static int do_unwatch(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *vec[2];
    uint32_t len, tlen;
    unsigned int i;
    int err;

    if (xs_get_strings(m, vec, 2) != 2)
        return XEN_EINVAL;
    err = xs_canon(r, vec[0], true, &len, NULL);
    if (err)
        return err;
    tlen = (uint32_t)strlen(vec[1]);
    for (i = 0; i < s->watch_hi; i++) {
        struct xs_watch *x = &s->watch[i];

        if (x->used && x->dom == r->c->domid && x->path_len == len && x->token_len == tlen &&
            xs_chain_eq_at(s, x->path, 0, s->path, len) &&
            xs_chain_eq_at(s, x->token, 0, vec[1], tlen)) {
            xs_watch_free(s, x);
            return xs_ack(o);
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

    if (r->tx)
        return XEN_EBUSY; /* no nested transactions */
    /* The share of transactions is xenstored's quota: ENOSPC once more
     * than XS_QUOTA_TRANSACTIONS are open. */
    err = xs_share_check(s, r->c, r->c, XS_POOL_TX, 1, "request");
    if (err)
        return err;
    for (slot = 1; slot <= XS_TX_MAX && !t; slot++)
        if (!s->tx[slot - 1].used)
            t = &s->tx[slot - 1];
    if (!t)
        return XEN_ENOMEM;
    do {
        id = r->c->next_tx_id++;
        taken = !id;
        for (slot = 1; slot <= XS_TX_MAX && !taken; slot++)
            taken = s->tx[slot - 1].used && s->tx[slot - 1].dom == r->c->domid &&
                    s->tx[slot - 1].id == id;
    } while (taken);
    memset(t, 0, sizeof(*t));
    t->used = true;
    t->dom = r->c->domid;
    t->id = id;
    xs_use(s, r->c, XS_POOL_TX, 1);
    return xs_reply(o, str, (uint32_t)snprintf(str, sizeof(str), "%u", id) + 1);
}

/* "T" commits, "F" aborts; the transaction ends either way. */
static int do_transaction_end(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_store *s = r->s;
    const char *arg = xs_onearg(m);
    uint32_t slot = r->tx;
    struct xs_tx *t;
    int err = 0;

    if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
        return XEN_EINVAL;
    if (!slot)
        return XEN_ENOENT;
    t = &s->tx[slot - 1];
    if (arg[0] == 'T') {
        if (t->fail)
            err = XEN_ENOMEM;
        else if (!r->c->priv && t->node_delta > 0 &&
                 (int64_t)r->c->nodes + t->node_delta > XS_QUOTA_NODES) {
            xs_limit(s, r->c->domid, "commit: quota of %u nodes reached", XS_QUOTA_NODES);
            err = XEN_ENOSPC;
        } else if (xs_tx_conflicts(s, slot))
            err = XEN_EAGAIN;
        else if (!r->c->priv)
            err = xs_tx_commit_fits(s, slot, r->c->domid);
        if (!err)
            xs_tx_commit(s, slot);
    }
    xs_tx_destroy(s, slot);
    return err ? err : xs_ack(o);
}

static int do_get_domain_path(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    const char *arg = xs_onearg(m);
    char path[32];

    if (!arg)
        return XEN_EINVAL;
    return xs_reply(
        o, path,
        (uint32_t)snprintf(path, sizeof(path), "/local/domain/%u", (unsigned int)xs_atoi(arg)) + 1);
}

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

    if (xs_get_strings(m, vec, 3) < 3)
        return XEN_EINVAL;
    domid = (unsigned int)xs_atoi(vec[0]);
    for (q = vec[1]; *q >= '0' && *q <= '9'; q++)
        mfn = mfn * 10 + (uint64_t)(*q - '0');
    port = xs_atoi(vec[2]);
    if (port <= 0 || domid >= DOMID_FIRST_RESERVED)
        return XEN_EINVAL;
    if (s->introduce_hook) {
        rc = s->introduce_hook(s->hook_arg, (domid_t)domid, mfn, (uint32_t)port);
        if (rc)
            return rc < 0 ? -rc : XEN_EINVAL;
    }
    c = xs_conn_get(s, (domid_t)domid);
    if (!c)
        return XEN_ENOMEM;
    xs_introduce(s, c);
    return xs_ack(o);
}

/* xenstored's onearg_domain(): an introduced domain other than 0. */
static int arg_domain(struct xs_req *r, const struct xs_msg *m, struct xs_conn **out)
{
    const char *arg = xs_onearg(m);
    unsigned int domid;

    if (!arg)
        return XEN_EINVAL;
    domid = (unsigned int)xs_atoi(arg);
    if (domid == 0)
        return XEN_EINVAL;
    *out = domid < DOMID_FIRST_RESERVED ? xs_conn_find(r->s, (domid_t)domid) : NULL;
    return *out && (*out)->introduced ? 0 : XEN_ENOENT;
}

static int do_release(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_conn *c;
    int err = arg_domain(r, m, &c);

    if (err)
        return err;
    xs_release_domain(r->s, c->domid);
    return xs_ack(o);
}

static int do_resume(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    struct xs_conn *c;
    int err = arg_domain(r, m, &c);

    if (err)
        return err;
    c->shutdown = false;
    return xs_ack(o);
}

static int do_is_domain_introduced(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    const char *arg = xs_onearg(m);
    unsigned int domid;

    if (!arg)
        return XEN_EINVAL;
    domid = (unsigned int)xs_atoi(arg);
    return xs_reply(o,
                    domid == DOMID_SELF || (domid < DOMID_FIRST_RESERVED &&
                                            xs_domain_introduced(r->s, (domid_t)domid))
                        ? "T"
                        : "F",
                    2);
}

/* <domid>|<target>|: domid acts with target's rights (a device model). */
static int do_set_target(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    const char *vec[2];
    unsigned int d, t;
    struct xs_conn *dc, *tc;

    if (xs_get_strings(m, vec, 2) < 2)
        return XEN_EINVAL;
    d = (unsigned int)xs_atoi(vec[0]);
    t = (unsigned int)xs_atoi(vec[1]);
    dc = d < DOMID_FIRST_RESERVED ? xs_conn_find(r->s, (domid_t)d) : NULL;
    tc = t < DOMID_FIRST_RESERVED ? xs_conn_find(r->s, (domid_t)t) : NULL;
    if (!dc || !dc->introduced || !tc || !tc->introduced)
        return XEN_ENOENT;
    dc->has_target = true;
    dc->target = (domid_t)t;
    return xs_ack(o);
}

static int do_reset_watches(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    xs_watches_drop(r->s, r->c->domid);
    xs_transactions_drop(r->s, r->c->domid);
    return xs_ack(o);
}

/* No control commands are implemented. */
static int do_control(struct xs_req *r, const struct xs_msg *m, struct xs_out *o)
{
    return XEN_EINVAL;
}

const struct xs_op xs_ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { do_control, XS_OP_PRIV },
    [XS_DIRECTORY] = { do_directory, 0 },
    [XS_READ] = { do_read, 0 },
    [XS_GET_PERMS] = { do_get_perms, 0 },
    [XS_WATCH] = { do_watch, XS_OP_NOTID },
    [XS_UNWATCH] = { do_unwatch, XS_OP_NOTID },
    [XS_TRANSACTION_START] = { do_transaction_start, 0 },
    [XS_TRANSACTION_END] = { do_transaction_end, 0 },
    [XS_INTRODUCE] = { do_introduce, XS_OP_PRIV },
    [XS_RELEASE] = { do_release, XS_OP_PRIV },
    [XS_GET_DOMAIN_PATH] = { do_get_domain_path, 0 },
    [XS_WRITE] = { do_write, 0 },
    [XS_MKDIR] = { do_mkdir, 0 },
    [XS_RM] = { do_rm, 0 },
    [XS_SET_PERMS] = { do_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, XS_OP_PRIV },
    [XS_RESUME] = { do_resume, XS_OP_PRIV },
    [XS_SET_TARGET] = { do_set_target, XS_OP_PRIV },
    [XS_RESET_WATCHES] = { do_reset_watches, 0 },
    [XS_DIRECTORY_PART] = { do_directory_part, 0 },
};
