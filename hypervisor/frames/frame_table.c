// SPDX-License-Identifier: MIT
/* The frame allocator is filled from the Multiboot memory map; the
 * page_info table records owner, references and type of every frame once
 * the direct map can hold it. */
#include <stdint.h>
#include <string.h>
#include "console/log.h"
#include "arch/x86/memlayout.h"
#include "hypercall/continuation.h"
#include "frames/frame_table.h"
#include "arch/x86/panic.h"
#include "arch/x86/paging.h"

static struct page_info *frame_table;

/* Frames that are not free RAM now (low memory, the image, the modules,
 * Xenolith's tables, holes in the memory map) belong to Xenolith, so no
 * guest can ever reference them. */
void frame_table_init(void)
{
    uint64_t bytes = max_mfn * sizeof(struct page_info);
    uint64_t nr = (bytes + FRAME_SIZE - 1) >> FRAME_SHIFT;
    uint64_t first = frame_alloc_contig(&machine_frames, nr, 1);

    if (first == FRAME_NONE)
        panic("memory: no room for the frame table (%llu frames)", (unsigned long long)nr);
    frame_table = mfn_to_virt(first);
    memset(frame_table, 0, nr * FRAME_SIZE);
    for (uint64_t mfn = 0; mfn < max_mfn; mfn++)
        frame_table[mfn].owner = frame_is_free(&machine_frames, mfn) ? DOMID_INVALID : DOMID_XEN;
}

bool page_type_preempt_check(void)
{
    return hypercall_preempt_check();
}

struct page_info *mfn_to_page(uint64_t mfn)
{
    return mfn < max_mfn ? &frame_table[mfn] : NULL;
}

uint64_t *map_table(uint64_t mfn)
{
    return mfn_to_virt(mfn);
}

/* A frame just taken from the allocator, made `owner`'s and zeroed. */
static void adopt_frame(uint64_t mfn, domid_t owner)
{
    struct page_info *pg = &frame_table[mfn];

    memset(mfn_to_virt(mfn), 0, FRAME_SIZE);
    memset(pg, 0, sizeof(*pg));
    pg->owner = owner;
    m2p_set(mfn, M2P_INVALID);
}

static void adopt_domain_frame(uint64_t mfn, domid_t owner)
{
    adopt_frame(mfn, owner);
    frame_table[mfn].count = 1;
    frame_table[mfn].flags = PGF_ALLOCATED;
}

uint64_t domain_alloc_frame(domid_t owner)
{
    uint64_t mfn = frame_alloc(&machine_frames);

    if (mfn != FRAME_NONE)
        adopt_domain_frame(mfn, owner);
    return mfn;
}

uint64_t domain_alloc_extent(domid_t owner, unsigned int order)
{
    uint64_t n = 1ULL << order;
    uint64_t first = order ? frame_alloc_contig(&machine_frames, n, n)
                           : frame_alloc(&machine_frames);

    if (first == FRAME_NONE)
        return FRAME_NONE;
    for (uint64_t j = 0; j < n; j++) {
        adopt_domain_frame(first + j, owner);
        frame_table[first + j].flags |= PGF_RESERVATION;
    }
    return first;
}

uint64_t xen_alloc_frame(void)
{
    uint64_t mfn = frame_alloc(&machine_frames);

    if (mfn != FRAME_NONE)
        adopt_frame(mfn, DOMID_XEN);
    return mfn;
}

void frame_free_to_machine(uint64_t mfn)
{
    if (frame_free(&machine_frames, mfn) != 0)
        panic("memory: double free of frame %#llx", (unsigned long long)mfn);
    memset(&frame_table[mfn], 0, sizeof(frame_table[mfn]));
    frame_table[mfn].owner = DOMID_INVALID;
    m2p_set(mfn, M2P_INVALID);
}

void xen_free_frame(uint64_t mfn)
{
    frame_free_to_machine(mfn);
}
