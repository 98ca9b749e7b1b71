/* SPDX-License-Identifier: MIT */
/*
 * xenstore_share suite: what each pool object costs and whom it is charged
 * to (nodes, transaction markers and copies, watches, pending events,
 * transactions), that every charge is given back (on RM, transaction end,
 * UNWATCH, RESET_WATCHES, a dropped connection, a domain's release), the
 * shares with their errors and log lines, charges a commit moves to other
 * domains, and the privileged reserve as a property of the connection.
 * Each test ends with xs_audit, whose own checks are tested last.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "unit.h"
#include "xenstore/xenstore_priv.h"
#include "xenstore_util.h"
#include "common/array_size.h"

#define RD(d, p)          xsu_op(d, XS_READ, 0, p, NULL)
#define WR(d, p, v)       xsu_write(d, 0, p, v)
#define RM(d, p)          xsu_op(d, XS_RM, 0, p, NULL)
#define WATCH(d, p, t)    xsu_op(d, XS_WATCH, 0, p, t)
#define UNWATCH(d, p, t)  xsu_op(d, XS_UNWATCH, 0, p, t)
#define TX_START(d)       xsu_op(d, XS_TRANSACTION_START, 0, "", NULL)
#define TX_END(d, t, how) xsu_op(d, XS_TRANSACTION_END, t, how, NULL)

/* The last limit the store reported, and how many. */
static domid_t limit_dom;
static char limit_what[128];
static unsigned int nr_limits;

static void on_limit(void *arg, domid_t domid, const char *what)
{
    (void)arg;
    limit_dom = domid;
    snprintf(limit_what, sizeof(limit_what), "%s", what);
    nr_limits++;
}

static void fresh(void)
{
    xsu_reset();
    xs_init(&xst);
    xst.limit_hook = on_limit;
    limit_dom = 0xffff;
    limit_what[0] = 0;
    nr_limits = 0;
    xs_introduce_domain(&xst, 1);
    xs_introduce_domain(&xst, 2);
}

static void audit(void)
{
    const char *why = xs_audit(&xst);

    EXPECT_STR(why ? why : "sound", "sound");
}

static void drain(domid_t d)
{
    while (xsu_event(d)[0])
        ;
}

static struct xs_usage use_of(domid_t d)
{
    struct xs_usage u = { 0 };

    xs_usage(&xst, d, &u);
    return u;
}

/* records, blocks, watches, events, transactions of d, as one string. */
static const char *use_str(domid_t d)
{
    static char buf[96];
    struct xs_usage u = use_of(d);

    snprintf(buf, sizeof(buf), "r%u b%u w%u e%u t%u", u.records, u.blocks, u.watches, u.events,
             u.transactions);
    return buf;
}

static const char *setperms(domid_t d, uint32_t tx, const char *path, const char *perms)
{
    static char buf[256];
    uint32_t len = (uint32_t)strlen(path) + 1, i;

    memcpy(buf, path, len);
    for (i = 0; perms[i]; i++)
        buf[len + i] = perms[i] == ' ' ? 0 : perms[i];
    buf[len + i] = 0;
    return xsu_req(d, XS_SET_PERMS, tx, buf, len + i + 1);
}

/* READs of absent "m<i>" in transaction tx from `from` until a reply other
 * than ENOENT; returns how many were ENOENT and leaves the last reply. */
static unsigned int read_absent(domid_t d, uint32_t tx, unsigned int from, const char **last)
{
    char p[32];
    unsigned int n = 0;

    for (;;) {
        snprintf(p, sizeof(p), "m%u", from + n);
        *last = xsu_op(d, XS_READ, tx, p, NULL);
        if (strcmp(*last, "!ENOENT"))
            return n;
        n++;
    }
}

/* A token of len 't's. */
static const char *token(unsigned int len)
{
    static char t[XENSTORE_PAYLOAD_MAX];

    memset(t, 't', len);
    t[len] = 0;
    return t;
}

/* Watches of `d` on its w<i> with long tokens (51 blocks each with its
 * path, 50 for its initial event), draining each initial event, until a
 * refusal: how many fitted. */
static unsigned int fill_watches(domid_t d, const char **last)
{
    char p[32];
    unsigned int n = 0;

    for (;;) {
        snprintf(p, sizeof(p), "/local/domain/%u/w%u", d, n);
        *last = WATCH(d, p, token(2950));
        if (strcmp(*last, "OK|"))
            return n;
        drain(d);
        n++;
    }
}

