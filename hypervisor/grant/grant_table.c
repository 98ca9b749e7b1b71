// SPDX-License-Identifier: MIT
/*
 * grant_table_op, v1 grant tables with Xen 4.17's answers (common/
 * grant_table.c, arch/x86/pv/grant_table.c): setup_table, query_size,
 * map/unmap_grant_ref (host mappings), copy, set_version and get_version.
 * A grant mapping is an ordinary L1 entry that may name the granter's frame
 * (pt_update_entry_grant), so it holds its references like any other entry.
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
#include "domain/subsystems.h"
#include "grant/grant_table.h"
#include "grant/grant_priv.h"
#include "mm/guest_mm.h"
#include "hypercall/hypercall.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "arch/x86/panic.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"

/* Xen's encoding of a continuation in the cmd (not in the public headers):
 * any bit above the command's 12 is refused. */
#define GNTTABOP_CMD_MASK  0xfffu
/* Pin counts as Xen keeps them; a count reaching bit 7 refuses more pins. */
#define PIN_HSTW_INC       (1u << 0)
#define PIN_HSTW_MASK      0xffu
#define PIN_HSTR_INC       (1u << 8)
#define PIN_OVERFLOW       0x8080u
/* Guest-shared entries change under us: give up after this many races. */
#define CMPXCHG_RETRIES    5
/* The GNTMAP_guest_avail bits land in PTE bits 9-11 (XENFEAT_gnttab_map_avail_bits). */
#define GNTMAP_AVAIL_SHIFT 16

/* --- Tables ---------------------------------------------------------------- */

static unsigned int nr_entries(const struct gnttab_domain *gt)
{
    return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

static grant_entry_v1_t *shared_entry(const struct gnttab_domain *gt, grant_ref_t ref)
{
    grant_entry_v1_t *f = mfn_to_virt(gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME]);

    return &f[ref % GNTTAB_ENTRIES_PER_FRAME];
}

static struct gnttab_active *active_entry(const struct gnttab_domain *gt, grant_ref_t ref)
{
    struct gnttab_active *a = mfn_to_virt(gt->active_frames[ref / GNTTAB_ACTIVE_PER_FRAME]);

    return &a[ref % GNTTAB_ACTIVE_PER_FRAME];
}

/* Grows d's table to n frames (Xen's gnttab_grow_table): 0 or -XEN_ENOMEM,
 * keeping what was added on failure only when whole. */
static int grow_table(struct domain *d, unsigned int n)
{
    struct gnttab_domain *gt = &d->gnttab;

    while (gt->nr_frames < n) {
        unsigned int i = gt->nr_frames;
        uint64_t mfn = domain_alloc_frame(d->domain_id), a0, a1;

        if (mfn == FRAME_NONE)
            return -XEN_ENOMEM;
        a0 = xen_alloc_frame();
        a1 = a0 == FRAME_NONE ? FRAME_NONE : xen_alloc_frame();
        if (a1 == FRAME_NONE) {
            if (a0 != FRAME_NONE)
                xen_free_frame(a0);
            page_put(mfn); /* the allocation reference: frees it */
            return -XEN_ENOMEM;
        }
        /* The table's own reference: the guest can give the frame back
         * (decrease_reservation), but it lives until teardown. */
        if (page_get(mfn, d->domain_id))
            panic("d%u: fresh grant frame %#llx unreferenceable", d->domain_id,
                  (unsigned long long)mfn);
        mfn_to_page(mfn)->flags |= PGF_LENT;
        gt->frames[i] = mfn;
        gt->active_frames[2 * i] = a0;
        gt->active_frames[2 * i + 1] = a1;
        gt->nr_frames = i + 1;
    }
    return 0;
}

int gnttab_domain_init(struct domain *d)
{
    struct gnttab_domain *gt = &d->gnttab;

    gt->maptrack_head = 0;
    for (unsigned int h = 0; h < GNTTAB_MAPTRACK_ENTRIES; h++)
        gt->maptrack_next[h] = (uint16_t)(h + 1);
    return grow_table(d, GNTTAB_INITIAL_FRAMES);
}

/* --- The flags protocol on the granter's entry --------------------------------- */

/*
 * Xen's _set_status_v1: unless already pinned, the entry must permit
 * access (no sub-page for a mapping) to `ldomid`; GTF_reading, and for a
 * write GTF_writing, are set with a cmpxchg on the flags+domid word so a
 * granter revoking at the same time either sees them or wins.
 */
