/* SPDX-License-Identifier: MIT */
/*
 * What mmu_update and mmuext_op share, as Xen's do_mmu_update and
 * do_mmuext_op share it: a guest array of entries run one by one, a
 * progress count in *pdone, preemption between entries with a continuation
 * that carries the rest (count | MMU_UPDATE_PREEMPTED), and the demotion a
 * vCPU may owe (old_guest_table) carried on before anything else, with the
 * call's answer coming back through foreigndom once it is. Inline: it is
 * the hot path of both hypercalls.
 */
#ifndef XENOLITH_MMU_BATCH_H
#define XENOLITH_MMU_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include "arch/x86/uaccess.h"
#include "domain/domain.h"
#include "hypercall/continuation.h"
#include "mm/guest_mm.h"
#include "mm/guest_tables.h"

/* An entry that was done but left the vCPU owing a demotion: the batch
 * stops after it (Xen's old_guest_table check before the next entry),
 * without a check in the loop for every entry. */
#define DONE_BUT_OWED 1

struct mmu_batch {
    struct vcpu *v;
    unsigned int op; /* __HYPERVISOR_mmu_update or __HYPERVISOR_mmuext_op */
    uint64_t list;   /* the guest's array */
    size_t entry_size;
    unsigned int count; /* entries in this call, without the flag */
    uint64_t pdone;
    unsigned int foreigndom;
    uint32_t done; /* entries done by earlier calls of the same batch */
};

/* The start of a call. False with the call's answer in *rc when it ends
 * here: a demotion still owed (re-issued as it came), the final
 * continuation's answer, or an array outside guest space. */
static inline bool mmu_batch_begin(struct mmu_batch *b, long *rc)
{
    if (b->v->has_old_guest_table && vcpu_put_old_guest_table(b->v, true)) {
        *rc = hypercall_create_continuation(b->op, b->list, b->count, b->pdone, b->foreigndom, 0);
        return false;
    }
    if (b->count == MMU_UPDATE_PREEMPTED && !b->list) {
        *rc = (int32_t)b->foreigndom;
        return false;
    }
    b->done = 0;
    if (b->count & MMU_UPDATE_PREEMPTED) {
        b->count &= ~MMU_UPDATE_PREEMPTED;
        if (b->pdone)
            (void)copy_from_guest(&b->done, b->pdone, sizeof(b->done));
    }
    if (!guest_addr_ok(b->list)) {
        *rc = -XEN_EFAULT;
        return false;
    }
    return true;
}

/* Entry i of the array at list into `entry` (size bytes, a constant at
 * each caller, so the copy stays as short as a hand-written one): 0,
 * -XEN_ERESTART (preempted before it; never before the first) or
 * -XEN_EFAULT. */
static inline long mmu_batch_fetch(uint64_t list, uint32_t i, void *entry, size_t size)
{
    if (i && hypercall_preempt_check())
        return -XEN_ERESTART;
    if (copy_from_guest(entry, list + (uint64_t)i * size, size))
        return -XEN_EFAULT;
    return 0;
}

/* Entry i answered DONE_BUT_OWED: it counts as done, and the batch stops
 * so that the demotion goes first, then the rest (or, after the last
 * entry, the final continuation). */
static inline long mmu_batch_owed(const struct mmu_batch *b, uint32_t *i)
{
    (*i)++;
    return *i < b->count ? -XEN_ERESTART : 0;
}

/* The end of a call after entries [0, i) were done and the loop stopped
 * with rc: *pdone is updated and the continuation made if one is due. */
static inline long mmu_batch_end(const struct mmu_batch *b, uint32_t i, long rc)
{
    if (b->pdone) {
        uint32_t done = b->done + i;

        (void)copy_to_guest(b->pdone, &done, sizeof(done));
    }
    if (rc == -XEN_ERESTART)
        return hypercall_create_continuation(b->op, b->list + (uint64_t)i * b->entry_size,
                                             (b->count - i) | MMU_UPDATE_PREEMPTED, b->pdone,
                                             b->foreigndom, 0);
    if (b->v->has_old_guest_table)
        /* Done or failed, with a demotion still owed: it is carried on
         * first, then the answer comes back through foreigndom. */
        return hypercall_create_continuation(b->op, 0, MMU_UPDATE_PREEMPTED, 0, (uint32_t)rc, 0);
    return rc;
}

#endif
