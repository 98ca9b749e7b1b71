/* SPDX-License-Identifier: MIT */
/*
 * Where Lithos lives, for C, assembly and the linker script.
 *
 *   0xffffffff80000000  KERNEL_VIRT_BASE = physical (native) or
 *                       pseudo-physical (PV) address 0; the kernel's
 *                       direct map of low memory starts here
 *   0xffffffff80100000  kernel image (.text .rodata .data .bss), LMA 1 MiB
 *   after _end          PV: Xen's start-of-day elements, then free pages
 *                       native: free RAM from the PVH memory map
 *
 *   0xfffffffffee00000  native only: the LAPIC page (NATIVE_LAPIC_VIRT)
 *
 * Natively the boot page tables map the first NATIVE_DIRECT_MAP bytes both
 * at 0 (identity, for the 32-bit entry) and at KERNEL_VIRT_BASE. Under PV
 * the hypervisor maps the start-of-day region at KERNEL_VIRT_BASE instead.
 */
#ifndef GUEST_KERNEL_LAYOUT_H
#define GUEST_KERNEL_LAYOUT_H

#define KERNEL_VIRT_BASE  0xffffffff80000000
#define KERNEL_LOAD_PHYS  0x100000
#define NATIVE_DIRECT_MAP 0x40000000
#define NATIVE_LAPIC_VIRT 0xfffffffffee00000
#define PAGE_SHIFT        12
#define PAGE_SIZE         4096
#define BOOT_STACK_SIZE   16384

#ifndef __ASSEMBLY__
#include <stdint.h>

extern char _start_image[], _end[];

static inline void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(KERNEL_VIRT_BASE + (pfn << PAGE_SHIFT));
}

static inline unsigned long virt_to_pfn(const void *va)
{
    return ((unsigned long)va - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
}

static inline unsigned long pfn_up(uint64_t addr)
{
    return (unsigned long)((addr + PAGE_SIZE - 1) >> PAGE_SHIFT);
}
#endif

#endif
