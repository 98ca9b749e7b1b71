/* SPDX-License-Identifier: MIT */
/*
 * xenstore_model suite: seeded random READ/WRITE/MKDIR/RM/DIRECTORY/
 * GET_PERMS/SET_PERMS from dom0 and three guests, some of them inside
 * transactions that commit or abort, checked reply by reply against a
 * reference model (a table of path -> value, ACL, creation order) written
 * from xenstored's rules, with xs_audit as a second oracle. At the end of
 * each seed the guests are released: nothing may stay charged to them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "xenstore_util.h"

#define SEEDS  8
#define STEPS  1500
#define MNODES 400

struct mnode {
    bool used;
    char path[64];
    char val[16];
    unsigned nperms;
    uint32_t id[5];
    uint8_t perm[5];
    uint32_t seq;
};

struct model {
    struct mnode n[MNODES];
    uint32_t seq;
};

static struct model m, saved;
static uint64_t rng;
static char expect[XS_MSG_MAX];

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned int pick(unsigned int n)
{
    return (unsigned int)(rnd() % n);
}

static int find(const char *p)
{
    int i;

    for (i = 0; i < MNODES; i++)
        if (m.n[i].used && !strcmp(m.n[i].path, p))
            return i;
    return -1;
}

static void parent(const char *p, char *out)
{
    const char *sl = strrchr(p, '/');

    if (sl == p)
        strcpy(out, "/");
    else {
        memcpy(out, p, (size_t)(sl - p));
        out[sl - p] = 0;
    }
}

static unsigned int perm(domid_t d, const struct mnode *n)
{
    unsigned int i;

    if (d == 0 || n->id[0] == d)
        return 1 | 2 | 8;
    for (i = 1; i < n->nperms; i++)
        if (n->id[i] == d)
            return n->perm[i];
    return n->perm[0];
}

/* xenstored's access rule: 0 and the node, or the errno. */
static const char *get_node(domid_t d, const char *p, unsigned int need, int *idx)
{
    char q[64];
    const char *err;
    int i = find(p);

    *idx = i;
    if (i >= 0 && (perm(d, &m.n[i]) & need) == need)
        return NULL;
    err = i >= 0 ? "!EACCES" : "!ENOENT";
    strcpy(q, p);
    do {
        parent(q, q);
        i = find(q);
    } while (i < 0);
    return (perm(d, &m.n[i]) & need) ? err : "!EACCES";
}

static int add(const char *p, const struct mnode *acl)
{
    int i;

    for (i = 0; i < MNODES && m.n[i].used; i++)
        ;
    ASSERT_TRUE(i < MNODES);
    m.n[i] = *acl;
    m.n[i].used = true;
    strcpy(m.n[i].path, p);
    m.n[i].val[0] = 0;
    m.n[i].seq = ++m.seq;
    return i;
}

static int create(domid_t d, const char *p)
{
    char q[64];
    struct mnode acl;
    int i;
    size_t off;

    strcpy(q, p);
    do {
        parent(q, q);
        i = find(q);
    } while (i < 0);
    acl = m.n[i];
    if (d != 0)
        acl.id[0] = d;
    for (off = strlen(q) + 1;; off++) {
        if (p[off] && p[off] != '/')
            continue;
        memcpy(q, p, off);
        q[off] = 0;
        i = add(q, &acl);
        if (!p[off])
            return i;
    }
}

static void rm_tree(const char *p)
{
    size_t len = strlen(p);
    int i;

    for (i = 0; i < MNODES; i++)
        if (m.n[i].used && !strncmp(m.n[i].path, p, len) &&
            (m.n[i].path[len] == 0 || m.n[i].path[len] == '/'))
            m.n[i].used = false;
}

static const char *children(const char *p)
{
    uint32_t last = 0;
    size_t o = 0;
    char q[64];

    expect[0] = 0;
    for (;;) {
        int i, best = -1;

        for (i = 0; i < MNODES; i++) {
            if (!m.n[i].used || !strcmp(m.n[i].path, "/"))
                continue;
            parent(m.n[i].path, q);
            if (strcmp(q, p) || m.n[i].seq <= last)
                continue;
            if (best < 0 || m.n[i].seq < m.n[best].seq)
                best = i;
        }
        if (best < 0)
            return expect;
        last = m.n[best].seq;
        o += (size_t)sprintf(expect + o, "%s|", strrchr(m.n[best].path, '/') + 1);
    }
}

