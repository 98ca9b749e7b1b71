/* SPDX-License-Identifier: MIT */
/*
 * Direct-paging reference counting and page-table validation with Xen 4.17's
 * rules (xen/arch/x86/mm.c, CONFIG_PV_LINEAR_PT=y), for 64-bit PV only.
 *
 * Validation (promotion) and devalidation (demotion) of L2-L4 tables are
 * preemptible, as in Xen: the preemptible entry points stop between
 * entries when page_type_preempt_check() says so and leave the table
 * PGF_PARTIAL, with entries [0, nr_validated) holding their references
 * and, with PGF_PARTIAL_REF, entry nr_validated holding a general
 * reference on a child that is itself partial. A partial table has type
 * count 1 (the "floating" type reference) and one extra general reference
 * (Xen's get_page_light), both held while PGF_PARTIAL is set. Whoever gets
 * the table's type next takes the floating reference over and carries the
 * promotion on; a holder of a partial reference (a parent's partial entry,
 * a vCPU's old_guest_table) may instead put it, which carries the demotion
 * on, and does nothing if someone took it over meanwhile. L1 tables are
 * validated and devalidated whole (512 entries of constant work).
 */
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>

#include "hypercall/continuation.h"
#include "frames/page_type.h"
#include "frames/page_type_priv.h"
#include "frames/linear_pt.h"
#include "arch/x86/pte.h"

#define PT_CACHE_ATTRS    (PTE_PWT | PTE_PCD | PTE_PAT)
/* The frame number Xen treats as INVALID_MFN in get_page_from_l1e. */
#define PT_INVALID_MFN    ((1ULL << 40) - 1)
/*
 * Flags a guest may change in a present entry without the entry being
 * revalidated (Xen's FASTPATH_FLAG_WHITELIST): NX, the available bits, G,
 * D, A and US. RW is deliberately absent (XSA-182), and so is PSE (XSA-148).
 */
#define PT_FASTPATH_FLAGS (PTE_NX | (0x7ffULL << 52) | (7ULL << 9) | PTE_G | PTE_D | PTE_A | PTE_US)

uint64_t l1_disallow_mask(const struct pt_owner *d)
{
    /* Xen's _PAGE_GNTTAB (bit 62) is 0 in release builds, so Xen 4.17 as
     * shipped accepts bit 62 like the other available bits. */
    return d->io_caps ? 0 : PT_CACHE_ATTRS;
}

static uint64_t disallow_mask(unsigned int level, const struct pt_owner *d)
{
    return level == 1 ? l1_disallow_mask(d) : L234_DISALLOW_MASK;
}

/*
 * What Xen's adjust_guest_l<N>e store for a 64-bit PV guest. It is
 * idempotent, so revalidating an adjusted table changes nothing.
 */
static uint64_t adjust_entry(unsigned int level, uint64_t e)
{
    if (!(e & PTE_P))
        return e;
    switch (level) {
    case 1:
        if (!(e & PTE_US))
            e |= PTE_US | PT_GUEST_KERNEL;
        if (!(e & PT_GUEST_KERNEL))
            e |= PTE_G | PTE_US;
        return e;
    case 4:
        return e | PTE_US | PTE_A;
    default:
        return e | PTE_US;
    }
}

/* --- General references ----------------------------------------------------- */

int page_get(uint64_t mfn, domid_t owner)
{
    struct page_info *pg = mfn_to_page(mfn);

    if (!pg || owner == DOMID_INVALID || pg->owner != owner || pg->count == 0 ||
        pg->count == UINT32_MAX)
        return -XEN_EINVAL;
    pg->count++;
    return 0;
}

void page_put(uint64_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if (!pg || pg->count == 0)
        return; /* an unbalanced put: pt_audit reports it */
    if (--pg->count == 0)
        page_release_frame(mfn);
}

/* --- Entries ---------------------------------------------------------------- */

static int get_type(uint64_t mfn, enum page_type type, const struct pt_owner *d, bool preempt,
                    bool *left_partial);
static int put_type(uint64_t mfn, bool preempt, bool partial_only);

/* Xen's get_page_from_l1e for a guest mapping memory of `frame_owner`:
 * itself, or the granter of a grant mapping (pt_update_entry_grant). */
