// SPDX-License-Identifier: MIT
/* Names of the Xen errnos Xenolith returns (xen/errno.h), for log lines. */
#include <stdint.h>
#include <xen/errno.h>
#include "lib/errno_name.h"
#include "common/array_size.h"

static const char *const names[] = {
    [XEN_EPERM] = "-EPERM",   [XEN_ENOENT] = "-ENOENT", [XEN_ESRCH] = "-ESRCH",
    [XEN_EIO] = "-EIO",       [XEN_E2BIG] = "-E2BIG",   [XEN_ENOEXEC] = "-ENOEXEC",
    [XEN_ENOMEM] = "-ENOMEM", [XEN_EACCES] = "-EACCES", [XEN_EFAULT] = "-EFAULT",
    [XEN_EBUSY] = "-EBUSY",   [XEN_EEXIST] = "-EEXIST", [XEN_ENOSPC] = "-ENOSPC",
    [XEN_EINVAL] = "-EINVAL", [XEN_ENOSYS] = "-ENOSYS", [XEN_EOPNOTSUPP] = "-EOPNOTSUPP",
};

const char *xen_errno_name(long rc)
{
    unsigned long e = (unsigned long)-rc;

    if (rc < 0 && e < ARRAY_SIZE(names) && names[e])
        return names[e];
    return "error";
}
