/* SPDX-License-Identifier: MIT */
/*
 * ring_console suite: ring-buffers/console_ring.h over a struct
 * xencons_interface allocated to its exact size. Indices wrapping at 2^32,
 * partial writes into a nearly full ring, and hostile indices on each of the
 * four ends, reported without a byte copied or an index moved.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring-buffers/console_ring.h"
#include "unit.h"

static struct xencons_interface *intf_alloc(XENCONS_RING_IDX in_start, XENCONS_RING_IDX out_start)
{
    struct xencons_interface *intf = malloc(sizeof(*intf));

    CU_ASSERT_FATAL(intf != NULL);
    memset(intf, 0x5a, sizeof(*intf));
    intf->in_cons = intf->in_prod = in_start;
    intf->out_cons = intf->out_prod = out_start;
    return intf;
}

static char pattern(uint32_t pos)
{
    return (char)(pos * 131 + (pos >> 8) * 7 + 1);
}

/* Chunks of awkward sizes both ways from just below 2^32: every byte comes
 * out in order, and the indices cross zero. */
static void test_wrap(void)
{
    struct xencons_interface *intf = intf_alloc(UINT32_MAX - 300, UINT32_MAX - 5);
    static const size_t sizes[] = { 1, 37, 1000, 2048, 3000, 511, 1023 };
    char buf[4096];
    uint32_t wrote_out = 0, read_out = 0, wrote_in = 0, read_in = 0;

    for (unsigned int i = 0; i < 300; i++) {
        size_t len = sizes[i % 7];
        int n;

        for (size_t j = 0; j < len; j++)
            buf[j] = pattern(wrote_out + j);
        n = console_ring_front_write(intf, buf, len);
        if (!EXPECT_TRUE(n >= 0 && (size_t)n <= len))
            break;
        wrote_out += n;
        n = console_ring_back_read(intf, buf, sizes[(i + 3) % 7]);
        if (!EXPECT_TRUE(n >= 0))
            break;
        for (int j = 0; j < n; j++)
            if (buf[j] != pattern(read_out + j)) {
                EXPECT_U64(read_out + j, UINT32_MAX); /* the first bad offset */
                goto out;
            }
        read_out += n;

        for (size_t j = 0; j < len; j++)
            buf[j] = pattern(~(wrote_in + j));
        n = console_ring_back_write(intf, buf, len);
        if (!EXPECT_TRUE(n >= 0 && (size_t)n <= len))
            break;
        wrote_in += n;
        n = console_ring_front_read(intf, buf, sizes[(i + 5) % 7]);
        if (!EXPECT_TRUE(n >= 0))
            break;
        for (int j = 0; j < n; j++)
            if (buf[j] != pattern(~(read_in + j))) {
                EXPECT_U64(read_in + j, UINT32_MAX);
                goto out;
            }
        read_in += n;
    }
    EXPECT_TRUE(read_out > 100000 && read_in > 100000);
    EXPECT_TRUE(intf->out_prod < 0x10000000 && intf->in_prod < 0x10000000); /* wrapped */
    EXPECT_U64(intf->out_prod - intf->out_cons, wrote_out - read_out);
    EXPECT_U64(intf->in_prod - intf->in_cons, wrote_in - read_in);
out:
    free(intf);
}

