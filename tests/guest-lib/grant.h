/* SPDX-License-Identifier: MIT */
/* Grant-table helpers for test guests: the hypercall and the granter's side
 * of the v1 flag protocol. */
#ifndef TESTS_COMMON_GRANT_H
#define TESTS_COMMON_GRANT_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

/* HYPERVISOR_grant_table_op through the hypercall page. */
long gnttab_op(unsigned int cmd, const void *uop, unsigned int count);

/* Fills table[ref] for dom and mfn, then publishes it with flags: frame and
 * domid before the flags, as the granter's protocol requires. */
void grant_set(grant_entry_v1_t *table, grant_ref_t ref, domid_t dom, unsigned long mfn,
               uint16_t flags);

#endif
