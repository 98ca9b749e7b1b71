// SPDX-License-Identifier: MIT
// Native console: COM1, the 16550 that QEMU's -serial and PCs provide.
#include <pvops/native/native.h>
#include <drivers/uart16550.h>

static struct uart16550 com1;

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
    return (int)uart16550_read(&com1, buf, len);
}
