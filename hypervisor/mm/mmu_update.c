// SPDX-License-Identifier: MIT
/*
 * mmu_update: a batch of (ptr, val) requests, processed in order until the
 * first failure; *success_count receives how many succeeded (Xen's pdone).
 * MMU_NORMAL_PT_UPDATE / MMU_PT_UPDATE_PRESERVE_AD write an entry of a
 * validated page table, or a plain word of an ordinary page; MMU_MACHPHYS_UPDATE
 * sets an M2P entry for a frame the domain owns. Preemptible between
 * requests: the continuation carries the rest of the array with
 * MMU_UPDATE_PREEMPTED in its count, and *pdone is kept up to date, as Xen.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "lib/errno_name.h"
#include "mm/guest_mm.h"
#include "mm/guest_tables.h"
#include "mm/mmu_batch.h"
#include "hypercall/hypercall.h"
#include "frames/frame_table.h"
#include "arch/x86/paging.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"

/* A write to an ordinary page: it must be able to take (or already have)
 * the writable type for the duration. */
static int write_plain_word(uint64_t mfn, unsigned int offset, uint64_t val,
                            const struct pt_owner *pt)
{
    if (page_get_type(mfn, PGT_WRITABLE, pt))
        return -XEN_EINVAL;
    map_table(mfn)[offset / 8] = val;
    page_put_type(mfn);
    return 0;
}

static int normal_update(struct vcpu *v, struct domain *d, const mmu_update_t *req,
                         unsigned int cmd, bool *flush)
{
    uint64_t ptr = req->ptr - cmd, mfn = ptr >> PAGE_SHIFT, old = 0;
    unsigned int offset = ptr & (PAGE_SIZE - 1);
    const struct page_info *pg = mfn_to_page(mfn);
    int rc;

    if (!pg || pg->owner != d->domain_id || page_get(mfn, d->domain_id))
        return -XEN_EINVAL;
    if (pg->type >= PGT_L1 && pg->type <= PGT_L4 && pg->type_count && (pg->flags & PGF_VALIDATED)) {
        unsigned int flags = cmd == MMU_PT_UPDATE_PRESERVE_AD ? PT_UPDATE_PRESERVE_AD : 0;
        uint64_t owed = 0;

        /* An L1 entry's references are constant work; only linking or
         * unlinking a table can start a validation or devalidation. */
        if (pg->type == PGT_L1) {
            rc = pt_update_entry(mfn, offset / 8, req->val, &d->pt, flags, &old);
        } else {
            rc = pt_update_entry_preemptible(mfn, offset / 8, req->val, &d->pt, flags, &old, &owed);
            if (owed)
                vcpu_owe_partial(v, owed);
        }
        if (!rc && (old & PTE_P))
            *flush = true;
        if (!rc && owed)
            rc = DONE_BUT_OWED;
    } else {
        rc = write_plain_word(mfn, offset, req->val, &d->pt);
    }
    page_put(mfn);
    return rc;
}

static int machphys_update(struct domain *d, const mmu_update_t *req)
{
    uint64_t mfn = req->ptr >> PAGE_SHIFT;

    if (page_get(mfn, d->domain_id))
        return -XEN_EINVAL;
    m2p_set(mfn, req->val);
    page_put(mfn);
    return 0;
}

long do_mmu_update(uint64_t ureqs, unsigned int count, uint64_t pdone, unsigned int foreigndom)
{
    struct vcpu *v = current_vcpu();
    struct domain *d = v->domain;
    struct mmu_batch b = {
        .v = v,
        .op = __HYPERVISOR_mmu_update,
        .list = ureqs,
        .entry_size = sizeof(mmu_update_t),
        .count = count,
        .pdone = pdone,
        .foreigndom = foreigndom,
    };
    uint32_t i = 0;
    enum pg_owner owner;
    bool flush = false;
    long rc = 0;

    if (!mmu_batch_begin(&b, &rc))
        return rc;

    /* The upper half names the page tables' owner, id + 1 (Xen's PFD, for
     * stub domains), looked up by id alone (DOMID_SELF names no domain):
     * an unknown one fails before anything is written. Another domain's
     * tables are not Xenolith's to update (docs/abi.md). */
    if (foreigndom >> 16) {
        struct domain *pt_owner = domain_by_id((domid_t)((foreigndom >> 16) - 1));

        if (!pt_owner)
            return -XEN_ESRCH;
        if (pt_owner != d) {
            rc = -XEN_EPERM;
            goto out;
        }
    }
    owner = guest_pg_owner(d, (domid_t)foreigndom);
    if (owner == PG_NONE) {
        rc = -XEN_ESRCH;
        goto out;
    }

    for (i = 0; i < b.count; i++) {
        mmu_update_t req;
        unsigned int cmd;

        if ((rc = mmu_batch_fetch(ureqs, i, &req, sizeof(req))))
            break;
        cmd = req.ptr & 7;
        switch (cmd) {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
        case MMU_PT_UPDATE_NO_TRANSLATE: /* for a PV guest: a normal update */
            rc = owner == PG_SELF ? normal_update(v, d, &req, cmd, &flush) : -XEN_EPERM;
            break;
        case MMU_MACHPHYS_UPDATE:
            rc = owner == PG_SELF ? machphys_update(d, &req) : -XEN_EPERM;
            break;
        default:
            rc = -XEN_ENOSYS;
            break;
        }
        if (rc == 0)
            continue;
        if (rc == DONE_BUT_OWED) {
            rc = mmu_batch_owed(&b, &i);
            break;
        }
        if (rc == -XEN_ERESTART)
            break; /* this request is re-issued by the continuation */
        domain_log_refusal(d, "mmu_update request %u (ptr %#llx, val %#llx): %s", i,
                           (unsigned long long)req.ptr, (unsigned long long)req.val,
                           xen_errno_name(rc));
        break;
    }

out:
    if (flush)
        flush_tlb_local();
    return mmu_batch_end(&b, i, rc);
}
