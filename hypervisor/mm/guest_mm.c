// SPDX-License-Identifier: MIT
/* Guest page-table walks and the checks the memory hypercalls share. Walks
 * go through the direct map, following exactly the entries the CPU would;
 * every table reached was validated, so every frame on the way is
 * tracked. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "mm/guest_mm.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"

int guest_walk_l1(const struct vcpu *v, uint64_t va, uint64_t *l1_mfn, unsigned int *slot)
{
    uint64_t mfn = v->guest_table;
    const struct page_info *pg;

    if (!guest_addr_ok(va) || !mfn)
        return -XEN_EINVAL;
    for (unsigned int level = 4; level > 1; level--) {
        uint64_t e = map_table(mfn)[pt_index(va, level)];

        if (!(e & PTE_P) || (e & PTE_PSE) || !mfn_to_page(pte_mfn(e)))
            return -XEN_EINVAL;
        mfn = pte_mfn(e);
    }
    pg = mfn_to_page(mfn);
    if (pg->owner != v->domain->domain_id || pg->type != PGT_L1 || !pg->type_count)
        return -XEN_EINVAL;
    *l1_mfn = mfn;
    *slot = pt_index(va, 1);
    return 0;
}

int guest_read_vcpumask(uint64_t ptr)
{
    uint64_t mask;

    return copy_from_guest(&mask, ptr, sizeof(mask)) ? -XEN_EFAULT : 0;
}

enum pg_owner guest_pg_owner(const struct domain *d, uint16_t id)
{
    if (id == DOMID_SELF)
        return PG_SELF;
    if (id == d->domain_id)
        return PG_NONE; /* naming oneself is an error in Xen */
    if (id == DOMID_IO || id == DOMID_XEN || domain_by_id(id))
        return PG_FOREIGN;
    return PG_NONE;
}
