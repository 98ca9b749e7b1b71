// SPDX-License-Identifier: MIT
// Binds pv_ops to the hardware. Slots not listed keep their self-naming
// defaults until a later change implements them here.
#include <pvops/pvops.h>
#include <pvops/native/native.h>
#include <string.h>

int native_pvops_install(void *direct_map, unsigned long nr_pfns, volatile void *lapic_mmio)
{
    strcpy(pv_info.name, "native");
    pv_info.user_cs = 0x23; /* cpu.c's GDT */
    pv_info.user_ss = 0x1b;

    /* console: COM1 */
    native_console_init();
    pv_ops.console.write = native_console_write;
    pv_ops.console.read = native_console_read;

    /* mmu: direct writes to the tables, CR3, invlpg */
    native_mmu_init(direct_map, nr_pfns);
    pv_ops.mmu = native_mmu_ops;

    /* cpu: GDT, TSS and SYSCALL MSRs; idle with sti; hlt */
    native_cpu_init();
    pv_ops.cpu = native_cpu_ops;

    /* irq: IDT, PICs remapped and masked, LAPIC; IF for enable/disable */
    pv_ops.irq = native_irq_ops;

    /* time: TSC clock and LAPIC one-shot calibrated on the PIT, RTC */
    native_time_init(lapic_mmio);
    pv_ops.time = native_time_ops;

    /* power: isa-debug-exit, then ACPI, then halt */
    pv_ops.power.shutdown = native_power_shutdown;

    return pv_ops_check();
}