static int get_l1e_refs(uint64_t e, const struct pt_owner *d, domid_t frame_owner)
{
    uint64_t mfn = pte_mfn(e);

    if (!mfn_to_page(mfn))
        return mfn == PT_INVALID_MFN ? -XEN_EINVAL : -XEN_EPERM;
    if (page_get(mfn, frame_owner))
        return -XEN_EBUSY;
    if ((e & PTE_RW) && page_get_type(mfn, PGT_WRITABLE, d)) {
        page_put(mfn);
        return -XEN_EBUSY;
    }
    /* Xen's "attempt to change cache attributes of Xen heap page": a page
     * Xenolith lends the guest stays write-back, as Xenolith's own mapping
     * of it is, so no two mappings disagree on its memory type. */
    if ((e & PT_CACHE_ATTRS) && (mfn_to_page(mfn)->flags & PGF_LENT)) {
        if (e & PTE_RW)
            page_put_type(mfn);
        page_put(mfn);
        return -XEN_EACCES;
    }
    return 0;
}

/*
 * An entry of the level-`level` table `table_mfn` names a table of the same
 * level (Xen's get_l<N>_linear_pagetable). Allowed read-only only, naming
 * the table itself (no reference: a table cannot hold itself alive) or an
 * already validated table of that level, which gains a general and a type
 * reference without being revalidated.
 */
static int get_linear_refs(uint64_t e, uint64_t table_mfn, unsigned int level,
                           const struct pt_owner *d)
{
    uint64_t mfn = pte_mfn(e);
    struct page_info *table = mfn_to_page(table_mfn), *target;

    if (e & PTE_RW)
        return -XEN_EINVAL;
    if (mfn == table_mfn)
        return 0;
    if (page_get(mfn, d->id))
        return -XEN_EINVAL;
    target = mfn_to_page(mfn);
    if (!inc_linear_entries(table))
        goto put;
    if (!inc_linear_uses(target)) {
        table->linear--;
        goto put;
    }
    if (target->type != PGT_L1 + level - 1 || !(target->flags & PGF_VALIDATED) ||
        target->type_count == 0 || target->type_count == UINT32_MAX) {
        dec_linear(table, target);
        goto put;
    }
    target->type_count++;
    return 0;

put:
    page_put(mfn);
    return -XEN_EINVAL;
}

/*
 * References for one present entry of a level-`level` table (flags already
 * checked). Nothing is held on failure, except when `kept` comes back true:
 * then the child is partial (preempted, or failed partway) and this entry
 * holds a general reference on it, which the caller records as its
 * partial entry. `held`: that general reference is already held (resuming
 * a partial entry), so only the type is taken.
 */
static int get_entry_refs(uint64_t e, uint64_t table_mfn, unsigned int level,
                          const struct pt_owner *d, bool preempt, bool held, bool *kept)
{
    uint64_t mfn = pte_mfn(e);
    bool partial = false;
    int rc;

    *kept = false;
    if (level == 1)
        return get_l1e_refs(e, d, d->id);

    /* As Xen: the normal use first; a type mismatch (-EINVAL) may still be a
     * linear entry. Any other failure comes from beneath and is passed up. */
    if (!held && page_get(mfn, d->id))
        return get_linear_refs(e, table_mfn, level, d);
    rc = get_type(mfn, PGT_L1 + level - 2, d, preempt, &partial);
    if (!rc)
        return 0;
    if (partial) {
        *kept = true;
        return rc;
    }
    page_put(mfn);
    if (rc == -XEN_EINVAL && !held)
        rc = get_linear_refs(e, table_mfn, level, d);
    return rc;
}

/* Releases what get_entry_refs took for an entry of the table `table_mfn`:
 * 0, or -XEN_ERESTART when the child's demotion was preempted, in which
 * case the entry keeps its general reference as a partial one. */
static int put_entry_refs(uint64_t e, uint64_t table_mfn, unsigned int level, bool preempt)
{
    uint64_t mfn = pte_mfn(e);
    struct page_info *target;
    int rc;

    if (!(e & PTE_P))
        return 0;
    if (level == 1) {
        if (!mfn_to_page(mfn))
            return 0;
        if (e & PTE_RW)
            page_put_type(mfn);
        page_put(mfn);
        return 0;
    }
    if (mfn == table_mfn)
        return 0;
    target = mfn_to_page(mfn);
    if (!target)
        return 0;
    /* The target's type cannot change while this entry's reference is held,
     * so a target of the table's own level was taken as a linear entry. */
    if (target->type == PGT_L1 + level - 1)
        dec_linear(mfn_to_page(table_mfn), target);
    rc = put_type(mfn, preempt, false);
    if (rc)
        return rc;
    page_put(mfn);
    return 0;
}

