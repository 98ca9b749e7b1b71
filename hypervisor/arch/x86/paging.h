/* SPDX-License-Identifier: MIT */
/* Xenolith's own page tables (direct map, image, M2P) and the L4 slots that
 * every guest L4 shares. */
#ifndef XENOLITH_PAGING_H
#define XENOLITH_PAGING_H

#include <stdint.h>

#define M2P_INVALID (~0ULL)

/* Builds the tables and switches to them; the boot identity map is gone
 * afterwards. Needs memory_init() first. */
void paging_init(void);

/* Copies Xenolith's L4 slots 256-271 into a guest L4. */
void paging_install_hv_slots(uint64_t *l4);

/* Xenolith's L4, whose slots 256-271 every validated guest L4 receives. */
const uint64_t *paging_hv_l4(void);

/* Xenolith's own L4 (machine address), used when no guest is running. */
uint64_t paging_idle_cr3(void);

void m2p_set(uint64_t mfn, uint64_t pfn);

/* The L1 entry that maps `va` in Xenolith's own area (tables created on
 * demand): for mappings that change at run time, such as the descriptor
 * tables. The caller flushes the TLB entry after writing it. */
uint64_t *paging_l1e(uint64_t va);

/* One page of device registers, uncached, at a fixed Xenolith address. */
volatile uint32_t *paging_map_mmio(uint64_t paddr);

/* The first frame of each 2 MiB M2P extent, at most max of them; returns
 * how many were written. */
unsigned int paging_m2p_extents(uint64_t *mfns, unsigned int max);

#endif
