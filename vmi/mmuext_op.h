/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_mmuext_op: pin and unpin tables, switch roots, flush TLBs. */
#ifndef VMI_MMUEXT_OP_H
#define VMI_MMUEXT_OP_H

#include <vmi/hypercall.h>
#include <stdint.h>
#include <xen/xen.h>

/* IN: op[0..count). OUT: *done (may be NULL), how many were performed. */
static inline long hypercall_mmuext_op(struct mmuext_op *op, unsigned int count, unsigned int *done,
                                       domid_t dom)
{
    return hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)op, count, (unsigned long)done, dom,
                      0);
}

#endif
