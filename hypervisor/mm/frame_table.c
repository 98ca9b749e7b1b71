// SPDX-License-Identifier: MIT
/* The frame allocator is filled from the Multiboot memory map; the
 * page_info table records owner, references and type of every frame once
 * the direct map can hold it. */
#include <stdint.h>
#include <string.h>
#include "console/log.h"
#include "domain/domain.h"
#include "arch/x86/memlayout.h"
#include "hypercall/continuation.h"
#include "mm/frame_table.h"
#include "arch/x86/panic.h"
#include "arch/x86/paging.h"

/* 64 GiB of RAM: a static bitmap keeps boot simple; frames above are
 * left unused and reported. */
#define MAX_FRAMES (64ULL << 30 >> FRAME_SHIFT)
#define LOW_MEMORY (1ULL << 20) /* BIOS and real-mode structures */

static uint64_t frame_bitmap[MAX_FRAMES / 64];
struct frame_allocator machine_frames;
uint64_t max_mfn;
static struct page_info *frame_table;

extern char __image_start[], __image_end[];

static uint64_t pfn_up(uint64_t addr)
{
    return (addr + FRAME_SIZE - 1) >> FRAME_SHIFT;
}
static uint64_t pfn_down(uint64_t addr)
{
    return addr >> FRAME_SHIFT;
}

void memory_init(const struct boot_info *bi)
{
    uint64_t top = 0;

    for (unsigned int i = 0; i < bi->nr_ram; i++)
        if (bi->ram[i].end > top)
            top = bi->ram[i].end;
    max_mfn = pfn_down(top);
    if (max_mfn > MAX_FRAMES) {
        log_warn("memory: using the first %llu GiB of %llu MiB\n", MAX_FRAMES >> (30 - FRAME_SHIFT),
                 (unsigned long long)(top >> 20));
        max_mfn = MAX_FRAMES;
    }
    frame_allocator_init(&machine_frames, frame_bitmap, max_mfn);

    for (unsigned int i = 0; i < bi->nr_ram; i++) {
        uint64_t first = pfn_up(bi->ram[i].start), end = pfn_down(bi->ram[i].end);
        if (end > first)
            frame_range_free(&machine_frames, first, end - first);
    }
    frame_range_reserve(&machine_frames, 0, pfn_up(LOW_MEMORY));
    frame_range_reserve(&machine_frames, pfn_down(image_virt_to_maddr(__image_start)),
                        pfn_up(image_virt_to_maddr(__image_end)) -
                            pfn_down(image_virt_to_maddr(__image_start)));
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        frame_range_reserve(&machine_frames, pfn_down(bi->module[i].start),
                            pfn_up(bi->module[i].end) - pfn_down(bi->module[i].start));
    log_info("memory: %llu MiB free of %llu MiB\n",
             (unsigned long long)(machine_frames.nr_free >> (20 - FRAME_SHIFT)),
             (unsigned long long)(top >> 20));
}

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

static void free_frame(uint64_t mfn)
{
    if (frame_free(&machine_frames, mfn) != 0)
        panic("memory: double free of frame %#llx", (unsigned long long)mfn);
    memset(&frame_table[mfn], 0, sizeof(frame_table[mfn]));
    frame_table[mfn].owner = DOMID_INVALID;
    m2p_set(mfn, M2P_INVALID);
}

void xen_free_frame(uint64_t mfn)
{
    free_frame(mfn);
}

/* The last reference to a guest frame went away (page_type.c). A frame of
 * the reservation is counted in its owner's tot_pages until here, as in
 * Xen (free_domheap_pages): given back while still mapped, it still holds
 * memory, and a new allocation must not be granted for it. */
void page_release_frame(uint64_t mfn)
{
    const struct page_info *pg = &frame_table[mfn];
    struct domain *d;

    if ((pg->flags & PGF_RESERVATION) && (d = domain_by_id(pg->owner)))
        d->tot_pages--;
    free_frame(mfn);
}
