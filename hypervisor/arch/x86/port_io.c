/* SPDX-License-Identifier: MIT */
/* in and out for the shared drivers (port_io.h). */
#include "arch/x86/port_io.h"
#include "arch/x86/x86.h"

static uint8_t port_inb(uint16_t port)
{
    return inb(port);
}

static void port_outb(uint16_t port, uint8_t v)
{
    outb(port, v);
}

const struct port_io x86_port_io = { .inb = port_inb, .outb = port_outb };
