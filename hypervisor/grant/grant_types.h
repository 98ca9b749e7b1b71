/* SPDX-License-Identifier: MIT */
/* The grant-table state of a domain, as struct domain embeds it: types and
 * limits only, so that the domain layer below can hold them without
 * depending on the grant-table code (grant_table.h). */
#ifndef XENOLITH_GRANT_TYPES_H
#define XENOLITH_GRANT_TYPES_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

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

#endif
