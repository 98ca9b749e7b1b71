/* SPDX-License-Identifier: MIT */
/* The native binding of pv_ops: real hardware, Lithos in ring 0. */
#ifndef PVOPS_NATIVE_NATIVE_H
#define PVOPS_NATIVE_NATIVE_H

#include <stddef.h>
#include <drivers/env.h>

/* Fills every slot the binding implements; returns pv_ops_check(). */
int native_pvops_install(void);

/* Port I/O as the drivers' environment sees it. */
extern const struct port_io native_port_io;

void native_console_init(void);
int native_console_write(const char *buf, size_t len);
int native_console_read(char *buf, size_t len);

void native_power_shutdown(unsigned int reason);

#endif
