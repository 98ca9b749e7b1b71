/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_xen_version: which hypervisor, which version, which features. */
#ifndef VMI_XEN_VERSION_H
#define VMI_XEN_VERSION_H

#include <vmi/hypercall.h>
#include <stdint.h>
#include <xen/version.h>

static inline long hypercall_xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, (unsigned long)cmd, (unsigned long)arg);
}

/* Returns (major << 16) | minor; never fails. */
static inline long xen_version_number(void)
{
    return hypercall_xen_version(XENVER_version, 0);
}

/* OUT: extra, NUL-terminated within XEN_EXTRAVERSION_LEN, e.g. "-xenolith-0.1.0". */
static inline long xen_version_extra(xen_extraversion_t extra)
{
    return hypercall_xen_version(XENVER_extraversion, extra);
}

#endif