/* A partial entry's reference: the child's demotion is carried on (if it
 * is still partial), then the general reference goes. */
static int put_partial_entry(uint64_t e, bool preempt)
{
    uint64_t mfn = pte_mfn(e);
    int rc = put_type(mfn, preempt, true);

    if (rc)
        return rc;
    page_put(mfn);
    return 0;
}

/* --- Types -------------------------------------------------------------------- */

/* Entering and leaving the partial state: its general reference. */
static void set_partial(struct page_info *pg)
{
    pg->flags |= PGF_PARTIAL;
    pg->count++;
}

static void clear_partial(struct page_info *pg)
{
    pg->flags &= ~PGF_PARTIAL;
    pg->count--; /* never the last: the caller holds another */
}

static bool preempt_point(bool preempt, unsigned int level)
{
    return preempt && level > 1 && page_type_preempt_check();
}

/*
 * Xen's promote_l<N>_table, from entry nr_validated on. `pg` has the type,
 * count 1, not validated. Returns 0, -XEN_ERESTART (preempted), or the
 * first bad entry's errno. Unless preemptible, a failure releases every
 * entry again; a preemptible one leaves entries [0, nr_validated) held
 * (and a partial entry) for a holder to demote preemptibly.
 */
static int promote(uint64_t mfn, struct page_info *pg, unsigned int level, const struct pt_owner *d,
                   bool preempt)
{
    uint64_t *tab = map_table(mfn);
    unsigned int start = pg->nr_validated, i;
    bool held = pg->flags & PGF_PARTIAL_REF, kept = false;
    int rc = 0;

    pg->flags &= ~PGF_PARTIAL_REF;
    for (i = start; i < PT_ENTRIES; i++) {
        uint64_t e = tab[i];

        /* After at least one entry of this call, so every call progresses. */
        if (i > start && preempt_point(preempt, level)) {
            rc = -XEN_ERESTART;
            break;
        }
        if (!is_guest_slot(level, i) || !(e & PTE_P))
            continue;
        rc = (e & disallow_mask(level, d))
                 ? -XEN_EINVAL
                 : get_entry_refs(e, mfn, level, d, preempt, held && i == start, &kept);
        if (rc)
            break;
        tab[i] = adjust_entry(level, e);
    }
    if (!rc) {
        if (level == 4)
            for (i = PT_HV_FIRST_SLOT; i <= PT_HV_LAST_SLOT; i++)
                tab[i] = d->hv_l4 ? d->hv_l4[i] : 0;
        pg->nr_validated = 0;
        return 0;
    }
    /* An L1 is undone at once (at most 512 entries of constant work); a
     * higher table, preemptibly, by whoever owes its demotion. */
    if (preempt && level > 1) {
        pg->nr_validated = (uint16_t)i;
        if (kept)
            pg->flags |= PGF_PARTIAL_REF;
        return rc;
    }
    /* Undo in reverse, so the linear counters unwind as they were built. */
    while (i-- > 0)
        if (is_guest_slot(level, i))
            (void)put_entry_refs(tab[i], mfn, level, false);
    pg->nr_validated = 0;
    return rc;
}

/*
 * Xen's demote_l<N>_table: entries [0, nr_validated) (and a partial entry)
 * are released from the top down. The table keeps its type meanwhile, so
 * put_entry_refs can still tell linear targets apart. 0 or -XEN_ERESTART.
 */
static int demote(uint64_t mfn, struct page_info *pg, unsigned int level, bool preempt)
{
    const uint64_t *tab = map_table(mfn);
    unsigned int i = pg->nr_validated;
    int rc;

    if (pg->flags & PGF_PARTIAL_REF) {
        rc = put_partial_entry(tab[i], preempt);
        if (rc)
            return rc;
        pg->flags &= ~PGF_PARTIAL_REF;
    }
    while (i-- > 0) {
        if (!is_guest_slot(level, i))
            continue;
        rc = put_entry_refs(tab[i], mfn, level, preempt);
        if (rc) {
            pg->nr_validated = (uint16_t)i;
            pg->flags |= PGF_PARTIAL_REF;
            return rc;
        }
        if (i && preempt_point(preempt, level)) {
            pg->nr_validated = (uint16_t)i;
            return -XEN_ERESTART;
        }
    }
    pg->nr_validated = 0;
    return 0;
}

/*
 * The type machinery behind every page_get_type variant. *left_partial
 * (when given) says whether this call left the frame partial: preempted,
 * or failed partway when preemptible.
 */
