/* SPDX-License-Identifier: MIT */
/*
 * Kernel virtual memory: maps frames at kernel virtual addresses by walking
 * the page tables through the pv_mmu slots only, so one layer serves the
 * native and the PV bindings; and a vmalloc area on top of it.
 *
 *   0xffff800000000000 .. 0xffff87ffffffffff  the hypervisor's (Xen, Xenolith):
 *                                             never mapped, on any platform
 *   0xffff880000000000 ..                     kernel half: vm_map's domain
 *   0xffffc90000000000 .. + VMALLOC_SIZE      vmalloc area (L4 slot 402; its
 *                                             L3 exists from vm_init on)
 *   0xffffffff80000000                        direct map and image (layout.h)
 */
#ifndef GUEST_KERNEL_VM_H
#define GUEST_KERNEL_VM_H

#include <guest-kernel/boot.h>
#include <pvops/pte.h>
#include <stdint.h>

#define KERNEL_HALF_START 0xffff880000000000UL
#define VMALLOC_START     0xffffc90000000000UL
#define VMALLOC_SIZE      (1UL << 30)

/* vm_map flags; mappings are always readable. */
#define VM_WRITE PTE_RW

/* Takes over the boot page tables and creates the vmalloc area's L3. */
int vm_init(const struct boot_info *bi);

/* The kernel's root table (the boot one), and the direct map's extent:
 * page tables must lie below it, since walks read them through it. */
unsigned long vm_kernel_root(void);
unsigned long vm_direct_map_pfns(void);

/*
 * Maps pfn, pfn+1, ... at va, page-aligned, in the kernel half. Returns 0,
 * -XEN_EEXIST if a page is already mapped (nothing is left mapped then),
 * -XEN_EBUSY over a large page, -XEN_EINVAL, or -XEN_ENOMEM for tables.
 */
int vm_map(unsigned long va, unsigned long pfn, unsigned long npages, uint64_t flags);
/* Unmaps and flushes; pages not mapped are skipped. Page tables left empty
 * are freed, except those the root points at (kernel L4 slots are shared
 * by every future address space). The frames themselves stay allocated. */
int vm_unmap(unsigned long va, unsigned long npages);
/* OUT: *pfn mapped at va. Returns 0, -XEN_ENOENT, or -XEN_EINVAL inside
 * the hypervisor's range. Sees the tables as of the last lazy_leave. */
int vm_translate(unsigned long va, unsigned long *pfn);

/* npages fresh frames from the page allocator, mapped writable and
 * contiguously in the vmalloc area, followed by an unmapped guard page. */
void *vmalloc(unsigned long npages);
/* Unmaps and frees every frame of the area vmalloc returned at p. */
int vfree(void *p);

/*
 * The common page-fault report: prints "Lithos: page fault at <addr> (rip
 * <rip>, error <code>)" and crashes. kernel_trap() calls it for a kernel-
 * mode #PF on both bindings (PV: cr2 from vcpu_info.arch.cr2); before
 * irq.init, natively the early IDT does, under PV the hypervisor crashes
 * the domain.
 */
__attribute__((noreturn)) void vm_page_fault(unsigned long addr, unsigned long rip,
                                             unsigned long error);

#endif
