/* SPDX-License-Identifier: MIT */
/* Helpers the memory hypercalls share: guest address checks, walking a
 * vCPU's page tables to an L1 entry, and the vCPU's base pointers. */
#ifndef XENOLITH_GUEST_MM_H
#define XENOLITH_GUEST_MM_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* Xen's internal flag in the count of a preempted mmu_update/mmuext_op
 * (not in the public headers): the top bit of the 32-bit count. */
#define MMU_UPDATE_PREEMPTED (~(~0U >> 1))

/* Xen's __addr_ok: the START of a guest range is in guest space (below the
 * canonical hole, or at or above HYPERVISOR_VIRT_END). Xen checks handles
 * to arrays this way before copying element by element. */
bool guest_addr_ok(uint64_t va);

/* The L1 table (validated, the domain's) and slot that map va in the
 * vCPU's current tables, found as the CPU would walk them. 0 or -XEN_EINVAL. */
int guest_walk_l1(const struct vcpu *v, uint64_t va, uint64_t *l1_mfn, unsigned int *slot);

/* MMUEXT_NEW_BASEPTR: take a reference to mfn as an L4, switch to it,
 * release the old one. 0, -XEN_ERESTART (preempted: re-issue the op, which
 * is a no-op once the switch is done), or the errno of the failed type
 * reference. */
int vcpu_set_kernel_table(struct vcpu *v, uint64_t mfn);
/* MMUEXT_NEW_USER_BASEPTR; mfn 0 clears it. As above. */
int vcpu_set_user_table(struct vcpu *v, uint64_t mfn);
/* Drops both base-pointer references and any owed demotion (teardown). */
void vcpu_release_tables(struct vcpu *v);

/* The vCPU now owes the partial demotion of mfn (page_type.h's owed) and
 * holds a general reference on it. There is never more than one: the
 * batches stop as soon as one is owed. */
void vcpu_owe_partial(struct vcpu *v, uint64_t mfn);
/* Xen's put_old_guest_table: carries the owed demotion on. 0 when none is
 * left, -XEN_ERESTART when preempted again. */
int vcpu_put_old_guest_table(struct vcpu *v, bool preemptible);

/* Whose pages a batch concerns (Xen's get_pg_owner). Xenolith has no
 * foreign mappings: a known other domain is refused with -EPERM, as Xen's
 * default policy refuses an unprivileged caller. */
enum pg_owner { PG_SELF, PG_FOREIGN, PG_NONE };
enum pg_owner guest_pg_owner(const struct domain *d, uint16_t id);

/* Reads the vCPU bitmap a UVMF_MULTI or MMUEXT_*_MULTI request points at
 * (one word for one vCPU): 0 or -XEN_EFAULT. */
int guest_read_vcpumask(uint64_t ptr);

#endif
