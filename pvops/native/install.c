// SPDX-License-Identifier: MIT
// Binds pv_ops to the hardware. Slots not listed keep their self-naming
// defaults until a later change implements them here.
#include <pvops/pvops.h>
#include <pvops/native/native.h>
#include <string.h>

int native_pvops_install(void *direct_map, unsigned long nr_pfns)
{
    strcpy(pv_info.name, "native");

    /* console: COM1 */
    native_console_init();
    pv_ops.console.write = native_console_write;
    pv_ops.console.read = native_console_read;

    /* mmu: direct writes to the tables, CR3, invlpg */
    native_mmu_init(direct_map, nr_pfns);
    pv_ops.mmu = native_mmu_ops;

    /* power: isa-debug-exit, then ACPI, then halt */
    pv_ops.power.shutdown = native_power_shutdown;

    return pv_ops_check();
}
