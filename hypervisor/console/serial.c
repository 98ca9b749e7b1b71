// SPDX-License-Identifier: MIT
/*
 * COM1, a 16550, behind the transmit queue (console_txq.h): output is
 * queued a line at a time and goes out as the UART takes it, from its
 * transmit interrupt (IRQ 4 through the PIC), a bounded drain on each
 * queueing and on every timer tick, and the idle loop. Nothing waits for
 * the line except Xenolith's own log when even its reserve is full, a
 * panic, and the final exit. Input is polled.
 */
#include <stdbool.h>
#include <xen/errno.h>
#include "console/console_txq.h"
#include "console/serial.h"
#include "arch/x86/x86.h"

#define COM1         0x3f8
#define REG_DATA     0
#define REG_IER      1
#define REG_IIR      2
#define REG_FCR      2
#define REG_LCR      3
#define REG_MCR      4
#define REG_LSR      5
#define LSR_DR       0x01
#define LSR_THRE     0x20
#define LCR_DLAB     0x80
#define IER_THRI     0x02
#define MCR_OUT2     0x08 /* gates the UART's IRQ line on a PC */
#define BAUD_DIV     1    /* 115200 */
#define UART_FIFO    16   /* bytes the 16550A takes per THRE */
#define DRAIN_BUDGET 256  /* bytes per drain outside the idle loop */
#define LINE_MAX     1024 /* a queued line after LF -> CRLF */

static struct txq txq;
static bool irq_on;

void serial_init(void)
{
    txq_init(&txq);
    outb(COM1 + REG_IER, 0);
    outb(COM1 + REG_LCR, LCR_DLAB);
    outb(COM1 + REG_DATA, BAUD_DIV & 0xff);
    outb(COM1 + REG_IER, BAUD_DIV >> 8);
    outb(COM1 + REG_LCR, 0x03); /* 8N1 */
    outb(COM1 + REG_FCR, 0xc7); /* FIFOs on and cleared */
    outb(COM1 + REG_MCR, 0x03); /* DTR, RTS */
}

void serial_enable_irq(void)
{
    outb(COM1 + REG_MCR, 0x03 | MCR_OUT2);
    outb(COM1 + REG_IER, IER_THRI);
    irq_on = true;
}

/* One FIFO's worth, if the UART can take it now. */
static size_t drain_fifo(void)
{
    char c[UART_FIFO];
    size_t n;

    if (txq_empty(&txq) || !(inb(COM1 + REG_LSR) & LSR_THRE))
        return 0;
    n = txq_take(&txq, c, sizeof(c));
    for (size_t i = 0; i < n; i++)
        outb(COM1 + REG_DATA, (unsigned char)c[i]);
    return n;
}

void serial_drain(void)
{
    for (size_t done = 0, n; done < DRAIN_BUDGET && (n = drain_fifo()); done += n)
        ;
}

void serial_drain_all(void)
{
    while (drain_fifo())
        ;
}

void serial_flush(void)
{
    while (!txq_empty(&txq))
        if (!drain_fifo())
            cpu_relax();
}

void serial_interrupt(void)
{
    (void)inb(COM1 + REG_IIR); /* acknowledges THRE */
    drain_fifo();
}

/* Terminals want CRLF; the logs strip the CR. */
static size_t to_crlf(const char *s, size_t n, char *out)
{
    size_t k = 0;

    for (size_t i = 0; i < n && k + 2 <= LINE_MAX; i++) {
        if (s[i] == '\n')
            out[k++] = '\r';
        out[k++] = s[i];
    }
    return k;
}

int serial_queue(domid_t owner, const char *s, size_t n)
{
    char line[LINE_MAX];
    size_t k = to_crlf(s, n, line);
    int rc;

    if (!k)
        return 0;
    rc = txq_put(&txq, owner, line, k);
    if (rc == -XEN_ENOSPC && owner == DOMID_XEN) {
        /* Xenolith's own lines are few and bounded: wait for room. */
        serial_flush();
        rc = txq_put(&txq, owner, line, k);
    }
    if (!irq_on)
        serial_flush(); /* before interrupts exist: early boot */
    else
        serial_drain();
    return rc;
}

void serial_write(const char *s, size_t n)
{
    while (n) {
        size_t chunk = n < LINE_MAX / 2 ? n : LINE_MAX / 2;

        (void)serial_queue(DOMID_XEN, s, chunk);
        s += chunk;
        n -= chunk;
    }
}

size_t serial_room(domid_t owner)
{
    uint32_t used = txq_queued(&txq, owner);

    return used >= TXQ_DOMAIN_SHARE ? 0 : TXQ_DOMAIN_SHARE - used;
}

uint64_t serial_dropped_lines(domid_t owner)
{
    return txq_dropped_lines(&txq, owner);
}

uint64_t serial_dropped_bytes(domid_t owner)
{
    return txq_dropped_bytes(&txq, owner);
}

void serial_forget(domid_t owner)
{
    txq_forget(&txq, owner);
}

int serial_getc(void)
{
    if (!(inb(COM1 + REG_LSR) & LSR_DR))
        return -1;
    return inb(COM1 + REG_DATA);
}
