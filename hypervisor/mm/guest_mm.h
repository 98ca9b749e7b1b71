/* SPDX-License-Identifier: MIT */
/* Helpers the memory hypercalls share: walking a vCPU's page tables to an
 * L1 entry, whose pages a batch concerns, the vCPU mask of a flush. The
 * vCPU's page-table roots are guest_tables.h's. */
#ifndef XENOLITH_GUEST_MM_H
#define XENOLITH_GUEST_MM_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* Xen's internal flag in the count of a preempted mmu_update/mmuext_op
 * (not in the public headers): the top bit of the 32-bit count. */
#define MMU_UPDATE_PREEMPTED (~(~0U >> 1))

/* The L1 table (validated, the domain's) and slot that map va in the
 * vCPU's current tables, found as the CPU would walk them. 0 or -XEN_EINVAL. */
int guest_walk_l1(const struct vcpu *v, uint64_t va, uint64_t *l1_mfn, unsigned int *slot);

/* Whose pages a batch concerns (Xen's get_pg_owner). Xenolith has no
 * foreign mappings: a known other domain is refused with -EPERM, as Xen's
 * default policy refuses an unprivileged caller. */
enum pg_owner { PG_SELF, PG_FOREIGN, PG_NONE };
enum pg_owner guest_pg_owner(const struct domain *d, uint16_t id);

/* Reads the vCPU bitmap a UVMF_MULTI or MMUEXT_*_MULTI request points at
 * (one word for one vCPU): 0 or -XEN_EFAULT. */
int guest_read_vcpumask(uint64_t ptr);

#endif