static void test_charges(void)
{
    fresh();
    /* A home: one record, its name's block. */
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    /* A node: record, name, value, and the parent's list grows a block. */
    EXPECT_STR(WR(1, "a", "v"), "OK|");
    EXPECT_STR(use_str(1), "r2 b4 w0 e0 t0");
    EXPECT_STR(WR(1, "a", token(100)), "OK|");
    EXPECT_STR(use_str(1), "r2 b5 w0 e0 t0");
    EXPECT_STR(RM(1, "a"), "OK|");
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    /* A watch: path and token; its initial event, until it is read. */
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "tok"), "OK|");
    EXPECT_STR(use_str(1), "r1 b4 w1 e1 t0");
    EXPECT_STR(xsu_event(1), "/local/domain/1/w|tok");
    EXPECT_STR(use_str(1), "r1 b3 w1 e0 t0");
    EXPECT_STR(UNWATCH(1, "/local/domain/1/w", "tok"), "OK|");
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    /* A transaction, and read markers: the absent node and its parent. */
    EXPECT_STR(TX_START(1), "1|");
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t1");
    EXPECT_STR(xsu_op(1, XS_READ, 1, "absent", NULL), "!ENOENT");
    EXPECT_STR(use_str(1), "r3 b3 w0 e0 t1");
    EXPECT_STR(TX_END(1, 1, "F"), "OK|");
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    EXPECT_STR(TX_START(1), "2|");
    EXPECT_STR(xsu_op(1, XS_READ, 2, "absent", NULL), "!ENOENT");
    EXPECT_STR(TX_END(1, 2, "T"), "OK|"); /* committed: same */
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    /* A transaction's copy of a node: its record, name and new value. */
    EXPECT_STR(WR(1, "c", "0"), "OK|");
    EXPECT_STR(use_str(1), "r2 b4 w0 e0 t0");
    EXPECT_STR(TX_START(1), "3|");
    EXPECT_STR(xsu_write(1, 3, "c", "1"), "OK|");
    EXPECT_STR(use_str(1), "r3 b6 w0 e0 t1");
    EXPECT_STR(TX_END(1, 3, "T"), "OK|");
    EXPECT_STR(use_str(1), "r2 b4 w0 e0 t0");
    EXPECT_STR(RD(1, "c"), "1");
    /* Pending events count for the watcher, not for the writer. */
    EXPECT_STR(WATCH(2, "/local/domain/1/c", "t"), "OK|");
    drain(2);
    EXPECT_STR(use_str(2), "r1 b3 w1 e0 t0");
    EXPECT_STR(setperms(1, 0, "c", "n1 r2"), "OK|");
    EXPECT_STR(use_str(2), "r1 b4 w1 e1 t0");
    EXPECT_STR(use_str(1), "r2 b4 w0 e0 t0");
    EXPECT_STR(xsu_event(2), "/local/domain/1/c|t");
    EXPECT_STR(use_str(2), "r1 b3 w1 e0 t0");
    /* RESET_WATCHES gives back watches and transactions. */
    EXPECT_STR(TX_START(2), "1|");
    EXPECT_STR(xsu_op(2, XS_RESET_WATCHES, 0, "", NULL), "OK|");
    EXPECT_STR(use_str(2), "r1 b1 w0 e0 t0");
    audit();
}

