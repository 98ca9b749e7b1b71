/* SPDX-License-Identifier: MIT */
/*
 * The page audit (pt_audit, page_type.h): recounts every reference and
 * type the validated tables of a domain should hold, from the tables
 * themselves, and compares with the frame table; then checks each frame's
 * state. Run at every domain teardown and by the unit tests and the
 * page_type fuzz harness after every step. A mismatch is a Xenolith bug.
 */
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <xen/errno.h>

#include "arch/x86/pte.h"
#include "frames/page_type.h"
#include "frames/page_type_priv.h"

struct audit {
    domid_t owner;
    uint64_t nr_frames;
    const uint64_t *held; /* general references held from outside */
    unsigned int nr_held;
    char *why;
    size_t why_len;
    int rc;
};

static void audit_fail(struct audit *a, const char *msg, uint64_t mfn, uint64_t slot,
                       long long want, long long got)
{
    if (a->rc)
        return;
    a->rc = -XEN_EINVAL;
    if (a->why && a->why_len)
        snprintf(a->why, a->why_len, "mfn %#llx slot %lld: %s (expected %lld, got %lld)",
                 (unsigned long long)mfn, (long long)slot, msg, want, got);
}

static bool table_has_linear_entries(uint64_t mfn, unsigned int level)
{
    const uint64_t *tab = map_table(mfn);
    unsigned int i;

    for (i = 0; i < PT_ENTRIES; i++) {
        const struct page_info *t;

        if (!is_guest_slot(level, i) || !(tab[i] & PTE_P) || pte_mfn(tab[i]) == mfn)
            continue;
        t = mfn_to_page(pte_mfn(tab[i]));
        if (t && t->type == PGT_L1 + level - 1)
            return true;
    }
    return false;
}

/*
 * Adds `sign` times every reference the validated tables' entries should
 * hold to the counts they hold them on. The audit subtracts (-1), checks
 * the residue and adds back (+1): no memory beyond the frame table, and
 * the bookkeeping is exactly restored whatever it held.
 */
static void audit_entries(struct audit *a, int sign)
{
    uint64_t mfn;

    for (mfn = 0; mfn < a->nr_frames; mfn++) {
        struct page_info *pg = mfn_to_page(mfn);
        const uint64_t *tab;
        unsigned int level, i;

        unsigned int end;

        if (!pg || pg->owner != a->owner || !is_pt_type(pg->type) ||
            !(pg->flags & (PGF_VALIDATED | PGF_PARTIAL)))
            continue;
        level = pg->type - PGT_L1 + 1;
        tab = map_table(mfn);
        /* A partial table holds entries [0, nr_validated), and a general
         * reference through its partial entry. */
        end = (pg->flags & PGF_PARTIAL) ? pg->nr_validated : PT_ENTRIES;
        if ((pg->flags & PGF_PARTIAL) && (pg->flags & PGF_PARTIAL_REF)) {
            struct page_info *t = mfn_to_page(pte_mfn(tab[end]));

            if (!t || t->owner != a->owner)
                audit_fail(a, "partial entry names a frame outside the domain", mfn, end, a->owner,
                           t ? t->owner : -1);
            else
                t->count += sign;
        }
        for (i = 0; i < end; i++) {
            uint64_t e = tab[i], target = pte_mfn(e);
            struct page_info *t;

            if (!is_guest_slot(level, i) || !(e & PTE_P))
                continue;
            if (!(e & PTE_US))
                audit_fail(a, "present entry without _PAGE_USER", mfn, i, 1, 0);
            if (level > 1 && (e & L234_DISALLOW_MASK))
                audit_fail(a, "disallowed flags in entry", mfn, i, 0, (long long)e);
            t = mfn_to_page(target);
            if (!t || t->owner != a->owner || target >= a->nr_frames) {
                audit_fail(a, "entry names a frame outside the domain", mfn, i, a->owner,
                           t ? t->owner : -1);
                continue;
            }
            if (level == 1) {
                if (e & PTE_RW) {
                    if (t->type != PGT_WRITABLE)
                        audit_fail(a, "writable mapping of a frame not typed writable", mfn, i,
                                   PGT_WRITABLE, t->type);
                    t->type_count += sign;
                }
                t->count += sign;
                continue;
            }
            if (target == mfn) {
                if (e & PTE_RW)
                    audit_fail(a, "writable self-reference", mfn, i, 0, 1);
                continue;
            }
            if (t->type == pg->type) {
                if (e & PTE_RW)
                    audit_fail(a, "writable linear entry", mfn, i, 0, 1);
                if (!(t->flags & PGF_VALIDATED))
                    audit_fail(a, "linear entry to an unvalidated table", mfn, i, 1, 0);
                if (sign < 0 && table_has_linear_entries(target, level))
                    audit_fail(a, "linear chain", mfn, i, 0, 1);
                pg->linear = (int16_t)(uint16_t)((uint16_t)pg->linear + sign);
                t->linear = (int16_t)(uint16_t)((uint16_t)t->linear - sign);
            } else if (t->type != pg->type - 1 || !(t->flags & PGF_VALIDATED))
                audit_fail(a, "entry names a frame not validated one level down", mfn, i,
                           pg->type - 1, t->type);
            t->type_count += sign;
            t->count += sign;
        }
    }
}

