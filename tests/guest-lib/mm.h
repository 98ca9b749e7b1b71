/* SPDX-License-Identifier: MIT */
/*
 * Memory helpers for test guests: typed wrappers for the memory hypercalls,
 * page-table walks over the start-of-day tables, and the free scratch pages
 * of the start-of-day padding. Values in PV page tables are machine frames.
 */
#ifndef TESTS_COMMON_MM_H
#define TESTS_COMMON_MM_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <vmi/hypercall.h>

/* x86 page-table entry bits; Xen's public headers do not export them. */
#define PTE_P           0x001UL
#define PTE_RW          0x002UL
#define PTE_US          0x004UL
#define PTE_PWT         0x008UL
#define PTE_PCD         0x010UL
#define PTE_A           0x020UL
#define PTE_D           0x040UL
#define PTE_PSE         0x080UL
#define PTE_G           0x100UL
#define PTE_AVAIL       0xe00UL
#define PTE_NX          (1UL << 63)
#define PTE_MFN_MASK    0x000ffffffffff000UL
/* The guest kernel runs in ring 3: its mappings are user ones. */
#define PTE_RO_FLAGS    (PTE_P | PTE_US)
#define PTE_RW_FLAGS    (PTE_P | PTE_RW | PTE_US)
/* What a PV guest puts in a non-leaf entry. */
#define PTE_TABLE_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A)

#define PAGE_SHIFT_4K       12
#define mfn_pte(mfn, flags) (((uint64_t)(mfn) << PAGE_SHIFT_4K) | (flags))
#define pte_mfn(pte)        (((pte)&PTE_MFN_MASK) >> PAGE_SHIFT_4K)

/* Guest addresses that are never valid buffers: the hypervisor's reserved
 * range, non-canonical, and canonical but unmapped (the low half is empty
 * at start of day: the image lives in the top 2 GiB). */
#define BAD_VA_HOLE     0xffff830000000000UL
#define BAD_VA_NONCANON 0x0000800000000000UL
#define BAD_VA_UNMAPPED 0x0000000000001000UL

static inline long hc_mmu_update(const mmu_update_t *req, unsigned int count, unsigned int *done,
                                 domid_t dom)
{
    return hypercall5(__HYPERVISOR_mmu_update, (unsigned long)req, count, (unsigned long)done, dom,
                      0);
}

static inline long hc_mmuext_op(const struct mmuext_op *op, unsigned int count, unsigned int *done,
                                domid_t dom)
{
    return hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)op, count, (unsigned long)done, dom,
                      0);
}

static inline long hc_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long hc_memory_op(unsigned long cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, cmd, (unsigned long)arg);
}

static inline long hc_multicall(multicall_entry_t *calls, unsigned long nr)
{
    return hypercall2(__HYPERVISOR_multicall, (unsigned long)calls, nr);
}

static inline long hc_vm_assist(unsigned long cmd, unsigned long type)
{
    return hypercall2(__HYPERVISOR_vm_assist, cmd, type);
}

/* One MMUEXT op; *done gets the op's success count. */
long mmuext_one(unsigned int cmd, unsigned long arg1, unsigned long arg2, unsigned int *done);
/* One mmu_update request, DOMID_SELF; *done as above. */
long mmu_update_one(uint64_t ptr, uint64_t val, unsigned int *done);

/* The start-of-day p2m, and its frames for the image region. */
unsigned long pfn_to_mfn(unsigned long pfn);
unsigned long va_to_mfn(unsigned long va); /* va in the mapped region */
unsigned long mapped_pages(void);          /* pfns [0, n) are mapped at VIRT_BASE */
/* The virtual address of a frame of the mapped region, or 0 if the frame
 * is not one of ours there (searches the p2m: no M2P needed). */
unsigned long mfn_to_va(unsigned long mfn);

/* The entry mapping va at level (1..4): its machine address (for
 * mmu_update), or 0 when a level above is not present or a superpage. */
uint64_t pte_maddr(unsigned long va, int level);
/* The value of that entry (0 when unreachable). */
uint64_t pte_read(unsigned long va, int level);

/* Free, mapped, writable pages after the boot stack; at least 128 of them
 * (the builder pads at least 512 KiB). Index from 0. */
unsigned long scratch_count(void);
unsigned long scratch_va(unsigned long i);
/* A pfn in the p2m that is beyond the mapped region (unmapped RAM of
 * ours), the i-th such; 0 if there are fewer. */
unsigned long unmapped_pfn(unsigned long i);

/* The first RAM frame at or above 1 MiB that is not in our p2m: another
 * owner's (the hypervisor's, or free). */
unsigned long foreign_mfn(void);

/* Remap a page of the mapped region read-only / writable again; returns
 * update_va_mapping's answer. */
long set_page_ro(unsigned long va);
long set_page_rw(unsigned long va);

/* The current L4's machine frame (cr3), as the builder set it. */
unsigned long l4_mfn(void);

#endif
