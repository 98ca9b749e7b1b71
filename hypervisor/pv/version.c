// SPDX-License-Identifier: MIT
/* xen_version: who we are. Xenolith reports the Xen interface version of
 * the headers it implements and names itself in the extraversion. */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "pv/feature_set.h"
#include "hypercall/hypercall.h"
#include "arch/x86/uaccess.h"
#include "common/array_size.h"

#define XEN_ABI_MAJOR (__XEN_LATEST_INTERFACE_VERSION__ >> 16)
#define XEN_ABI_MINOR ((__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff)

static long copy_string_out(uint64_t arg, const char *s, size_t size)
{
    char buf[XEN_CAPABILITIES_INFO_LEN];

    memset(buf, 0, size);
    snprintf(buf, size, "%s", s);
    return copy_to_guest(arg, buf, size);
}

static long version_extraversion(uint64_t arg)
{
    return copy_string_out(arg, "-xenolith-" XENOLITH_VERSION, sizeof(xen_extraversion_t));
}

static long version_compile_info(uint64_t arg)
{
    xen_compile_info_t info;

    memset(&info, 0, sizeof(info));
    snprintf(info.compiler, sizeof(info.compiler), "gcc %s", __VERSION__);
    snprintf(info.compile_by, sizeof(info.compile_by), "xenolith");
    snprintf(info.compile_date, sizeof(info.compile_date), "%s", __DATE__);
    return copy_to_guest(arg, &info, sizeof(info));
}

static long version_capabilities(uint64_t arg)
{
    return copy_string_out(arg, "xen-3.0-x86_64", sizeof(xen_capabilities_info_t));
}

static long version_changeset(uint64_t arg)
{
    return copy_string_out(arg, "xenolith " XENOLITH_VERSION, sizeof(xen_changeset_info_t));
}

static long version_platform_parameters(uint64_t arg)
{
    xen_platform_parameters_t p = { .virt_start = HYPERVISOR_VIRT_START };

    return copy_to_guest(arg, &p, sizeof(p));
}

static long version_get_features(uint64_t arg)
{
    xen_feature_info_t fi;

    if (copy_from_guest(&fi, arg, sizeof(fi)))
        return -XEN_EFAULT;
    if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
        return -XEN_EINVAL;
    fi.submap = features_for_domain(current_domain(), fi.submap_idx);
    return copy_to_guest(arg, &fi, sizeof(fi));
}

static long version_guest_handle(uint64_t arg)
{
    xen_domain_handle_t handle;

    memset(handle, 0, sizeof(handle));
    return copy_to_guest(arg, handle, sizeof(handle));
}

static long version_version(uint64_t arg)
{
    return (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
}

static long version_pagesize(uint64_t arg)
{
    return arg ? -XEN_EINVAL : 4096; /* takes no buffer, as in Xen */
}

/* The sub-ops every guest may call (Xen's XSM default policy), each with
 * the guest buffer it writes; any other sub-op needs privilege before it
 * can even be found missing. */
static long (*const version_subops[])(uint64_t arg) = {
    [XENVER_version] = version_version,
    [XENVER_extraversion] = version_extraversion,
    [XENVER_compile_info] = version_compile_info,
    [XENVER_capabilities] = version_capabilities,
    [XENVER_changeset] = version_changeset,
    [XENVER_platform_parameters] = version_platform_parameters,
    [XENVER_get_features] = version_get_features,
    [XENVER_pagesize] = version_pagesize,
    [XENVER_guest_handle] = version_guest_handle,
};

long do_xen_version(int op, uint64_t arg)
{
    if (op >= 0 && (unsigned int)op < ARRAY_SIZE(version_subops) && version_subops[op])
        return version_subops[op](arg);
    return current_domain()->is_privileged ? -XEN_ENOSYS : -XEN_EPERM;
}
