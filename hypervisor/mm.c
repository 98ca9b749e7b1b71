// SPDX-License-Identifier: MIT
/*
 * update_va_mapping: one L1 entry of the current guest, validated. This is
 * the first-light subset: the L1 must already exist, and a new entry may
 * map only a frame the guest owns, never a page table writable.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "domain.h"
#include "hypercall.h"
#include "memlayout.h"
#include "memory.h"
#include "pte.h"
#include "uaccess.h"
#include "x86.h"

/* Bits a PV guest may not set in an L1 entry, as in Xen: bit 62 (Xen's
 * grant-mapping marker) always, and the cache attributes PWT/PCD/PAT
 * unless the domain has I/O privileges (here: the privileged domain).
 * Global is allowed: Xenolith never sets CR4.PGE, so it has no effect. */
#define L1_DISALLOW        (1ULL << 62)
#define PTE_CACHE_ATTRS    (PTE_PWT | PTE_PCD | PTE_PAT)

static uint64_t l1_disallow_mask(const struct domain *d)
{
    return L1_DISALLOW | (d->is_privileged ? 0 : PTE_CACHE_ATTRS);
}

static bool is_page_table(const struct frame_info *fi)
{
    return fi->type >= FRAME_PT_L1 && fi->type <= FRAME_PT_L4;
}

/* The L1 entry that maps va in the current guest's kernel tables, reached
 * through the direct map; NULL when a level is missing or not the guest's. */
static uint64_t *guest_l1e(struct domain *d, uint64_t va)
{
    uint64_t mfn = current_vcpu()->cr3 >> PAGE_SHIFT;

    for (unsigned int level = 4; level >= 1; level--) {
        const struct frame_info *fi = frame_info(mfn);
        uint64_t *table;

        if (!fi || fi->owner != d->domain_id || fi->type != FRAME_PT_L1 + level - 1)
            return NULL;
        table = mfn_to_virt(mfn);
        if (level == 1)
            return &table[pt_index(va, 1)];
        if (!(table[pt_index(va, level)] & PTE_P) || (table[pt_index(va, level)] & PTE_PSE))
            return NULL;
        mfn = pte_mfn(table[pt_index(va, level)]);
    }
    return NULL;
}

static long validate_l1e(struct domain *d, uint64_t *val)
{
    const struct frame_info *fi;

    if (!(*val & PTE_P))
        return 0;
    if (*val & l1_disallow_mask(d))
        return -XEN_EINVAL;
    fi = frame_info(pte_mfn(*val));
    if (!fi || fi->owner != d->domain_id)
        return -XEN_EINVAL;
    /* The frame cannot take the writable type while it is a page table. */
    if ((*val & PTE_RW) && is_page_table(fi))
        return -XEN_EBUSY;
    /* The guest kernel runs in ring 3: its mappings must be user ones. */
    *val |= PTE_US;
    return 0;
}

long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_domain();
    uint64_t *l1e;
    long rc;

    if (!guest_range_ok(va, 1))
        return -XEN_EINVAL;
    l1e = guest_l1e(d, va);
    if (!l1e)
        return -XEN_EINVAL;
    rc = validate_l1e(d, &val);
    if (rc)
        return rc;
    *l1e = val;

    /* Anything other than LOCAL or ALL in the upper bits is a pointer to a
     * vCPU mask, read (as Xen does) after the update is applied. */
    if ((flags & UVMF_FLUSHTYPE_MASK) && (flags & ~UVMF_FLUSHTYPE_MASK) != UVMF_LOCAL &&
        (flags & ~UVMF_FLUSHTYPE_MASK) != UVMF_ALL) {
        uint64_t mask;
        if (copy_from_guest(&mask, flags & ~UVMF_FLUSHTYPE_MASK, sizeof(mask)))
            return -XEN_EFAULT;
    }

    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
        flush_tlb_local();
        break;
    case UVMF_INVLPG:
        invlpg(va);
        break;
    default:
        break;
    }
    /* A single vCPU: "all" and any vCPU mask reduce to this CPU. Even a
     * request without a flush must not leave a stale entry that grants
     * more than the new one, so the page is always invalidated. */
    invlpg(va);
    return 0;
}
