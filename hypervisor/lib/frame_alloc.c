/* SPDX-License-Identifier: MIT */
/*
 * Bitmap frame allocator: one bit per machine frame, set = in use. Bits past
 * nr_frames in the last word stay set, so whole-word scans never hand out a
 * frame that does not exist. Searches are next-fit from `next`, which keeps
 * single-frame allocation O(1) amortised during domain building.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>

#include "lib/frame_alloc.h"

#define BITS_PER_WORD 64

static uint64_t nr_words(uint64_t nr_frames)
{
    return nr_frames / BITS_PER_WORD + (nr_frames % BITS_PER_WORD != 0);
}

uint64_t frame_bitmap_bytes(uint64_t nr_frames)
{
    return nr_words(nr_frames) * sizeof(uint64_t);
}

static bool test_bit(const struct frame_allocator *fa, uint64_t mfn)
{
    return (fa->bitmap[mfn / BITS_PER_WORD] >> (mfn % BITS_PER_WORD)) & 1;
}

static void set_bit(struct frame_allocator *fa, uint64_t mfn)
{
    fa->bitmap[mfn / BITS_PER_WORD] |= 1ULL << (mfn % BITS_PER_WORD);
}

static void clear_bit(struct frame_allocator *fa, uint64_t mfn)
{
    fa->bitmap[mfn / BITS_PER_WORD] &= ~(1ULL << (mfn % BITS_PER_WORD));
}

void frame_allocator_init(struct frame_allocator *fa, uint64_t *bitmap, uint64_t nr_frames)
{
    fa->bitmap = bitmap;
    fa->nr_frames = nr_frames;
    fa->nr_free = 0;
    fa->next = 0;
    memset(bitmap, 0xff, frame_bitmap_bytes(nr_frames));
}

/* Clip [first, first + count) to the frames the bitmap describes, without
 * letting first + count wrap. Returns the clipped count. */
static uint64_t clip(const struct frame_allocator *fa, uint64_t first, uint64_t count)
{
    if (first >= fa->nr_frames)
        return 0;
    return count < fa->nr_frames - first ? count : fa->nr_frames - first;
}

void frame_range_free(struct frame_allocator *fa, uint64_t first, uint64_t count)
{
    uint64_t i, n = clip(fa, first, count);

    /* Memory maps may overlap; only count frames that change state. */
    for (i = first; i < first + n; i++)
        if (test_bit(fa, i)) {
            clear_bit(fa, i);
            fa->nr_free++;
        }
}

void frame_range_reserve(struct frame_allocator *fa, uint64_t first, uint64_t count)
{
    uint64_t i, n = clip(fa, first, count);

    for (i = first; i < first + n; i++)
        if (!test_bit(fa, i)) {
            set_bit(fa, i);
            fa->nr_free--;
        }
}

/* First free frame in [from, to), or FRAME_NONE; skips full words. */
static uint64_t find_free(const struct frame_allocator *fa, uint64_t from, uint64_t to)
{
    uint64_t mfn = from;

    while (mfn < to) {
        uint64_t word = fa->bitmap[mfn / BITS_PER_WORD] >> (mfn % BITS_PER_WORD);

        if (word != ~0ULL >> (mfn % BITS_PER_WORD)) {
            mfn += (uint64_t)__builtin_ctzll(~word);
            return mfn < to ? mfn : FRAME_NONE;
        }
        mfn = (mfn / BITS_PER_WORD + 1) * BITS_PER_WORD;
    }
    return FRAME_NONE;
}

uint64_t frame_alloc(struct frame_allocator *fa)
{
    uint64_t start = fa->next < fa->nr_frames ? fa->next : 0;
    uint64_t mfn;

    if (fa->nr_free == 0)
        return FRAME_NONE;
    mfn = find_free(fa, start, fa->nr_frames);
    if (mfn == FRAME_NONE)
        mfn = find_free(fa, 0, start);
    if (mfn == FRAME_NONE)
        return FRAME_NONE;
    set_bit(fa, mfn);
    fa->nr_free--;
    fa->next = mfn + 1 < fa->nr_frames ? mfn + 1 : 0;
    return mfn;
}

/* Lowest aligned run of `count` free frames starting in [from, to), or
 * FRAME_NONE. On a used frame the search jumps past it to the next aligned
 * start, so each frame is looked at a bounded number of times. */
static uint64_t find_run(const struct frame_allocator *fa, uint64_t from, uint64_t to,
                         uint64_t count, uint64_t align)
{
    uint64_t base = (from + align - 1) & ~(align - 1);

    while (base >= from && base < to && count <= fa->nr_frames - base) {
        uint64_t i;

        for (i = 0; i < count && !test_bit(fa, base + i); i++)
            ;
        if (i == count)
            return base;
        /* Round up past the used frame; base + i + 1 <= nr_frames. */
        base = (base + i + align) & ~(align - 1);
    }
    return FRAME_NONE;
}

uint64_t frame_alloc_contig(struct frame_allocator *fa, uint64_t count, uint64_t align)
{
    uint64_t start, base, i;

    if (count == 0 || align == 0 || (align & (align - 1)) || align > fa->nr_frames ||
        count > fa->nr_free)
        return FRAME_NONE;
    start = fa->next < fa->nr_frames ? fa->next : 0;
    base = find_run(fa, start, fa->nr_frames, count, align);
    if (base == FRAME_NONE)
        base = find_run(fa, 0, start, count, align);
    if (base == FRAME_NONE)
        return FRAME_NONE;
    for (i = 0; i < count; i++)
        set_bit(fa, base + i);
    fa->nr_free -= count;
    fa->next = base + count < fa->nr_frames ? base + count : 0;
    return base;
}

int frame_free(struct frame_allocator *fa, uint64_t mfn)
{
    if (mfn >= fa->nr_frames || !test_bit(fa, mfn))
        return -XEN_EINVAL;
    clear_bit(fa, mfn);
    fa->nr_free++;
    return 0;
}

bool frame_is_free(const struct frame_allocator *fa, uint64_t mfn)
{
    return mfn < fa->nr_frames && !test_bit(fa, mfn);
}