static const char *perms_str(const struct mnode *n)
{
    static const char letter[] = "nrwb";
    size_t o = 0;
    unsigned int i;

    for (i = 0; i < n->nperms; i++)
        o += (size_t)sprintf(expect + o, "%c%u|", letter[n->perm[i] & 3], n->id[i]);
    return expect;
}

static void random_path(char *p)
{
    static const char *const roots[] = {
        "/local/domain/1",
        "/local/domain/2",
        "/local/domain/3",
        "/s",
    };
    unsigned int depth = 1 + pick(3), i;

    strcpy(p, roots[pick(4)]);
    for (i = 0; i < depth; i++)
        strcat(p, (const char *[]){ "/a", "/b", "/c" }[pick(3)]);
}

static bool check(const char *got, const char *want, const char *what, const char *path, domid_t d,
                  unsigned int seed, unsigned int step)
{
    char label[256];

    if (!strcmp(got, want))
        return true;
    snprintf(label, sizeof(label), "seed %u step %u: %s %s by d%u: expected \"%s\", got \"%s\"",
             seed, step, what, path, d, want, got);
    return EXPECT_TRUE_CASE(false, label);
}

/* One random operation by d (in transaction tx); false on a mismatch. */
static bool step(unsigned int seed, unsigned int n, domid_t d, uint32_t tx)
{
    char p[64], val[16], pl[64];
    const char *err;
    struct mnode acl;
    unsigned int op = pick(100), i;
    int idx;

    random_path(p);
    if (op < 25) {
        err = get_node(d, p, 1, &idx);
        return check(xsu_op(d, XS_READ, tx, p, NULL), err ? err : m.n[idx].val, "read", p, d, seed,
                     n);
    }
    if (op < 50) {
        snprintf(val, sizeof(val), "v%u", pick(1000));
        err = get_node(d, p, 2, &idx);
        if (err && !strcmp(err, "!ENOENT"))
            idx = create(d, p), err = NULL;
        if (!err)
            strcpy(m.n[idx].val, val);
        return check(xsu_write(d, tx, p, val), err ? err : "OK|", "write", p, d, seed, n);
    }
    if (op < 58) {
        err = get_node(d, p, 2, &idx);
        if (err && !strcmp(err, "!ENOENT"))
            create(d, p), err = NULL;
        return check(xsu_op(d, XS_MKDIR, tx, p, NULL), err ? err : "OK|", "mkdir", p, d, seed, n);
    }
    if (op < 70) {
        err = get_node(d, p, 2, &idx);
        if (err && !strcmp(err, "!ENOENT")) {
            parent(p, pl);
            err = find(pl) >= 0 ? NULL : "!ENOENT";
        } else if (!err)
            rm_tree(p);
        return check(xsu_op(d, XS_RM, tx, p, NULL), err ? err : "OK|", "rm", p, d, seed, n);
    }
    if (op < 80) {
        err = get_node(d, p, 1, &idx);
        return check(xsu_op(d, XS_DIRECTORY, tx, p, NULL), err ? err : children(p), "directory", p,
                     d, seed, n);
    }
    if (op < 88) {
        err = get_node(d, p, 1, &idx);
        return check(xsu_op(d, XS_GET_PERMS, tx, p, NULL), err ? err : perms_str(&m.n[idx]),
                     "get_perms", p, d, seed, n);
    }
    /* SET_PERMS: usually keeping the owner (a guest may not change it). */
    memset(&acl, 0, sizeof(acl));
    acl.nperms = 1 + pick(3);
    idx = find(p);
    acl.id[0] = (d == 0 || pick(10) == 0 || idx < 0) ? pick(4) : m.n[idx].id[0];
    acl.perm[0] = (uint8_t)pick(4);
    for (i = 1; i < acl.nperms; i++) {
        acl.id[i] = 1 + pick(3);
        acl.perm[i] = (uint8_t)pick(4);
    }
    {
        char buf[128];
        size_t o = strlen(p) + 1;

        memcpy(buf, p, o);
        for (i = 0; i < acl.nperms; i++)
            o += (size_t)sprintf(buf + o, "%c%u", "nrwb"[acl.perm[i]], acl.id[i]) + 1;
        err = get_node(d, p, 2 | 8, &idx);
        if (!err && d != 0 && acl.id[0] != m.n[idx].id[0])
            err = "!EPERM";
        if (!err) {
            m.n[idx].nperms = acl.nperms;
            memcpy(m.n[idx].id, acl.id, sizeof(acl.id));
            memcpy(m.n[idx].perm, acl.perm, sizeof(acl.perm));
        }
        return check(xsu_req(d, XS_SET_PERMS, tx, buf, (uint32_t)o), err ? err : "OK|", "set_perms",
                     p, d, seed, n);
    }
}

