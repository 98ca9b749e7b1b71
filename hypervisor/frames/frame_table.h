/* SPDX-License-Identifier: MIT */
/* The frame table: the per-frame bookkeeping (struct page_info, page_type.h) that every
 * mapping check relies on. */
#ifndef XENOLITH_MEMORY_H
#define XENOLITH_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include "arch/x86/machine_memory.h"
#include "frames/page_type.h"

/* Allocates the page_info table once the direct map exists. */
void frame_table_init(void);

/* A zeroed frame for `owner`, holding the allocation reference (count 1,
 * PGF_ALLOCATED, untyped), or FRAME_NONE. It is freed when its last
 * reference goes. */
uint64_t domain_alloc_frame(domid_t owner);

/* 2^order contiguous, aligned frames for `owner`, each set up as by
 * domain_alloc_frame(); the first one, or FRAME_NONE. */
uint64_t domain_alloc_extent(domid_t owner, unsigned int order);

/* A frame of Xenolith's own (owner DOMID_XEN), zeroed, or FRAME_NONE. */
uint64_t xen_alloc_frame(void);
void xen_free_frame(uint64_t mfn);
/* Back to the machine's free frames, its bookkeeping cleared (no owner, no
 * M2P entry). A second free of the same frame is a Xenolith bug: panic. */
void frame_free_to_machine(uint64_t mfn);

static inline bool frame_owned_by(uint64_t mfn, domid_t d)
{
    const struct page_info *pg = mfn_to_page(mfn);
    return pg && pg->owner == d;
}

#endif
