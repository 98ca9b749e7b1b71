// SPDX-License-Identifier: MIT
/* Builds Xenolith's page tables: a direct map of RAM with 2 MiB pages, the
 * image with 4 KiB pages and W^X, and the M2P table mapped twice (read-only
 * and user-visible for guests, read-write for Xenolith). */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include "console/log.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/machine_memory.h"
#include "arch/x86/paging.h"
#include "arch/x86/panic.h"
#include "arch/x86/pte.h"
#include "arch/x86/x86.h"

#define BOOT_MAP_LIMIT (1ULL << 30)

static uint64_t *idle_l4;
static uint64_t idle_l4_maddr;
static uint64_t *m2p_rw = (uint64_t *)RDWR_M2P_START;
static uint64_t m2p_entries;
static int direct_map_ready;

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

/* A new table page. Until the direct map is live, tables are reached
 * through the boot mapping of the first GiB. */
static uint64_t *table_virt(uint64_t mfn)
{
    if (direct_map_ready)
        return mfn_to_virt(mfn);
    if ((mfn << FRAME_SHIFT) >= BOOT_MAP_LIMIT)
        panic("paging: page-table frame %#llx above the boot mapping", (unsigned long long)mfn);
    return (uint64_t *)(XEN_VIRT_START + (mfn << FRAME_SHIFT));
}

static uint64_t new_table(void)
{
    uint64_t mfn = frame_alloc(&machine_frames);

    if (mfn == FRAME_NONE)
        panic("paging: out of frames for page tables");
    memset(table_virt(mfn), 0, FRAME_SIZE);
    return mfn;
}

/* The entry for va at `level` (1..3), creating intermediate tables. The
 * intermediate entries are permissive; the leaf decides the access. */
static uint64_t *walk_create(uint64_t va, unsigned int level, uint64_t upper_flags)
{
    uint64_t *table = idle_l4;

    for (unsigned int l = 4; l > level; l--) {
        uint64_t *e = &table[pt_index(va, l)];
        if (!(*e & PTE_P))
            *e = pte_make(new_table(), PTE_P | PTE_RW | upper_flags);
        table = table_virt(pte_mfn(*e));
    }
    return &table[pt_index(va, level)];
}

static void map_page(uint64_t va, uint64_t mfn, uint64_t flags)
{
    *walk_create(va, 1, flags & PTE_US) = pte_make(mfn, flags | PTE_P | PTE_A);
}

static void build_direct_map(void)
{
    uint64_t end = max_mfn << FRAME_SHIFT;

    if (end > DIRECTMAP_SIZE)
        panic("paging: RAM beyond the direct map");
    for (uint64_t pa = 0; pa < end; pa += 1ULL << L2_SHIFT)
        *walk_create(DIRECTMAP_START + pa, 2, 0) = pa | PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PSE |
                                                   PTE_NX;
}

static void map_image(void)
{
    for (char *p = __image_start; p < __image_end; p += PAGE_SIZE) {
        uint64_t flags = PTE_NX | PTE_RW;

        if (p < __text_end)
            flags = 0; /* text: read and execute */
        else if (p < __rodata_end)
            flags = PTE_NX; /* read only */
        map_page((uint64_t)p, image_virt_to_maddr(p) >> FRAME_SHIFT, flags | PTE_D);
    }
}

/* The M2P is made of 2 MiB machine-contiguous extents, so that
 * XENMEM_machphys_mfn_list can truthfully hand out each extent's first
 * frame; every page is mapped at both addresses. The entries are set to
 * invalid once the direct map is live. */
#define M2P_EXTENT_PAGES 512
#define M2P_MAX_EXTENTS  64 /* 64 GiB of RAM, MAX_FRAMES */

static uint64_t m2p_extent_mfn[M2P_MAX_EXTENTS];
static unsigned int m2p_nr_extents;