/* The whole tree, as dom0 sees it, equals the model. */
static bool compare_all(unsigned int seed)
{
    int i;

    for (i = 0; i < MNODES; i++) {
        if (!m.n[i].used)
            continue;
        if (!check(xsu_op(0, XS_READ, 0, m.n[i].path, NULL), m.n[i].val, "final read", m.n[i].path,
                   0, seed, STEPS) ||
            !check(xsu_op(0, XS_GET_PERMS, 0, m.n[i].path, NULL), perms_str(&m.n[i]), "final perms",
                   m.n[i].path, 0, seed, STEPS) ||
            !check(xsu_op(0, XS_DIRECTORY, 0, m.n[i].path, NULL), children(m.n[i].path),
                   "final directory", m.n[i].path, 0, seed, STEPS))
            return false;
    }
    return true;
}

static void model_init(void)
{
    static const char *const base[] = { "/", "/local", "/local/domain" };
    struct mnode acl = { .nperms = 1 };
    unsigned int i;
    char p[32];

    memset(&m, 0, sizeof(m));
    for (i = 0; i < 3; i++)
        add(base[i], &acl);
    xsu_reset();
    xs_init(&xst);
    for (i = 1; i <= 3; i++) {
        xs_introduce_domain(&xst, (domid_t)i);
        snprintf(p, sizeof(p), "/local/domain/%u", i);
        acl.id[0] = i;
        add(p, &acl);
    }
}

/* Releasing the guests gives back all they held: only domain 0, which is
 * privileged, has anything left, and the unprivileged totals are zero. */
static bool released_clean(unsigned int seed)
{
    char label[64];
    unsigned int d, p;

    for (d = 1; d <= 3; d++)
        xs_release_domain(&xst, (domid_t)d);
    for (d = 1; d <= 3; d++) {
        snprintf(label, sizeof(label), "seed %u: d%u still known after release", seed, d);
        if (!EXPECT_TRUE_CASE(!xs_usage(&xst, (domid_t)d, &(struct xs_usage){ 0 }), label))
            return false;
    }
    for (p = 0; p < XS_POOL_KINDS; p++) {
        snprintf(label, sizeof(label), "seed %u: unprivileged use of pool %u", seed, p);
        if (!EXPECT_TRUE_CASE(xst.unpriv_use[p] == 0, label))
            return false;
    }
    return EXPECT_TRUE(xs_audit(&xst) == NULL);
}

static void test_random(void)
{
    unsigned int seed, n, tx_left = 0, commits = 0, aborts = 0;
    uint32_t tx = 0;
    domid_t txdom = 0;
    char id[16];

    for (seed = 1; seed <= SEEDS; seed++) {
        rng = 0x9e3779b97f4a7c15ull * seed;
        model_init();
        for (n = 0; n < STEPS; n++) {
            domid_t d = (domid_t)pick(4);

            if (!tx && pick(40) == 0) {
                txdom = d;
                snprintf(id, sizeof(id), "%s", xsu_op(d, XS_TRANSACTION_START, 0, "", NULL));
                ASSERT_TRUE(id[0] >= '1' && id[0] <= '9');
                tx = (uint32_t)atoi(id);
                tx_left = 1 + pick(12);
                saved = m;
            }
            if (tx)
                d = txdom;
            if (!step(seed, n, d, tx))
                return;
            if (tx && !--tx_left) {
                bool commit = pick(3) != 0;

                if (!check(xsu_op(d, XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL), "OK|",
                           "transaction end", commit ? "T" : "F", d, seed, n))
                    return;
                if (commit)
                    commits++;
                else {
                    m = saved;
                    aborts++;
                }
                tx = 0;
            }
            if (n % 100 == 0) {
                const char *why = xs_audit(&xst);

                if (why) {
                    EXPECT_STR(why, "sound");
                    return;
                }
            }
        }
        if (tx) {
            EXPECT_STR(xsu_op(txdom, XS_TRANSACTION_END, tx, "T", NULL), "OK|");
            tx = 0;
        }
        if (!compare_all(seed))
            return;
        EXPECT_TRUE(xs_audit(&xst) == NULL);
        if (!released_clean(seed))
            return;
    }
    EXPECT_TRUE(commits > 10 && aborts > 3);
}

static const struct unit_test xenstore_model_tests[] = {
    { "random_vs_model", test_random },
};

void register_xenstore_model_tests(void)
{
    UNIT_SUITE("xenstore_model", xenstore_model_tests);
}
