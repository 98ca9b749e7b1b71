// SPDX-License-Identifier: MIT
// Binds pv_ops to hypercalls. Slots not listed keep their self-naming
// defaults until a later change implements them here.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>

int xenpv_pvops_install(const start_info_t *si)
{
    /* console: HYPERVISOR_console_io */
    pv_ops.console.write = xenpv_console_write;
    pv_ops.console.read = xenpv_console_read;

    /* power: SCHEDOP_shutdown */
    pv_ops.power.shutdown = xenpv_power_shutdown;

    xenpv_describe();
    return pv_ops_check();
}