static void test_release(void)
{
    struct xsd_sockmsg h = { .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };
    static char out[XS_MSG_MAX];
    size_t len;
    unsigned int p, c;

    fresh();
    /* A dropped connection gives back its watches, transactions, events. */
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "tok"), "OK|");
    EXPECT_STR(TX_START(1), "1|");
    EXPECT_STR(xsu_op(1, XS_READ, 1, "absent", NULL), "!ENOENT");
    EXPECT_STR(use_str(1), "r3 b6 w1 e1 t1");
    EXPECT_INT(xs_handle(&xst, 1, false, &h, "", out, sizeof(out), &len), -XEN_EBADMSG);
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    /* Released: everything it had, its record too; only domain 2 is
     * left on the unprivileged side. */
    EXPECT_STR(WR(1, "n/deep", "v"), "OK|");
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "tok"), "OK|");
    EXPECT_STR(TX_START(1), "2|");
    EXPECT_STR(xsu_write(1, 2, "n/deep", "w"), "OK|");
    EXPECT_STR(WATCH(2, "/local/domain/2/x", "t"), "OK|");
    xs_release_domain(&xst, 1);
    EXPECT_TRUE(!xs_usage(&xst, 1, &(struct xs_usage){ 0 }));
    for (c = 0; c < XS_CONNS_MAX && !(xst.conn[c].used && xst.conn[c].domid == 2); c++)
        ;
    ASSERT_TRUE(c < XS_CONNS_MAX);
    for (p = 0; p < XS_POOL_KINDS; p++) {
        char label[48];

        snprintf(label, sizeof(label), "pool %u: expected %u, got %u", p, xst.conn[c].use[p],
                 xst.unpriv_use[p]);
        EXPECT_TRUE_CASE(xst.unpriv_use[p] == xst.conn[c].use[p], label);
    }
    EXPECT_STR(use_str(2), "r1 b4 w1 e1 t0");
    audit();
}

static void test_share_records(void)
{
    const char *r;
    /* What a transaction gives before its own quota, with the parent's marker. */
    const unsigned int first = XS_QUOTA_TX_NODES - 1;
    /* The rest of the share, less the home and the second parent marker. */
    const unsigned int second = XS_SHARE_RECORDS - 1 - XS_QUOTA_TX_NODES - 1;

    fresh();
    EXPECT_STR(TX_START(1), "1|");
    EXPECT_INT(read_absent(1, 1, 0, &r), first);
    EXPECT_STR(r, "!ENOSPC");
    EXPECT_STR(limit_what, "request: quota of 1024 nodes per transaction reached");
    EXPECT_STR(TX_START(1), "2|");
    EXPECT_INT(read_absent(1, 2, 0, &r), second);
    EXPECT_STR(r, "!ENOMEM");
    EXPECT_INT(limit_dom, 1);
    EXPECT_STR(limit_what, "request: share of 1280 node records used up");
    EXPECT_INT(use_of(1).records, XS_SHARE_RECORDS);
    /* At its share: no new node, no new marker; reads outside are free. */
    EXPECT_STR(WR(1, "x", "v"), "!ENOMEM");
    EXPECT_STR(xsu_op(1, XS_READ, 2, "other", NULL), "!ENOMEM");
    EXPECT_STR(RD(1, "/local/domain/1"), "");
    /* Another domain has all of its own share. */
    EXPECT_STR(TX_START(2), "1|");
    EXPECT_INT(read_absent(2, 1, 0, &r), first);
    EXPECT_STR(TX_START(2), "2|");
    EXPECT_INT(read_absent(2, 2, 0, &r), second);
    EXPECT_STR(r, "!ENOMEM");
    /* The privileged connection is not limited. */
    EXPECT_STR(TX_START(0), "1|");
    EXPECT_INT(read_absent(0, 1, 0, &r) >= 2 * XS_QUOTA_TX_NODES, 1);
    EXPECT_STR(TX_END(0, 1, "F"), "OK|");
    EXPECT_STR(WR(0, "/d0/node", "v"), "OK|");
    /* Ending a transaction gives its markers back. */
    EXPECT_STR(TX_END(1, 1, "F"), "OK|");
    EXPECT_INT(use_of(1).records, XS_SHARE_RECORDS - XS_QUOTA_TX_NODES);
    EXPECT_STR(WR(1, "x", "v"), "OK|");
    audit();
}

