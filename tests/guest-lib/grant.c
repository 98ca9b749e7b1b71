// SPDX-License-Identifier: MIT
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/test.h"
#include <vmi/hypercall.h>

long gnttab_op(unsigned int cmd, const void *uop, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop, count);
}

/* x86 keeps stores in order; the fence stops the compiler reordering. */
void grant_set(grant_entry_v1_t *table, grant_ref_t ref, domid_t dom, unsigned long mfn,
               uint16_t flags)
{
    table[ref].flags = 0;
    table[ref].domid = dom;
    table[ref].frame = (uint32_t)mfn;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&table[ref].flags, flags, __ATOMIC_RELEASE);
}
