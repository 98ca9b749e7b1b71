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

/*
 * The checks that need traps and the timer, after pv_irq_init and
 * pv_time_timer_init returned init_rc: each prints "ok", or "skipped
 * (<hypercall> <errno>)" when init_rc < 0. Returns 0 or the first failure.
 */
int selfcheck_sched_run(int init_rc, char *why, size_t len);

#endif
