// SPDX-License-Identifier: MIT
/* vm_assist: switch the optional behaviours Xen offers a 64-bit PV guest on
 * and off. Xenolith records each one; docs/abi.md says which it acts on. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "hypercall/hypercall.h"

/* The types Xen accepts from a 64-bit PV guest. */
#define VM_ASSIST_VALID                                                                    \
    ((1UL << VMASST_TYPE_4gb_segments) | (1UL << VMASST_TYPE_4gb_segments_notify) |        \
     (1UL << VMASST_TYPE_writable_pagetables) | (1UL << VMASST_TYPE_pae_extended_cr3) |    \
     (1UL << VMASST_TYPE_architectural_iopl) | (1UL << VMASST_TYPE_runstate_update_flag) | \
     (1UL << VMASST_TYPE_m2p_strict))

long do_vm_assist(unsigned int cmd, unsigned int type)
{
    struct domain *d = current_domain();

    if (type >= 64 || !(VM_ASSIST_VALID & (1UL << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        d->vm_assist |= 1UL << type;
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1UL << type);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
