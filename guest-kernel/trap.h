/* SPDX-License-Identifier: MIT */
/* The handler given to pv_irq_init: every trap, interrupt and syscall. */
#ifndef GUEST_KERNEL_TRAP_H
#define GUEST_KERNEL_TRAP_H

#include <pvops/pvops.h>

void kernel_trap(struct pv_trap_frame *f);

#endif
