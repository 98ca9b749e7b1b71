/* SPDX-License-Identifier: MIT */
/*
 * frame suite: the bitmap frame allocator, by hand-checked cases and by a
 * long seeded random sequence compared step by step with a one-bool-per-
 * frame reference model.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "lib/frame_alloc.h"
#include "unit.h"

#define MAX_FRAMES 1024

static uint64_t bitmap[MAX_FRAMES / 64 + 1];
static struct frame_allocator fa;

static void setup(uint64_t nr_frames, bool all_free)
{
    memset(bitmap, 0, sizeof(bitmap)); /* init must set every bit itself */
    frame_allocator_init(&fa, bitmap, nr_frames);
    if (all_free)
        frame_range_free(&fa, 0, nr_frames);
}

static void test_bitmap_bytes(void)
{
    EXPECT_U64(frame_bitmap_bytes(0), 0);
    EXPECT_U64(frame_bitmap_bytes(1), 8);
    EXPECT_U64(frame_bitmap_bytes(64), 8);
    EXPECT_U64(frame_bitmap_bytes(65), 16);
    EXPECT_U64(frame_bitmap_bytes(1ULL << 20), 1ULL << 17);
    EXPECT_U64(frame_bitmap_bytes(UINT64_MAX), 1ULL << 61);
}

static void test_init_all_used(void)
{
    uint64_t i, nfree = 0;

    setup(100, false);
    EXPECT_U64(fa.nr_frames, 100);
    EXPECT_U64(fa.nr_free, 0);
    for (i = 0; i < 128; i++)
        nfree += frame_is_free(&fa, i);
    EXPECT_U64(nfree, 0);
    EXPECT_U64(frame_alloc(&fa), FRAME_NONE);
    EXPECT_U64(frame_alloc_contig(&fa, 1, 1), FRAME_NONE);
}

static void test_range_clipping(void)
{
    setup(100, false);
    frame_range_free(&fa, 90, 50); /* runs past the end */
    EXPECT_U64(fa.nr_free, 10);
    EXPECT_TRUE(frame_is_free(&fa, 99));
    EXPECT_TRUE(!frame_is_free(&fa, 100));
    frame_range_free(&fa, 200, 5); /* entirely past the end */
    EXPECT_U64(fa.nr_free, 10);
    frame_range_free(&fa, 95, UINT64_MAX); /* first + count wraps */
    EXPECT_U64(fa.nr_free, 10);
    frame_range_free(&fa, 0, UINT64_MAX);
    EXPECT_U64(fa.nr_free, 100);
    frame_range_free(&fa, 10, 20); /* overlapping RAM entries count once */
    EXPECT_U64(fa.nr_free, 100);

    frame_range_reserve(&fa, 98, 1000);
    EXPECT_U64(fa.nr_free, 98);
    frame_range_reserve(&fa, 97, 2); /* 98 already reserved */
    EXPECT_U64(fa.nr_free, 97);
    frame_range_reserve(&fa, 1000, 1);
    EXPECT_U64(fa.nr_free, 97);
    frame_range_reserve(&fa, 0, 0);
    EXPECT_U64(fa.nr_free, 97);
    EXPECT_TRUE(frame_is_free(&fa, 96));
    EXPECT_TRUE(!frame_is_free(&fa, 97));
}

static void test_next_fit(void)
{
    setup(100, true);
    EXPECT_U64(frame_alloc(&fa), 0);
    EXPECT_U64(frame_alloc(&fa), 1);
    EXPECT_U64(frame_alloc(&fa), 2);
    EXPECT_INT(frame_free(&fa, 1), 0);
    EXPECT_U64(frame_alloc(&fa), 3); /* continues, does not go back to 1 */
    frame_range_reserve(&fa, 4, 95); /* only 1 and 99 remain */
    EXPECT_U64(frame_alloc(&fa), 99);
    EXPECT_U64(frame_alloc(&fa), 1); /* wrapped */
    EXPECT_U64(frame_alloc(&fa), FRAME_NONE);
}

