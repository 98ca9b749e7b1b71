/* SPDX-License-Identifier: MIT */
/*
 * Start-of-day virtual layout of a PV64 domain (xen.h "start of day"):
 * kernel, p2m list, start_info, xenstore ring, console ring, bootstrap
 * page tables, boot stack, then
 * padding to a 4 MiB boundary. Pure arithmetic over addresses.
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>

#include "toolstack/builder_layout.h"

#define PAGE_4K           4096ULL
#define L1_SHIFT          21 /* one L1 table maps 2 MiB */
#define L2_SHIFT          30 /* one L2 table maps 1 GiB */
#define L3_SHIFT          39 /* one L3 table maps 512 GiB */
#define CANONICAL_LOW_END 0x0000800000000000ULL

/* Tables of span 2^shift needed to cover [start, end), end > start. */
static uint64_t nr_tables(uint64_t start, uint64_t end, unsigned int shift)
{
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

void layout_count_tables(uint64_t start, uint64_t end, uint64_t *nr_l3, uint64_t *nr_l2,
                         uint64_t *nr_l1)
{
    if (end <= start) {
        *nr_l3 = *nr_l2 = *nr_l1 = 0;
        return;
    }
    *nr_l3 = nr_tables(start, end, L3_SHIFT);
    *nr_l2 = nr_tables(start, end, L2_SHIFT);
    *nr_l1 = nr_tables(start, end, L1_SHIFT);
}

static int add_ok(uint64_t a, uint64_t b, uint64_t *sum)
{
    if (a > UINT64_MAX - b)
        return 0;
    *sum = a + b;
    return 1;
}

/*
 * Lay out everything from the page tables on for nr_pt page-table pages.
 * The end rounds up to 4 MiB and gains another 4 MiB when that leaves less
 * than 512 KiB, because Linux uses the slack for its early allocations.
 */
static int place_tail(struct builder_layout *l, uint64_t nr_pt)
{
    uint64_t pt_end, stack_end, end;

    if (nr_pt > UINT64_MAX / PAGE_4K || !add_ok(l->pt_start, nr_pt * PAGE_4K, &pt_end) ||
        !add_ok(pt_end, PAGE_4K, &stack_end) || !add_ok(stack_end, LAYOUT_ALIGN - 1, &end))
        return 0;
    end &= ~(LAYOUT_ALIGN - 1);
    if (end - stack_end < LAYOUT_PADDING && !add_ok(end, LAYOUT_ALIGN, &end))
        return 0;
    l->stack_start = pt_end;
    l->virt_end = end;
    return 1;
}

int builder_compute_layout(uint64_t virt_base, uint64_t kern_start, uint64_t kern_end,
                           uint64_t nr_pages, struct builder_layout *out, const char **why)
{
    struct builder_layout l = { 0 };
    const char *reason = NULL;
    uint64_t nr_pt = 0, p2m_bytes, iter;
    int rc = -XEN_EINVAL;

    if ((virt_base | kern_start | kern_end) & (PAGE_4K - 1)) {
        reason = "layout: VIRT_BASE or the kernel's bounds are not page aligned";
        goto out;
    }
    if (kern_start < virt_base || kern_end <= kern_start) {
        reason = "layout: the kernel is empty or lies below VIRT_BASE";
        goto out;
    }
    if (nr_pages == 0 || nr_pages > UINT64_MAX / 8) {
        reason = "layout: the domain's page count is zero or absurd";
        goto out;
    }

    l.virt_base = virt_base;
    l.kern_start = kern_start;
    l.kern_end = kern_end;
    l.p2m_start = kern_end;
    p2m_bytes = nr_pages * 8;
    l.nr_p2m_pages = p2m_bytes / PAGE_4K + (p2m_bytes % PAGE_4K != 0);
    if (l.nr_p2m_pages > UINT64_MAX / PAGE_4K ||
        !add_ok(l.p2m_start, l.nr_p2m_pages * PAGE_4K, &l.start_info) ||
        !add_ok(l.start_info, PAGE_4K, &l.store_page) ||
        !add_ok(l.store_page, PAGE_4K, &l.console_page) ||
        !add_ok(l.console_page, PAGE_4K, &l.pt_start))
        goto wraps;

    /*
     * The tables map the whole range, themselves included, so their number
     * depends on itself. Tables needed only grows with nr_pt, so iterating
     * from nothing climbs to the least fixed point: the same count Xen's
     * dom0 builder finds by trying 2, 3, 4, ... in turn. A step adds at most
     * a few tables, so a handful of rounds suffice for any real domain.
     */
    for (iter = 0;; iter++) {
        uint64_t need;

        if (iter == 64) {
            reason = "layout: page-table count did not converge";
            goto out;
        }
        if (!place_tail(&l, nr_pt))
            goto wraps;
        layout_count_tables(virt_base, l.virt_end, &l.nr_l3, &l.nr_l2, &l.nr_l1);
        l.nr_l4 = 1;
        need = l.nr_l4 + l.nr_l3 + l.nr_l2 + l.nr_l1;
        if (need <= nr_pt)
            break;
        nr_pt = need;
    }
    l.nr_pt_frames = nr_pt;
    l.nr_mapped_pages = (l.virt_end - virt_base) / PAGE_4K;

    /* Both halves of the check matter: a range may start in the low half
     * and run into the gap, or start in the gap or the hole itself. */
    if (virt_base < CANONICAL_LOW_END && l.virt_end > CANONICAL_LOW_END)
        reason = "layout: the domain's range crosses into non-canonical addresses";
    else if (virt_base >= CANONICAL_LOW_END && virt_base < HYPERVISOR_VIRT_START)
        reason = "layout: VIRT_BASE is a non-canonical address";
    else if (virt_base < HYPERVISOR_VIRT_END && l.virt_end > HYPERVISOR_VIRT_START)
        reason = "layout: the domain's range overlaps the hypervisor's reserved range";
    else if (l.nr_mapped_pages > nr_pages) {
        reason = "layout: the domain's memory is too small for its kernel and boot structures";
        rc = -XEN_ENOMEM;
    } else {
        *out = l;
        rc = 0;
    }
    goto out;

wraps:
    reason = "layout: the domain's range wraps past the top of the address space";
out:
    if (why)
        *why = rc ? reason : NULL;
    return rc;
}