static void test_share_blocks(void)
{
    const char *r;
    unsigned int n, room;
    char v[XENSTORE_PAYLOAD_MAX];

    fresh();
    EXPECT_STR(WR(1, "f", "x"), "OK|");
    n = fill_watches(1, &r);
    EXPECT_STR(r, "!ENOMEM");
    EXPECT_INT(n, (XS_SHARE_BLOCKS - 4) / 51);
    EXPECT_STR(limit_what, "request: share of 3072 blocks used up");
    /* The last watch's initial event did not fit either: dropped. */
    EXPECT_INT(nr_limits, 2);
    EXPECT_INT(use_of(1).events, 0);
    room = XS_SHARE_BLOCKS - use_of(1).blocks;
    ASSERT_TRUE(room < 51);
    /* Rewriting a value takes only what it grows by. */
    EXPECT_STR(WR(1, "f", "y"), "OK|");
    memset(v, 'v', sizeof(v));
    v[(room + 1) * XS_BLOCK_BYTES + 1] = 0; /* grows by room + 1 blocks */
    EXPECT_STR(WR(1, "f", v), "!ENOMEM");
    v[(room + 1) * XS_BLOCK_BYTES] = 0; /* by room blocks */
    EXPECT_STR(WR(1, "f", v), "OK|");
    EXPECT_INT(use_of(1).blocks, XS_SHARE_BLOCKS);
    EXPECT_INT(strlen(RD(1, "f")), (room + 1) * XS_BLOCK_BYTES);
    /* Domain 2 still has its whole share (beside a watch of 2 blocks). */
    EXPECT_STR(WATCH(2, "/local/domain/1/f", "t"), "OK|");
    drain(2);
    EXPECT_INT(fill_watches(2, &r), (XS_SHARE_BLOCKS - 3) / 51);
    EXPECT_STR(r, "!ENOMEM");
    EXPECT_INT(limit_dom, 2);
    audit();
}

static void test_share_watches_transactions(void)
{
    char t[16];
    unsigned int i;

    fresh();
    for (i = 0; i < XS_SHARE_WATCHES; i++) {
        snprintf(t, sizeof(t), "t%u", i);
        EXPECT_STR(WATCH(1, "/local/domain/1/w", t), "OK|");
    }
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "more"), "!E2BIG");
    EXPECT_STR(limit_what, "request: share of 129 watches used up");
    /* 129 events fire, 128 are kept. */
    drain(1);
    EXPECT_STR(WR(1, "w", "x"), "OK|");
    EXPECT_INT(use_of(1).events, XS_SHARE_EVENTS);
    EXPECT_STR(limit_what, "watch event: share of 128 pending watch events used up");
    drain(1);
    for (i = 0; i < XS_SHARE_TX; i++)
        EXPECT_TRUE(TX_START(1)[0] != '!');
    EXPECT_STR(TX_START(1), "!ENOSPC");
    EXPECT_INT(limit_dom, 1);
    EXPECT_STR(limit_what, "request: share of 11 transactions used up");
    /* A privileged watcher's pending events stop at the same quota. */
    for (i = 0; i < XS_QUOTA_EVENTS + 10; i++) {
        snprintf(t, sizeof(t), "t%u", i);
        EXPECT_STR(WATCH(0, "/local/domain/2", t), "OK|");
    }
    EXPECT_INT(use_of(0).events, XS_QUOTA_EVENTS);
    EXPECT_INT(limit_dom, 0);
    EXPECT_STR(limit_what, "watch event: quota of 128 pending watch events reached");
    audit();
}

/* A commit moves what the transaction holds to the nodes' owners; a
 * write outside one charges the owner at once: either way the owner's
 * share holds. */
