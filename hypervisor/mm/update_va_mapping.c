// SPDX-License-Identifier: MIT
/*
 * update_va_mapping: replace the L1 entry that maps va in the current
 * tables, with the same validation as mmu_update (page_type.c), then flush
 * as the flags ask. Like Xen, a failed update still flushes and keeps its
 * errno; after a successful one, reading a vCPU mask the flags name
 * decides the result.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "arch/x86/uaccess.h"
#include "lib/errno_name.h"
#include "mm/guest_mm.h"
#include "hypercall/hypercall.h"
#include "frames/frame_table.h"
#include "arch/x86/x86.h"

static int flush_as_asked(uint64_t va, uint64_t flags, int rc)
{
    uint64_t target = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK;
    unsigned int type = flags & UVMF_FLUSHTYPE_MASK;

    if (type != UVMF_TLB_FLUSH && type != UVMF_INVLPG)
        return rc;
    /* One vCPU: LOCAL, ALL and any mask all mean this CPU; a mask is
     * still read, and its readability becomes the result, unless the
     * update already failed: a readable mask must not turn a refusal
     * into success (Xen 4.17 keeps the update's errno). */
    if (target != UVMF_LOCAL && target != UVMF_ALL) {
        int mask_rc = guest_read_vcpumask(target);

        if (!rc)
            rc = mask_rc;
    }
    if (type == UVMF_TLB_FLUSH)
        flush_tlb_local();
    else if (guest_addr_ok(va))
        invlpg(va);
    return rc;
}

long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags)
{
    struct vcpu *v = current_vcpu();
    uint64_t l1_mfn, old = 0;
    unsigned int slot;
    int rc;

    rc = guest_walk_l1(v, va, &l1_mfn, &slot);
    if (!rc)
        rc = pt_update_entry(l1_mfn, slot, val, &v->domain->pt, 0, &old);
    /* The guest flushes what it asked for. A replaced present entry is
     * also flushed everywhere here: the same L1 may be reachable at other
     * addresses, and a stale entry must not outlive its reference. */
    if (!rc && (old & 1))
        flush_tlb_local();
    if (rc)
        domain_log_refusal(v->domain, "update_va_mapping(%#llx, %#llx): %s", (unsigned long long)va,
                           (unsigned long long)val, xen_errno_name(rc));
    return flush_as_asked(va, flags, rc);
}
