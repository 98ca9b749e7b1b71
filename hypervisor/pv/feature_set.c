// SPDX-License-Identifier: MIT
/* The XENFEAT bits Xenolith implements: what a kernel's required features
 * are checked against, and what XENVER_get_features reports, following
 * Xen's rules for a PV guest (docs/abi.md lists the bits Xen adds that
 * Xenolith does not implement yet). */
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "pv/feature_set.h"

/* Offered to a kernel's FEATURES note: writable_page_tables (ptwr.c),
 * mmu_pt_update_preserve_ad (mmu_update.c), pae_pgdir_above_4gb (a 64-bit
 * guest's tables may sit anywhere), and dom0 (kernels that declare it
 * load; only the privileged domain is told it is one). */
const uint32_t xenolith_features[XENFEAT_NR_SUBMAPS] = {
    [0] = (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_mmu_pt_update_preserve_ad) |
          (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0) |
          (1u << XENFEAT_gnttab_map_avail_bits),
};

uint32_t features_for_domain(const struct domain *d, unsigned int submap_idx)
{
    /* Xen gives every PV domain the grant-map PTE avail bits. */
    uint32_t map = (1u << XENFEAT_mmu_pt_update_preserve_ad) |
                   (1u << XENFEAT_gnttab_map_avail_bits);

    if (submap_idx != 0)
        return 0;
    /* As Xen: reported only while the guest has the assist enabled. */
    if (d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3))
        map |= 1u << XENFEAT_pae_pgdir_above_4gb;
    if (d->is_privileged)
        map |= 1u << XENFEAT_dom0;
    return map;
}
