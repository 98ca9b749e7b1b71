/* SPDX-License-Identifier: MIT */
/*
 * Preemptive round robin over the domains' vCPUs with a fixed time slice.
 * A switch happens only on the way back to a guest, so no hypervisor stack
 * is kept per vCPU; with nothing runnable the CPU halts until the timer.
 */
#ifndef XENOLITH_SCHED_H
#define XENOLITH_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include "drivers/tsc.h"
#include "hypercall/continuation.h"

struct vcpu;

#define SCHED_SLICE_NS (10ULL * 1000 * 1000)

/* A decision is due before the next return to a guest. Written here and
 * by the decision; read on every return (pv/return_to_guest.c). */
extern bool sched_resched_pending;

/* Ask for a scheduling decision before the next return to a guest. A
 * hypercall in a long loop stops at its next preemption check. */
static inline void sched_request(void)
{
    sched_resched_pending = true;
    hypercall_preempt_tsc = 0;
}

static inline bool sched_decision_pending(void)
{
    return sched_resched_pending;
}

void sched_add_vcpu(struct vcpu *v);
/* Runs the first vCPU; never returns. */
__attribute__((noreturn)) void sched_start(void);

/* The vCPU stops running until an event or its poll deadline. */
void sched_block(struct vcpu *v);
/* An event for v: if it blocks, it becomes runnable again; when it polls,
 * only if `any` or one of its polled ports is pending. */
void sched_wake(struct vcpu *v, bool any);
/* Timer interrupt: end expired polls, let the backends poll, drain the
 * serial line, end the slice. */
void sched_tick(uint64_t now);
/* Re-arm the hardware timer for the earliest deadline. */
void sched_reprogram(void);

/* --- The decision, as the switch on the way back makes it -------------- */
/* Clears the pending request, charges prev (may be NULL) for its time,
 * destroys the domains that are shutting down (current becomes NULL if
 * prev was one of them) and ends the machine when none is left. */
void sched_charge_and_reap(struct vcpu *prev, uint64_t now);
/* The next runnable vCPU after prev in round-robin order, or NULL. */
struct vcpu *sched_pick_next(struct vcpu *prev);
/* Nothing can run: halt with interrupts on until the timer makes a vCPU
 * runnable, and return it. The frame at the top of the stack belongs to no
 * vCPU meanwhile. */
struct vcpu *sched_idle_until_runnable(void);
/* v runs from now for one slice; the timer is re-armed. */
void sched_start_slice(struct vcpu *v, uint64_t now);

#endif
