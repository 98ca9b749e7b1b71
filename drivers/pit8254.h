/* SPDX-License-Identifier: MIT */
/*
 * The 8254 PIT: channel 0 as a periodic tick on IRQ 0, and channel 2 (gated
 * through port 0x61, no interrupt) as a known interval for calibrating
 * other clocks against.
 */
#ifndef DRIVERS_PIT8254_H
#define DRIVERS_PIT8254_H

#include "env.h"

#define PIT8254_HZ        1193182u
/* The longest interval channel 2 can time in one go, in PIT ticks. */
#define PIT8254_MAX_TICKS 0xffffu

/* Channel 0, mode 2 (rate generator); hz from 19 to PIT8254_HZ. */
void pit8254_set_periodic(const struct port_io *io, unsigned int hz);
/* Channel 0 stopped (mode 0 with no count written). */
void pit8254_stop(const struct port_io *io);

/* Channel 2 counts ticks down from now; pit8254_interval_done says when
 * it has reached 0. Polling only: the speaker stays off. */
void pit8254_interval_start(const struct port_io *io, uint16_t ticks);
int pit8254_interval_done(const struct port_io *io);

#endif
