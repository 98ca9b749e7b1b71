/* SPDX-License-Identifier: MIT */
/*
 * xenstore suite: every wire operation and error of hypervisor/xenstore/xenstore.c
 * against what Xen 4.17's xenstored answers: paths and their limits,
 * malformed messages, permissions and ownership, transactions, watches,
 * @introduceDomain/@releaseDomain, and per-domain quotas. Each test starts
 * from a fresh store with domains 1 and 2 introduced and ends with xs_audit.
 * The driver all xenstore suites use is xenstore_util.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "unit.h"
#include "xenstore_util.h"
#include "common/array_size.h"

/* test_malformed's own message buffers. */
static char out[XS_MSG_MAX + 1];
static char payload[XENSTORE_PAYLOAD_MAX * 2];

#define RD(d, p)         xsu_op(d, XS_READ, 0, p, NULL)
#define WR(d, p, v)      xsu_write(d, 0, p, v)
#define MKDIR(d, p)      xsu_op(d, XS_MKDIR, 0, p, NULL)
#define RM(d, p)         xsu_op(d, XS_RM, 0, p, NULL)
#define DIR(d, p)        xsu_op(d, XS_DIRECTORY, 0, p, NULL)
#define PERMS(d, p)      xsu_op(d, XS_GET_PERMS, 0, p, NULL)
#define WATCH(d, p, t)   xsu_op(d, XS_WATCH, 0, p, t)
#define UNWATCH(d, p, t) xsu_op(d, XS_UNWATCH, 0, p, t)

/* SET_PERMS with perms given as "n1 r2" (space separated). */
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

static void fresh(void)
{
    xsu_reset();
    xs_init(&xst);
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

static void test_layout(void)
{
    fresh();
    EXPECT_STR(DIR(0, "/"), "local|");
    EXPECT_STR(DIR(0, "/local/domain"), "1|2|");
    EXPECT_STR(RD(0, "/local"), "");
    EXPECT_STR(PERMS(0, "/"), "n0|");
    EXPECT_STR(PERMS(0, "/local/domain/1"), "n1|");
    EXPECT_STR(PERMS(0, "@releaseDomain"), "n0|");
    EXPECT_STR(PERMS(1, "/local/domain/1"), "n1|");
    EXPECT_STR(xsu_op(1, XS_GET_DOMAIN_PATH, 0, "5", NULL), "/local/domain/5|");
    EXPECT_STR(xsu_op(1, XS_GET_DOMAIN_PATH, 0, "x", NULL), "/local/domain/0|");
    EXPECT_TRUE(xs_domain_introduced(&xst, 1));
    EXPECT_TRUE(!xs_domain_introduced(&xst, 3));
    audit();
}

static void test_paths(void)
{
    static char p[XENSTORE_ABS_PATH_MAX + 100];
    static const char *const bad[] = {
        "/a//b", "/a/", "", "/a b", "/a\x01", "a/", "/\xc3\xa9", "/a/./b!", "@foo",
    };
    unsigned int i;

    fresh();
    EXPECT_STR(WR(1, "rel/x", "v"), "OK|");
    EXPECT_STR(RD(1, "/local/domain/1/rel/x"), "v");
    EXPECT_STR(RD(0, "/local/domain/1/rel/x"), "v");
    EXPECT_STR(WR(0, "zero", "z"), "OK|"); /* dom0: /local/domain/0 */
    EXPECT_STR(RD(0, "/local/domain/0/zero"), "z");
    EXPECT_STR(WR(0, "/a-b_C9/@x", "1"), "OK|"); /* every valid character */
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        EXPECT_TRUE_CASE(!strcmp(RD(0, bad[i]), "!EINVAL"), bad[i]);
        EXPECT_TRUE_CASE(!strcmp(WR(0, bad[i], "v"), "!EINVAL"), bad[i]);
    }
    /* Outside /local/domain/N/, XENSTORE_REL_PATH_MAX applies to the
     * whole path (xenstored 4.17's is_valid_nodename), even for dom0. */
    p[0] = '/';
    memset(p + 1, 'a', XENSTORE_ABS_PATH_MAX);
    p[XENSTORE_REL_PATH_MAX] = 0;
    EXPECT_STR(WR(0, p, "x"), "OK|");
    EXPECT_STR(RD(0, p), "x");
    p[XENSTORE_REL_PATH_MAX] = 'a';
    EXPECT_STR(WR(0, p, "x"), "!EINVAL");
    p[XENSTORE_ABS_PATH_MAX + 1] = 0;
    EXPECT_STR(RD(0, p), "!EINVAL");
    /* Below /local/domain/N/: XENSTORE_REL_PATH_MAX characters. */
    i = (unsigned int)snprintf(p, sizeof(p), "/local/domain/2/");
    memset(p + i, 'b', XENSTORE_REL_PATH_MAX);
    p[i + XENSTORE_REL_PATH_MAX] = 0;
    EXPECT_STR(MKDIR(0, p), "OK|");
    p[i + XENSTORE_REL_PATH_MAX] = 'b';
    p[i + XENSTORE_REL_PATH_MAX + 1] = 0;
    EXPECT_STR(MKDIR(0, p), "!EINVAL");
    /* A relative path counts from the domain's home too. */
    memset(p, 'c', XENSTORE_REL_PATH_MAX + 1);
    p[XENSTORE_REL_PATH_MAX + 1] = 0;
    EXPECT_STR(RD(1, p), "!EINVAL");
    p[XENSTORE_REL_PATH_MAX] = 0;
    EXPECT_STR(RD(1, p), "!ENOENT");
    audit();
}

