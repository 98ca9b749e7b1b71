// SPDX-License-Identifier: MIT
/* Only what is really implemented is offered. writable_page_tables,
 * mmu_pt_update_preserve_ad and friends arrive with memory virtualization. */
#include <stdbool.h>
#include "domain.h"
#include "feature_set.h"

/* pae_pgdir_above_4gb holds trivially: a 64-bit guest's tables may sit at
 * any machine address. dom0 is accepted so kernels that declare it load;
 * it is reported only to the privileged domain. */
const uint32_t xenolith_features[XENFEAT_NR_SUBMAPS] = {
    [0] = (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0),
};

uint32_t features_for_domain(const struct domain *d, unsigned int submap_idx)
{
    uint32_t map;

    if (submap_idx != 0)
        return 0;
    map = xenolith_features[0] & ~(1u << XENFEAT_dom0);
    if (d->is_privileged)
        map |= 1u << XENFEAT_dom0;
    return map;
}
