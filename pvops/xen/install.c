// SPDX-License-Identifier: MIT
// Binds pv_ops to hypercalls. Slots not listed keep their self-naming
// defaults until a later change implements them here.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <xen/xen.h>

int xenpv_pvops_install(const start_info_t *si, void *direct_map, unsigned long nr_pfns)
{
    /* console: HYPERVISOR_console_io until xenpv_console_init below */
    pv_ops.console.write = xenpv_console_write;
    pv_ops.console.read = xenpv_console_read;

    /* mmu: mmu_update, mmuext_op, update_va_mapping, batched by multicall */
    xenpv_mmu_install(si, direct_map, nr_pfns);

    pv_info.user_cs = FLAT_USER_CS;
    pv_info.user_ss = FLAT_USER_SS;

    /* cpu: SCHEDOP_block, stack_switch, vcpu_info.arch.cr2 */
    pv_ops.cpu = xenpv_cpu_ops;

    /* irq: trap table, callbacks, event channels over shared_info; a
     * refused mapping surfaces at irq.init, which then reports it */
    xenpv_events_map(si);
    pv_ops.irq = xenpv_irq_ops;

    /* time: vcpu_time_info, wc_*, set_timer_op with VIRQ_TIMER */
    xenpv_time_init();
    pv_ops.time = xenpv_time_ops;

    /* power: SCHEDOP_shutdown */
    pv_ops.power.shutdown = xenpv_power_shutdown;

    xenpv_describe();

    /* console: the console ring where there is one, not on Xen's dom0 */
    xenpv_console_init(si, direct_map, nr_pfns);

    /* devices and store: xenbus, the grant table, the console devices */
    xenpv_devices_install(si);
    return pv_ops_check();
}
