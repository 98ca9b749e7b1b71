/* SPDX-License-Identifier: MIT */
/*
 * The split devices Lithos finds at boot under a hypervisor (xenbus), and
 * their orderly close before power-off. Natively, and without xenstore,
 * both do nothing.
 */
#ifndef GUEST_KERNEL_DEVICES_H
#define GUEST_KERNEL_DEVICES_H

#include <guest-kernel/boot.h>

/* After the self-check, in thread context: xenbus, the grant table, and
 * every device found (a line each). */
void devices_start(const struct boot_info *bi);
/* Every connected device through the close handshake. */
void devices_stop(void);

#endif
