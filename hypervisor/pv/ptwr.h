/* SPDX-License-Identifier: MIT */
/* Writable page tables: emulate a guest's store to its read-only L1. */
#ifndef XENOLITH_PTWR_H
#define XENOLITH_PTWR_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

/* For a #PF from the guest at cr2: true when the store was an L1 update
 * that Xenolith validated, applied and stepped over; false when the fault
 * is the guest's own. */
bool ptwr_emulate(struct cpu_user_regs *regs, uint64_t cr2);

#endif
