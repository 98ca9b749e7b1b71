/* SPDX-License-Identifier: MIT */
/* Xenolith's own serial line: COM1, for the log and guest consoles, with
 * a transmit queue (console_txq.h) drained by the UART's interrupt. */
#ifndef XENOLITH_SERIAL_H
#define XENOLITH_SERIAL_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

struct port_io;
/* Over the machine's port I/O, which the boot code hands in. */
void serial_init(const struct port_io *io);
/* Once the IDT and the PIC are set up: transmit interrupts drive output. */
void serial_enable_irq(void);

/* Queues s[0..n) (a line, or part of one) for owner, DOMID_XEN for
 * Xenolith itself: 0, or -XEN_ENOSPC when a guest's line was dropped
 * because the guest's share of the queue is full (the drop is counted). */
int serial_queue(domid_t owner, const char *s, size_t n);
/* Xenolith's own output, never dropped. */
void serial_write(const char *s, size_t n);
/* Bytes owner may still queue before its lines are dropped. */
size_t serial_room(domid_t owner);
uint64_t serial_dropped_lines(domid_t owner);
uint64_t serial_dropped_bytes(domid_t owner);
void serial_forget(domid_t owner);

/* Bounded drain (a few hundred bytes), for the timer tick. */
void serial_drain(void);
/* As much as the UART takes without waiting, for the idle loop. */
void serial_drain_all(void);
/* Everything, waiting for the UART: panics and the final exit only. */
void serial_flush(void);
/* IRQ 4: the transmitter wants more. */
void serial_interrupt(void);

/* One received byte, or -1 when none is waiting. Never blocks. */
int serial_getc(void);

#endif