static void test_malformed(void)
{
    struct xsd_sockmsg h = { .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };
    size_t rlen = 1;

    fresh();
    EXPECT_STR(xsu_req(1, XS_READ, 0, "abc", 3), "!EINVAL");  /* no NUL */
    EXPECT_STR(xsu_req(1, XS_READ, 0, "", 0), "!EINVAL");     /* empty */
    EXPECT_STR(xsu_req(1, XS_READ, 0, "a\0b", 4), "!EINVAL"); /* two strings */
    EXPECT_STR(xsu_req(1, XS_WRITE, 0, "abc", 3), "!EINVAL");
    EXPECT_STR(xsu_req(1, XS_WATCH, 0, "a", 2), "!EINVAL");
    EXPECT_STR(xsu_req(1, XS_WATCH, 0, "a\0b\0c", 6), "!EINVAL"); /* three strings */
    EXPECT_STR(xsu_req(1, XS_WATCH, 0, "a\0b\0c", 5), "OK|");     /* trailing bytes */
    EXPECT_STR(xsu_req(1, XS_SET_PERMS, 0, "a", 2), "!EINVAL");
    EXPECT_STR(xsu_req(1, XS_TRANSACTION_END, 0, "T", 1), "!EINVAL");
    EXPECT_STR(xsu_req(1, XS_GET_DOMAIN_PATH, 0, "1", 1), "!EINVAL");
    EXPECT_STR(xsu_req(1, 9999, 0, "", 0), "!ENOSYS");
    EXPECT_STR(xsu_req(1, XS_WATCH_EVENT, 0, "", 0), "!ENOSYS");
    EXPECT_STR(xsu_req(1, XS_ERROR, 0, "", 0), "!ENOSYS");
    EXPECT_STR(xsu_req(1, XS_SET_TARGET + 1, 0, "", 0), "!ENOSYS"); /* XS_RESTRICT */
    EXPECT_STR(xsu_req(1, XS_TYPE_COUNT, 0, "", 0), "!ENOSYS");
    EXPECT_INT(xsu_hdr.req_id, 77);
    /* A read echoes req_id and tx_id. */
    EXPECT_STR(xsu_op(1, XS_READ, 0, "/local/domain/1", NULL), "");
    EXPECT_INT(xsu_hdr.type, XS_READ);
    EXPECT_INT(xsu_hdr.req_id, 77);
    /* Oversized: the connection is dropped, as xenstored ignores it. */
    EXPECT_INT(xs_usage(&xst, 1, &(struct xs_usage){ 0 }), 1);
    EXPECT_INT(xs_handle(&xst, 1, false, &h, payload, out, sizeof(out), &rlen), -XEN_EBADMSG);
    EXPECT_INT(rlen, 0);
    {
        struct xs_usage u;

        ASSERT_TRUE(xs_usage(&xst, 1, &u));
        EXPECT_INT(u.watches, 0);
        EXPECT_INT(u.events, 0);
    }
    h.len = 0;
    EXPECT_INT(xs_handle(&xst, 1, false, &h, payload, out, 100, &rlen), -XEN_EINVAL);
    audit();
}

static void test_priv_ops(void)
{
    fresh();
    EXPECT_STR(xsu_op(1, XS_INTRODUCE, 0, "5", "0"), "!EACCES");
    EXPECT_STR(xsu_op(1, XS_RELEASE, 0, "2", NULL), "!EACCES");
    EXPECT_STR(xsu_op(1, XS_IS_DOMAIN_INTRODUCED, 0, "2", NULL), "!EACCES");
    EXPECT_STR(xsu_op(1, XS_RESUME, 0, "2", NULL), "!EACCES");
    EXPECT_STR(xsu_op(1, XS_CONTROL, 0, "print", NULL), "!EACCES");
    EXPECT_STR(xsu_op(1, XS_SET_TARGET, 0, "1", "2"), "!EACCES");
    EXPECT_STR(xsu_op(0, XS_CONTROL, 0, "print", NULL), "!EINVAL");
    EXPECT_STR(xsu_op(0, XS_IS_DOMAIN_INTRODUCED, 0, "2", NULL), "T|");
    EXPECT_STR(xsu_op(0, XS_IS_DOMAIN_INTRODUCED, 0, "7", NULL), "F|");
    EXPECT_STR(xsu_op(0, XS_IS_DOMAIN_INTRODUCED, 0, "32752", NULL), "T|"); /* DOMID_SELF */
    EXPECT_STR(xsu_op(0, XS_RESUME, 0, "2", NULL), "OK|");
    EXPECT_STR(xsu_op(0, XS_RESUME, 0, "0", NULL), "!EINVAL");
    EXPECT_STR(xsu_op(0, XS_RESUME, 0, "9", NULL), "!ENOENT");
    EXPECT_STR(xsu_op(0, XS_RELEASE, 0, "0", NULL), "!EINVAL");
    EXPECT_STR(xsu_op(0, XS_RELEASE, 0, "9", NULL), "!ENOENT");
    /* INTRODUCE <domid> <mfn> <port>: the port must be positive. */
    EXPECT_STR(xsu_req(0, XS_INTRODUCE, 0,
                       "7\0"
                       "1234\0"
                       "0",
                       9),
               "!EINVAL");
    EXPECT_STR(xsu_req(0, XS_INTRODUCE, 0,
                       "7\0"
                       "1234",
                       7),
               "!EINVAL");
    EXPECT_STR(xsu_req(0, XS_INTRODUCE, 0,
                       "7\0"
                       "1234\0"
                       "3",
                       9),
               "OK|");
    EXPECT_TRUE(xs_domain_introduced(&xst, 7));
    EXPECT_STR(PERMS(0, "/local/domain/7"), "n7|");
    EXPECT_STR(xsu_op(0, XS_RELEASE, 0, "7", NULL), "OK|");
    EXPECT_TRUE(!xs_domain_introduced(&xst, 7));
    EXPECT_STR(RD(0, "/local/domain/7"), "!ENOENT");
    /* SET_TARGET: domain 1 acts for domain 2. */
    EXPECT_STR(WR(2, "secret", "s"), "OK|");
    EXPECT_STR(RD(1, "/local/domain/2/secret"), "!EACCES");
    EXPECT_STR(xsu_op(0, XS_SET_TARGET, 0, "1", "9"), "!ENOENT");
    EXPECT_STR(xsu_op(0, XS_SET_TARGET, 0, "1", "2"), "OK|");
    EXPECT_STR(RD(1, "/local/domain/2/secret"), "s");
    audit();
}

