/* SPDX-License-Identifier: MIT */
/*
 * Aliased page tables: huge request arrays from a few frames. Region r is
 * the 1 GiB at ALIAS_VA + r GiB, one L2 of a private L3 in L4 slot
 * ALIAS_L4_SLOT. An L1 whose entries all map one data frame, named by
 * every entry of the L2, makes 1 GiB of identical pages from three frames.
 *
 *   L4[2] -> L3 -> L3[r] = region r's L2 -> L1s -> data frames
 *
 * Data frames are mapped writable: the hypervisor writes statuses and
 * results back into batch entries, and every alias of an entry then holds
 * the same value, so an entry reads the same wherever it is met.
 */
#ifndef PREEMPT_ALIAS_H
#define PREEMPT_ALIAS_H

#include <stdint.h>

#define ALIAS_L4_SLOT 2UL
#define ALIAS_VA      (ALIAS_L4_SLOT << 39) /* 0x0000010000000000 */
#define REGION_SIZE   (1UL << 30)
#define L1_SPAN       (512UL * 4096) /* bytes one L1 maps */

/* A zeroed, writable scratch page (its virtual address), or 0. */
unsigned long alias_page(void);
/* The pages alias_page() has handed out. */
unsigned long alias_pages_used(void);

/* A read-only L1 whose entry e maps mfn[e] writable (0: not present);
 * returns its frame, or 0. */
unsigned long alias_l1(const unsigned long mfn[512]);
/* The same for an L2 whose entry e names the L1 l1[e]. */
unsigned long alias_l2(const unsigned long l1[512]);

/* Region r is the L2 l2 (not mapped until alias_commit()). */
void alias_region(unsigned int r, unsigned long l2);
/* Region r as npages pages repeating the P pattern frames data[0..P-1]
 * (page p maps data[p % P]): P L1s and one L2. 0, or -1 if out of pages. */
int alias_periodic(unsigned int r, const unsigned long *data, unsigned int P, unsigned long npages);
static inline unsigned long region_va(unsigned int r)
{
    return ALIAS_VA + r * REGION_SIZE;
}

/* Builds the L3 and links it into L4 slot ALIAS_L4_SLOT, which validates
 * the whole tree: mmu_update's answer. */
long alias_commit(void);

#endif