static void test_exhaustion(void)
{
    uint64_t i, got;
    bool seen[70] = { false };
    unsigned int dup = 0, bad = 0;

    setup(70, true); /* 6 frames in the second word */
    for (i = 0; i < 70; i++) {
        got = frame_alloc(&fa);
        if (got >= 70)
            bad++;
        else {
            dup += seen[got];
            seen[got] = true;
        }
    }
    EXPECT_U64(bad, 0);
    EXPECT_U64(dup, 0);
    EXPECT_U64(fa.nr_free, 0);
    EXPECT_U64(frame_alloc(&fa), FRAME_NONE);
    EXPECT_U64(frame_alloc(&fa), FRAME_NONE);
    EXPECT_U64(frame_alloc_contig(&fa, 1, 1), FRAME_NONE);
}

static void test_double_free(void)
{
    uint64_t mfn;

    setup(64, true);
    mfn = frame_alloc(&fa);
    EXPECT_INT(frame_free(&fa, mfn), 0);
    EXPECT_U64(fa.nr_free, 64);
    EXPECT_INT(frame_free(&fa, mfn), -XEN_EINVAL);
    EXPECT_U64(fa.nr_free, 64);
    EXPECT_INT(frame_free(&fa, 64), -XEN_EINVAL); /* out of range */
    EXPECT_INT(frame_free(&fa, FRAME_NONE), -XEN_EINVAL);
    EXPECT_TRUE(!frame_is_free(&fa, FRAME_NONE));
}

static void test_contig_aligned(void)
{
    setup(1024, true);
    frame_range_reserve(&fa, 0, 4);
    EXPECT_U64(frame_alloc_contig(&fa, 8, 8), 8);
    EXPECT_U64(frame_alloc_contig(&fa, 16, 16), 16);
    EXPECT_U64(frame_alloc_contig(&fa, 4, 512), 512);
    EXPECT_U64(fa.nr_free, 1024 - 4 - 8 - 16 - 4);
    EXPECT_TRUE(!frame_is_free(&fa, 515) && frame_is_free(&fa, 516));
    /* Next-fit: the search resumes where the last one ended. */
    EXPECT_U64(frame_alloc_contig(&fa, 4, 4), 516);
    EXPECT_U64(frame_alloc_contig(&fa, 1024, 1), FRAME_NONE);
    EXPECT_U64(frame_alloc_contig(&fa, 0, 1), FRAME_NONE);
    EXPECT_U64(frame_alloc_contig(&fa, 1, 3), FRAME_NONE); /* not a power of two */
    EXPECT_U64(frame_alloc_contig(&fa, 1, 0), FRAME_NONE);
    EXPECT_U64(frame_alloc_contig(&fa, 1, 2048), FRAME_NONE);
}

static void test_contig_skips_holes(void)
{
    setup(64, true);
    frame_range_reserve(&fa, 10, 1);
    frame_range_reserve(&fa, 30, 1);
    EXPECT_U64(frame_alloc_contig(&fa, 16, 1), 11);
    EXPECT_U64(frame_alloc_contig(&fa, 16, 1), 31);
    EXPECT_U64(frame_alloc_contig(&fa, 16, 1), 47);
    EXPECT_U64(frame_alloc_contig(&fa, 16, 1), FRAME_NONE); /* only 10 + 3 + 1 left */
    EXPECT_U64(frame_alloc_contig(&fa, 10, 1), 0);          /* wraps to the front */
    EXPECT_U64(fa.nr_free, 64 - 2 - 48 - 10);
}

