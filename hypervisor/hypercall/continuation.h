/* SPDX-License-Identifier: MIT */
/*
 * Hypercall preemption, as Xen does it: a long hypercall checks
 * hypercall_preempt_check() between units of work and, when it is true,
 * returns hypercall_create_continuation() with its progress encoded in its
 * own arguments (Xen's encodings, so guests see Xen's registers). The
 * dispatcher then rewinds the guest's rip onto its SYSCALL, which
 * re-issues the call with those arguments once the guest runs again;
 * inside a multicall the entry's arguments are rewritten instead. So no
 * hypervisor stack outlives a hypercall, and interrupts (the timer, hence
 * every other domain) wait at most one unit of work.
 */
#ifndef XENOLITH_CONTINUATION_H
#define XENOLITH_CONTINUATION_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/tsc.h"

/* Xen's internal ERESTART, "stop here: a continuation follows", and EINTR,
 * "preempted before any progress", which the public header defines only
 * for Xen itself (__XEN__); taken from it through the header's own
 * XEN_ERRNO() hook. Never seen by a guest. */
enum internal_errno {
#define __XEN__
#define XEN_ERRNO(name, value) INTERNAL_##name = value,
#include <xen/errno.h>
#undef __XEN__
};
#define XEN_ERESTART INTERNAL_ERESTART
#define XEN_EINTR    INTERNAL_EINTR

/* The TSC value from which something other than the running hypercall
 * wants the CPU: 0 while a scheduling decision is pending, else when the
 * earliest deadline the scheduler armed passes (its interrupt then waits
 * only because Xenolith runs with interrupts off). The scheduler is its
 * only writer. */
extern uint64_t hypercall_preempt_tsc;

/* True when the running hypercall should stop at its next unit boundary:
 * a timer deadline has passed (a slice end or any vCPU's timer) or a
 * scheduling decision is pending. Callers check it only after doing at
 * least one unit, so every call makes progress. Inline, one TSC compare:
 * batch loops run it once per entry. */
static inline bool hypercall_preempt_check(void)
{
    return tsc_read() >= hypercall_preempt_tsc;
}

/* Arrange for hypercall `op` to be issued again with these arguments and
 * return what the handler returns (op, as Xen's returns). Only the last
 * call before the handler returns counts. */
long hypercall_create_continuation(unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3,
                                   uint64_t a4, uint64_t a5);

/* --- For the dispatchers (hypercall.c, multicall.c) ------------------------ */
struct continuation {
    unsigned int op;
    uint64_t args[5];
};

/* The record hypercall_create_continuation() fills (continuation.c);
 * inline accessors, as they run on every hypercall. */
extern struct continuation continuation_pending;
extern bool continuation_is_pending;

/* Forget any continuation: called before each handler runs. */
static inline void continuation_reset(void)
{
    continuation_is_pending = false;
}

/* The continuation the handler created, if any; it is consumed. */
static inline bool continuation_take(struct continuation *c)
{
    if (!continuation_is_pending)
        return false;
    *c = continuation_pending;
    continuation_is_pending = false;
    return true;
}

#endif
