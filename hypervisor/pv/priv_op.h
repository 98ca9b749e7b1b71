/* SPDX-License-Identifier: MIT */
/* The privileged instructions a PV guest relies on, emulated after the
 * #GP or #UD they raise in ring 3 (PV64-ABI.md). */
#ifndef XENOLITH_PRIV_OP_H
#define XENOLITH_PRIV_OP_H

#include <stdbool.h>
#include <xen/xen.h>

struct vcpu;

/* True when the faulting instruction was handled: emulated and stepped
 * over, or (int $n) turned into the software interrupt the guest's trap
 * table allows. False: the guest gets the fault it raised. */
bool priv_op_emulate(struct vcpu *v, struct cpu_user_regs *regs);

#endif