static void test_basic_ops(void)
{
    fresh();
    EXPECT_STR(WR(0, "/t/a/b/c", "deep"), "OK|");
    EXPECT_STR(RD(0, "/t/a/b/c"), "deep");
    EXPECT_STR(RD(0, "/t/a"), ""); /* created parents: empty */
    EXPECT_STR(WR(0, "/t/a", "x"), "OK|");
    EXPECT_STR(WR(0, "/t/z", ""), "OK|");
    EXPECT_STR(WR(0, "/t/m", "1"), "OK|");
    EXPECT_STR(DIR(0, "/t"), "a|z|m|"); /* creation order */
    EXPECT_STR(DIR(0, "/t/z"), "");
    EXPECT_STR(MKDIR(0, "/t/a"), "OK|"); /* exists: fine */
    EXPECT_STR(RD(0, "/t/a"), "x");
    EXPECT_STR(MKDIR(0, "/t/n/o"), "OK|");
    EXPECT_STR(DIR(0, "/t/n"), "o|");
    EXPECT_STR(xsu_req(0, XS_WRITE, 0, "/t/bin\0a\0b", 10), "OK|"); /* binary value */
    EXPECT_STR(RD(0, "/t/bin"), "a|b");
    EXPECT_STR(RM(0, "/t/a"), "OK|");
    EXPECT_STR(RD(0, "/t/a/b/c"), "!ENOENT");
    EXPECT_STR(DIR(0, "/t"), "z|m|n|bin|");
    EXPECT_STR(RM(0, "/t/a"), "OK|");       /* gone, parent exists */
    EXPECT_STR(RM(0, "/t/a/b"), "!ENOENT"); /* no parent */
    EXPECT_STR(RM(0, "/"), "!EINVAL");
    EXPECT_STR(RD(0, "/nope"), "!ENOENT");
    EXPECT_STR(DIR(0, "/nope"), "!ENOENT");
    EXPECT_STR(PERMS(0, "/nope"), "!ENOENT");
    EXPECT_STR(RD(0, "@releaseDomain"), "!EINVAL");
    EXPECT_STR(RM(0, "@releaseDomain"), "!EINVAL");
    audit();
}

static void test_large_directory(void)
{
    char p[64];
    unsigned int i, n = 0;
    const char *r;

    fresh();
    for (i = 0; i < 400; i++) {
        snprintf(p, sizeof(p), "/big/child-number-%u", i);
        if (strcmp(MKDIR(0, p), "OK|")) {
            EXPECT_STR(MKDIR(0, p), "OK|");
            return;
        }
    }
    EXPECT_STR(DIR(0, "/big"), "!E2BIG");
    /* DIRECTORY_PART: "<generation>|" then whole names, "" at the end. */
    {
        uint32_t off = 0;
        char offs[16];

        for (;;) {
            snprintf(offs, sizeof(offs), "%u", off);
            r = xsu_op(0, XS_DIRECTORY_PART, 0, "/big", offs);
            ASSERT_TRUE(r[0] != '!');
            r = strchr(r, '|') + 1; /* past the generation */
            while (*r && *r != '|') {
                const char *e = strchr(r, '|');

                off += (uint32_t)(e - r) + 1;
                n++;
                r = e + 1;
            }
            if (*r == '|') /* the empty name: complete */
                break;
        }
        EXPECT_INT(n, 400);
    }
    r = xsu_op(0, XS_DIRECTORY_PART, 0, "/big", "999999");
    EXPECT_TRUE(r[0] >= '0' && r[0] <= '9' && !strcmp(strchr(r, '|'), "||"));
    EXPECT_STR(xsu_req(0, XS_DIRECTORY_PART, 0, "/big", 5), "!EINVAL");
    audit();
}

