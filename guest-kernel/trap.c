// SPDX-License-Identifier: MIT
// The kernel's one trap handler, which both bindings call with the frame:
// timer ticks to the scheduler, system calls to the process layer,
// exceptions from user mode kill the process, from the kernel they are
// fatal (page faults with the vm report).
#include <guest-kernel/trap.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/process.h>
#include <guest-kernel/thread.h>
#include <guest-kernel/vm.h>
#include <pvops/pvops.h>
#include <xen/xen.h>
#include <xen/sched.h>

#define VECTOR_PF 14

void kernel_trap(struct pv_trap_frame *f)
{
    if (f->vector == PV_VECTOR_TIMER) {
        sched_tick();
        return;
    }
    if (f->vector == PV_VECTOR_SYSCALL) {
        process_syscall(f);
        return;
    }
    if (pv_trap_from_user(f))
        process_fault(f);
    if (f->vector == VECTOR_PF)
        vm_page_fault(pv_cpu_fault_addr(), f->rip, f->error);
    kprintf("Lithos: exception %llu at rip %#llx (error %#llx)\n", (unsigned long long)f->vector,
            (unsigned long long)f->rip, (unsigned long long)f->error);
    pv_power_shutdown(SHUTDOWN_crash);
}
