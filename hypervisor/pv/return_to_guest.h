/* SPDX-License-Identifier: MIT */
/* Called by entry.S's return_to_guest with the frame it is about to
 * restore: switches vCPU if a decision is pending, delivers a pending
 * event, and leaves only what a PV guest may choose in the frame. */
#ifndef XENOLITH_RETURN_TO_GUEST_H
#define XENOLITH_RETURN_TO_GUEST_H

#include <xen/xen.h>

void return_to_guest_prepare(struct cpu_user_regs *frame);

#endif
