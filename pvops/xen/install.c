// SPDX-License-Identifier: MIT
// Binds pv_ops to hypercalls. Slots not listed keep their self-naming
// defaults until a later change implements them here.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>

int xenpv_pvops_install(const start_info_t *si, void *direct_map, unsigned long nr_pfns)
{
    /* console: HYPERVISOR_console_io */
    pv_ops.console.write = xenpv_console_write;
    pv_ops.console.read = xenpv_console_read;

    /* mmu: mmu_update, mmuext_op, update_va_mapping, batched by multicall */
    xenpv_mmu_install(si, direct_map, nr_pfns);

    /* power: SCHEDOP_shutdown */
    pv_ops.power.shutdown = xenpv_power_shutdown;

    xenpv_describe();
    return pv_ops_check();
}
