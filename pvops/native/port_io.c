// SPDX-License-Identifier: MIT
// Real port I/O handed to drivers through their environment interface.
#include <pvops/native/native.h>
#include <pvops/native/portio.h>

static uint8_t native_inb(uint16_t port)
{
    return inb(port);
}

static void native_outb(uint16_t port, uint8_t v)
{
    outb(port, v);
}

const struct port_io native_port_io = {
    .inb = native_inb,
    .outb = native_outb,
};
