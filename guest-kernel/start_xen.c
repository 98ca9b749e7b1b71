// SPDX-License-Identifier: MIT
// Xen PV boot, after head_xen.S: bind pv_ops to hypercalls and give the
// page allocator every pseudo-physical page after the start-of-day region
// (kernel, p2m, start_info, page tables, boot stack; xen.h "startofday").
#include <guest-kernel/boot.h>
#include <guest-kernel/layout.h>
#include <guest-kernel/page_alloc.h>
#include <pvops/xen/xenpv.h>
#include <stdint.h>
#include <xen/xen.h>

/* xen.h guarantees 512 KiB of mapped padding, up to a 4 MiB boundary. */
#define START_OF_DAY_PADDING (512UL << 10)
#define START_OF_DAY_ALIGN   (4UL << 20)

void xen_start(const void *start_info, unsigned long entry_rsp)
{
    const start_info_t *si = start_info;
    unsigned long pt_end = si->pt_base + si->nr_pt_frames * PAGE_SIZE;
    unsigned long stack_end = (entry_rsp + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1UL);
    unsigned long used_end = stack_end > pt_end ? stack_end : pt_end;
    unsigned long mapped_end = (used_end + START_OF_DAY_PADDING + START_OF_DAY_ALIGN - 1) &
                               ~(START_OF_DAY_ALIGN - 1);
    struct boot_info bi = {
        .direct_map_pfns = virt_to_pfn((void *)mapped_end),
        .p2m = (const uint64_t *)si->mfn_list,
        .nr_p2m = si->nr_pages,
        .l4_pfn = virt_to_pfn((void *)si->pt_base),
        .cmdline = (const char *)si->cmd_line,
    };

    /* The trap table comes with irq.init in kernel_main: until then an
     * exception makes the hypervisor crash the domain. */
    bi.pvops_rc = xenpv_pvops_install(si, pfn_to_virt(0), bi.direct_map_pfns);
    page_alloc_add_free(virt_to_pfn((void *)used_end), si->nr_pages);
    kernel_main(&bi);
}
