/* SPDX-License-Identifier: MIT */
/* The guests' timers: each vCPU's singleshot deadline (set_timer_op,
 * VCPUOP_set_singleshot_timer) and periodic timer, which raise VIRQ_TIMER
 * when they expire. They are armed by timer_ops.c; the scheduler only
 * keeps the hardware timer at the earliest deadline. */
#ifndef XENOLITH_GUEST_TIMERS_H
#define XENOLITH_GUEST_TIMERS_H

#include <stdint.h>

/* From the timer interrupt: raises VIRQ_TIMER for every expired timer. */
void guest_timers_fire(uint64_t now);

#endif
