// SPDX-License-Identifier: MIT
/* Shutdown and crash: the domain is marked, its reason recorded for the
 * machine's exit status, and a scheduling decision requested. */
#include <stdarg.h>
#include <stdio.h>
#include <xen/sched.h>
#include "console/log.h"
#include "arch/x86/machine_exit.h"
#include "common/array_size.h"
#include "domain/domain.h"
#include "sched/sched.h"
#include "sched/shutdown.h"

static const char *const shutdown_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

int domain_shutdown(struct domain *d, uint8_t reason)
{
    if (d->is_shutting_down)
        return 0;
    /* A code latched with SCHEDOP_shutdown_code wins, as in Xen. */
    if (d->latched_code >= 0)
        reason = (uint8_t)d->latched_code;
    d->is_shutting_down = true;
    d->shutdown_code = reason;
    shutdown_record_reason(reason);
    if (reason < ARRAY_SIZE(shutdown_names))
        log_info("d%u: shut down (%s)\n", d->domain_id, shutdown_names[reason]);
    else
        log_info("d%u: shut down (unknown reason %u)\n", d->domain_id, reason);
    sched_request();
    return 0;
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (d->is_shutting_down) {
        log_err("d%u: %s (already shutting down)\n", d->domain_id, why);
        return;
    }
    log_err("d%u: crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}
