// SPDX-License-Identifier: MIT
// Native console: COM1, the 16550 that QEMU's -serial and PCs provide.
// Output is polled. Input arrives on IRQ 4 once the PICs are set up
// (native_console_irq_init): the handler moves the FIFO into a queue that
// console.read drains; read also polls the UART, so a byte that came
// between the handler's last read and its EOI (edge-triggered PIC) is not
// left behind.
#include <pvops/pvops.h>
#include <pvops/native/native.h>
#include <drivers/pic8259.h>
#include <drivers/uart16550.h>

#define INPUT_QUEUE 256 /* a power of two */

static struct uart16550 com1;
static char in_queue[INPUT_QUEUE];
static unsigned int in_head, in_tail; /* free-running; tail - head = queued */

static void drain_uart(void)
{
    char c;

    while (in_tail - in_head < INPUT_QUEUE && uart16550_read(&com1, &c, 1) == 1)
        in_queue[in_tail++ % INPUT_QUEUE] = c;
}

void native_console_irq(void)
{
    drain_uart();
    pv_console_input_arrived();
}

void native_console_irq_init(void)
{
    uart16550_enable_rx_irq(&com1);
    pic8259_unmask(&native_port_io, UART16550_COM1_IRQ);
}

void native_console_init(void)
{
    uart16550_init(&com1, &native_port_io, UART16550_COM1);
    /* Firmware (SeaBIOS: "Booting from ROM..") leaves the cursor mid-line. */
    uart16550_write(&com1, "\n", 1);
}

int native_console_write(const char *buf, size_t len)
{
    uart16550_write(&com1, buf, len);
    return 0;
}

int native_console_read(char *buf, size_t len)
{
    unsigned long flags = pv_irq_save();
    size_t n = 0;

    drain_uart();
    while (n < len && in_head != in_tail)
        buf[n++] = in_queue[in_head++ % INPUT_QUEUE];
    pv_irq_restore(flags);
    return (int)n;
}