static int set_status(grant_entry_v1_t *e, const struct gnttab_active *act, bool readonly,
                      bool mapping, domid_t ldomid)
{
    uint32_t *word = (uint32_t *)e;
    uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
    uint32_t cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);

    for (unsigned int tries = 0;; tries++) {
        uint16_t flags = (uint16_t)cur;
        domid_t dom = (domid_t)(cur >> 16);
        uint32_t next;

        if (!act->pin && ((flags & mask) != GTF_permit_access || dom != ldomid))
            return GNTST_general_error;
        if (!readonly && (flags & GTF_readonly))
            return GNTST_general_error;
        next = cur | GTF_reading | (readonly ? 0 : GTF_writing);
        if (__atomic_compare_exchange_n(word, &cur, next, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_ACQUIRE))
            return GNTST_okay;
        if (tries + 1 == CMPXCHG_RETRIES)
            return GNTST_general_error;
    }
}

/* What the granter's entry must lose once the pin count is down: writing
 * when no writable use is left (and this use was one), reading at zero. */
static void clear_status(grant_entry_v1_t *e, const struct gnttab_active *act, bool readonly)
{
    uint16_t clear = 0;

    if (!readonly && !(act->pin & PIN_HSTW_MASK))
        clear |= GTF_writing;
    if (!act->pin)
        clear |= GTF_reading;
    if (clear)
        __atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

/* The granted frame must be the granter's (Xen's get_paged_frame). */
static bool frame_of(const struct domain *rd, uint64_t mfn)
{
    const struct page_info *pg = mfn_to_page(mfn);

    return pg && pg->owner == rd->domain_id && pg->count;
}

/*
 * Pins (rd, ref) for the caller `ldomid` (Xen's pin/set-status step of
 * map_grant_ref and acquire_grant_for_copy). GNTST_okay with *mfn set, or
 * the status, with nothing held.
 */
int gnttab_pin_grant(struct domain *rd, grant_ref_t ref, domid_t ldomid, bool readonly,
                     bool mapping, uint64_t *mfn)
{
    struct gnttab_domain *rgt = &rd->gnttab;
    grant_entry_v1_t *e;
    struct gnttab_active *act;
    int rc;

    if (ref >= nr_entries(rgt))
        return GNTST_bad_gntref;
    e = shared_entry(rgt, ref);
    act = active_entry(rgt, ref);
    if (act->pin && (act->domid != ldomid || (act->pin & PIN_OVERFLOW)))
        return GNTST_general_error;
    if (!act->pin || (!readonly && !(act->pin & PIN_HSTW_MASK))) {
        rc = set_status(e, act, readonly, mapping, ldomid);
        if (rc)
            return rc;
        /* A copy gaining a writable use of an entry pinned read-only reads
         * the frame again, as Xen's acquire_grant_for_copy: if the granter
         * changed it under the pin, the copy is refused rather than write
         * the frame that was granted read-only. (A map keeps the pinned
         * frame, as Xen's map_grant_ref does.) */
        if (!act->pin || !mapping) {
            uint64_t frame = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);

            if (!frame_of(rd, frame)) {
                clear_status(e, act, readonly);
                return GNTST_bad_page;
            }
            if (act->pin && frame != act->mfn) {
                clear_status(e, act, readonly);
                return GNTST_general_error;
            }
            if (!act->pin) {
                act->domid = ldomid;
                act->mfn = frame;
            }
        }
    }
    act->pin += readonly ? PIN_HSTR_INC : PIN_HSTW_INC;
    *mfn = act->mfn;
    return GNTST_okay;
}

void gnttab_unpin_grant(struct domain *rd, grant_ref_t ref, bool readonly)
{
    struct gnttab_active *act = active_entry(&rd->gnttab, ref);

    act->pin -= readonly ? PIN_HSTR_INC : PIN_HSTW_INC;
    clear_status(shared_entry(&rd->gnttab, ref), act, readonly);
}

/* --- Host mappings --------------------------------------------------------------- */

/* The L1 entry host_addr names: a virtual address in the current tables,
 * or with GNTMAP_contains_pte the entry's machine address (8-aligned, in a
 * frame of the caller's; the type is checked when it is written). */
