/* SPDX-License-Identifier: MIT */
/*
 * The environment a hardware driver runs in. Drivers never execute in/out
 * themselves: Lithos native passes real port I/O, Xenolith its own, and host
 * unit tests a fake that records accesses.
 */
#ifndef DRIVERS_ENV_H
#define DRIVERS_ENV_H

#include <stdint.h>

struct port_io {
    uint8_t (*inb)(uint16_t port);
    void (*outb)(uint16_t port, uint8_t value);
};

#endif