static void audit_others(struct audit *a, const uint64_t *extra, unsigned int nr_extra, int sign)
{
    uint64_t mfn;
    unsigned int i;

    for (i = 0; i < a->nr_held; i++) {
        struct page_info *pg = mfn_to_page(a->held[i]);

        if (pg && pg->owner == a->owner)
            pg->count += sign;
    }

    for (i = 0; i < nr_extra; i++) {
        struct page_info *pg = mfn_to_page(extra[i]);

        if (!pg || pg->owner != a->owner || extra[i] >= a->nr_frames) {
            audit_fail(a, "external L4 reference outside the domain", extra[i], -1, a->owner,
                       pg ? pg->owner : -1);
            continue;
        }
        if (pg->type != PGT_L4 || !(pg->flags & PGF_VALIDATED))
            audit_fail(a, "external reference to a frame not a validated L4", extra[i], -1, PGT_L4,
                       pg->type);
        pg->count += sign;
        pg->type_count += sign;
    }
    for (mfn = 0; mfn < a->nr_frames; mfn++) {
        struct page_info *pg = mfn_to_page(mfn);

        if (!pg || pg->owner != a->owner)
            continue;
        if (pg->flags & PGF_ALLOCATED)
            pg->count += sign;
        if (pg->flags & PGF_PARTIAL) {
            pg->count += sign;      /* its own general reference */
            pg->type_count += sign; /* the floating type reference */
        }
        if (pg->flags & PGF_PINNED) {
            pg->count += sign;
            pg->type_count += sign;
        }
    }
}

static void audit_frame_state(struct audit *a, uint64_t mfn, const struct page_info *pg)
{
    if (pg->count == 0)
        audit_fail(a, "frame with no reference still owned", mfn, -1, 1, 0);
    if (pg->type_count == 0 && (pg->type != PGT_NONE || (pg->flags & PGF_VALIDATED)))
        audit_fail(a, "untyped frame keeps a type", mfn, -1, PGT_NONE, pg->type);
    if (pg->type_count && is_pt_type(pg->type) && !(pg->flags & (PGF_VALIDATED | PGF_PARTIAL)))
        audit_fail(a, "page table in use but neither validated nor partial", mfn, -1, 1, 0);
    if ((pg->flags & PGF_PARTIAL) &&
        (!is_pt_type(pg->type) || pg->type == PGT_L1 || pg->type_count != 1 ||
         (pg->flags & PGF_VALIDATED) || pg->nr_validated > PT_ENTRIES))
        audit_fail(a, "partial frame not an L2-L4 with one type reference", mfn, -1, 1,
                   pg->type_count);
    if ((pg->flags & PGF_PARTIAL_REF) && !(pg->flags & PGF_PARTIAL))
        audit_fail(a, "partial entry on a frame not partial", mfn, -1, 0, 1);
    if ((pg->flags & PGF_VALIDATED) && !is_pt_type(pg->type))
        audit_fail(a, "validated frame not a page table", mfn, -1, PGT_L1, pg->type);
    if ((pg->flags & PGF_PINNED) && !is_pt_type(pg->type))
        audit_fail(a, "pinned frame not a page table", mfn, -1, PGT_L1, pg->type);
    if (pg->type_count > pg->count)
        audit_fail(a, "more type references than references", mfn, -1, pg->count, pg->type_count);
}

int pt_audit(domid_t owner, uint64_t nr_frames, const uint64_t *extra_l4_refs,
             unsigned int nr_extra, char *why, size_t why_len)
{
    return pt_audit_holding(owner, nr_frames, extra_l4_refs, nr_extra, NULL, 0, why, why_len);
}

int pt_audit_holding(domid_t owner, uint64_t nr_frames, const uint64_t *extra_l4_refs,
                     unsigned int nr_extra, const uint64_t *held, unsigned int nr_held, char *why,
                     size_t why_len)
{
    struct audit a = { .owner = owner,
                       .nr_frames = nr_frames,
                       .held = held,
                       .nr_held = nr_held,
                       .why = why,
                       .why_len = why_len };
    const char *bad = NULL;
    uint64_t mfn, bad_mfn = 0;
    long long excess = 0;

    if (why && why_len)
        why[0] = '\0';
    for (mfn = 0; mfn < nr_frames; mfn++) {
        const struct page_info *pg = mfn_to_page(mfn);

        if (pg && pg->owner == owner)
            audit_frame_state(&a, mfn, pg);
    }

    audit_entries(&a, -1);
    audit_others(&a, extra_l4_refs, nr_extra, -1);
    /* What is left is what no table, pin, allocation or CR3 accounts for. */
    for (mfn = 0; mfn < nr_frames && !bad; mfn++) {
        const struct page_info *pg = mfn_to_page(mfn);

        if (!pg || pg->owner != owner)
            continue;
        if (pg->count)
            bad = "general count", excess = (int32_t)pg->count;
        else if (pg->type_count)
            bad = "type count", excess = (int32_t)pg->type_count;
        else if (pg->linear)
            bad = "linear count", excess = pg->linear;
        bad_mfn = mfn;
    }
    audit_others(&a, extra_l4_refs, nr_extra, +1);
    audit_entries(&a, +1);

    if (bad) {
        const struct page_info *pg = mfn_to_page(bad_mfn);
        long long got = bad[0] == 'g'   ? (long long)pg->count
                        : bad[0] == 't' ? (long long)pg->type_count
                                        : (long long)pg->linear;

        audit_fail(&a, bad, bad_mfn, -1, got - excess, got);
    }
    return a.rc;
}
