/* SPDX-License-Identifier: MIT */
/*
 * console_txq suite: the serial transmit queue with a slow fake UART. Lines
 * go out whole and in order, each guest is held to its share (its own
 * lines dropped and counted), guests never reach Xenolith's reserve, and a
 * flooding guest costs a quiet one nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>

#include "console/console_txq.h"
#include "unit.h"

static struct txq q;

static int put_line(domid_t owner, unsigned int n, char fill)
{
    char line[TXQ_DOMAIN_SHARE + 1];

    memset(line, fill, n);
    if (n)
        line[n - 1] = '\n';
    return txq_put(&q, owner, line, n);
}

static void test_order_and_accounting(void)
{
    char out[64];
    size_t n;

    txq_init(&q);
    EXPECT_INT(txq_put(&q, 1, "one\n", 4), 0);
    EXPECT_INT(txq_put(&q, 2, "two\n", 4), 0);
    EXPECT_INT(txq_put(&q, DOMID_XEN, "xen\n", 4), 0);
    EXPECT_INT(txq_queued(&q, 1), 4);
    EXPECT_INT(txq_queued(&q, 2), 4);
    n = txq_take(&q, out, 6); /* one and a half lines */
    EXPECT_INT(n, 6);
    EXPECT_INT(memcmp(out, "one\ntw", 6), 0);
    EXPECT_INT(txq_queued(&q, 1), 0);
    EXPECT_INT(txq_queued(&q, 2), 2);
    n = txq_take(&q, out, sizeof(out));
    EXPECT_INT(n, 6);
    EXPECT_INT(memcmp(out, "o\nxen\n", 6), 0);
    EXPECT_TRUE(txq_empty(&q));
    EXPECT_INT(txq_take(&q, out, sizeof(out)), 0);
}

static void test_bad_lines(void)
{
    txq_init(&q);
    EXPECT_INT(txq_put(&q, 1, "", 0), -XEN_EINVAL);
    EXPECT_INT(put_line(1, TXQ_DOMAIN_SHARE + 1, 'x'), -XEN_EINVAL);
    EXPECT_INT(put_line(1, TXQ_DOMAIN_SHARE, 'x'), 0);
    EXPECT_U64(txq_dropped_lines(&q, 1), 0);
}

/* A guest at its share loses its next line whole, and only it. */
static void test_share(void)
{
    unsigned int fit = TXQ_DOMAIN_SHARE / 100;

    txq_init(&q);
    for (unsigned int i = 0; i < fit; i++)
        EXPECT_INT(put_line(3, 100, 'a'), 0);
    EXPECT_INT(put_line(3, 100, 'a'), -XEN_ENOSPC);
    EXPECT_INT(put_line(3, 100, 'a'), -XEN_ENOSPC);
    EXPECT_U64(txq_dropped_lines(&q, 3), 2);
    EXPECT_U64(txq_dropped_bytes(&q, 3), 200);
    EXPECT_INT(txq_queued(&q, 3), fit * 100);
    EXPECT_INT(put_line(4, 100, 'b'), 0);
    EXPECT_U64(txq_dropped_lines(&q, 4), 0);
    txq_forget(&q, 3);
    EXPECT_U64(txq_dropped_lines(&q, 3), 0);
    EXPECT_INT(txq_queued(&q, 3), fit * 100); /* queued lines still go out */
}

/* Every guest at its share leaves the reserve to Xenolith. */
static void test_reserve(void)
{
    unsigned int guests = (TXQ_SIZE - TXQ_RESERVE) / TXQ_DOMAIN_SHARE;
    domid_t d;

    txq_init(&q);
    for (d = 0; d < (domid_t)guests; d++)
        for (unsigned int i = 0; i < TXQ_DOMAIN_SHARE / 512; i++)
            EXPECT_INT(put_line(d, 512, 'g'), 0);
    EXPECT_INT(put_line(d, 64, 'h'), -XEN_ENOSPC); /* the queue is full for guests */
    EXPECT_U64(txq_dropped_lines(&q, d), 1);
    for (unsigned int i = 0; i < TXQ_RESERVE / 512; i++)
        EXPECT_INT(put_line(DOMID_XEN, 512, 'x'), 0);
    EXPECT_INT(put_line(DOMID_XEN, 64, 'x'), -XEN_ENOSPC);
    EXPECT_INT(q.len, TXQ_SIZE);
}

/*
 * A UART that takes 16 bytes a tick. Guest 1 writes ten long lines a tick,
 * guest 2 one short line: guest 2 loses nothing, guest 1 loses what does
 * not fit in its share, and every byte is either sent or counted.
 */
static void test_flood_beside_quiet(void)
{
    uint64_t sent = 0, offered1 = 0, offered2 = 0, taken_total = 0;
    char out[16];

    txq_init(&q);
    for (unsigned int tick = 0; tick < 2000; tick++) {
        for (unsigned int i = 0; i < 10; i++) {
            (void)put_line(1, 150, 'f');
            offered1 += 150;
        }
        if (tick % 20 == 0) {
            EXPECT_INT(put_line(2, 20, 'q'), 0);
            offered2 += 20;
        }
        sent = txq_take(&q, out, sizeof(out));
        taken_total += sent;
    }
    while ((sent = txq_take(&q, out, sizeof(out))))
        taken_total += sent;
    EXPECT_U64(txq_dropped_lines(&q, 2), 0);
    EXPECT_TRUE(txq_dropped_lines(&q, 1) > 0);
    EXPECT_U64(taken_total + txq_dropped_bytes(&q, 1), offered1 + offered2);
    EXPECT_INT(txq_queued(&q, 1), 0);
}

/* Owner slots come back once a domain's lines are out and forgotten. */
static void test_owner_slots(void)
{
    char out[TXQ_SIZE];

    txq_init(&q);
    for (domid_t d = 0; d < 100; d++) {
        EXPECT_INT(put_line(d, 10, 'o'), 0);
        EXPECT_INT(txq_take(&q, out, sizeof(out)), 10);
        txq_forget(&q, d);
    }
    for (domid_t d = 0; d < TXQ_OWNERS; d++)
        EXPECT_INT(put_line(d, 10, 'o'), 0);
    EXPECT_INT(put_line(TXQ_OWNERS, 10, 'o'), -XEN_ENOSPC);
}

void register_console_txq_tests(void)
{
    static const struct unit_test tests[] = {
        { "order_and_accounting", test_order_and_accounting },
        { "bad_lines", test_bad_lines },
        { "share", test_share },
        { "reserve", test_reserve },
        { "flood_beside_quiet", test_flood_beside_quiet },
        { "owner_slots", test_owner_slots },
    };

    UNIT_SUITE("console_txq", tests);
}