static void test_contig_wraps(void)
{
    setup(64, true);
    frame_range_reserve(&fa, 0, 64);
    frame_range_free(&fa, 4, 4);
    frame_range_free(&fa, 60, 4);
    EXPECT_U64(frame_alloc(&fa), 4); /* hint now 5 */
    EXPECT_U64(frame_alloc_contig(&fa, 4, 4), 60);
    EXPECT_U64(frame_alloc_contig(&fa, 2, 2), 6);
    EXPECT_U64(frame_alloc_contig(&fa, 1, 1), 5);
    EXPECT_U64(fa.nr_free, 0);
}

/* xorshift64: a fixed seed makes every failure reproducible. */
static uint64_t rng_state;

static uint64_t rnd(uint64_t bound)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % bound;
}

static bool model[MAX_FRAMES]; /* true = free */

static uint64_t model_free_count(uint64_t n)
{
    uint64_t i, c = 0;

    for (i = 0; i < n; i++)
        c += model[i];
    return c;
}

static bool model_run_free(uint64_t base, uint64_t count)
{
    uint64_t i;

    for (i = 0; i < count; i++)
        if (!model[base + i])
            return false;
    return true;
}

static bool model_has_run(uint64_t n, uint64_t count, uint64_t align)
{
    uint64_t base;

    for (base = 0; base + count <= n; base += align)
        if (model_run_free(base, count))
            return true;
    return false;
}

static void test_random_against_model(void)
{
    const uint64_t n = 300; /* not a multiple of 64 */
    unsigned int step;
    char label[96];

    rng_state = 0x9e3779b97f4a7c15ULL;
    setup(n, false);
    memset(model, 0, sizeof(model));

    for (step = 0; step < 20000; step++) {
        unsigned int op = (unsigned int)rnd(100);
        uint64_t a = rnd(n + 20), b = rnd(40), i, got;
        bool ok = true;

        snprintf(label, sizeof(label), "step %u op %u", step, op);
        if (op < 5) /* free a range, maybe past the end */
        {
            frame_range_free(&fa, a, b);
            for (i = a; i < a + b && i < n; i++)
                model[i] = true;
        } else if (op < 8) {
            frame_range_reserve(&fa, a, b);
            for (i = a; i < a + b && i < n; i++)
                model[i] = false;
        } else if (op < 45) {
            got = frame_alloc(&fa);
            if (got == FRAME_NONE)
                ok = model_free_count(n) == 0;
            else {
                ok = got < n && model[got];
                if (ok)
                    model[got] = false;
            }
        } else if (op < 60) {
            uint64_t count = 1 + rnd(8), align = 1ULL << rnd(4);

            got = frame_alloc_contig(&fa, count, align);
            if (got == FRAME_NONE)
                ok = !model_has_run(n, count, align);
            else {
                ok = got % align == 0 && got + count <= n && model_run_free(got, count);
                for (i = 0; ok && i < count; i++)
                    model[got + i] = false;
            }
        } else /* free one frame, sometimes a free one */
        {
            int rc = frame_free(&fa, a);

            if (a < n && !model[a]) {
                ok = rc == 0;
                model[a] = true;
            } else
                ok = rc == -XEN_EINVAL;
        }
        if (!EXPECT_TRUE_CASE(ok, label) ||
            !EXPECT_TRUE_CASE(fa.nr_free == model_free_count(n), label))
            return;
        if (step % 64 == 0)
            for (i = 0; i < n + 64; i++)
                if (!EXPECT_TRUE_CASE(frame_is_free(&fa, i) == (i < n && model[i]), label))
                    return;
    }
}

void register_frame_tests(void)
{
    static const struct unit_test tests[] = {
        { "bitmap_bytes", test_bitmap_bytes },
        { "init_all_used", test_init_all_used },
        { "range_clipping", test_range_clipping },
        { "next_fit", test_next_fit },
        { "exhaustion", test_exhaustion },
        { "double_free", test_double_free },
        { "contig_aligned", test_contig_aligned },
        { "contig_skips_holes", test_contig_skips_holes },
        { "contig_wraps", test_contig_wraps },
        { "random_against_model", test_random_against_model },
    };

    UNIT_SUITE("frame", tests);
}
