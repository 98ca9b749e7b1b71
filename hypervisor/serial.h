/* SPDX-License-Identifier: MIT */
/* Xenolith's own serial line: COM1, polled, for the log and guest consoles. */
#ifndef XENOLITH_SERIAL_H
#define XENOLITH_SERIAL_H

#include <stddef.h>

void serial_init(void);
void serial_write(const char *s, size_t n);
/* One received byte, or -1 when none is waiting. Never blocks. */
int serial_getc(void);

#endif
