// SPDX-License-Identifier: MIT
// 16550 UART driver: programs the line for 115200 8n1 with FIFOs. Output is
// polled (Lithos) or fed a FIFO at a time from the transmit interrupt
// (Xenolith's queue); input polled or taken on the received-data interrupt.
#include "uart16550.h"

enum {
    UART_THR = 0, /* transmit holding (write), receive buffer (read) */
    UART_IER = 1,
    UART_DLL = 0, /* divisor latch, while LCR.DLAB is set */
    UART_DLM = 1,
    UART_FCR = 2, /* write; reads are the interrupt identification */
    UART_IIR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
};

enum {
    LCR_8N1 = 0x03,
    LCR_DLAB = 0x80,
    FCR_ENABLE_CLEAR = 0x07,
    MCR_DTR_RTS_OUT2 = 0x0b,
    LSR_DATA_READY = 0x01,
    LSR_THR_EMPTY = 0x20,
    IER_RX_DATA = 0x01,
    IER_THR_EMPTY = 0x02,
    DIVISOR_115200 = 1,
};

static void reg_write(const struct uart16550 *u, unsigned int reg, uint8_t v)
{
    u->io->outb(u->base + reg, v);
}

static uint8_t reg_read(const struct uart16550 *u, unsigned int reg)
{
    return u->io->inb(u->base + reg);
}

void uart16550_init(struct uart16550 *u, const struct port_io *io, uint16_t base)
{
    u->io = io;
    u->base = base;
    reg_write(u, UART_IER, 0); /* polled: no interrupts yet */
    reg_write(u, UART_LCR, LCR_DLAB);
    reg_write(u, UART_DLL, DIVISOR_115200);
    reg_write(u, UART_DLM, 0);
    reg_write(u, UART_LCR, LCR_8N1);
    reg_write(u, UART_FCR, FCR_ENABLE_CLEAR);
    reg_write(u, UART_MCR, MCR_DTR_RTS_OUT2);
}

static void put_byte(const struct uart16550 *u, char c)
{
    while (!(reg_read(u, UART_LSR) & LSR_THR_EMPTY))
        ;
    reg_write(u, UART_THR, (uint8_t)c);
}

void uart16550_write(const struct uart16550 *u, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            put_byte(u, '\r');
        put_byte(u, buf[i]);
    }
}

size_t uart16550_read(const struct uart16550 *u, char *buf, size_t len)
{
    size_t n = 0;

    while (n < len && (reg_read(u, UART_LSR) & LSR_DATA_READY))
        buf[n++] = (char)reg_read(u, UART_THR);
    return n;
}

void uart16550_enable_rx_irq(const struct uart16550 *u)
{
    reg_write(u, UART_IER, IER_RX_DATA);
}

bool uart16550_tx_empty(const struct uart16550 *u)
{
    return reg_read(u, UART_LSR) & LSR_THR_EMPTY;
}

void uart16550_tx_put(const struct uart16550 *u, char c)
{
    reg_write(u, UART_THR, (uint8_t)c);
}

void uart16550_enable_tx_irq(const struct uart16550 *u)
{
    reg_write(u, UART_IER, IER_THR_EMPTY);
}

void uart16550_ack_irq(const struct uart16550 *u)
{
    (void)reg_read(u, UART_IIR);
}
