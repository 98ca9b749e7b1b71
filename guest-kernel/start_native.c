// SPDX-License-Identifier: MIT
// Native boot, after head_pvh.S: bind pv_ops to the hardware and give the
// page allocator the RAM of the PVH memory map above the kernel image.
#include <guest-kernel/boot.h>
#include <guest-kernel/layout.h>
#include <guest-kernel/page_alloc.h>
#include <guest-kernel/vm.h>
#include <pvops/native/native.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

extern char boot_pml4[];

/* Only the low NATIVE_DIRECT_MAP bytes are mapped, at KERNEL_VIRT_BASE. */
static const void *phys_to_virt(uint64_t pa)
{
    return pa < NATIVE_DIRECT_MAP ? (const void *)(KERNEL_VIRT_BASE + pa) : 0;
}

static void reserve_bytes(uint64_t pa, uint64_t len)
{
    page_alloc_reserve((unsigned long)(pa >> PAGE_SHIFT), pfn_up(pa + len));
}

static void add_memmap(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *map;
    unsigned long kernel_end = pfn_up((uint64_t)_end - KERNEL_VIRT_BASE);

    if (si->magic != XEN_HVM_START_MAGIC_VALUE || si->version < 1)
        return;
    map = phys_to_virt(si->memmap_paddr);
    if (!map)
        return;
    for (uint32_t i = 0; i < si->memmap_entries; i++) {
        unsigned long first = pfn_up(map[i].addr);
        unsigned long end = (unsigned long)((map[i].addr + map[i].size) >> PAGE_SHIFT);

        if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
            continue;
        if (first < kernel_end)
            first = kernel_end;
        if (end > NATIVE_DIRECT_MAP >> PAGE_SHIFT)
            end = NATIVE_DIRECT_MAP >> PAGE_SHIFT;
        if (first < end)
            page_alloc_add_free(first, end);
    }
    /* The loader may have put its tables in RAM it reports as free. */
    reserve_bytes(si->memmap_paddr, si->memmap_entries * sizeof(*map));
}

void native_start(uint32_t start_info_paddr)
{
    const struct hvm_start_info *si = phys_to_virt(start_info_paddr);
    struct boot_info bi = {
        .direct_map_pfns = NATIVE_DIRECT_MAP >> PAGE_SHIFT,
        .l4_pfn = virt_to_pfn(boot_pml4),
        .cmdline = "",
    };

    /* The IDT first: installing the binding may fault. */
    native_traps_install(vm_page_fault);
    bi.pvops_rc = native_pvops_install(pfn_to_virt(0), bi.direct_map_pfns,
                                       (volatile void *)NATIVE_LAPIC_VIRT);
    if (si) {
        add_memmap(si);
        reserve_bytes(start_info_paddr, sizeof(*si));
        if (si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr &&
            phys_to_virt(si->cmdline_paddr)) {
            bi.cmdline = phys_to_virt(si->cmdline_paddr);
            reserve_bytes(si->cmdline_paddr, strlen(bi.cmdline) + 1);
        }
    }
    kernel_main(&bi);
}
