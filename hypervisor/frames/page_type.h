/* SPDX-License-Identifier: MIT */
/*
 * Frame bookkeeping for direct paging, with Xen's rules (xen/arch/x86/mm.c
 * is the reference): every machine frame has an owner, a general reference
 * count, and a type with its own count. A frame's type changes only when its
 * type count is zero; taking a page-table type validates every present
 * entry beneath it, and dropping the last type reference devalidates it.
 * Pure code over the environment below, so the host tests run it unchanged.
 */
#ifndef XENOLITH_PAGE_TYPE_H
#define XENOLITH_PAGE_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

enum page_type {
    PGT_NONE,
    PGT_L1,
    PGT_L2,
    PGT_L3,
    PGT_L4,       /* PGT_L1 + level - 1 */
    PGT_SEG_DESC, /* a GDT/LDT frame (set_gdt, issue 4) */
    PGT_WRITABLE, /* mapped writable somewhere */
};

#define PGF_ALLOCATED   (1u << 0) /* the owner's allocation reference is held */
#define PGF_VALIDATED   (1u << 1) /* page-table type fully validated */
#define PGF_PINNED      (1u << 2) /* MMUEXT_PIN_L*_TABLE holds a type reference */
#define PGF_PARTIAL     (1u << 3) /* promotion or demotion stopped partway (page_type.c) */
#define PGF_PARTIAL_REF (1u << 4) /* entry nr_validated holds a partial reference */
#define PGF_RESERVATION (1u << 5) /* counted in the owner's tot_pages until freed */
/* Xenolith's page lent to the owner (shared_info, the grant frames):
 * mapped write-back only, as Xenolith maps it, and never given back. */
#define PGF_LENT        (1u << 6)

/* One per machine frame (16 bytes). */
struct page_info {
    uint32_t count;      /* general references; PGF_ALLOCATED accounts for one */
    uint32_t type_count; /* references to `type` */
    domid_t owner;       /* DOMID_INVALID: free; DOMID_XEN: Xenolith's own */
    uint8_t type;        /* enum page_type */
    uint8_t flags;       /* PGF_* */
    /* Linear (same-level, read-only) page-table references, XSA-240 rules:
     * > 0: this table holds that many linear entries to other tables;
     * < 0: this table is the target of that many linear entries.
     * A table is never both, so linear chains are one level deep. */
    int16_t linear;
    uint16_t nr_validated; /* PGF_PARTIAL: entries [0, nr_validated) hold references */
};

/* Who is asking: the page-table owner whose rules apply. */
struct pt_owner {
    domid_t id;
    bool io_caps;          /* may set PWT/PCD/PAT in L1 entries */
    const uint64_t *hv_l4; /* Xenolith's L4: slots 256..271 are
                                       copied into every validated L4 */
};

/* --- Environment, provided by the hypervisor (frame_table.c) or the tests --- */
/* The frame's bookkeeping, or NULL when mfn is not a tracked RAM frame. */
struct page_info *mfn_to_page(uint64_t mfn);
/* The frame's 512 entries, writable by Xenolith. */
uint64_t *map_table(uint64_t mfn);
/* The last general reference of a frame without PGF_ALLOCATED went away. */
void page_release_frame(uint64_t mfn);
/* Whether a preemptible operation should stop at its next entry
 * (hypercall_preempt_check() in Xenolith). */
bool page_type_preempt_check(void);

/* --- Page-table entry bits Xen lets a PV guest use ------------------------ */
#define PT_FLAG_MASK 0xfff0000000000fffULL /* everything but the address */
/* Refused in L1 entries: the cache attributes (PWT, PCD, PAT) unless the
 * owner has io_caps. Global, NX and the available bits 9-11 and 52-62 are
 * fine (bit 62 is Xen's grant marker only in its debug builds). */
uint64_t l1_disallow_mask(const struct pt_owner *d);
/* Refused in L2-L4 entries: Xen's base_disallow_mask, i.e. everything but
 * P, RW, US, A, D, the available bits 9-11 and 52-62, and NX (the address
 * bits are not flags). That leaves PWT, PCD, PSE (no PV superpages) and G;
 * bit 62 is an available bit at these levels, refused only in L1 entries. */
