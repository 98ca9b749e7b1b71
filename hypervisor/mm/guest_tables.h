/* SPDX-License-Identifier: MIT */
/* The vCPU's page-table roots and the partial demotion it may owe. */
#ifndef XENOLITH_GUEST_TABLES_H
#define XENOLITH_GUEST_TABLES_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

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

struct subsystem_ops;
/* A dying domain's page-table roots and owed demotion. */
extern const struct subsystem_ops guest_tables_subsystem;

#endif
