/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_update_va_mapping: set the L1 entry that maps va in the
 * current tables, without knowing where that L1 is; flags are UVMF_*.
 */
#ifndef VMI_UPDATE_VA_MAPPING_H
#define VMI_UPDATE_VA_MAPPING_H

#include <vmi/hypercall.h>
#include <stdint.h>
#include <xen/xen.h>

/* IN: val, the new L1 entry (machine frame). */
static inline long hypercall_update_va_mapping(unsigned long va, uint64_t val, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, val, flags);
}

#endif