static void test_permissions(void)
{
    fresh();
    EXPECT_STR(WR(2, "x", "two"), "OK|");
    EXPECT_STR(RD(1, "/local/domain/2/x"), "!EACCES");
    EXPECT_STR(RD(1, "/local/domain/2/none"), "!EACCES"); /* not ENOENT: hidden */
    EXPECT_STR(RD(1, "none"), "!ENOENT");
    EXPECT_STR(WR(1, "/local/domain/2/x", "v"), "!EACCES");
    EXPECT_STR(WR(1, "/local/domain/2/new", "v"), "!EACCES");
    EXPECT_STR(RM(1, "/local/domain/2/x"), "!EACCES");
    EXPECT_STR(DIR(1, "/local/domain/2"), "!EACCES");
    EXPECT_STR(PERMS(1, "/local/domain/2/x"), "!EACCES");
    EXPECT_STR(RD(1, "/"), "!EACCES");
    EXPECT_STR(WR(1, "/top", "v"), "!EACCES");
    EXPECT_STR(PERMS(2, "x"), "n2|");
    /* Read access, then read-write. */
    EXPECT_STR(setperms(2, 0, "x", "n2 r1"), "OK|");
    EXPECT_STR(PERMS(2, "x"), "n2|r1|");
    EXPECT_STR(RD(1, "/local/domain/2/x"), "two");
    EXPECT_STR(WR(1, "/local/domain/2/x", "v"), "!EACCES");
    EXPECT_STR(setperms(2, 0, "x", "n2 b1"), "OK|");
    EXPECT_STR(WR(1, "/local/domain/2/x", "one"), "OK|");
    EXPECT_STR(RD(2, "x"), "one");
    /* The default (first entry's rights) for everyone else. */
    EXPECT_STR(setperms(2, 0, "x", "r2"), "OK|");
    EXPECT_STR(RD(1, "/local/domain/2/x"), "one");
    EXPECT_STR(setperms(2, 0, "x", "r2 n1"), "OK|"); /* a specific entry wins */
    EXPECT_STR(RD(1, "/local/domain/2/x"), "!EACCES");
    /* Nodes a guest creates are its own, with the parent's ACL otherwise. */
    EXPECT_STR(setperms(2, 0, "x", "n2 b1"), "OK|");
    EXPECT_STR(WR(1, "/local/domain/2/x/sub/leaf", "l"), "OK|");
    EXPECT_STR(PERMS(0, "/local/domain/2/x/sub"), "n1|b1|");
    EXPECT_STR(PERMS(0, "/local/domain/2/x/sub/leaf"), "n1|b1|");
    EXPECT_STR(RD(2, "x/sub/leaf"), "!EACCES"); /* the owner of x isn't */
    /* dom0's creations inherit as they are. */
    EXPECT_STR(WR(0, "/local/domain/2/d0/n", "v"), "OK|");
    EXPECT_STR(PERMS(0, "/local/domain/2/d0/n"), "n2|");
    EXPECT_STR(RD(2, "d0/n"), "v");
    /* SET_PERMS: owner (or dom0) only, the owner can't give the node away. */
    EXPECT_STR(setperms(1, 0, "/local/domain/2/x", "n2"), "!EACCES");
    EXPECT_STR(setperms(2, 0, "x", "n1"), "!EPERM");
    EXPECT_STR(setperms(2, 0, "x", "q1"), "!EINVAL");
    EXPECT_STR(setperms(2, 0, "x", "r"), "!EINVAL");
    EXPECT_STR(setperms(2, 0, "x", "r2x"), "!EINVAL");
    EXPECT_STR(setperms(2, 0, "x", "n77"), "!ENOENT"); /* unknown owner */
    EXPECT_STR(setperms(2, 0, "x", "n2 r77"), "OK|");  /* unknown: ignored */
    EXPECT_STR(PERMS(2, "x"), "n2|r77|");
    EXPECT_STR(setperms(2, 0, "x", "n2 r1 r1 r1 r1 r1"), "!ENOSPC");
    EXPECT_STR(setperms(2, 0, "x", "n2 r1 r1 r1 r1"), "OK|");
    EXPECT_STR(setperms(2, 0, "nothere", "n2"), "!ENOENT");
    EXPECT_STR(setperms(0, 0, "/local/domain/2/x", "n1 r0x2"), "OK|"); /* dom0 may */
    EXPECT_STR(PERMS(0, "/local/domain/2/x"), "n1|r2|");
    EXPECT_STR(RD(1, "/local/domain/2/x"), "one");
    /* Special nodes: dom0 can open them up. */
    EXPECT_STR(PERMS(1, "@introduceDomain"), "!EACCES");
    EXPECT_STR(setperms(0, 0, "@introduceDomain", "n0 r1"), "OK|");
    EXPECT_STR(PERMS(1, "@introduceDomain"), "n0|r1|");
    audit();
}

