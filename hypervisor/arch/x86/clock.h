/* SPDX-License-Identifier: MIT */
/*
 * Time: the TSC (calibrated once against the PIT) is the clock; the local
 * APIC timer, one-shot, is the only interrupt source. Guests see system
 * time through vcpu_time_info and the wall clock through shared_info.
 */
#ifndef XENOLITH_TIME_H
#define XENOLITH_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

#include "arch/x86/irq_vectors.h"

void time_init(void);

/* Nanoseconds since Xenolith booted. */
uint64_t time_now_ns(void);
uint64_t time_tsc_hz(void);

/* Ask for a timer interrupt at `deadline` (ns, system time) or earlier. */
void time_program(uint64_t deadline);
/* The TSC value at system time ns (the inverse of time_now_ns()). */
uint64_t time_tsc_at(uint64_t ns);

/* Publish the current scale and system time in a vCPU's vcpu_time_info,
 * with the version protocol (odd while the fields change). */
void time_publish(struct vcpu_time_info *t);
/* The wall clock at system time 0, into a new domain's shared_info. */
void time_set_wallclock(shared_info_t *s);

/* The timer interrupt: acknowledges it and returns the system time. */
uint64_t time_interrupt(void);

/* Scale a TSC delta to nanoseconds as guests do with (mul, shift):
 * ((delta << shift) * mul) >> 32, shifting right when shift < 0. */
uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);
/* The (mul, shift) pair for a TSC running at hz, Xen's way. */
void time_compute_scale(uint64_t hz, uint32_t *mul, int8_t *shift);

#endif
