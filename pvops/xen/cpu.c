// SPDX-License-Identifier: MIT
// Xen PV CPU slots: idle by SCHEDOP_block, the kernel stack by
// stack_switch, and CR2 as Xen records it in vcpu_info.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <vmi/sched_op.h>
#include <vmi/traps.h>
#include <xen/xen.h>

/* Blocking unmasks events itself, atomically with the check for pending
 * ones; a hypervisor that cannot block gets a plain unmask, which turns
 * the caller's idle loop into polling. */
static void xenpv_idle(void)
{
    if (sched_block() < 0)
        pv_ops.irq.enable();
}

static int xenpv_set_kernel_stack(unsigned long top)
{
    return (int)hypercall_stack_switch(FLAT_KERNEL_SS, top);
}

static unsigned long xenpv_fault_addr(void)
{
    return xenpv_vcpu->arch.cr2;
}

const struct pv_cpu_ops xenpv_cpu_ops = {
    .idle = xenpv_idle,
    .set_kernel_stack = xenpv_set_kernel_stack,
    .fault_addr = xenpv_fault_addr,
};
