/* SPDX-License-Identifier: MIT */
/* Boot-time self-check: proves libc and memory work on this platform. */
#ifndef GUEST_KERNEL_SELFCHECK_H
#define GUEST_KERNEL_SELFCHECK_H

#include <stddef.h>
#include <guest-kernel/boot.h>

/*
 * Runs every check, printing "self-check: <name> ok ..." for each. Returns
 * 0, or a negative Xen errno with the first failure described in why.
 */
int selfcheck_run(const struct boot_info *bi, char *why, size_t len);

#endif
