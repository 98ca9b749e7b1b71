/* SPDX-License-Identifier: MIT */
/*
 * The local APIC of this CPU, through its MMIO page (the environment maps
 * it, normally at physical 0xfee00000, uncached, and passes the mapping):
 * software enable, EOI, and the timer in one-shot or periodic mode.
 */
#ifndef DRIVERS_LAPIC_H
#define DRIVERS_LAPIC_H

#include <stdint.h>

#define LAPIC_DEFAULT_BASE  0xfee00000UL
#define LAPIC_MSR_APIC_BASE 0x1b

struct lapic {
    volatile uint32_t *regs;
};

/* Enables the APIC with spurious interrupts on spurious_vector; timer and
 * LINT lines masked. */
void lapic_init(struct lapic *l, volatile void *mmio, uint8_t spurious_vector);
/* Unmasks LINT0 as ExtINT: the 8259 PICs' interrupts reach the CPU (the
 * "virtual wire" mode), acknowledged at the PIC, not with lapic_eoi. */
void lapic_lint0_extint(const struct lapic *l);
void lapic_eoi(const struct lapic *l);

/* The timer counts the bus clock divided by 16. */
void lapic_timer_oneshot(const struct lapic *l, uint8_t vector, uint32_t count);
void lapic_timer_periodic(const struct lapic *l, uint8_t vector, uint32_t count);
void lapic_timer_stop(const struct lapic *l);
uint32_t lapic_timer_current(const struct lapic *l);

#endif