static void test_partial(void)
{
    struct xencons_interface *intf = intf_alloc(1000, UINT32_MAX - 100);
    char src[4096], dst[4096];

    for (unsigned int i = 0; i < sizeof(src); i++)
        src[i] = pattern(i);

    /* out: 2048 bytes. */
    EXPECT_INT(console_ring_front_write(intf, src, 3000), 2048);
    EXPECT_INT(console_ring_front_write(intf, src, 1), 0);
    EXPECT_INT(console_ring_back_read(intf, dst, 100), 100);
    EXPECT_TRUE(memcmp(dst, src, 100) == 0);
    EXPECT_INT(console_ring_front_write(intf, src + 2048, 500), 100);
    EXPECT_INT(console_ring_back_read(intf, dst, sizeof(dst)), 2048);
    EXPECT_TRUE(memcmp(dst, src + 100, 2048) == 0);
    EXPECT_INT(console_ring_back_read(intf, dst, sizeof(dst)), 0);
    EXPECT_INT(console_ring_front_write(intf, src, 0), 0);
    EXPECT_INT(console_ring_back_read(intf, dst, 0), 0);

    /* in: 1024 bytes. */
    EXPECT_INT(console_ring_back_write(intf, src, 1000), 1000);
    EXPECT_INT(console_ring_back_write(intf, src + 1000, 1000), 24);
    EXPECT_INT(console_ring_front_read(intf, dst, 10), 10);
    EXPECT_INT(console_ring_back_write(intf, src + 1024, 1000), 10);
    EXPECT_INT(console_ring_front_read(intf, dst + 10, sizeof(dst)), 1024);
    EXPECT_TRUE(memcmp(dst, src, 1034) == 0);
    EXPECT_U64(intf->in_prod, 1000 + 1034);
    free(intf);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd32(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

typedef int (*console_op)(struct xencons_interface *, char *, size_t);

static int op_front_write(struct xencons_interface *i, char *b, size_t n)
{
    return console_ring_front_write(i, b, n);
}

static int op_front_read(struct xencons_interface *i, char *b, size_t n)
{
    return console_ring_front_read(i, b, n);
}

static int op_back_write(struct xencons_interface *i, char *b, size_t n)
{
    return console_ring_back_write(i, b, n);
}

static int op_back_read(struct xencons_interface *i, char *b, size_t n)
{
    return console_ring_back_read(i, b, n);
}

/*
 * Each end with a peer that sets the indices to anything: a gap over the
 * buffer size (cons ahead of prod included) is -XEN_EIO with neither index
 * nor the caller's buffer touched; any other gap is honoured within bounds.
 */
static void test_hostile(void)
{
    static const struct {
        const char *name;
        console_op op;
        bool out; /* which direction it works on */
        bool reads;
    } ends[] = {
        { "front_write", op_front_write, true, false },
        { "back_read", op_back_read, true, true },
        { "back_write", op_back_write, false, false },
        { "front_read", op_front_read, false, true },
    };
    struct xencons_interface *intf = intf_alloc(0, 0);
    char buf[4096], label[96];

    for (unsigned int e = 0; e < 4; e++) {
        uint32_t size = ends[e].out ? sizeof(intf->out) : sizeof(intf->in);
        XENCONS_RING_IDX *cons = ends[e].out ? &intf->out_cons : &intf->in_cons;
        XENCONS_RING_IDX *prod = ends[e].out ? &intf->out_prod : &intf->in_prod;
        unsigned int rejected = 0;

        for (unsigned int i = 0; i < 50000; i++) {
            XENCONS_RING_IDX c = rnd32(), p;
            uint32_t gap;
            int n;

            switch (i % 4) {
            case 0:
                p = rnd32();
                break;
            case 1:
                p = c + size + 1 + rnd32() % 16;
                break; /* just over */
            case 2:
                p = c - 1 - rnd32() % 16;
                break; /* cons ahead */
            default:
                p = c + rnd32() % (size + 1);
                break; /* legal */
            }
            gap = p - c;
            *cons = c;
            *prod = p;
            memset(buf, 0x77, sizeof(buf));
            n = ends[e].op(intf, buf, sizeof(buf));
            snprintf(label, sizeof(label), "%s prod %#x cons %#x: got %d", ends[e].name, p, c, n);
            if (gap > size) {
                rejected++;
                if (!EXPECT_TRUE_CASE(n == -XEN_EIO && *cons == c && *prod == p && buf[0] == 0x77 &&
                                          buf[sizeof(buf) - 1] == 0x77,
                                      label))
                    break;
            } else {
                uint32_t want = ends[e].reads ? gap : size - gap;

                if (!EXPECT_TRUE_CASE(n == (int)want, label))
                    break;
                if (!EXPECT_TRUE_CASE(ends[e].reads ? *cons == p && *prod == p
                                                    : *prod == c + size && *cons == c,
                                      label))
                    break;
            }
        }
        snprintf(label, sizeof(label), "%s rejected %u of 50000", ends[e].name, rejected);
        EXPECT_TRUE_CASE(rejected > 30000, label);
    }
    free(intf);
}

static const struct unit_test console_tests[] = {
    { "wrap_at_2^32", test_wrap },
    { "partial_writes", test_partial },
    { "hostile_indices", test_hostile },
};

void register_ring_console_tests(void)
{
    UNIT_SUITE("ring_console", console_tests);
}