static int host_pte(const struct vcpu *v, uint64_t host_addr, unsigned int flags, uint64_t *l1_mfn,
                    unsigned int *slot)
{
    if (!(flags & GNTMAP_contains_pte))
        return guest_walk_l1(v, host_addr, l1_mfn, slot) ? GNTST_general_error : GNTST_okay;
    if (host_addr & 7)
        return GNTST_general_error;
    *l1_mfn = host_addr >> PAGE_SHIFT;
    *slot = (host_addr & (PAGE_SIZE - 1)) >> 3;
    return GNTST_okay;
}

/* Xen's grant_to_pte_flags; pt_update_entry then adds USER (and the guest
 * kernel marker) as adjust_guest_l1e does. */
static uint64_t grant_pte(uint64_t mfn, unsigned int flags)
{
    uint64_t e = pte_make(mfn, PTE_P | PTE_A | PTE_D | PTE_NX);

    if (flags & GNTMAP_application_map)
        e |= PTE_US;
    if (!(flags & GNTMAP_readonly))
        e |= PTE_RW;
    return e | ((uint64_t)((flags >> GNTMAP_AVAIL_SHIFT) & 7) << 9);
}

_Static_assert(GNTTAB_MAPTRACK_ENTRIES <= UINT16_MAX, "handles fit the free list's links");

static int get_maptrack_handle(struct gnttab_domain *lgt)
{
    unsigned int h = lgt->maptrack_head;

    if (h >= GNTTAB_MAPTRACK_ENTRIES)
        return -1;
    lgt->maptrack_head = lgt->maptrack_next[h];
    return (int)h;
}

/* Frees a handle in use: its mapping is gone. */
static void put_maptrack_handle(struct gnttab_domain *lgt, unsigned int h)
{
    lgt->maptrack[h].flags = 0;
    lgt->maptrack_next[h] = lgt->maptrack_head;
    lgt->maptrack_head = (uint16_t)h;
}

static void map_grant_ref(struct vcpu *v, gnttab_map_grant_ref_t *op)
{
    struct domain *ld = v->domain, *rd;
    struct gnttab_domain *lgt = &ld->gnttab;
    bool ro = op->flags & GNTMAP_readonly;
    uint64_t mfn, l1_mfn = 0, old = 0;
    unsigned int slot = 0;
    int handle, rc;

    if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map))) {
        op->status = GNTST_bad_gntref;
        return;
    }
    rd = domain_by_id(op->dom);
    if (!rd) {
        op->status = GNTST_bad_domain;
        return;
    }
    handle = get_maptrack_handle(lgt);
    if (handle < 0) {
        op->status = GNTST_no_device_space;
        return;
    }
    rc = gnttab_pin_grant(rd, op->ref, ld->domain_id, ro, true, &mfn);
    if (rc) {
        put_maptrack_handle(lgt, (unsigned int)handle);
        op->status = (int16_t)rc;
        return;
    }
    /* Device mappings (an IOMMU's view) do not exist here: see docs/abi.md. */
    if (op->flags & GNTMAP_device_map)
        rc = GNTST_general_error;
    if (!rc)
        rc = host_pte(v, op->host_addr, op->flags, &l1_mfn, &slot);
    if (!rc && pt_update_entry_grant(l1_mfn, slot, grant_pte(mfn, op->flags), &ld->pt,
                                     rd->domain_id, &old))
        rc = GNTST_general_error;
    if (rc) {
        gnttab_unpin_grant(rd, op->ref, ro);
        put_maptrack_handle(lgt, (unsigned int)handle);
        op->status = (int16_t)rc;
        return;
    }
    if (old & PTE_P)
        flush_tlb_local();
    lgt->maptrack[handle] = (struct gnttab_maptrack){
        .l1_mfn = l1_mfn,
        .ref = op->ref,
        .flags = (uint16_t)op->flags,
        .domid = op->dom,
        .slot = (uint16_t)slot,
    };
    op->dev_bus_addr = mfn << PAGE_SHIFT;
    op->handle = (grant_handle_t)handle;
    op->status = GNTST_okay;
}

int gnttab_backend_map(struct domain *rd, grant_ref_t ref, domid_t as, uint64_t *mfn)
{
    uint64_t frame;
    int rc = gnttab_pin_grant(rd, ref, as, false, true, &frame);

    if (rc)
        return rc;
    /* What a writable L1 entry would hold: a general and a writable-type
     * reference, so the granter can neither free the frame nor make it a
     * page table while the backend writes to it. */
    if (page_get_and_type(frame, PGT_WRITABLE, &rd->pt)) {
        gnttab_unpin_grant(rd, ref, false);
        return GNTST_general_error;
    }
    *mfn = frame;
    return GNTST_okay;
}

