/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, v1 only, with Xen 4.17's semantics (common/grant_table.c,
 * arch/x86/pv/grant_table.c): the shared table frames a domain fills in,
 * Xenolith's shadow of each entry in use (pin counts), and the maptrack
 * table of the grants a domain has mapped. docs/abi.md has the answers.
 */
#ifndef XENOLITH_GRANT_TABLE_H
#define XENOLITH_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

struct domain;

/* Xen 4.17's defaults: gnttab_max_frames=64, one frame at creation. */
#define GNTTAB_MAX_FRAMES        64
#define GNTTAB_INITIAL_FRAMES    1
#define GNTTAB_ENTRIES_PER_FRAME 512 /* 4096 / sizeof(grant_entry_v1_t) */
/* Xenolith keeps one maptrack page's worth more than Xen's first page. */
#define GNTTAB_MAPTRACK_ENTRIES  512
#define GNTTAB_ACTIVE_PER_FRAME  256 /* 4096 / sizeof(struct gnttab_active) */

/* Xenolith's shadow of a granted entry while it is pinned (Xen's
 * active_grant_entry): who holds it, which frame, how often. */
struct gnttab_active {
    uint32_t pin;  /* writable host uses in bits 0-7, read-only in 8-15 */
    domid_t domid; /* the domain using the grant */
    uint16_t pad;
    uint64_t mfn; /* the granted frame, fixed while pinned */
};

/* One mapping a domain made of a grant; its index is the handle. */
struct gnttab_maptrack {
    uint64_t l1_mfn; /* the L1 table and slot the mapping was written to */
    uint32_t ref;
    uint16_t flags; /* GNTMAP_*; 0 when the handle is free */
    domid_t domid;  /* the granter */
    uint16_t slot;
};

struct gnttab_domain {
    unsigned int nr_frames;
    /* Shared frames: owned by the domain, holding its allocation reference
     * and one of the grant table's own, so a guest cannot free them. */
    uint64_t frames[GNTTAB_MAX_FRAMES];
    /* Xenolith frames holding the active entries, two per shared frame. */
    uint64_t active_frames[GNTTAB_MAX_FRAMES * 2];
    struct gnttab_maptrack maptrack[GNTTAB_MAPTRACK_ENTRIES];
    /* Free handles as a list (Xen's maptrack free list), so taking one in
     * map_grant_ref is O(1): head and links are handles,
     * GNTTAB_MAPTRACK_ENTRIES ends the list. */
    uint16_t maptrack_head;
    uint16_t maptrack_next[GNTTAB_MAPTRACK_ENTRIES];
};

/* The initial frame; 0 or -XEN_ENOMEM. */
int gnttab_domain_init(struct domain *d);
/* Teardown, before the page audit: undoes every mapping d holds and every
 * mapping other domains hold of d's grants, then drops the table's own
 * references to its frames (the frames themselves go with d's memory). */
void gnttab_domain_destroy(struct domain *d);
/* True when mfn is one of d's grant-table frames (memory_op may refuse it,
 * as it refuses shared_info). */
bool gnttab_is_table_frame(const struct domain *d, uint64_t mfn);

/*
 * An in-hypervisor backend, presenting itself as domain `as`, maps rd's
 * grant `ref` writable: the same checks as a guest's host mapping (the
 * entry must permit `as` to write a whole page, the frame must be rd's and
 * may be typed writable, so never a page table or descriptor page), and
 * while mapped the granter sees GTF_reading|GTF_writing and cannot revoke.
 * GNTST_okay with *mfn, or the GNTST_* status a guest would get, with
 * nothing held.
 */
int gnttab_backend_map(struct domain *rd, grant_ref_t ref, domid_t as, uint64_t *mfn);
/* Undoes one gnttab_backend_map of (rd, ref) that returned mfn. */
void gnttab_backend_unmap(struct domain *rd, grant_ref_t ref, uint64_t mfn);

#endif