static void test_transactions(void)
{
    const char *id;
    uint32_t t, t2;
    unsigned int i;

    fresh();
    EXPECT_STR(WR(1, "c", "0"), "OK|");
    id = xsu_op(1, XS_TRANSACTION_START, 0, "", NULL);
    EXPECT_STR(id, "1|");
    t = 1;
    EXPECT_STR(xsu_write(1, t, "c", "1"), "OK|");
    EXPECT_INT(xsu_hdr.tx_id, t);
    EXPECT_STR(xsu_write(1, t, "new/deep", "d"), "OK|");
    EXPECT_STR(xsu_op(1, XS_READ, t, "c", NULL), "1");
    EXPECT_STR(xsu_op(1, XS_READ, t, "new/deep", NULL), "d");
    EXPECT_STR(xsu_op(1, XS_DIRECTORY, t, "/local/domain/1", NULL), "c|new|");
    EXPECT_STR(RD(1, "c"), "0"); /* isolated */
    EXPECT_STR(RD(1, "new"), "!ENOENT");
    EXPECT_STR(DIR(1, "/local/domain/1"), "c|");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_START, t, "", NULL), "!EBUSY");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, t, "X", NULL), "!EINVAL");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, t, "T", NULL), "OK|");
    EXPECT_STR(RD(1, "c"), "1");
    EXPECT_STR(RD(1, "new/deep"), "d");
    EXPECT_STR(DIR(1, "/local/domain/1"), "c|new|");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, t, "T", NULL), "!ENOENT");
    EXPECT_STR(xsu_op(1, XS_READ, 99, "c", NULL), "!ENOENT");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, 0, "T", NULL), "!ENOENT");
    /* Another domain's transaction id is not ours. */
    EXPECT_STR(xsu_op(2, XS_TRANSACTION_START, 0, "", NULL), "1|");
    EXPECT_STR(xsu_op(1, XS_READ, 1, "c", NULL), "!ENOENT");
    EXPECT_STR(xsu_op(2, XS_TRANSACTION_END, 1, "F", NULL), "OK|");

    /* Conflict: a node read in the transaction changes. */
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_START, 0, "", NULL), "2|");
    t = 2;
    EXPECT_STR(xsu_op(1, XS_READ, t, "c", NULL), "1");
    EXPECT_STR(xsu_write(1, t, "other", "o"), "OK|");
    EXPECT_STR(WR(0, "/local/domain/1/c", "changed"), "OK|");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, t, "T", NULL), "!EAGAIN");
    EXPECT_STR(RD(1, "other"), "!ENOENT");
    EXPECT_STR(xsu_op(1, XS_READ, t, "c", NULL), "!ENOENT"); /* it ended */
    /* Conflict: a node found missing appears. */
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_START, 0, "", NULL), "3|");
    t = 3;
    EXPECT_STR(xsu_op(1, XS_READ, t, "y", NULL), "!ENOENT");
    EXPECT_STR(WR(1, "y", "1"), "OK|");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, t, "T", NULL), "!EAGAIN");
    /* No conflict on unrelated nodes; abort drops everything. */
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_START, 0, "", NULL), "4|");
    t = 4;
    EXPECT_STR(xsu_write(1, t, "p/q", "1"), "OK|");
    EXPECT_STR(xsu_op(1, XS_RM, t, "c", NULL), "OK|");
    EXPECT_STR(setperms(1, t, "y", "n1 r2"), "OK|");
    EXPECT_STR(xsu_op(1, XS_MKDIR, t, "m", NULL), "OK|");
    EXPECT_STR(WR(2, "unrelated", "u"), "OK|");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, t, "F", NULL), "OK|");
    EXPECT_STR(RD(1, "c"), "changed");
    EXPECT_STR(RD(1, "p"), "!ENOENT");
    EXPECT_STR(PERMS(1, "y"), "n1|");
    /* The same operations, committed. */
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_START, 0, "", NULL), "5|");
    t = 5;
    EXPECT_STR(xsu_write(1, t, "p/q", "1"), "OK|");
    EXPECT_STR(xsu_op(1, XS_RM, t, "c", NULL), "OK|");
    EXPECT_STR(xsu_op(1, XS_READ, t, "c", NULL), "!ENOENT");
    EXPECT_STR(setperms(1, t, "y", "n1 r2"), "OK|");
    EXPECT_STR(xsu_op(1, XS_RM, t, "p", NULL), "OK|");
    EXPECT_STR(xsu_write(1, t, "p/r", "2"), "OK|");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, t, "T", NULL), "OK|");
    EXPECT_STR(RD(1, "c"), "!ENOENT");
    EXPECT_STR(RD(1, "p/q"), "!ENOENT");
    EXPECT_STR(RD(1, "p/r"), "2");
    EXPECT_STR(RD(2, "/local/domain/1/y"), "1");
    EXPECT_STR(DIR(1, "/local/domain/1"), "new|y|p|");
    audit();

    /* Quota: more than XS_QUOTA_TRANSACTIONS open (xenstored allows one extra). */
    for (i = 0; i <= XS_QUOTA_TRANSACTIONS; i++)
        EXPECT_TRUE_CASE(xsu_op(2, XS_TRANSACTION_START, 0, "", NULL)[0] != '!', "open");
    EXPECT_STR(xsu_op(2, XS_TRANSACTION_START, 0, "", NULL), "!ENOSPC");
    EXPECT_STR(xsu_op(0, XS_TRANSACTION_START, 0, "", NULL), "1|"); /* dom0: no quota */
    t2 = 2;
    EXPECT_STR(xsu_op(2, XS_TRANSACTION_END, t2, "F", NULL), "OK|");
    EXPECT_TRUE(xsu_op(2, XS_TRANSACTION_START, 0, "", NULL)[0] != '!');
    /* A released domain's transactions go. */
    xs_release_domain(&xst, 2);
    {
        struct xs_usage u = { 0 };

        xs_usage(&xst, 2, &u);
        EXPECT_INT(u.transactions, 0);
    }
    audit();
}