void gnttab_backend_unmap(struct domain *rd, grant_ref_t ref, uint64_t mfn)
{
    page_put_and_type(mfn);
    gnttab_unpin_grant(rd, ref, false);
}

/* Xen's unmap_common plus unmap_common_complete for one request. */
static void unmap_grant_ref(struct vcpu *v, gnttab_unmap_grant_ref_t *op)
{
    struct domain *ld = v->domain, *rd;
    struct gnttab_maptrack *map;
    struct gnttab_active *act;
    unsigned int flags, slot;
    uint64_t l1_mfn, e;
    bool ro;

    if (op->handle >= GNTTAB_MAPTRACK_ENTRIES || !ld->gnttab.maptrack[op->handle].flags) {
        op->status = GNTST_bad_handle;
        return;
    }
    map = &ld->gnttab.maptrack[op->handle];
    flags = map->flags;
    ro = flags & GNTMAP_readonly;
    rd = domain_by_id(map->domid);
    /* A granter's teardown frees the handles naming it (docs/abi.md). */
    if (!rd || map->ref >= nr_entries(&rd->gnttab)) {
        op->status = GNTST_bad_handle;
        return;
    }
    act = active_entry(&rd->gnttab, map->ref);
    /* Xen 4.17 checks the device address of a device mapping only (none
     * exist here), with its own status. */
    if (op->dev_bus_addr && (flags & GNTMAP_device_map) &&
        op->dev_bus_addr != act->mfn << PAGE_SHIFT) {
        op->status = GNTST_bad_dev_addr;
        return;
    }
    op->status = GNTST_okay;
    if (!op->host_addr || !(flags & GNTMAP_host_map))
        return;
    /* Xen's replace_grant_pv_mapping: the entry must map the granted frame
     * with the grant's present and writable bits. */
    if (host_pte(v, op->host_addr, flags, &l1_mfn, &slot)) {
        op->status = GNTST_general_error;
        return;
    }
    {
        const struct page_info *pg = mfn_to_page(l1_mfn);

        if (!pg || pg->owner != ld->domain_id || pg->type != PGT_L1 ||
            !(pg->flags & PGF_VALIDATED)) {
            op->status = GNTST_general_error;
            return;
        }
    }
    e = map_table(l1_mfn)[slot];
    if (pte_mfn(e) != act->mfn || ((e ^ grant_pte(act->mfn, flags)) & (PTE_P | PTE_RW)) ||
        pt_update_entry(l1_mfn, slot, 0, &ld->pt, 0, NULL)) {
        op->status = GNTST_general_error;
        return;
    }
    put_maptrack_handle(&ld->gnttab, op->handle);
    gnttab_unpin_grant(rd, map->ref, ro);
}

/* --- Sub-ops ---------------------------------------------------------------------- */

/*
 * The batch sub-ops return how many entries they finished when preempted
 * (> 0), 0 when done, or -EFAULT; each entry's own outcome is in its
 * status, and a failed entry does not stop the batch, as in Xen.
 */
static long op_map(uint64_t uop, unsigned int count)
{
    struct vcpu *v = current_vcpu();
    gnttab_map_grant_ref_t op;

    for (unsigned int i = 0; i < count; i++) {
        uint64_t p = uop + i * sizeof(op);

        if (i && hypercall_preempt_check())
            return i;
        if (copy_from_guest(&op, p, sizeof(op)))
            return -XEN_EFAULT;
        map_grant_ref(v, &op);
        if (copy_to_guest(p, &op, sizeof(op)))
            return -XEN_EFAULT;
    }
    return 0;
}