static int get_type(uint64_t mfn, enum page_type type, const struct pt_owner *d, bool preempt,
                    bool *left_partial)
{
    struct page_info *pg = mfn_to_page(mfn);
    int rc;

    if (left_partial)
        *left_partial = false;
    if (!pg || pg->count == 0 || type == PGT_NONE || type > PGT_WRITABLE)
        return -XEN_EINVAL;
    if (pg->type_count == UINT32_MAX)
        return -XEN_EINVAL;
    if (pg->type_count != 0) {
        if (pg->type != type)
            return -XEN_EINVAL;
        if (is_pt_type(type) && (pg->flags & PGF_PARTIAL)) {
            /* Take the floating reference over and carry the promotion on. */
            clear_partial(pg);
            goto promote;
        }
        /* Validation never waits on itself: a table's entries only name
         * lower levels or validated tables of its own. */
        if (is_pt_type(type) && !(pg->flags & PGF_VALIDATED))
            return -XEN_EINVAL;
        pg->type_count++;
        return 0;
    }

    /* A table is validated under its owner's rules only. */
    if (is_pt_type(type) && pg->owner != d->id)
        return -XEN_EINVAL;
    pg->type = type;
    pg->type_count = 1;
    pg->flags &= ~(PGF_VALIDATED | PGF_PARTIAL_REF);
    pg->nr_validated = 0;
    if (!is_pt_type(type))
        return 0;
    pg->linear = 0;

promote:
    rc = promote(mfn, pg, type - PGT_L1 + 1, d, preempt);
    if (!rc) {
        pg->flags |= PGF_VALIDATED;
        return 0;
    }
    if (preempt && (pg->nr_validated || (pg->flags & PGF_PARTIAL_REF))) {
        set_partial(pg);
        if (left_partial)
            *left_partial = true;
        return rc;
    }
    pg->type = PGT_NONE;
    pg->type_count = 0;
    pg->nr_validated = 0;
    return rc == -XEN_ERESTART ? -XEN_EINTR : rc;
}

/*
 * Drops one type reference, devalidating a table whose last one goes.
 * partial_only: the caller holds a partial reference, which means
 * something only while the frame is still partial.
 */
static int put_type(uint64_t mfn, bool preempt, bool partial_only)
{
    struct page_info *pg = mfn_to_page(mfn);
    bool was_partial;
    int rc;

    if (!pg || pg->type_count == 0)
        return 0; /* an unbalanced put: pt_audit reports it */
    was_partial = pg->flags & PGF_PARTIAL;
    if (partial_only && !was_partial)
        return 0; /* taken over: the reference is the taker's now */
    if (!was_partial) {
        if (pg->type_count > 1 || !is_pt_type(pg->type) || !(pg->flags & PGF_VALIDATED)) {
            if (--pg->type_count == 0) {
                pg->type = PGT_NONE;
                pg->flags &= ~PGF_VALIDATED;
            }
            return 0;
        }
        pg->flags &= ~PGF_VALIDATED;
        pg->nr_validated = PT_ENTRIES;
    } else
        clear_partial(pg);
    rc = demote(mfn, pg, pg->type - PGT_L1 + 1, preempt);
    if (rc) {
        set_partial(pg);
        return rc;
    }
    pg->type_count = 0;
    pg->type = PGT_NONE;
    pg->flags &= ~(PGF_VALIDATED | PGF_PARTIAL_REF);
    return 0;
}

int page_get_type(uint64_t mfn, enum page_type type, const struct pt_owner *d)
{
    return get_type(mfn, type, d, false, NULL);
}

void page_put_type(uint64_t mfn)
{
    (void)put_type(mfn, false, false);
}

int page_get_type_preemptible(uint64_t mfn, enum page_type type, const struct pt_owner *d,
                              bool *owed)
{
    bool partial;
    int rc = get_type(mfn, type, d, true, &partial);

    /* Preempted: the partial floats until the retry takes it over. Failed
     * partway: the caller must demote what was validated. */
    *owed = partial && rc != -XEN_ERESTART;
    return rc;
}

int page_put_type_preemptible(uint64_t mfn)
{
    return put_type(mfn, true, false);
}

int page_put_partial(uint64_t mfn, bool preemptible)
{
    return put_type(mfn, preemptible, true);
}

bool page_is_partial(uint64_t mfn)
{
    const struct page_info *pg = mfn_to_page(mfn);

    return pg && (pg->flags & PGF_PARTIAL);
}

