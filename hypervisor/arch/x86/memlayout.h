/* SPDX-License-Identifier: MIT */
/*
 * Xenolith's virtual memory map. Everything it touches after boot lives in
 * L4 slots 256-271 (Xen's reserved hole), which every guest L4 shares.
 */
#ifndef XENOLITH_MEMLAYOUT_H
#define XENOLITH_MEMLAYOUT_H

/*
 *  0xffff800000000000 +---------------------------+ slot 256
 *                     | read-only M2P (guest-     |  MACH2PHYS_VIRT_START,
 *                     | visible, _PAGE_USER)      |  8 bytes per machine frame
 *  0xffff804000000000 +---------------------------+
 *                     | read-write alias of the   |  supervisor only
 *                     | same M2P frames           |
 *  0xffff808000000000 +---------------------------+ slots 257-260: unused
 *  0xffff828000000000 +---------------------------+ slot 261
 *                     | ...                       |
 *  0xffff82d040000000 | Xenolith image: physical  |  XEN_VIRT_START maps
 *                     | 0 + offset (loaded at     |  physical address 0
 *                     | 1 MiB)                    |
 *  0xffff830000000000 +---------------------------+ slots 262-271
 *                     | direct map of all RAM     |  DIRECTMAP_START + maddr
 *  0xffff880000000000 +---------------------------+ guest kernel from here up
 */
#define XEN_VIRT_START  0xffff82d040000000
#define XEN_LOAD_PADDR  0x100000
#define RDWR_M2P_START  0xffff804000000000
#define DIRECTMAP_START 0xffff830000000000
/* The CPU's descriptor tables, after the image's gigabyte and the MMIO
 * pages: a GDT whose first 14 pages show the running guest's own GDT
 * frames and whose 15th holds Xenolith's descriptors, then a shadow LDT. */
#define GDT_VIRT_START  (XEN_VIRT_START + (1ULL << 30) + (1ULL << 21))
#define LDT_VIRT_START  (GDT_VIRT_START + (1ULL << 21))
#define LDT_VIRT_PAGES  16
#define DIRECTMAP_SIZE  (0xffff880000000000 - DIRECTMAP_START)

/* Guest L4 slots that always hold Xenolith's entries. */
#define HV_L4_FIRST_SLOT 256
#define HV_L4_LAST_SLOT  271

#define STACK_SIZE (16 * 1024)

#ifndef __ASSEMBLY__
#include <stdint.h>

static inline void *maddr_to_virt(uint64_t maddr)
{
    return (void *)(DIRECTMAP_START + maddr);
}

static inline void *mfn_to_virt(uint64_t mfn)
{
    return maddr_to_virt(mfn << 12);
}

/* Only for addresses inside the image, which the direct map also covers. */
static inline uint64_t image_virt_to_maddr(const void *p)
{
    return (uint64_t)p - XEN_VIRT_START;
}
#endif

#endif