static void test_share_of_owner(void)
{
    char big[2001];
    const char *r;
    unsigned int room;

    fresh();
    memset(big, 'b', 2000);
    big[2000] = 0;
    EXPECT_STR(WR(2, "shared", ""), "OK|");
    EXPECT_STR(setperms(2, 0, "shared", "n2 b1"), "OK|");
    EXPECT_STR(WR(2, "open", ""), "OK|");
    EXPECT_STR(setperms(2, 0, "open", "n2 b1"), "OK|");
    fill_watches(2, &r);
    room = XS_SHARE_BLOCKS - use_of(2).blocks;
    EXPECT_TRUE(room < 34);
    /* Outside a transaction: charged to domain 2, refused for it. */
    EXPECT_STR(WR(1, "/local/domain/2/shared", big), "!ENOMEM");
    EXPECT_INT(limit_dom, 2);
    EXPECT_STR(limit_what, "request by d1: share of 3072 blocks used up");
    /* Inside one it is domain 1's until the commit, which is refused. */
    EXPECT_STR(TX_START(1), "1|");
    EXPECT_STR(xsu_write(1, 1, "/local/domain/2/shared", big), "OK|");
    limit_dom = 0xffff;
    EXPECT_STR(TX_END(1, 1, "T"), "!ENOMEM");
    EXPECT_INT(limit_dom, 2);
    EXPECT_STR(limit_what, "commit by d1: share of 3072 blocks used up");
    EXPECT_STR(RD(2, "shared"), "");
    EXPECT_STR(TX_END(1, 1, "T"), "!ENOENT"); /* it ended */
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    /* The same commit fits once domain 2 has room. */
    EXPECT_STR(xsu_op(2, XS_RESET_WATCHES, 0, "", NULL), "OK|");
    room = use_of(2).blocks;
    EXPECT_STR(TX_START(1), "2|");
    EXPECT_STR(xsu_write(1, 2, "/local/domain/2/shared", big), "OK|");
    EXPECT_STR(TX_END(1, 2, "T"), "OK|");
    EXPECT_INT(use_of(2).blocks, room + 34);
    EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    /* A parent's longer list is its owner's: a 500-byte name is 10 blocks
     * more of domain 2's, which has 8. */
    EXPECT_STR(WR(2, "shared", ""), "OK|");
    fill_watches(2, &r);
    EXPECT_INT(XS_SHARE_BLOCKS - use_of(2).blocks, 8);
    {
        char p[XENSTORE_PAYLOAD_MAX + 32];

        snprintf(p, sizeof(p), "/local/domain/2/open/%s", token(500));
        EXPECT_STR(WR(1, p, ""), "!ENOMEM");
        EXPECT_INT(limit_dom, 2);
        EXPECT_STR(limit_what, "request by d1: share of 3072 blocks used up");
        EXPECT_STR(use_str(1), "r1 b1 w0 e0 t0");
    }
    EXPECT_STR(xsu_op(2, XS_RESET_WATCHES, 0, "", NULL), "OK|");
    EXPECT_STR(WR(1, "/local/domain/2/open/child", ""), "OK|");
    EXPECT_STR(use_str(1), "r2 b2 w0 e0 t0"); /* the child is domain 1's */
    audit();
}

/* An RM in a transaction takes a marker for every node it removes: one
 * that runs out of them midway (its quota, or the share) leaves the
 * transaction unable to commit (ENOMEM), and the tree as it was. */
static void test_rm_midway(void)
{
    char p[32];
    const char *r;
    unsigned int i, n;

    for (unsigned int share = 0; share < 2; share++) {
        fresh();
        for (i = 0; i < 30; i++) {
            snprintf(p, sizeof(p), "sub/n%u", i);
            ASSERT_TRUE(!strcmp(WR(1, p, "v"), "OK|"));
        }
        if (share) {
            /* Leave 10 records of the share. */
            EXPECT_STR(TX_START(1), "1|");
            read_absent(1, 1, 0, &r);
            EXPECT_STR(TX_START(1), "2|");
            for (n = 0; use_of(1).records < XS_SHARE_RECORDS - 10; n++) {
                snprintf(p, sizeof(p), "m%u", n);
                ASSERT_TRUE(!strcmp(xsu_op(1, XS_READ, 2, p, NULL), "!ENOENT"));
            }
        } else {
            /* Leave 10 markers of the transaction's quota. */
            EXPECT_STR(TX_START(1), "1|");
            EXPECT_STR(TX_START(1), "2|");
            for (n = 0; n < XS_QUOTA_TX_NODES - 11; n++) {
                snprintf(p, sizeof(p), "m%u", n);
                ASSERT_TRUE(!strcmp(xsu_op(1, XS_READ, 2, p, NULL), "!ENOENT"));
            }
        }
        EXPECT_STR(xsu_op(1, XS_RM, 2, "sub", NULL), share ? "!ENOMEM" : "!ENOSPC");
        EXPECT_STR(TX_END(1, 2, "T"), "!ENOMEM");
        EXPECT_STR(RD(1, "sub/n0"), "v");
        EXPECT_STR(RD(1, "sub/n29"), "v");
        audit();
    }
}

/* The privileged domain may still write what a guest owns when the guest is
 * at its share (a toolstack setting up its devices): counted, not limited. */
static void test_privileged_writes_for_guest(void)
{
    const char *r;

    fresh();
    EXPECT_STR(TX_START(1), "1|");
    read_absent(1, 1, 0, &r);
    EXPECT_STR(TX_START(1), "2|");
    read_absent(1, 2, 0, &r);
    EXPECT_STR(r, "!ENOMEM");
    EXPECT_STR(WR(0, "/local/domain/1/device/x", "v"), "OK|");
    EXPECT_STR(xsu_op(0, XS_GET_PERMS, 0, "/local/domain/1/device/x", NULL), "n1|");
    EXPECT_INT(use_of(1).records, XS_SHARE_RECORDS + 2);
    EXPECT_STR(WR(1, "more", "v"), "!ENOMEM");
    audit();
}

