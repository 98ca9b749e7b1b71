/* SPDX-License-Identifier: MIT */
/*
 * Where the domain builder puts each start-of-day element in the guest's
 * virtual address space (xen.h "start of day" layout, PV64-ABI.md). Pure
 * arithmetic: the host tests check it without building a domain.
 */
#ifndef XENOLITH_BUILDER_LAYOUT_H
#define XENOLITH_BUILDER_LAYOUT_H

#include <stdint.h>

/* The mapped range ends on this boundary with at least this much slack. */
#define LAYOUT_ALIGN   (4ULL << 20)
#define LAYOUT_PADDING (512ULL << 10)

struct builder_layout {
    uint64_t virt_base;  /* start of the mapped range; maps pfn 0 */
    uint64_t kern_start; /* kernel image, [kern_start, kern_end) */
    uint64_t kern_end;
    uint64_t p2m_start; /* mfn_list: 8 bytes per guest page */
    uint64_t nr_p2m_pages;
    uint64_t start_info;   /* one page */
    uint64_t store_page;   /* xenstore ring, one page */
    uint64_t console_page; /* console ring, one page */
    uint64_t pt_start;     /* bootstrap page tables, nr_pt_frames pages */
    uint64_t nr_pt_frames; /* l4 + l3 + l2 + l1 */
    uint64_t nr_l4, nr_l3, nr_l2, nr_l1;
    uint64_t stack_start;     /* boot stack, one page; rsp = stack_start + 4096 */
    uint64_t virt_end;        /* end of the mapped range */
    uint64_t nr_mapped_pages; /* (virt_end - virt_base) / 4096 */
};

/*
 * Lay out a guest of nr_pages pages whose kernel occupies
 * [kern_start, kern_end) (page aligned, kern_start >= virt_base).
 * The page tables must map the whole range, themselves included, so their
 * number is found by iterating to a fixed point as Xen's builder does.
 * Returns 0, -XEN_EINVAL for a range that is misaligned, wraps, or touches
 * the hypervisor hole [HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_END) or the
 * non-canonical gap, or -XEN_ENOMEM when nr_pages cannot hold the range.
 */
int builder_compute_layout(uint64_t virt_base, uint64_t kern_start, uint64_t kern_end,
                           uint64_t nr_pages, struct builder_layout *out, const char **why);

/* Number of page-table pages at each level needed to map [start, end). */
void layout_count_tables(uint64_t start, uint64_t end, uint64_t *nr_l3, uint64_t *nr_l2,
                         uint64_t *nr_l1);

#endif
