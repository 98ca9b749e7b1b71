/* SPDX-License-Identifier: MIT */
/* x86-64 page-table entry bits and index helpers (4-level paging). */
#ifndef XENOLITH_PTE_H
#define XENOLITH_PTE_H

#include <stdint.h>

#define PTE_P         (1ULL << 0)
#define PTE_RW        (1ULL << 1)
#define PTE_US        (1ULL << 2)
#define PTE_PWT       (1ULL << 3)
#define PTE_PCD       (1ULL << 4)
#define PTE_A         (1ULL << 5)
#define PTE_D         (1ULL << 6)
#define PTE_PSE       (1ULL << 7) /* in L2/L3 entries */
#define PTE_PAT       (1ULL << 7) /* in L1 entries */
#define PTE_G         (1ULL << 8)
#define PTE_NX        (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

#define PAGE_SIZE  4096ULL
#define PAGE_SHIFT 12
#define L1_SHIFT   12
#define L2_SHIFT   21
#define L3_SHIFT   30
#define L4_SHIFT   39
#define PT_ENTRIES 512

static inline unsigned int pt_index(uint64_t va, unsigned int level)
{
    return (va >> (L1_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static inline uint64_t pte_mfn(uint64_t pte)
{
    return (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static inline uint64_t pte_make(uint64_t mfn, uint64_t flags)
{
    return (mfn << PAGE_SHIFT) | flags;
}

#endif
