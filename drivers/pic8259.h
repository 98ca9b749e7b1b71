/* SPDX-License-Identifier: MIT */
/* The two cascaded 8259A PICs of a PC: remap, mask per line, EOI. */
#ifndef DRIVERS_PIC8259_H
#define DRIVERS_PIC8259_H

#include "env.h"

#define PIC8259_LINES 16

/* Moves IRQ 0-7 to vector base, 8-15 to base + 8, every line masked. */
void pic8259_init(const struct port_io *io, uint8_t vector_base);
void pic8259_mask(const struct port_io *io, unsigned int irq);
void pic8259_unmask(const struct port_io *io, unsigned int irq);
/* Whether irq (7 or 15) is really in service, not a spurious one. */
int pic8259_in_service(const struct port_io *io, unsigned int irq);
void pic8259_eoi(const struct port_io *io, unsigned int irq);

#endif
