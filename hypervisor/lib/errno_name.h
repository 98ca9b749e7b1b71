/* SPDX-License-Identifier: MIT */
/* Names of the Xen errnos Xenolith returns, for log lines. */
#ifndef XENOLITH_ERRNO_NAME_H
#define XENOLITH_ERRNO_NAME_H

/* "-EINVAL" for -XEN_EINVAL, "error" for a value without a name. */
const char *xen_errno_name(long rc);

#endif
