// SPDX-License-Identifier: MIT
/* COM1, a 16550, polled: Xenolith takes no device
 * interrupts yet, and the log must work before the IDT exists. */
#include "serial.h"
#include "x86.h"

#define COM1        0x3f8
#define REG_DATA    0
#define REG_IER     1
#define REG_FCR     2
#define REG_LCR     3
#define REG_MCR     4
#define REG_LSR     5
#define LSR_DR      0x01
#define LSR_THRE    0x20
#define LCR_DLAB    0x80
#define BAUD_DIV    1                /* 115200 */

void serial_init(void)
{
    outb(COM1 + REG_IER, 0);
    outb(COM1 + REG_LCR, LCR_DLAB);
    outb(COM1 + REG_DATA, BAUD_DIV & 0xff);
    outb(COM1 + REG_IER, BAUD_DIV >> 8);
    outb(COM1 + REG_LCR, 0x03);      /* 8N1 */
    outb(COM1 + REG_FCR, 0xc7);      /* FIFOs on and cleared */
    outb(COM1 + REG_MCR, 0x03);      /* DTR, RTS */
}

static void serial_putc(char c)
{
    while (!(inb(COM1 + REG_LSR) & LSR_THRE))
        cpu_relax();
    outb(COM1 + REG_DATA, (unsigned char)c);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Terminals want CRLF; the logs strip the CR. */
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

int serial_getc(void)
{
    if (!(inb(COM1 + REG_LSR) & LSR_DR))
        return -1;
    return inb(COM1 + REG_DATA);
}
