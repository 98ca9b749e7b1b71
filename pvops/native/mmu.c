// SPDX-License-Identifier: MIT
// Native page tables: Lithos is in ring 0 and owns the MMU, so entries are
// plain memory writes through the kernel's direct map, frames are physical,
// and the PV-only hooks (pinning, read-only table pages, batching) do
// nothing.
#include <pvops/native/native.h>
#include <pvops/pte.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>

static char *direct_map; /* pfn 0, as given to native_mmu_init() */
static unsigned long direct_map_pfns;

void native_mmu_init(void *base, unsigned long nr_pfns)
{
    direct_map = base;
    direct_map_pfns = nr_pfns;
}

static int native_make_entry(unsigned long pfn, uint64_t flags, uint64_t *entry)
{
    *entry = ((uint64_t)pfn << 12) | flags;
    return 0;
}

static int native_entry_pfn(uint64_t entry, unsigned long *pfn)
{
    *pfn = (unsigned long)((entry & PTE_ADDR_MASK) >> 12);
    return 0;
}

/* volatile: the page walker reads this memory behind the compiler's back. */
static int native_set_entry(unsigned int level, unsigned long table_pfn, unsigned int index,
                            uint64_t entry)
{
    volatile uint64_t *table;

    if (table_pfn >= direct_map_pfns || index >= PT_ENTRIES)
        return -XEN_EINVAL;
    table = (volatile uint64_t *)(direct_map + (table_pfn << 12));
    table[index] = entry;
    return 0;
}

static int native_new_baseptr(unsigned long l4_pfn)
{
    asm volatile("mov %0, %%cr3" : : "r"((uint64_t)l4_pfn << 12) : "memory");
    return 0;
}

/* Reloading CR3 drops every non-global translation and the paging-structure
 * caches, which is what freeing a table needs. */
static int native_flush_tlb(void)
{
    uint64_t cr3;

    asm volatile("mov %%cr3, %0" : "=r"(cr3));
    asm volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
    return 0;
}

static int native_invlpg(unsigned long va)
{
    asm volatile("invlpg (%0)" : : "r"(va) : "memory");
    return 0;
}

/* User and kernel share one root natively (user pages carry PTE_USER). */
static int native_new_user_baseptr(unsigned long l4_pfn)
{
    return 0;
}
static int native_pin_table(unsigned int level, unsigned long pfn)
{
    return 0;
}
static int native_unpin_table(unsigned long pfn)
{
    return 0;
}
static int native_alloc_pt_page(unsigned int level, unsigned long pfn)
{
    return 0;
}
static int native_release_pt_page(unsigned long pfn)
{
    return 0;
}
static void native_lazy_enter(void)
{
}
static int native_lazy_leave(void)
{
    return 0;
}

const struct pv_mmu_ops native_mmu_ops = {
    .make_entry = native_make_entry,
    .entry_pfn = native_entry_pfn,
    .set_entry = native_set_entry,
    .new_baseptr = native_new_baseptr,
    .new_user_baseptr = native_new_user_baseptr,
    .flush_tlb = native_flush_tlb,
    .invlpg = native_invlpg,
    .pin_table = native_pin_table,
    .unpin_table = native_unpin_table,
    .alloc_pt_page = native_alloc_pt_page,
    .release_pt_page = native_release_pt_page,
    .lazy_enter = native_lazy_enter,
    .lazy_leave = native_lazy_leave,
};
