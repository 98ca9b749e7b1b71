/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_mmu_update: checked writes of page-table entries, in arrays. */
#ifndef VMI_MMU_UPDATE_H
#define VMI_MMU_UPDATE_H

#include <vmi/hypercall.h>
#include <stdint.h>
#include <xen/xen.h>

/*
 * IN: req[0..count), each ptr = machine address of the entry | MMU_*,
 * val = the new entry (machine frames). OUT: *done (may be NULL), how many
 * were applied. dom: DOMID_SELF, or the foreign domain the vals refer to.
 */
static inline long hypercall_mmu_update(mmu_update_t *req, unsigned int count, unsigned int *done,
                                        domid_t dom)
{
    return hypercall5(__HYPERVISOR_mmu_update, (unsigned long)req, count, (unsigned long)done, dom,
                      0);
}

#endif