static long op_unmap(uint64_t uop, unsigned int count)
{
    struct vcpu *v = current_vcpu();
    gnttab_unmap_grant_ref_t op;
    long rc = 0;

    for (unsigned int i = 0; i < count; i++) {
        uint64_t p = uop + i * sizeof(op);

        if (i && hypercall_preempt_check()) {
            rc = i;
            break;
        }
        if (copy_from_guest(&op, p, sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        unmap_grant_ref(v, &op);
        if (copy_to_guest(p + offsetof(gnttab_unmap_grant_ref_t, status), &op.status,
                          sizeof(op.status))) {
            rc = -XEN_EFAULT;
            break;
        }
    }
    /* A removed entry must not outlive its references in the TLB. */
    flush_tlb_local();
    return rc;
}

static long op_copy(uint64_t uop, unsigned int count)
{
    struct domain *d = current_domain();
    gnttab_copy_t op;

    for (unsigned int i = 0; i < count; i++) {
        uint64_t p = uop + i * sizeof(op);

        if (i && hypercall_preempt_check())
            return i;
        if (copy_from_guest(&op, p, sizeof(op)))
            return -XEN_EFAULT;
        op.status = (int16_t)gnttab_copy_one(d, &op);
        if (copy_to_guest(p + offsetof(gnttab_copy_t, status), &op.status, sizeof(op.status)))
            return -XEN_EFAULT;
    }
    return 0;
}

static long op_setup_table(uint64_t uop, unsigned int count)
{
    struct domain *self = current_domain(), *d;
    gnttab_setup_table_t op;
    uint64_t list;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    list = (uint64_t)op.frame_list.p;
    if (!guest_addr_ok(list))
        return -XEN_EFAULT;
    d = domain_by_any_id(self, op.dom);
    if (!d)
        op.status = GNTST_bad_domain;
    else if (!domain_may_act_on(self, d))
        op.status = GNTST_permission_denied;
    else if (op.nr_frames > GNTTAB_MAX_FRAMES || grow_table(d, op.nr_frames))
        op.status = GNTST_general_error;
    else {
        op.status = GNTST_okay;
        for (unsigned int i = 0; i < op.nr_frames; i++) {
            xen_pfn_t mfn = d->gnttab.frames[i];

            if (copy_to_guest(list + i * sizeof(mfn), &mfn, sizeof(mfn)))
                op.status = GNTST_bad_virt_addr;
        }
    }
    if (copy_to_guest(uop + offsetof(gnttab_setup_table_t, status), &op.status, sizeof(op.status)))
        return -XEN_EFAULT;
    return 0;
}

static long op_query_size(uint64_t uop, unsigned int count)
{
    struct domain *self = current_domain(), *d;
    gnttab_query_size_t op;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    d = domain_by_any_id(self, op.dom);
    if (!d)
        op.status = GNTST_bad_domain;
    else if (!domain_may_act_on(self, d))
        op.status = GNTST_permission_denied;
    else {
        op.nr_frames = d->gnttab.nr_frames;
        op.max_nr_frames = GNTTAB_MAX_FRAMES;
        op.status = GNTST_okay;
    }
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Xenolith is Xen booted with gnttab=max-ver:1 (docs/abi.md). */
static long op_set_version(uint64_t uop)
{
    gnttab_set_version_t op;
    long rc;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (op.version != 1 && op.version != 2)
        rc = -XEN_EINVAL;
    else if (op.version == 2)
        rc = -XEN_ENOSYS;
    else
        rc = 0;
    op.version = 1;
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

static long op_get_version(uint64_t uop)
{
    struct domain *self = current_domain(), *d;
    gnttab_get_version_t op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    d = domain_by_any_id(self, op.dom);
    if (!d)
        return -XEN_ESRCH;
    if (!domain_may_act_on(self, d))
        return -XEN_EPERM;
    op.version = 1;
    return copy_to_guest(uop + offsetof(gnttab_get_version_t, version), &op.version,
                         sizeof(op.version))
               ? -XEN_EFAULT
               : 0;
}

/* A batch preempted after `done` entries goes on from the next one. */
static long batch_continue(unsigned int cmd, uint64_t uop, size_t entry_size, unsigned int count,
                           long done)
{
    if (done <= 0)
        return done;
    return hypercall_create_continuation(__HYPERVISOR_grant_table_op, cmd,
                                         uop + (uint64_t)done * entry_size,
                                         count - (unsigned int)done, 0, 0);
}

long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count)
{
    if ((int)count < 0)
        return -XEN_EINVAL;
    if ((cmd & ~GNTTABOP_CMD_MASK) && (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush)
        return -XEN_EINVAL;
    cmd &= GNTTABOP_CMD_MASK;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        if (!guest_addr_ok(uop))
            return -XEN_EFAULT;
        return batch_continue(cmd, uop, sizeof(gnttab_map_grant_ref_t), count, op_map(uop, count));
    case GNTTABOP_unmap_grant_ref:
        if (!guest_addr_ok(uop))
            return -XEN_EFAULT;
        return batch_continue(cmd, uop, sizeof(gnttab_unmap_grant_ref_t), count,
                              op_unmap(uop, count));
    case GNTTABOP_copy:
        if (!guest_addr_ok(uop))
            return -XEN_EFAULT;
        return batch_continue(cmd, uop, sizeof(gnttab_copy_t), count, op_copy(uop, count));
    case GNTTABOP_setup_table:
        return op_setup_table(uop, count);
    case GNTTABOP_query_size:
        return op_query_size(uop, count);
    case GNTTABOP_set_version:
        return op_set_version(uop);
    case GNTTABOP_get_version:
        return op_get_version(uop);
    default:
        return -XEN_ENOSYS;
    }
}

/* --- Teardown ------------------------------------------------------------------------ */

/*
 * Clears the L1 entry a host mapping was written to, if it still maps the
 * granted frame there. Only grant mappings cross domains, and each lives
 * only where its maptrack entry says: a guest can neither copy a foreign
 * entry elsewhere (its frame is not the guest's) nor keep one in a table
 * it devalidates and validates again. So teardown finds every crossing
 * entry through the maptracks, never by scanning page tables, and costs
 * the same however many tables the domains have.
 */
static void clear_mapping(struct domain *ld, const struct gnttab_maptrack *map, struct domain *rd)
{
    const struct page_info *pg = mfn_to_page(map->l1_mfn);
    uint64_t e;

    if (!(map->flags & GNTMAP_host_map) || map->ref >= nr_entries(&rd->gnttab) || !pg ||
        pg->owner != ld->domain_id || pg->type != PGT_L1 || !(pg->flags & PGF_VALIDATED) ||
        !pg->type_count)
        return;
    e = map_table(map->l1_mfn)[map->slot];
    if ((e & PTE_P) && pte_mfn(e) == active_entry(&rd->gnttab, map->ref)->mfn)
        pt_update_entry(map->l1_mfn, map->slot, 0, &ld->pt, 0, NULL);
}

/* Every entry crossing into or out of d: d's mappings of other domains'
 * grants, and other domains' mappings of d's. Clearing releases their
 * references, so d's audit sees only its own entries. */
static void clear_cross_entries(struct domain *d)
{
    for (unsigned int h = 0; h < GNTTAB_MAPTRACK_ENTRIES; h++) {
        const struct gnttab_maptrack *map = &d->gnttab.maptrack[h];
        struct domain *rd = map->flags ? domain_by_id(map->domid) : NULL;

        if (rd && rd != d)
            clear_mapping(d, map, rd);
    }
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *o = domain_by_index(i);

        if (!o || o == d)
            continue;
        for (unsigned int h = 0; h < GNTTAB_MAPTRACK_ENTRIES; h++)
            if (o->gnttab.maptrack[h].flags && o->gnttab.maptrack[h].domid == d->domain_id)
                clear_mapping(o, &o->gnttab.maptrack[h], d);
    }
    flush_tlb_local();
}

void gnttab_domain_destroy(struct domain *d)
{
    struct gnttab_domain *gt = &d->gnttab;

    clear_cross_entries(d);
    /* d's mappings of other domains' grants: their pins go. */
    for (unsigned int h = 0; h < GNTTAB_MAPTRACK_ENTRIES; h++) {
        struct gnttab_maptrack *map = &gt->maptrack[h];
        struct domain *rd;

        if (!map->flags)
            continue;
        rd = domain_by_id(map->domid);
        if (rd && rd != d && map->ref < nr_entries(&rd->gnttab))
            gnttab_unpin_grant(rd, map->ref, map->flags & GNTMAP_readonly);
        map->flags = 0;
    }
    /* Other domains' handles on d's grants become invalid. */
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *o = domain_by_index(i);

        if (!o || o == d)
            continue;
        for (unsigned int h = 0; h < GNTTAB_MAPTRACK_ENTRIES; h++)
            if (o->gnttab.maptrack[h].flags && o->gnttab.maptrack[h].domid == d->domain_id)
                put_maptrack_handle(&o->gnttab, h);
    }
    for (unsigned int i = 0; i < gt->nr_frames; i++) {
        page_put(gt->frames[i]);
        xen_free_frame(gt->active_frames[2 * i]);
        xen_free_frame(gt->active_frames[2 * i + 1]);
    }
    gt->nr_frames = 0;
}

const struct subsystem_ops gnttab_subsystem = {
    .name = "grant tables",
    .domain_teardown = gnttab_domain_destroy,
};