/*
 * More unprivileged domains than there are shares: together they stop at
 * the reserve, which privileged connections still use, whatever their
 * domain id; and the privilege is the connection's, not domain 0's.
 */
static void test_reserve(void)
{
    const char *r;
    char p[48];
    unsigned int d, n, last;
    const unsigned int guests = XS_SHARE_DOMAINS + 4;

    fresh();
    xsu_privileged[40] = true; /* a backend's own id */
    for (d = 3; d <= guests; d++)
        xs_introduce_domain(&xst, (domid_t)d);
    xs_introduce_domain(&xst, 40);
    for (d = 1; d <= guests; d++) {
        uint32_t tx = 0;

        for (n = 0;;) {
            char id[16];
            unsigned int got;

            snprintf(id, sizeof(id), "%s", TX_START((domid_t)d));
            tx = (uint32_t)strtoul(id, NULL, 10);
            got = read_absent((domid_t)d, tx, n, &r);
            n += got;
            if (strcmp(r, "!ENOSPC"))
                break;
        }
        EXPECT_STR(r, "!ENOMEM");
        last = n;
        if (d < XS_SHARE_DOMAINS)
            EXPECT_STR(limit_what, "request: share of 1280 node records used up");
    }
    /* The homes of the last domains took part of the 16th share. */
    EXPECT_STR(limit_what, "request: node records down to the privileged reserve");
    EXPECT_INT(last, 0);
    EXPECT_INT(xst.unpriv_use[XS_POOL_RECORDS], XS_NODES_MAX - XS_RESERVE_RECORDS);
    /* The reserve is the privileged connections', domain 0 or not. */
    for (n = 0; n < 900; n++) {
        snprintf(p, sizeof(p), "/d0/n%u", n);
        if (strcmp(WR(0, p, "v"), "OK|"))
            break;
        snprintf(p, sizeof(p), "/backend/n%u", n);
        if (strcmp(WR(40, p, "v"), "OK|"))
            break;
    }
    EXPECT_INT(n, 900);
    EXPECT_STR(TX_START(40), "1|");
    EXPECT_STR(WATCH(40, "/backend", "b"), "OK|");
    /* A released guest's share is free again for the others. */
    xs_release_domain(&xst, 1);
    EXPECT_STR(WR((domid_t)guests, "now", "v"), "OK|");
    audit();

    /* Domain 0 without privilege is a guest like the others: the layout
     * it owns counts for its share. */
    fresh();
    xsu_privileged[0] = false;
    xsu_privileged[40] = true;
    xs_introduce_domain(&xst, 40);
    EXPECT_STR(TX_START(0), "1|");
    read_absent(0, 1, 0, &r);
    EXPECT_STR(TX_START(0), "2|");
    read_absent(0, 2, 0, &r);
    EXPECT_STR(r, "!ENOMEM");
    EXPECT_INT(limit_dom, 0);
    EXPECT_INT(use_of(0).records, XS_SHARE_RECORDS);
    EXPECT_STR(RD(0, "/local/domain/1"), "!EACCES");
    EXPECT_STR(WR(40, "/local/domain/0/by-backend", "v"), "OK|");
    EXPECT_STR(RD(40, "/local/domain/1"), "");
    audit();
}

static void test_reserve_blocks(void)
{
    const char *r;
    unsigned int d, n = 0;
    const unsigned int guests = XS_SHARE_DOMAINS + 2;

    fresh();
    for (d = 3; d <= guests; d++)
        xs_introduce_domain(&xst, (domid_t)d);
    for (d = 1; d <= guests; d++)
        n = fill_watches((domid_t)d, &r);
    EXPECT_INT(n, 0);
    EXPECT_STR(limit_what, "request: blocks down to the privileged reserve");
    EXPECT_TRUE(xst.unpriv_use[XS_POOL_BLOCKS] <= XS_BLOCKS_MAX - XS_RESERVE_BLOCKS);
    /* The privileged domain still hears of the longest paths a guest may
     * write, at its full event quota. */
    for (n = 0; n < XS_QUOTA_EVENTS; n++) {
        char t[16];

        snprintf(t, sizeof(t), "t%u", n);
        EXPECT_STR(WATCH(0, "/local/domain/1", t), "OK|");
    }
    drain(0);
    {
        char p[XENSTORE_PAYLOAD_MAX + 32];

        snprintf(p, sizeof(p), "/local/domain/1/%s", token(XENSTORE_REL_PATH_MAX));
        EXPECT_STR(WR(0, p, ""), "OK|");
    }
    EXPECT_INT(use_of(0).events, XS_QUOTA_EVENTS);
    audit();
}