static void test_watches(void)
{
    fresh();
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "tok"), "OK|");
    EXPECT_STR(xsu_event(1), "/local/domain/1/w|tok"); /* the initial event */
    EXPECT_STR(xsu_event(1), "");
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "tok"), "!EEXIST");
    EXPECT_STR(WR(1, "w", "1"), "OK|");
    EXPECT_STR(xsu_event(1), "/local/domain/1/w|tok");
    EXPECT_STR(WR(1, "w/below/x", "1"), "OK|");
    EXPECT_STR(xsu_event(1), "/local/domain/1/w/below/x|tok");
    EXPECT_STR(WR(1, "wx", "1"), "OK|"); /* a sibling: no */
    EXPECT_STR(WR(1, "other", "1"), "OK|");
    EXPECT_STR(xsu_event(1), "");
    EXPECT_STR(MKDIR(1, "w/below"), "OK|"); /* exists: no change */
    EXPECT_STR(xsu_event(1), "");
    EXPECT_STR(setperms(1, 0, "w", "n1 r2"), "OK|");
    EXPECT_STR(xsu_event(1), "/local/domain/1/w|tok");
    /* rm: the top for watches at or above it, exact matches below. */
    EXPECT_STR(WATCH(1, "/local/domain/1/w/below/x", "x"), "OK|");
    drain(1);
    EXPECT_STR(RM(1, "w"), "OK|");
    EXPECT_STR(xsu_event(1), "/local/domain/1/w/below/x|x");
    EXPECT_STR(xsu_event(1), "/local/domain/1/w|tok");
    EXPECT_STR(xsu_event(1), "");
    /* Relative watches report relative paths; tokens are echoed. */
    EXPECT_STR(WATCH(1, "rel", "r-token"), "OK|");
    EXPECT_STR(xsu_event(1), "rel|r-token");
    EXPECT_STR(WR(1, "rel/a", "1"), "OK|");
    EXPECT_STR(xsu_event(1), "rel/a|r-token");
    /* Two tokens on one path both fire. */
    EXPECT_STR(WATCH(1, "rel", "second"), "OK|");
    drain(1);
    EXPECT_STR(WR(1, "rel", "2"), "OK|");
    EXPECT_STR(xsu_event(1), "rel|r-token");
    EXPECT_STR(xsu_event(1), "rel|second");
    EXPECT_STR(UNWATCH(1, "rel", "r-token"), "OK|");
    EXPECT_STR(UNWATCH(1, "rel", "r-token"), "!ENOENT");
    EXPECT_STR(UNWATCH(1, "/local/domain/1/rel", "second"), "OK|"); /* same node */
    EXPECT_STR(WR(1, "rel", "3"), "OK|");
    EXPECT_STR(xsu_event(1), "");
    EXPECT_STR(UNWATCH(1, "bad//path", "t"), "!EINVAL");
    EXPECT_STR(WATCH(1, "bad//path", "t"), "!EINVAL");
    /* Another domain's watch fires only where it may read. */
    EXPECT_STR(WATCH(2, "/local/domain/1", "spy"), "OK|");
    EXPECT_STR(xsu_event(2), "/local/domain/1|spy");
    EXPECT_STR(WR(1, "hidden", "1"), "OK|");
    EXPECT_STR(xsu_event(2), "");
    EXPECT_STR(WR(1, "shared", "1"), "OK|");
    EXPECT_STR(setperms(1, 0, "shared", "n1 r2"), "OK|");
    EXPECT_STR(xsu_event(2), "/local/domain/1/shared|spy");
    EXPECT_STR(WR(1, "shared", "2"), "OK|");
    EXPECT_STR(xsu_event(2), "/local/domain/1/shared|spy");
    /* Watches fire at commit, not before; not at all on abort. */
    EXPECT_STR(WATCH(0, "/local/domain/1/tx", "t0"), "OK|");
    drain(0);
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_START, 0, "", NULL), "1|");
    EXPECT_STR(xsu_write(1, 1, "tx/a", "1"), "OK|");
    EXPECT_STR(xsu_event(0), "");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, 1, "T", NULL), "OK|");
    EXPECT_STR(xsu_event(0), "/local/domain/1/tx/a|t0");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_START, 0, "", NULL), "2|");
    EXPECT_STR(xsu_write(1, 2, "tx/b", "1"), "OK|");
    EXPECT_STR(xsu_op(1, XS_TRANSACTION_END, 2, "F", NULL), "OK|");
    EXPECT_STR(xsu_event(0), "");
    /* A watch ignores the transaction id. */
    EXPECT_STR(xsu_op(1, XS_WATCH, 55, "/local/domain/1/z", "z"), "OK|");
    /* Identical pending events merge. */
    drain(1);
    EXPECT_STR(WR(1, "z", "1"), "OK|");
    EXPECT_STR(WR(1, "z", "2"), "OK|");
    EXPECT_STR(xsu_event(1), "/local/domain/1/z|z");
    EXPECT_STR(xsu_event(1), "");
    /* RESET_WATCHES */
    EXPECT_STR(xsu_op(1, XS_RESET_WATCHES, 0, "", NULL), "OK|");
    EXPECT_STR(WR(1, "z", "3"), "OK|");
    EXPECT_STR(xsu_event(1), "");
    audit();
}

