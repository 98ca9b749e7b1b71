// SPDX-License-Identifier: MIT
// kernel_main: the common start of Lithos after either boot entry. For now
// it announces itself, runs the self-check and powers off with the result.
#include <guest-kernel/boot.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/selfcheck.h>
#include <pvops/pvops.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>

void kernel_main(const struct boot_info *bi)
{
    char why[128];

    kprintf("Lithos %s on %s\n", LITHOS_VERSION, pv_info.name);

    if (selfcheck_run(bi, why, sizeof(why)) < 0) {
        kprintf("Lithos: self-check FAILED: %s\n", why);
        pv_power_shutdown(SHUTDOWN_crash);
    }
    kprintf("Lithos: self-check passed\n");
    pv_power_shutdown(SHUTDOWN_poweroff);
}
