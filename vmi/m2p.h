/* SPDX-License-Identifier: MIT */
/*
 * The read-only machine-to-phys table the hypervisor maps into every PV64
 * guest at MACH2PHYS_VIRT_START (xen-x86_64.h), 8 bytes per machine frame.
 */
#ifndef VMI_M2P_H
#define VMI_M2P_H

#include <stdint.h>
#include <xen/xen.h>

/*
 * The pfn the hypervisor records for mfn. Only safe for frames the guest
 * owns (the table may have unmapped holes); callers confirm the answer
 * against their p2m, since a frame of another domain gives a stale pfn.
 */
static inline unsigned long m2p_lookup(xen_pfn_t mfn)
{
    const volatile unsigned long *m2p = (const volatile unsigned long *)MACH2PHYS_VIRT_START;

    return m2p[mfn];
}

#endif