#define L234_DISALLOW_MASK ((1ULL << 3) | (1ULL << 4) | (1ULL << 7) | (1ULL << 8))
/* Xen's _PAGE_GUEST_KERNEL (pte bit 52): stored in an L1 entry the guest
 * wrote without _PAGE_USER, which then gains _PAGE_USER. An L1 entry written
 * with _PAGE_USER and without this bit is a user mapping and gains
 * _PAGE_GLOBAL, as in Xen (harmless while Xenolith leaves CR4.PGE clear).
 * L2 and L3 entries gain _PAGE_USER; L4 entries _PAGE_USER and _PAGE_ACCESSED. */
#define PT_GUEST_KERNEL    (1ULL << 52)

/* --- References ------------------------------------------------------------ */
/* 0, or -XEN_EINVAL: not a tracked frame, not owned by `owner`, free, or
 * count overflow. The reference that brings the count to zero calls
 * page_release_frame(); the bookkeeping (owner) is the environment's to reset. */
int page_get(uint64_t mfn, domid_t owner);
void page_put(uint64_t mfn);

/*
 * Take a reference to the frame's type, changing the type first when the
 * type count is zero (validating a page-table type against d's rules; the
 * frame must be owned by d->id). The caller holds a general reference.
 * Returns 0, or Xen's errno: -XEN_EINVAL when the frame has another type in
 * use (as Xen's _get_page_type; only an L1 entry turns that into -XEN_EBUSY),
 * on overflow, or when validation fails; a failed validation returns the
 * first bad entry's errno (-XEN_EINVAL, -XEN_EBUSY or -XEN_EPERM, see
 * pt_update_entry) and leaves nothing half-referenced.
 * PGT_WRITABLE and PGT_SEG_DESC are taken without looking at the contents:
 * set_gdt must check the descriptors itself once it holds the type (the
 * frame cannot be written by the guest from then on).
 */
int page_get_type(uint64_t mfn, enum page_type type, const struct pt_owner *d);
/* Drops one type reference; the last one devalidates a page table (every
 * reference its entries held is released) and the type of any frame returns
 * to none. A type reference must be dropped before its general reference. */
void page_put_type(uint64_t mfn);

int page_get_and_type(uint64_t mfn, enum page_type type, const struct pt_owner *d);
void page_put_and_type(uint64_t mfn);

/*
 * The preemptible forms, for hypercalls (Xen's *_preemptible). A promotion
 * or demotion of an L2-L4 tree stops between entries when
 * page_type_preempt_check() is true, after at least one entry, and the
 * frame is left PGF_PARTIAL (see page_type.c).
 * page_get_type_preemptible: 0; -XEN_ERESTART, the frame left partial for
 * the retried call to take over (the caller drops its general reference
 * and re-issues the operation); or an errno. With an errno and *owed, the
 * validation failed partway: the caller keeps its general reference and
 * must put the partial (page_put_partial) until it returns 0, then drop it.
 * page_put_type_preemptible: 0, or -XEN_ERESTART: the demotion goes on
 * from page_put_partial, by a caller that keeps a general reference.
 */
int page_get_type_preemptible(uint64_t mfn, enum page_type type, const struct pt_owner *d,
                              bool *owed);
int page_put_type_preemptible(uint64_t mfn);
/* A partial reference: carries the demotion on if the frame is still
 * partial (0 when done or taken over; -XEN_ERESTART when preempted). */
int page_put_partial(uint64_t mfn, bool preemptible);
bool page_is_partial(uint64_t mfn);

/* --- Page-table updates ------------------------------------------------------ */
#define PT_UPDATE_PRESERVE_AD (1u << 0) /* keep the old entry's A and D bits */
#define PT_UPDATE_PREEMPTIBLE (1u << 1) /* internal: pt_update_entry_preemptible */

/*
 * Replace entry `slot` of the validated page table `table_mfn` (owned by
 * d->id) with `new_entry`, as mmu_update, update_va_mapping and the
 * writable-page-table emulation do (Xen's mod_l<N>_entry): the new entry is
 * validated for the table's level and its references taken before the old
 * entry's are dropped. Present entries are adjusted as Xen does for 64-bit
 * PV (see PT_GUEST_KERNEL). With PT_UPDATE_PRESERVE_AD the old entry's A and
 * D bits are ORed into the new one. A present entry that differs from the
 * present old one only in NX, the available bits, G, D, A or US is written
 * without touching any reference (Xen's fast path; RW, PSE and the cache
 * bits are not in that list). L4 slots 256..271 are Xenolith's.
 * Returns 0 or, as Xen:
 *   -XEN_EINVAL  table not a validated page table of d's, slot out of range
 *                or a hypervisor L4 slot, disallowed flags, an L2-L4 target
 *                that is not d's, free, of the wrong type (or a refused
 *                linear entry), or a validation failure beneath it;
 *   -XEN_EBUSY   an L1 target that is not d's, is free, overflows, or cannot
 *                take PGT_WRITABLE for an RW mapping (Xen's could_not_pin);
 *   -XEN_EPERM   an L1 entry naming an untracked frame (MMIO: no I/O ranges
 *                are granted here), except the all-ones frame: -XEN_EINVAL.
 * On failure nothing changes. *old_entry, when not NULL, receives the
 * replaced value on success.
 */
