/* SPDX-License-Identifier: MIT */
/* A domain's end as the scheduler sees it: it stops running, and the next
 * decision takes it off the run queue and destroys it. */
#ifndef XENOLITH_SCHED_SHUTDOWN_H
#define XENOLITH_SCHED_SHUTDOWN_H

#include <stdint.h>

struct domain;

/* The domain ends with `reason` (any value Xen accepts: the low 8 bits of
 * the guest's request); it never runs again. Returns 0. */
int domain_shutdown(struct domain *d, uint8_t reason);

/* A guest broke the rules: log why, end it with SHUTDOWN_crash. The first
 * reason is kept; later calls only log. */
__attribute__((format(printf, 2, 3))) void domain_crash(struct domain *d, const char *fmt, ...);

#endif
