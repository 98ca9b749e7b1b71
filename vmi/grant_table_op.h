/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_grant_table_op: a domain's grant table and its use of others'. */
#ifndef VMI_GRANT_TABLE_OP_H
#define VMI_GRANT_TABLE_OP_H

#include <vmi/hypercall.h>
#include <xen/grant_table.h>

/* IN/OUT: uop, an array of count GNTTABOP_<cmd> structures. */
static inline long hypercall_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop, count);
}

#endif
