/* SPDX-License-Identifier: MIT */
/* The domain builder: one PV domain from one boot module (PV64-ABI.md). */
#ifndef XENOLITH_DOMAIN_BUILD_H
#define XENOLITH_DOMAIN_BUILD_H

#include "arch/x86/boot_info.h"

/* Builds and queues a domain. On any problem with the module, logs
 * "module <index>: rejected: <why>" and returns a negative Xen errno;
 * nothing of the attempt is left behind. */
int domain_build(const struct boot_module *m, unsigned int index);

#endif
