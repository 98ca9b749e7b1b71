// SPDX-License-Identifier: MIT
/*
 * COM1, a 16550 (drivers/uart16550.c, shared with Lithos's native
 * binding), behind the transmit queue (console_txq.h): output is
 * queued a line at a time and goes out as the UART takes it, from its
 * transmit interrupt (IRQ 4 through the PIC), a bounded drain on each
 * queueing and on every timer tick, and the idle loop. Nothing waits for
 * the line except Xenolith's own log when even its reserve is full, a
 * panic, and the final exit. Input is polled.
 */
#include <stdbool.h>
#include <xen/errno.h>
#include "drivers/uart16550.h"
#include "console/console_txq.h"
#include "console/serial.h"

#define DRAIN_BUDGET 256  /* bytes per drain outside the idle loop */
#define LINE_MAX     1024 /* a queued line after LF -> CRLF */

static struct uart16550 com1;
static struct txq txq;
static bool irq_on;

void serial_init(const struct port_io *io)
{
    txq_init(&txq);
    uart16550_init(&com1, io, UART16550_COM1);
}

void serial_enable_irq(void)
{
    uart16550_enable_tx_irq(&com1);
    irq_on = true;
}

/* One FIFO's worth, if the UART can take it now. */
static size_t drain_fifo(void)
{
    char c[UART16550_FIFO];
    size_t n;

    if (txq_empty(&txq) || !uart16550_tx_empty(&com1))
        return 0;
    n = txq_take(&txq, c, sizeof(c));
    for (size_t i = 0; i < n; i++)
        uart16550_tx_put(&com1, c[i]);
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
            __builtin_ia32_pause();
}

void serial_interrupt(void)
{
    uart16550_ack_irq(&com1);
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
    char c;

    return uart16550_read(&com1, &c, 1) ? (unsigned char)c : -1;
}
