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

struct vcpu;

#define SCHED_SLICE_NS (10ULL * 1000 * 1000)

/* Ask for a scheduling decision before the next return to a guest. */
void sched_request(void);
void sched_add_vcpu(struct vcpu *v);
/* Runs the first vCPU; never returns. */
__attribute__((noreturn)) void sched_start(void);
/* Called by return_to_guest with the frame it is about to restore. */
void return_to_guest_prepare(struct cpu_user_regs *frame);

/* The vCPU stops running until an event or its poll deadline. */
void sched_block(struct vcpu *v);
/* An event for v: if it blocks, it becomes runnable again; when it polls,
 * only if `any` or one of its polled ports is pending. */
void sched_wake(struct vcpu *v, bool any);
/* Timer interrupt: fire guest timers, end the slice. */
void sched_timer_tick(uint64_t now);
/* Re-arm the hardware timer for the earliest deadline. */
void sched_reprogram(void);

#endif