/* xs_audit finds what it claims to check. */
static void test_audit_detects(void)
{
    static const struct {
        const char *what, *want;
    } cases[] = {
        { "use", "a domain's pool use differs from the recount" },
        { "unpriv", "unprivileged total" },
        { "leak", "blocks leaked" },
        { "owner", "tree node not charged to its owner" },
        { "nodes", "owned-node count" },
        { "tail", "event tail" },
        { "accessed", "transaction's record count" },
        { "acl", "ACL size" },
        { "list", "listed child missing" },
        { "hash", "record not found under its name" },
        { "free", "node free count" },
    };

    for (unsigned int c = 0; c < ARRAY_SIZE(cases); c++) {
        uint32_t i;
        const char *why;

        fresh();
        EXPECT_STR(WR(1, "a/b", "v"), "OK|");
        EXPECT_STR(WATCH(1, "/local/domain/1/a", "t"), "OK|");
        EXPECT_STR(TX_START(1), "1|");
        EXPECT_STR(xsu_op(1, XS_READ, 1, "absent", NULL), "!ENOENT");
        ASSERT_TRUE(xs_audit(&xst) == NULL);
        i = xs_find(&xst, 0, "/local/domain/1/a", 17);
        ASSERT_TRUE(i != 0);
        if (!strcmp(cases[c].what, "hash")) /* a marker: nobody's child */
            i = xs_find(&xst, 1, "/local/domain/1/absent", 22);
        ASSERT_TRUE(i != 0);
        if (!strcmp(cases[c].what, "use"))
            xst.conn[1].use[XS_POOL_WATCHES]++;
        else if (!strcmp(cases[c].what, "unpriv"))
            xst.unpriv_use[XS_POOL_TX]++;
        else if (!strcmp(cases[c].what, "leak")) {
            xst.free_block = xst.block[xst.free_block - 1].next;
            xst.nr_free_blocks--;
        } else if (!strcmp(cases[c].what, "owner"))
            xst.node[i - 1].charged = 2;
        else if (!strcmp(cases[c].what, "nodes"))
            xst.conn[1].nodes++;
        else if (!strcmp(cases[c].what, "tail"))
            xst.conn[1].ev_tail = 0;
        else if (!strcmp(cases[c].what, "accessed"))
            xst.tx[0].accessed++;
        else if (!strcmp(cases[c].what, "acl"))
            xst.node[i - 1].nperms = 0;
        else if (!strcmp(cases[c].what, "list"))
            xst.block[xst.node[i - 1].children - 1].data[0] = 'z';
        else if (!strcmp(cases[c].what, "hash"))
            xst.block[xst.node[i - 1].name - 1].data[1] = 'L';
        else if (!strcmp(cases[c].what, "free"))
            xst.nr_free_nodes++;
        why = xs_audit(&xst);
        EXPECT_TRUE_CASE(why && !strcmp(why, cases[c].want), cases[c].what);
    }
}

static const struct unit_test xenstore_share_tests[] = {
    { "charges", test_charges },
    { "release", test_release },
    { "share_records", test_share_records },
    { "share_blocks", test_share_blocks },
    { "share_watches_transactions", test_share_watches_transactions },
    { "share_of_owner", test_share_of_owner },
    { "rm_midway", test_rm_midway },
    { "privileged_writes_for_guest", test_privileged_writes_for_guest },
    { "reserve", test_reserve },
    { "reserve_blocks", test_reserve_blocks },
    { "audit_detects", test_audit_detects },
};

void register_xenstore_share_tests(void)
{
    UNIT_SUITE("xenstore_share", xenstore_share_tests);
}
