/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_multicall: several hypercalls for the price of one entry into
 * the hypervisor. Each entry is op plus up to six args, in the order of
 * the hypercall's own registers; its result lands in the entry.
 */
#ifndef VMI_MULTICALL_H
#define VMI_MULTICALL_H

#include <vmi/hypercall.h>
#include <xen/xen.h>

/* IN: call[i].op, call[i].args. OUT: call[i].result. Returns 0 when every
 * entry was attempted; the entries' own results say whether they worked. */
static inline long hypercall_multicall(multicall_entry_t *call, unsigned int count)
{
    return hypercall2(__HYPERVISOR_multicall, (unsigned long)call, count);
}

#endif