int page_get_and_type(uint64_t mfn, enum page_type type, const struct pt_owner *d)
{
    int rc = page_get(mfn, d->id);

    if (rc)
        return rc;
    rc = page_get_type(mfn, type, d);
    if (rc)
        page_put(mfn);
    return rc;
}

void page_put_and_type(uint64_t mfn)
{
    page_put_type(mfn);
    page_put(mfn);
}

/* --- Updates ------------------------------------------------------------------ */

/* pt_update_entry, with the L1 target's owner given: d->id, or for a grant
 * mapping the granter (only ever for an L1 table). Inlined into each entry
 * point, so that the hot non-preemptible ones (mmu_update of L1 entries,
 * update_va_mapping, the writable-page-table emulation) carry none of the
 * preemptible form's bookkeeping. */
static inline __attribute__((always_inline)) int update_entry(
    uint64_t table_mfn, unsigned int slot, uint64_t new_entry, const struct pt_owner *d,
    domid_t frame_owner, unsigned int flags, uint64_t *old_entry, uint64_t *owed)
{
    struct page_info *pg = mfn_to_page(table_mfn);
    bool preempt = flags & PT_UPDATE_PREEMPTIBLE, kept;
    unsigned int level;
    uint64_t *tab, old, val;
    int rc;

    if (owed)
        *owed = 0;

    if (!pg || pg->owner != d->id || !is_pt_type(pg->type) || !(pg->flags & PGF_VALIDATED) ||
        pg->type_count == 0)
        return -XEN_EINVAL;
    level = pg->type - PGT_L1 + 1;
    if (slot >= PT_ENTRIES || !is_guest_slot(level, slot))
        return -XEN_EINVAL;
    if (frame_owner != d->id && level != 1)
        return -XEN_EINVAL;

    tab = map_table(table_mfn);
    old = tab[slot];
    val = new_entry;
    if (new_entry & PTE_P) {
        if (new_entry & disallow_mask(level, d))
            return -XEN_EINVAL;
        val = adjust_entry(level, new_entry);
        if ((flags & PT_UPDATE_PRESERVE_AD))
            val |= old & (PTE_A | PTE_D);
        /* The old entry's references already cover the new one. */
        if ((old & PTE_P) && !((old ^ new_entry) & ~PT_FASTPATH_FLAGS)) {
            tab[slot] = val;
            goto out;
        }
        rc = level == 1 ? get_l1e_refs(new_entry, d, frame_owner)
                        : get_entry_refs(new_entry, table_mfn, level, d, preempt, false, &kept);
        if (rc && level > 1 && kept) {
            /* Preempted: the partial floats until the retry. Failed
             * partway: the caller demotes it (owed). */
            if (rc == -XEN_ERESTART || !owed)
                page_put(pte_mfn(new_entry));
            else
                *owed = pte_mfn(new_entry);
        }
        if (rc)
            return rc == -XEN_EINTR ? -XEN_ERESTART : rc;
    } else if ((flags & PT_UPDATE_PRESERVE_AD))
        val |= old & (PTE_A | PTE_D);

    /* The new entry's references are held before the old one's go, so a
     * rewrite naming the same frame never lets its counts touch zero. A
     * demotion of the old child that is preempted leaves its rest to the
     * caller (owed), with the general reference the entry held. */
    tab[slot] = val;
    if (put_entry_refs(old, table_mfn, level, preempt && owed))
        *owed = pte_mfn(old);

out:
    if (old_entry)
        *old_entry = old;
    return 0;
}

int pt_update_entry(uint64_t table_mfn, unsigned int slot, uint64_t new_entry,
                    const struct pt_owner *d, unsigned int flags, uint64_t *old_entry)
{
    return update_entry(table_mfn, slot, new_entry, d, d->id, flags & ~PT_UPDATE_PREEMPTIBLE,
                        old_entry, NULL);
}

int pt_update_entry_preemptible(uint64_t table_mfn, unsigned int slot, uint64_t new_entry,
                                const struct pt_owner *d, unsigned int flags, uint64_t *old_entry,
                                uint64_t *owed)
{
    return update_entry(table_mfn, slot, new_entry, d, d->id, flags | PT_UPDATE_PREEMPTIBLE,
                        old_entry, owed);
}

