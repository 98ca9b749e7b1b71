/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_iret, for assembly: the guest pushes the iret_context flags
 * word (0, or VGCF_in_syscall) above an iretq frame and jumps here; the
 * stub pushes rcx, r11 and rax and never returns (xen-x86_64.h).
 */
#ifndef VMI_IRET_H
#define VMI_IRET_H

#include <xen/xen.h>

#define HYPERCALL_IRET_OFFSET (__HYPERVISOR_iret * 32)

#endif