static void test_special_watches(void)
{
    fresh();
    EXPECT_STR(WATCH(0, "@introduceDomain", "in"), "OK|");
    EXPECT_STR(WATCH(0, "@releaseDomain", "out"), "OK|");
    EXPECT_STR(WATCH(0, "/local/domain", "tree"), "OK|");
    EXPECT_STR(WATCH(1, "@releaseDomain", "g"), "OK|");
    EXPECT_STR(xsu_event(1), "@releaseDomain|g"); /* the initial one only */
    drain(0);
    EXPECT_STR(WR(0, "/other", "1"), "OK|"); /* not on "/" watchers */
    EXPECT_STR(xsu_event(0), "");
    xs_introduce_domain(&xst, 3);
    EXPECT_STR(xsu_event(0), "/local/domain/3|tree");
    EXPECT_STR(xsu_event(0), "@introduceDomain|in");
    EXPECT_STR(xsu_event(0), "");
    xs_introduce_domain(&xst, 3); /* again: no event */
    EXPECT_STR(xsu_event(0), "");
    EXPECT_STR(WR(3, "a/b", "1"), "OK|");
    EXPECT_STR(WATCH(3, "a", "mine"), "OK|");
    EXPECT_STR(setperms(3, 0, "a", "n3 r2"), "OK|");
    EXPECT_STR(WR(0, "/local/domain/1/from3", "x"), "OK|");
    EXPECT_STR(setperms(0, 0, "/local/domain/1/from3", "n3"), "OK|"); /* owned by 3 */
    drain(0);
    xs_release_domain(&xst, 3);
    /* Tree order; below a removed node only exact watches fire. */
    EXPECT_STR(xsu_event(0), "/local/domain/1/from3|tree");
    EXPECT_STR(xsu_event(0), "/local/domain/3|tree");
    EXPECT_STR(xsu_event(0), "@releaseDomain|out");
    EXPECT_STR(xsu_event(0), "");
    EXPECT_STR(xsu_event(1), ""); /* no read access */
    EXPECT_STR(RD(0, "/local/domain/3"), "!ENOENT");
    EXPECT_STR(RD(0, "/local/domain/1/from3"), "!ENOENT");
    EXPECT_TRUE(!xs_domain_introduced(&xst, 3));
    /* dom0 can grant a guest the special events. */
    EXPECT_STR(setperms(0, 0, "@releaseDomain", "n0 r1"), "OK|");
    xs_release_domain(&xst, 2);
    EXPECT_STR(xsu_event(1), "@releaseDomain|g");
    audit();
}

static void test_quota_nodes(void)
{
    char p[64];
    unsigned int i;
    const char *r = "";
    struct xs_usage u;

    fresh();
    /* One directory fills up first: its child list hits the node size. */
    for (i = 0; i < 1000; i++) {
        snprintf(p, sizeof(p), "n/%u", i);
        r = WR(1, p, "v");
        if (strcmp(r, "OK|"))
            break;
    }
    EXPECT_STR(r, "!ENOSPC");
    EXPECT_TRUE(i > 400 && i < 600);
    EXPECT_STR(RM(1, "n"), "OK|");
    /* Groups of 50: every node domain 1 owns counts, its home included. */
    for (i = 0; i < XS_QUOTA_NODES + 100; i++) {
        snprintf(p, sizeof(p), "g%u/%u", i / 50, i % 50);
        r = WR(1, p, "v");
        if (strcmp(r, "OK|"))
            break;
    }
    EXPECT_STR(r, "!ENOSPC");
    ASSERT_TRUE(xs_usage(&xst, 1, &u));
    if (u.nodes == XS_QUOTA_NODES - 1) /* a group needed two */
        EXPECT_STR(WR(1, "g0/last", "v"), "OK|");
    ASSERT_TRUE(xs_usage(&xst, 1, &u));
    EXPECT_INT(u.nodes, XS_QUOTA_NODES);
    EXPECT_STR(WR(1, "g0/more", "v"), "!ENOSPC");
    EXPECT_STR(MKDIR(1, "g0/more"), "!ENOSPC");
    EXPECT_STR(WR(1, "g0/0", "rewrite"), "OK|"); /* no new node: fine */
    EXPECT_STR(WR(2, "fine", "v"), "OK|");       /* the others still work */
    EXPECT_STR(RD(2, "fine"), "v");
    EXPECT_STR(WR(0, "/local/domain/2/bydom0", "v"), "OK|");
    /* dom0 is not limited, even creating nodes domain 1 will own. */
    EXPECT_STR(WR(0, "/local/domain/1/bydom0", "v"), "OK|");
    ASSERT_TRUE(xs_usage(&xst, 1, &u));
    EXPECT_INT(u.nodes, XS_QUOTA_NODES + 1);
    EXPECT_STR(RM(0, "/local/domain/1/bydom0"), "OK|");
    EXPECT_STR(RM(1, "g0/0"), "OK|");
    EXPECT_STR(WR(1, "g0/again", "v"), "OK|");
    /* Two levels at once count both. */
    EXPECT_STR(WR(1, "two/levels", "v"), "!ENOSPC");
    audit();
}