int pt_update_entry(uint64_t table_mfn, unsigned int slot, uint64_t new_entry,
                    const struct pt_owner *d, unsigned int flags, uint64_t *old_entry);

/*
 * A grant mapping (grant_table.c): as pt_update_entry on an L1 table, but a
 * present new entry's frame must be owned by `granter` (the domain whose
 * grant the caller holds; d->id for a self-grant) rather than by d. The
 * entry then holds the same references as any L1 entry, a general one and
 * PGT_WRITABLE when RW, so replacing it by any means, devalidating its
 * table or unmapping the grant all release them through the usual path.
 * Returns pt_update_entry's errors (-XEN_EINVAL also for a table that is
 * not an L1, or a reserved granter id).
 */
/*
 * As pt_update_entry, for mmu_update: a new L2-L4 entry's validation is
 * preemptible (-XEN_ERESTART: nothing changed, retry the request), and so
 * is the demotion of the old entry's child. *owed then names a frame whose
 * partial demotion the caller must carry on (page_put_partial) and whose
 * general reference it now holds: the old child after a successful update,
 * or the new one when its validation failed partway.
 */
int pt_update_entry_preemptible(uint64_t table_mfn, unsigned int slot, uint64_t new_entry,
                                const struct pt_owner *d, unsigned int flags, uint64_t *old_entry,
                                uint64_t *owed);

int pt_update_entry_grant(uint64_t table_mfn, unsigned int slot, uint64_t new_entry,
                          const struct pt_owner *d, domid_t granter, uint64_t *old_entry);

/* MMUEXT_PIN_L<level>_TABLE / MMUEXT_UNPIN_TABLE, with Xen's errors:
 * pinning an already pinned frame or unpinning an unpinned one, a frame that
 * is not d's (or free, or untracked), a type other than L1..L4, or a frame in
 * use with another type (another level) is -XEN_EINVAL; a validation failure
 * returns its errno (see page_get_type). A pin holds one general and one type
 * reference. */
int pt_pin(uint64_t mfn, enum page_type type, const struct pt_owner *d, bool preemptible,
           uint64_t *owed);
int pt_unpin(uint64_t mfn, const struct pt_owner *d, bool preemptible, uint64_t *owed);
/* Preemptible (with owed given): a pin may return -XEN_ERESTART (retry it)
 * or fail with *owed set, and an unpin may succeed with *owed set; *owed
 * is then as for pt_update_entry_preemptible. */

/*
 * Domain teardown: drop every pin, devalidate every page table and release
 * the allocation references of every frame `owner` holds, so that each
 * frame's last reference frees it (page_release_frame). References held
 * from outside (a vCPU's CR3) must have been dropped first; a table still
 * held from outside is devalidated anyway (its entries' references are
 * released) and keeps only the type count of those holders. Frames are
 * found by scanning mfns [0, nr_frames) for `owner`.
 */
void pt_relinquish(domid_t owner, uint64_t nr_frames);

/*
 * Debug check: recompute every count of `owner`'s frames from the page
 * tables and pins, plus `extra` external type references to L4 frames (the
 * vCPUs' CR3s, which hold a general and a type reference each), and compare
 * with the bookkeeping. Returns 0, or -XEN_EINVAL with a description of the
 * first mismatch in `why`. It needs no memory: it subtracts every expected
 * reference in place, checks the remainder and adds them back, so it must
 * not run concurrently with any other operation here.
 */
int pt_audit(domid_t owner, uint64_t nr_frames, const uint64_t *extra_l4_refs,
             unsigned int nr_extra, char *why, size_t why_len);
/* The same, with general references held from outside (an owed partial
 * demotion's: a vCPU's old_guest_table). Partial frames are checked too:
 * their floating type reference, their own general one, and what their
 * entries below nr_validated and their partial entry hold. */
int pt_audit_holding(domid_t owner, uint64_t nr_frames, const uint64_t *extra_l4_refs,
                     unsigned int nr_extra, const uint64_t *held, unsigned int nr_held, char *why,
                     size_t why_len);

#endif
