/* SPDX-License-Identifier: MIT */
/*
 * Physical page allocator: one bit per page frame number (pseudo-physical
 * under PV). Boot entries declare free ranges; nothing is free by default.
 */
#ifndef GUEST_KERNEL_PAGE_ALLOC_H
#define GUEST_KERNEL_PAGE_ALLOC_H

/* Frames at or above this are ignored (1 GiB; enough for first light). */
#define PAGE_ALLOC_MAX_PFNS (1UL << 18)

void page_alloc_add_free(unsigned long first_pfn, unsigned long end_pfn);
void page_alloc_reserve(unsigned long first_pfn, unsigned long end_pfn);
/* OUT: *pfn. Returns 0 or -XEN_ENOMEM; lowest free frame first. */
int page_alloc(unsigned long *pfn);
/* As page_alloc, but only a frame below end; -XEN_ENOMEM if there is none. */
int page_alloc_below(unsigned long end, unsigned long *pfn);
/* Returns 0, or -XEN_EINVAL for a frame that is not allocated. */
int page_free(unsigned long pfn);
unsigned long page_alloc_free_count(void);

#endif
