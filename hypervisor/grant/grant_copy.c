// SPDX-License-Identifier: MIT
/*
 * GNTTABOP_copy, one entry at a time, with Xen 4.17's order of checks
 * (common/grant_table.c, gnttab_copy): both sides' domains, then each
 * side claimed, source first (a grant pinned, or a frame of the caller's
 * own), the bounds, the copy, and every claim released.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include "console/log.h"
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "grant/grant_table.h"
#include "mm/guest_mm.h"
#include "hypercall/hypercall.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "arch/x86/panic.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"
#include "grant/grant_priv.h"

struct copy_buf {
    struct domain *dom;
    grant_ref_t ref;
    uint64_t mfn;
    bool have_grant, have_ref, have_type, readonly;
};

static void copy_release(struct copy_buf *b)
{
    if (b->have_type)
        page_put_type(b->mfn);
    if (b->have_ref)
        page_put(b->mfn);
    if (b->have_grant)
        gnttab_unpin_grant(b->dom, b->ref, b->readonly);
    b->have_type = b->have_ref = b->have_grant = false;
}

/* Xen 4.17's gnttab_copy_lock_domain: both sides' domains must exist
 * before either side is claimed. */
static int copy_domain(struct domain *self, const struct gnttab_copy_ptr *p, struct copy_buf *b)
{
    b->dom = domain_by_any_id(self, p->domid);
    return b->dom ? GNTST_okay : GNTST_bad_domain;
}

/* Xen's gnttab_copy_claim_buf: a transient pin (GTF_reading/writing set
 * for the copy's duration) or the caller's own frame, plus a reference,
 * and the writable type for the destination. */
static int copy_claim(struct domain *self, const struct gnttab_copy_ptr *p, bool is_gref,
                      bool readonly, struct copy_buf *b)
{
    int rc;

    b->readonly = readonly;
    if (is_gref) {
        rc = gnttab_pin_grant(b->dom, p->u.ref, self->domain_id, readonly, false, &b->mfn);
        if (rc)
            return rc;
        b->have_grant = true;
        b->ref = p->u.ref;
    } else {
        /* Only DOMID_SELF may name a frame (not even the caller's own id),
         * checked as this side is claimed: after the source's grant. */
        if (p->domid != DOMID_SELF)
            return GNTST_permission_denied;
        b->mfn = p->u.gmfn;
    }
    if (page_get(b->mfn, b->dom->domain_id))
        return is_gref ? GNTST_bad_domain : GNTST_bad_page;
    b->have_ref = true;
    if (!readonly) {
        if (page_get_type(b->mfn, PGT_WRITABLE, &b->dom->pt))
            return GNTST_general_error;
        b->have_type = true;
    }
    return GNTST_okay;
}

int gnttab_copy_one(struct domain *self, const gnttab_copy_t *op)
{
    struct copy_buf src = { 0 }, dst = { 0 };
    int rc;

    rc = copy_domain(self, &op->source, &src);
    if (!rc)
        rc = copy_domain(self, &op->dest, &dst);
    if (!rc)
        rc = copy_claim(self, &op->source, op->flags & GNTCOPY_source_gref, true, &src);
    if (!rc)
        rc = copy_claim(self, &op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
    if (!rc && (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE))
        rc = GNTST_bad_copy_arg;
    /* Only a copy within one frame can overlap; newlib's memcpy is the
     * one with the string instructions, which a 4 KiB copy wants. */
    if (!rc && dst.mfn == src.mfn)
        memmove((uint8_t *)mfn_to_virt(dst.mfn) + op->dest.offset,
                (const uint8_t *)mfn_to_virt(src.mfn) + op->source.offset, op->len);
    else if (!rc)
        memcpy((uint8_t *)mfn_to_virt(dst.mfn) + op->dest.offset,
               (const uint8_t *)mfn_to_virt(src.mfn) + op->source.offset, op->len);
    copy_release(&dst);
    copy_release(&src);
    return rc;
}
