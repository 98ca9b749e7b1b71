// SPDX-License-Identifier: MIT
// Bitmap page allocator. A bitmap rather than a free list threaded through
// the pages, because under PV most pages are not mapped yet; lowest-first,
// so early allocations come from the mapped start-of-day padding.
#include <guest-kernel/page_alloc.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>

#define BITS 64

static uint64_t free_map[PAGE_ALLOC_MAX_PFNS / BITS]; /* 1 = free */
static unsigned long nr_free;
static unsigned long search_from; /* no free frame below this */

static int is_free(unsigned long pfn)
{
    return (free_map[pfn / BITS] >> (pfn % BITS)) & 1;
}

static void set_free(unsigned long pfn, int free)
{
    uint64_t bit = 1ULL << (pfn % BITS);

    if (free) {
        free_map[pfn / BITS] |= bit;
        nr_free++;
        if (pfn < search_from)
            search_from = pfn;
    } else {
        free_map[pfn / BITS] &= ~bit;
        nr_free--;
    }
}

static unsigned long clip(unsigned long pfn)
{
    return pfn < PAGE_ALLOC_MAX_PFNS ? pfn : PAGE_ALLOC_MAX_PFNS;
}

void page_alloc_add_free(unsigned long first, unsigned long end)
{
    for (unsigned long pfn = clip(first); pfn < clip(end); pfn++)
        if (!is_free(pfn))
            set_free(pfn, 1);
}

void page_alloc_reserve(unsigned long first, unsigned long end)
{
    for (unsigned long pfn = clip(first); pfn < clip(end); pfn++)
        if (is_free(pfn))
            set_free(pfn, 0);
}

int page_alloc(unsigned long *pfn)
{
    for (unsigned long w = search_from / BITS; w < PAGE_ALLOC_MAX_PFNS / BITS; w++) {
        if (!free_map[w])
            continue;
        *pfn = w * BITS + (unsigned long)__builtin_ctzll(free_map[w]);
        set_free(*pfn, 0);
        search_from = *pfn + 1;
        return 0;
    }
    search_from = PAGE_ALLOC_MAX_PFNS;
    return -XEN_ENOMEM;
}

/* Lowest-first, so if the frame page_alloc finds is too high, all are. */
int page_alloc_below(unsigned long end, unsigned long *pfn)
{
    int rc = page_alloc(pfn);

    if (rc == 0 && *pfn >= end) {
        page_free(*pfn);
        rc = -XEN_ENOMEM;
    }
    return rc;
}

int page_free(unsigned long pfn)
{
    if (pfn >= PAGE_ALLOC_MAX_PFNS || is_free(pfn))
        return -XEN_EINVAL;
    set_free(pfn, 1);
    return 0;
}

unsigned long page_alloc_free_count(void)
{
    return nr_free;
}
