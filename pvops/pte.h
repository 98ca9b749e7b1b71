/* SPDX-License-Identifier: MIT */
/*
 * x86-64 page-table entry bits and index arithmetic, shared by the kernel's
 * VM layer and both mmu bindings. The frame number inside an entry is the
 * binding's business (pv_mmu_make_entry / pv_mmu_entry_pfn): a physical
 * frame natively, a machine frame under PV.
 */
#ifndef PVOPS_PTE_H
#define PVOPS_PTE_H

#include <stdint.h>

#define PTE_PRESENT   0x001ULL
#define PTE_RW        0x002ULL
#define PTE_USER      0x004ULL
#define PTE_PWT       0x008ULL
#define PTE_PCD       0x010ULL
#define PTE_ACCESSED  0x020ULL
#define PTE_DIRTY     0x040ULL
#define PTE_PS        0x080ULL /* large page, in L2 and L3 entries */
#define PTE_GLOBAL    0x100ULL
#define PTE_NX        (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

/* Levels as Xen's MMUEXT_PIN_L<n>_TABLE counts them: 1 = PTE, 4 = root. */
#define PT_LEVELS  4
#define PT_ENTRIES 512

static inline unsigned int pt_shift(unsigned int level)
{
    return 12 + 9 * (level - 1);
}

static inline unsigned int pt_index(unsigned long va, unsigned int level)
{
    return (unsigned int)(va >> pt_shift(level)) & (PT_ENTRIES - 1);
}

#endif
