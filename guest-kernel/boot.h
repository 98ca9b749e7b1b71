/* SPDX-License-Identifier: MIT */
/* What each boot entry hands to the common kernel_main(). */
#ifndef GUEST_KERNEL_BOOT_H
#define GUEST_KERNEL_BOOT_H

#include <pvops/pvops.h>
#include <stdint.h>

struct boot_info {
    /* Pages below this pfn are mapped at pfn_to_virt(pfn). */
    unsigned long direct_map_pfns;
    /* PV only: the p2m (start_info->mfn_list); NULL natively. */
    const uint64_t *p2m;
    unsigned long nr_p2m;
    /* The root of the page tables in use (PVH: head_pvh.S's; PV: pt_base). */
    unsigned long l4_pfn;
    /* The kernel command line, "" if none. */
    const char *cmdline;
    /* pv_ops_check() result from the binding's install. */
    int pvops_rc;
};

/* The boot entries, called from head_pvh.S and head_xen.S. */
void native_start(uint32_t start_info_paddr);
void xen_start(const void *start_info, unsigned long entry_rsp);

__attribute__((noreturn)) void kernel_main(const struct boot_info *bi);

#endif
