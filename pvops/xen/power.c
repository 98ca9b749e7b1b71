// SPDX-License-Identifier: MIT
// Xen power off: SCHEDOP_shutdown with the reason as given.
#include <pvops/xen/xenpv.h>
#include <vmi/sched_op.h>

void xenpv_power_shutdown(unsigned int reason)
{
    /* Only returns if the hypervisor refused; the caller spins. */
    sched_shutdown(reason);
}
