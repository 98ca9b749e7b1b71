/* SPDX-License-Identifier: MIT */
/*
 * Where the hypervisor enters the guest kernel: HYPERVISOR_callback_op (one
 * callback per call, with flags) and the older HYPERVISOR_set_callbacks
 * (event, failsafe and syscall at once), for hypervisors lacking the first.
 */
#ifndef VMI_CALLBACK_OP_H
#define VMI_CALLBACK_OP_H

#include <vmi/hypercall.h>
#include <xen/callback.h>

/* type: CALLBACKTYPE_*, flags: CALLBACKF_*. */
static inline long callback_register(uint16_t type, uint16_t flags, void (*entry)(void))
{
    struct callback_register cb = {
        .type = type,
        .flags = flags,
        .address = (unsigned long)entry,
    };

    return hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, (unsigned long)&cb);
}

static inline long hypercall_set_callbacks(void (*event)(void), void (*failsafe)(void),
                                           void (*syscall)(void))
{
    return hypercall3(__HYPERVISOR_set_callbacks, (unsigned long)event, (unsigned long)failsafe,
                      (unsigned long)syscall);
}

#endif
