/* SPDX-License-Identifier: MIT */
/* The machine's port I/O, as the shared drivers (drivers/env.h) take it. */
#ifndef XENOLITH_ARCH_X86_PORT_IO_H
#define XENOLITH_ARCH_X86_PORT_IO_H

#include "drivers/env.h"

extern const struct port_io x86_port_io;

#endif