static void map_m2p(void)
{
    uint64_t bytes = max_mfn * sizeof(uint64_t);

    m2p_nr_extents = (bytes + M2P_EXTENT_PAGES * PAGE_SIZE - 1) / (M2P_EXTENT_PAGES * PAGE_SIZE);
    if (m2p_nr_extents > M2P_MAX_EXTENTS)
        panic("paging: M2P larger than %u extents", M2P_MAX_EXTENTS);
    m2p_entries = (uint64_t)m2p_nr_extents * M2P_EXTENT_PAGES * (PAGE_SIZE / sizeof(uint64_t));
    for (unsigned int x = 0; x < m2p_nr_extents; x++) {
        uint64_t first = frame_alloc_contig(&machine_frames, M2P_EXTENT_PAGES, M2P_EXTENT_PAGES);

        if (first == FRAME_NONE)
            panic("paging: no 2 MiB extent for the M2P");
        m2p_extent_mfn[x] = first;
        for (uint64_t i = 0; i < M2P_EXTENT_PAGES; i++) {
            uint64_t off = ((uint64_t)x * M2P_EXTENT_PAGES + i) * PAGE_SIZE;
            map_page(MACH2PHYS_VIRT_START + off, first + i, PTE_US | PTE_NX);
            map_page(RDWR_M2P_START + off, first + i, PTE_RW | PTE_NX | PTE_D);
        }
    }
}

unsigned int paging_m2p_extents(uint64_t *mfns, unsigned int max)
{
    unsigned int n = m2p_nr_extents < max ? m2p_nr_extents : max;

    for (unsigned int x = 0; x < n; x++)
        mfns[x] = m2p_extent_mfn[x];
    return n;
}

void paging_init(void)
{
    uint64_t l4_mfn = new_table();

    idle_l4 = table_virt(l4_mfn);
    idle_l4_maddr = l4_mfn << FRAME_SHIFT;

    /* Every shared slot gets its L3 now, so guest L4s copied later never
     * miss a mapping Xenolith adds. Slot 256 carries _PAGE_USER because it
     * holds the guest-visible M2P; its leaves decide the rest. */
    for (unsigned int s = HV_L4_FIRST_SLOT; s <= HV_L4_LAST_SLOT; s++)
        idle_l4[s] = pte_make(new_table(), PTE_P | PTE_RW | (s == HV_L4_FIRST_SLOT ? PTE_US : 0));

    build_direct_map();
    map_image();
    map_m2p();

    __asm__ volatile("mov %0, %%cr3" ::"r"(idle_l4_maddr) : "memory");
    direct_map_ready = 1;
    idle_l4 = mfn_to_virt(l4_mfn);
    for (uint64_t i = 0; i < m2p_entries; i++)
        m2p_rw[i] = M2P_INVALID;
    log_info("paging: direct map of %llu MiB, M2P of %llu entries\n",
             (unsigned long long)(max_mfn >> (20 - FRAME_SHIFT)), (unsigned long long)m2p_entries);
}

void paging_install_hv_slots(uint64_t *l4)
{
    for (unsigned int s = HV_L4_FIRST_SLOT; s <= HV_L4_LAST_SLOT; s++)
        l4[s] = idle_l4[s];
}

uint64_t *paging_l1e(uint64_t va)
{
    return walk_create(va, 1, 0);
}

/* Device pages follow the image's gigabyte, one after the other. */
#define MMIO_VIRT_START (XEN_VIRT_START + (1ULL << 30))
#define MMIO_MAX_PAGES  64

volatile uint32_t *paging_map_mmio(uint64_t paddr)
{
    static unsigned int used;
    uint64_t va = MMIO_VIRT_START + (uint64_t)used * PAGE_SIZE;

    if (used == MMIO_MAX_PAGES)
        panic("paging: out of MMIO mapping slots");
    used++;
    map_page(va, paddr >> PAGE_SHIFT, PTE_RW | PTE_PCD | PTE_PWT | PTE_NX | PTE_D);
    invlpg(va);
    return (volatile uint32_t *)(va + (paddr & (PAGE_SIZE - 1)));
}

const uint64_t *paging_hv_l4(void)
{
    return idle_l4;
}

uint64_t paging_idle_cr3(void)
{
    return idle_l4_maddr;
}

void m2p_set(uint64_t mfn, uint64_t pfn)
{
    if (mfn < m2p_entries)
        m2p_rw[mfn] = pfn;
}
