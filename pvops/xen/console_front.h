/* SPDX-License-Identifier: MIT */
/*
 * Lithos's frontend for further PV consoles, device/console/1.. (the first
 * console is start_info's and belongs to the console binding): each found
 * through xenbus, given a granted xencons_interface page and an event
 * channel, and connected with the XenbusState handshake, as Linux's
 * hvc_xen does. Output only. docs/xenbus.md.
 */
#ifndef PVOPS_XEN_CONSOLE_FRONT_H
#define PVOPS_XEN_CONSOLE_FRONT_H

#include <stddef.h>

/* Connects every device/console/<n> with n >= 1, printing a line for each
 * connected or refused. The number connected (0 natively, as Xen's dom0,
 * or without devices). Thread context, after xenbus_init. */
int console_front_connect_all(void);

/* Writes to console devid (waiting for room); len written or -XEN_E*. */
int console_front_write(unsigned int devid, const char *s, size_t len);

/* The close handshake for every connected console; the pages and ports
 * are freed once the backend has let go of them. */
void console_front_close_all(void);

#endif
