/* SPDX-License-Identifier: MIT */
/* The one C entry of every exception and interrupt, called by entry.S's
 * stubs with the frame they built. */
#ifndef XENOLITH_TRAP_DISPATCH_H
#define XENOLITH_TRAP_DISPATCH_H

#include <xen/xen.h>

void do_trap(struct cpu_user_regs *regs);

#endif
