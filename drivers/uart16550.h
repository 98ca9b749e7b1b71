/* SPDX-License-Identifier: MIT */
/* 16550 UART at 115200 8n1: output polled or by the transmit interrupt,
 * input polled or by the received-data interrupt. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include <stdbool.h>
#include <stddef.h>
#include "env.h"

#define UART16550_COM1 0x3f8

struct uart16550 {
    const struct port_io *io;
    uint16_t base;
};

void uart16550_init(struct uart16550 *u, const struct port_io *io, uint16_t base);
/* Writes every byte, turning "\n" into "\r\n" for terminals. */
void uart16550_write(const struct uart16550 *u, const char *buf, size_t len);
/* Returns the number of bytes read without waiting (0 when none are ready). */
size_t uart16550_read(const struct uart16550 *u, char *buf, size_t len);
/* Raises the line's IRQ (COM1: IRQ 4, through MCR.OUT2) while received
 * bytes wait; uart16550_read empties the FIFO, which lowers it. */
void uart16550_enable_rx_irq(const struct uart16550 *u);
#define UART16550_COM1_IRQ 4

/* Bytes a 16550A's transmitter takes at once when it is empty. */
#define UART16550_FIFO 16
/* The transmitter is empty: up to UART16550_FIFO bytes go in unwaited. */
bool uart16550_tx_empty(const struct uart16550 *u);
/* One byte into the transmitter, as is: only after uart16550_tx_empty. */
void uart16550_tx_put(const struct uart16550 *u, char c);
/* Raises the line's IRQ whenever the transmitter empties, instead of on
 * received data; uart16550_ack_irq acknowledges one. */
void uart16550_enable_tx_irq(const struct uart16550 *u);
void uart16550_ack_irq(const struct uart16550 *u);

#endif