int pt_update_entry_grant(uint64_t table_mfn, unsigned int slot, uint64_t new_entry,
                          const struct pt_owner *d, domid_t granter, uint64_t *old_entry)
{
    const struct page_info *pg = mfn_to_page(table_mfn);

    /* A grant mapping is an L1 entry whoever the granter, a self-grant
     * too (Xen's create_grant_pv_mapping wants PGT_l1_page_table). */
    if (granter == DOMID_INVALID || granter >= DOMID_FIRST_RESERVED || !pg || pg->type != PGT_L1)
        return -XEN_EINVAL;
    return update_entry(table_mfn, slot, new_entry, d, granter, 0, old_entry, NULL);
}

int pt_pin(uint64_t mfn, enum page_type type, const struct pt_owner *d, bool preemptible,
           uint64_t *owed)
{
    struct page_info *pg;
    bool partial = false;
    int rc;

    if (owed)
        *owed = 0;
    if (!is_pt_type(type))
        return -XEN_EINVAL;
    rc = page_get(mfn, d->id);
    if (rc)
        return rc;
    rc = get_type(mfn, type, d, preemptible && owed, &partial);
    if (rc) {
        /* Failed partway: the caller demotes what was validated, with the
         * general reference taken here. Preempted: the partial floats
         * until the retried pin takes it over. */
        if (partial && rc != -XEN_ERESTART)
            *owed = mfn;
        else
            page_put(mfn);
        return rc == -XEN_EINTR ? -XEN_ERESTART : rc;
    }
    pg = mfn_to_page(mfn);
    if (pg->flags & PGF_PINNED) {
        page_put_and_type(mfn); /* not the last type reference: the pin's */
        return -XEN_EINVAL;
    }
    pg->flags |= PGF_PINNED;
    return 0;
}

int pt_unpin(uint64_t mfn, const struct pt_owner *d, bool preemptible, uint64_t *owed)
{
    struct page_info *pg;

    if (owed)
        *owed = 0;
    if (page_get(mfn, d->id))
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    if (!(pg->flags & PGF_PINNED)) {
        page_put(mfn);
        return -XEN_EINVAL;
    }
    pg->flags &= ~PGF_PINNED;
    /* A preempted demotion goes on from the caller's old_guest_table,
     * which inherits the pin's general reference. */
    if (put_type(mfn, preemptible && owed, false))
        *owed = mfn;
    else
        page_put(mfn);
    page_put(mfn);
    return 0;
}

/* --- Teardown ------------------------------------------------------------------ */

static struct page_info *owned_page(uint64_t mfn, domid_t owner)
{
    struct page_info *pg = mfn_to_page(mfn);

    return pg && pg->owner == owner && pg->count ? pg : NULL;
}

/* Releases what a validated or partial table's entries hold, whatever
 * else holds the table. A partial one loses its floating type reference
 * and its own general one: nobody will carry its promotion on now. */
static void teardown_table(uint64_t mfn, struct page_info *pg)
{
    unsigned int level = pg->type - PGT_L1 + 1;

    if (pg->flags & PGF_PARTIAL) {
        pg->flags &= ~PGF_PARTIAL;
        (void)demote(mfn, pg, level, false);
        pg->type_count = 0;
        pg->type = PGT_NONE;
        page_put(mfn);
        return;
    }
    pg->flags &= ~PGF_VALIDATED;
    pg->nr_validated = PT_ENTRIES;
    (void)demote(mfn, pg, level, false);
}

void pt_relinquish(domid_t owner, uint64_t nr_frames)
{
    struct page_info *pg;
    uint64_t mfn;

    /* Pins first: every table held only through them devalidates here. */
    for (mfn = 0; mfn < nr_frames; mfn++)
        if ((pg = owned_page(mfn, owner)) && (pg->flags & PGF_PINNED)) {
            pg->flags &= ~PGF_PINNED;
            page_put_and_type(mfn);
        }

    /*
     * A table still validated is held from outside the pins (a reference
     * the caller failed to drop). Release what its entries hold anyway, as
     * Xen does for a dying domain, keeping its type count for those holders:
     * their later puts then find an unvalidated table and only count down.
     * This also breaks any cycle through read-only mappings of page tables.
     */
    for (mfn = 0; mfn < nr_frames; mfn++)
        if ((pg = owned_page(mfn, owner)) && is_pt_type(pg->type) &&
            (pg->flags & (PGF_VALIDATED | PGF_PARTIAL)))
            teardown_table(mfn, pg);

    /* The allocation references last: each frame's final put frees it. */
    for (mfn = 0; mfn < nr_frames; mfn++)
        if ((pg = owned_page(mfn, owner)) && (pg->flags & PGF_ALLOCATED)) {
            pg->flags &= ~PGF_ALLOCATED;
            page_put(mfn);
        }
}