static void test_quota_size_memory(void)
{
    static char big[XENSTORE_PAYLOAD_MAX];
    char p[64];
    unsigned int i;
    const char *r = "";

    fresh();
    memset(big, 'v', sizeof(big) - 1);
    big[XS_QUOTA_NODE_SIZE - 16 - 8 + 1] = 0; /* one byte too many */
    EXPECT_STR(WR(1, "big", big), "!ENOSPC");
    big[XS_QUOTA_NODE_SIZE - 16 - 8] = 0;
    EXPECT_STR(WR(1, "big", big), "OK|");
    EXPECT_STR(setperms(1, 0, "big", "n1 r2"), "!ENOSPC"); /* the ACL counts too */
    big[XENSTORE_PAYLOAD_MAX - 16] = 0;
    EXPECT_STR(WR(0, "/dom0big", big), "OK|"); /* dom0: no quota */
    /* Memory: a flood of large values runs into ENOMEM; the others go on. */
    big[2000] = 0;
    for (i = 0; i < 1000; i++) {
        snprintf(p, sizeof(p), "flood/%u", i);
        r = WR(1, p, big);
        if (strcmp(r, "OK|"))
            break;
    }
    EXPECT_STR(r, "!ENOMEM");
    EXPECT_TRUE(i > 50 && i < 200);
    {
        struct xs_usage u;

        ASSERT_TRUE(xs_usage(&xst, 1, &u));
        EXPECT_TRUE(u.mem <= XS_QUOTA_MEMORY);
    }
    EXPECT_STR(WR(2, "fine", big), "OK|");
    EXPECT_STR(WR(0, "/dom0/fine", big), "OK|");
    EXPECT_STR(RM(1, "flood"), "OK|");
    EXPECT_STR(WR(1, "flood/again", big), "OK|");
    audit();
}

static void test_quota_watches_tx_nodes(void)
{
    char t[32];
    unsigned int i;
    const char *r = "";

    fresh();
    /* xenstored refuses once more than the quota exist: quota + 1 fit. */
    for (i = 0; i <= XS_QUOTA_WATCHES; i++) {
        snprintf(t, sizeof(t), "t%u", i);
        r = WATCH(1, "/local/domain/1/w", t);
        if (strcmp(r, "OK|"))
            break;
    }
    EXPECT_INT(i, XS_QUOTA_WATCHES + 1);
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "one-more"), "!E2BIG");
    EXPECT_STR(WATCH(2, "/local/domain/2/w", "fine"), "OK|");
    EXPECT_STR(UNWATCH(1, "/local/domain/1/w", "t0"), "OK|");
    EXPECT_STR(WATCH(1, "/local/domain/1/w", "one-more"), "OK|");
    /* Pending events are capped; the request still succeeds. */
    drain(1);
    EXPECT_STR(WR(1, "w", "x"), "OK|");
    EXPECT_INT(xsu_nr_events(1), XS_QUOTA_EVENTS);
    drain(1);
    /* A transaction may touch XS_QUOTA_TX_NODES nodes. */
    EXPECT_STR(xsu_op(2, XS_TRANSACTION_START, 0, "", NULL), "1|");
    for (i = 0; i < XS_QUOTA_TX_NODES + 5; i++) {
        snprintf(t, sizeof(t), "m%u", i);
        r = xsu_op(2, XS_READ, 1, t, NULL);
        if (strcmp(r, "!ENOENT"))
            break;
    }
    EXPECT_STR(r, "!ENOSPC");
    EXPECT_TRUE(i > XS_QUOTA_TX_NODES - 5 && i <= XS_QUOTA_TX_NODES);
    EXPECT_STR(xsu_op(2, XS_TRANSACTION_END, 1, "T", NULL), "OK|");
    audit();
}

static void test_payload_limits(void)
{
    static char big[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t plen = (uint32_t)strlen("/p") + 1;

    fresh();
    memcpy(big, "/p", plen);
    memset(big + plen, 'x', XENSTORE_PAYLOAD_MAX - plen);
    EXPECT_STR(xsu_req(0, XS_WRITE, 0, big, XENSTORE_PAYLOAD_MAX), "OK|");
    EXPECT_INT(strlen(RD(0, "/p")), XENSTORE_PAYLOAD_MAX - plen);
    audit();
}

static const struct unit_test xenstore_tests[] = {
    { "layout", test_layout },
    { "paths", test_paths },
    { "malformed", test_malformed },
    { "privileged_ops", test_priv_ops },
    { "basic_ops", test_basic_ops },
    { "large_directory", test_large_directory },
    { "permissions", test_permissions },
    { "transactions", test_transactions },
    { "watches", test_watches },
    { "special_watches", test_special_watches },
    { "quota_nodes", test_quota_nodes },
    { "quota_size_memory", test_quota_size_memory },
    { "quota_watches_tx_nodes", test_quota_watches_tx_nodes },
    { "payload_limits", test_payload_limits },
};

void register_xenstore_tests(void)
{
    UNIT_SUITE("xenstore", xenstore_tests);
}
