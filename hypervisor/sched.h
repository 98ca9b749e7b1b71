/* SPDX-License-Identifier: MIT */
/* Round-robin over the domains' vCPUs. A switch happens only on the way
 * back to a guest, so no hypervisor stack ever has to be kept per vCPU. */
#ifndef XENOLITH_SCHED_H
#define XENOLITH_SCHED_H

#include <stdint.h>
#include <xen/xen.h>

struct vcpu;

/* Ask for a scheduling decision before the next return to a guest. */
void sched_request(void);
void sched_add_vcpu(struct vcpu *v);
/* Runs the first vCPU; never returns. */
__attribute__((noreturn)) void sched_start(void);
/* Called by return_to_guest with the frame it is about to restore. */
void return_to_guest_prepare(struct cpu_user_regs *frame);

#endif
