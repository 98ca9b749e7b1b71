/* SPDX-License-Identifier: MIT */
/*
 * Leaving the machine. Under QEMU the status goes to isa-debug-exit (port
 * 0xf4), which exits with (status << 1) | 1; docs/boot.md has the table.
 */
#ifndef XENOLITH_SHUTDOWN_H
#define XENOLITH_SHUTDOWN_H

#include <stdint.h>

#define DEBUG_EXIT_PORT       0xf4
#define EXIT_STATUS_BASE      0x10 /* + SHUTDOWN_* reason of the worst domain */
#define EXIT_STATUS_UNKNOWN   0x1d /* a reason Xen does not define */
#define EXIT_STATUS_NO_DOMAIN 0x1e /* no module produced a domain */
#define EXIT_STATUS_PANIC     0x1f

/* Remember how a domain ended; the worst reason decides the exit status. */
void shutdown_record_reason(unsigned int reason);
/* Every domain has ended: report and leave with the derived status. */
__attribute__((noreturn)) void machine_exit_all_ended(void);
__attribute__((noreturn)) void machine_exit(unsigned int status);

#endif
