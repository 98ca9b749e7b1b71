// SPDX-License-Identifier: MIT
/* The exit status is derived from how the domains ended: the most severe
 * shutdown reason wins, so one crash among clean power-offs still fails. */
#include <stdbool.h>
#include <stdint.h>
#include <xen/sched.h>
#include "console/log.h"
#include "console/serial.h"
#include "arch/x86/machine_exit.h"
#include "arch/x86/x86.h"
#include "common/array_size.h"

/* Most severe first. */
static const unsigned int severity_order[] = {
    SHUTDOWN_crash,   SHUTDOWN_watchdog,   ~0u /* unknown */, SHUTDOWN_reboot,
    SHUTDOWN_suspend, SHUTDOWN_soft_reset, SHUTDOWN_poweroff,
};
#define NR_SEVERITIES (ARRAY_SIZE(severity_order))

static unsigned int worst = NR_SEVERITIES; /* index into severity_order */

static unsigned int severity_of(unsigned int reason)
{
    for (unsigned int i = 0; i < NR_SEVERITIES; i++)
        if (severity_order[i] == reason)
            return i;
    return 2; /* the "unknown" slot */
}

void shutdown_record_reason(unsigned int reason)
{
    unsigned int s = severity_of(reason);

    if (s < worst)
        worst = s;
}

void machine_exit(unsigned int status)
{
    log_info("leaving with exit status %#x\n", status);
    serial_flush(); /* every queued line out before QEMU goes */
    outl(DEBUG_EXIT_PORT, status);
    /* Not under QEMU's isa-debug-exit: stop here. */
    halt_forever();
}

void machine_exit_all_ended(void)
{
    unsigned int status;

    if (worst == NR_SEVERITIES)
        status = EXIT_STATUS_NO_DOMAIN;
    else if (severity_order[worst] == ~0u)
        status = EXIT_STATUS_UNKNOWN;
    else
        status = EXIT_STATUS_BASE + severity_order[worst];
    log_info("all domains have ended\n");
    machine_exit(status);
}
