/* SPDX-License-Identifier: MIT */
/*
 * Machine frame allocator: one bit per 4 KiB frame, set = in use. The
 * bitmap storage is supplied by the caller (carved from free RAM at boot,
 * or a plain array in the host tests).
 */
#ifndef XENOLITH_FRAME_ALLOC_H
#define XENOLITH_FRAME_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#define FRAME_SIZE  4096ULL
#define FRAME_SHIFT 12
#define FRAME_NONE  (~0ULL)

struct frame_allocator {
    uint64_t *bitmap;   /* nr_frames bits, rounded up to whole words */
    uint64_t nr_frames; /* frames [0, nr_frames) are described */
    uint64_t nr_free;
    uint64_t next; /* search hint: where the last search ended */
};

/* Size in bytes of the bitmap for nr_frames frames. */
uint64_t frame_bitmap_bytes(uint64_t nr_frames);

/* Start with every frame in use; free RAM is then added region by region. */
void frame_allocator_init(struct frame_allocator *fa, uint64_t *bitmap, uint64_t nr_frames);

/* Mark [first, first + count) free / in use. Frames past nr_frames are
 * ignored (clipped), so a memory map entry may run beyond the bitmap. */
void frame_range_free(struct frame_allocator *fa, uint64_t first, uint64_t count);
void frame_range_reserve(struct frame_allocator *fa, uint64_t first, uint64_t count);

/* One frame, or FRAME_NONE when none is free. */
uint64_t frame_alloc(struct frame_allocator *fa);

/* count contiguous frames whose first is a multiple of align (a power of
 * two, in frames), or FRAME_NONE. */
uint64_t frame_alloc_contig(struct frame_allocator *fa, uint64_t count, uint64_t align);

/* Returns 0, or -XEN_EINVAL for a frame out of range or already free
 * (a double free is a hypervisor bug the caller should report). */
int frame_free(struct frame_allocator *fa, uint64_t mfn);

bool frame_is_free(const struct frame_allocator *fa, uint64_t mfn);

#endif
