/* SPDX-License-Identifier: MIT */
/* The interrupt vectors Xenolith uses (assembly-safe): the legacy PIC's
 * lines above the exceptions, the local APIC timer and its spurious vector. */
#ifndef XENOLITH_IRQ_VECTORS_H
#define XENOLITH_IRQ_VECTORS_H

#define PIC_VECTOR_BASE 0x20 /* legacy IRQ n arrives at 0x20 + n */
#define SERIAL_IRQ      4    /* COM1 */
#define SERIAL_VECTOR   (PIC_VECTOR_BASE + SERIAL_IRQ)
#define TIMER_VECTOR    0xf0
#define SPURIOUS_VECTOR 0xff

#endif
