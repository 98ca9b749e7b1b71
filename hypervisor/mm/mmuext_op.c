// SPDX-License-Identifier: MIT
/*
 * mmuext_op: a batch of extended MMU operations (pin/unpin, base pointers,
 * TLB maintenance, page copy/clear), processed in order until the first
 * failure, with Xen's errors and its success count. Preemptible between
 * operations, with mmu_update's continuation encoding.
 */
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "arch/x86/cpu.h"
#include "mm/descriptor.h"
#include "domain/domain.h"
#include "arch/x86/memlayout.h"
#include "lib/errno_name.h"
#include "mm/guest_mm.h"
#include "mm/guest_tables.h"
#include "mm/mmu_batch.h"
#include "hypercall/hypercall.h"
#include "frames/frame_table.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"
#include "common/array_size.h"

#define LDT_MAX_ENTRIES 8192

struct mmuext_ctx {
    struct vcpu *v;
    struct domain *d;
    bool flush; /* a table lost a reference: flush on exit */
};

typedef int mmuext_handler(struct mmuext_ctx *c, const struct mmuext_op *op);

/* A preempted pin answers -ERESTART and is re-issued; one that failed
 * partway leaves the vCPU owing the demotion of what it validated. */
static int op_pin(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    uint64_t owed;
    int rc = pt_pin(op->arg1.mfn, (enum page_type)(PGT_L1 + op->cmd - MMUEXT_PIN_L1_TABLE),
                    &c->d->pt, true, &owed);

    if (owed)
        vcpu_owe_partial(c->v, owed);
    return rc;
}

/* An unpin whose demotion was preempted is done: the vCPU owes the rest,
 * which the next iteration's check hands to the continuation. */
static int op_unpin(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    uint64_t owed;
    int rc = pt_unpin(op->arg1.mfn, &c->d->pt, true, &owed);

    if (!rc)
        c->flush = true;
    if (owed) {
        vcpu_owe_partial(c->v, owed);
        return rc ? rc : DONE_BUT_OWED;
    }
    return rc;
}

static int op_new_baseptr(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    return vcpu_set_kernel_table(c->v, op->arg1.mfn);
}

static int op_new_user_baseptr(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    return vcpu_set_user_table(c->v, op->arg1.mfn);
}

static int op_tlb_flush(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    flush_tlb_local();
    return 0;
}

/* One vCPU: _LOCAL and _ALL are the same; a bad address is ignored. */
static int op_invlpg(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    if (guest_addr_ok(op->arg1.linear_addr))
        invlpg(op->arg1.linear_addr);
    return 0;
}

/* The vCPU mask must be readable; Xen reports a bad one as -EINVAL. */
static int op_flush_multi(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    if (guest_read_vcpumask((uint64_t)op->arg2.vcpumask.p))
        return -XEN_EINVAL;
    if (op->cmd == MMUEXT_TLB_FLUSH_MULTI)
        flush_tlb_local();
    else if (guest_addr_ok(op->arg1.linear_addr))
        invlpg(op->arg1.linear_addr);
    return 0;
}

/* Cache flushes need I/O privileges (Xen's cache_flush_permitted). */
static int op_flush_cache(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    if (!c->d->pt.io_caps)
        return op->cmd == MMUEXT_FLUSH_CACHE ? -XEN_EACCES : -XEN_EINVAL;
    __asm__ volatile("wbinvd" ::: "memory");
    return 0;
}

/* A new LDT: its pages are mapped (and checked) on first use. */
static int op_set_ldt(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    uint32_t ents = op->arg2.nr_ents;
    uint64_t ptr = ents ? op->arg1.linear_addr : 0;

    if ((ptr & (PAGE_SIZE - 1)) || !guest_addr_ok(ptr) || ents > LDT_MAX_ENTRIES)
        return -XEN_EINVAL;
    if (c->v->ldt_ents != ents || c->v->ldt_base != ptr) {
        vcpu_destroy_ldt_shadow(c->v);
        c->v->ldt_base = ptr;
        c->v->ldt_ents = ents;
        cpu_load_ldt(ents ? LDT_VIRT_START : 0, ents);
    }
    return 0;
}

static int op_clear_page(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    uint64_t mfn = op->arg1.mfn;

    if (page_get_and_type(mfn, PGT_WRITABLE, &c->d->pt))
        return -XEN_EINVAL;
    memset(map_table(mfn), 0, PAGE_SIZE);
    page_put_and_type(mfn);
    return 0;
}

static int op_copy_page(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    uint64_t src = op->arg2.src_mfn, dst = op->arg1.mfn;

    if (page_get(src, c->d->domain_id))
        return -XEN_EINVAL;
    if (page_get_and_type(dst, PGT_WRITABLE, &c->d->pt)) {
        page_put(src);
        return -XEN_EINVAL;
    }
    memcpy(map_table(dst), map_table(src), PAGE_SIZE);
    page_put_and_type(dst);
    page_put(src);
    return 0;
}

static int op_superpage(struct mmuext_ctx *c, const struct mmuext_op *op)
{
    return -XEN_EOPNOTSUPP;
}

static mmuext_handler *const mmuext_table[] = {
    [MMUEXT_PIN_L1_TABLE] = op_pin,
    [MMUEXT_PIN_L2_TABLE] = op_pin,
    [MMUEXT_PIN_L3_TABLE] = op_pin,
    [MMUEXT_PIN_L4_TABLE] = op_pin,
    [MMUEXT_UNPIN_TABLE] = op_unpin,
    [MMUEXT_NEW_BASEPTR] = op_new_baseptr,
    [MMUEXT_TLB_FLUSH_LOCAL] = op_tlb_flush,
    [MMUEXT_INVLPG_LOCAL] = op_invlpg,
    [MMUEXT_TLB_FLUSH_MULTI] = op_flush_multi,
    [MMUEXT_INVLPG_MULTI] = op_flush_multi,
    [MMUEXT_TLB_FLUSH_ALL] = op_tlb_flush,
    [MMUEXT_INVLPG_ALL] = op_invlpg,
    [MMUEXT_FLUSH_CACHE] = op_flush_cache,
    [MMUEXT_SET_LDT] = op_set_ldt,
    [MMUEXT_NEW_USER_BASEPTR] = op_new_user_baseptr,
    [MMUEXT_CLEAR_PAGE] = op_clear_page,
    [MMUEXT_COPY_PAGE] = op_copy_page,
    [MMUEXT_FLUSH_CACHE_GLOBAL] = op_flush_cache,
    [MMUEXT_MARK_SUPER] = op_superpage,
    [MMUEXT_UNMARK_SUPER] = op_superpage,
};

long do_mmuext_op(uint64_t uops, unsigned int count, uint64_t pdone, unsigned int foreigndom)
{
    struct mmuext_ctx c = { .v = current_vcpu(), .d = current_domain() };
    struct mmu_batch b = {
        .v = c.v,
        .op = __HYPERVISOR_mmuext_op,
        .list = uops,
        .entry_size = sizeof(struct mmuext_op),
        .count = count,
        .pdone = pdone,
        .foreigndom = foreigndom,
    };
    uint32_t i;
    long rc = 0;

    if (!mmu_batch_begin(&b, &rc))
        return rc;
    switch (guest_pg_owner(c.d, (domid_t)foreigndom)) {
    case PG_NONE:
        return -XEN_ESRCH;
    case PG_FOREIGN:
        return -XEN_EPERM;
    case PG_SELF:
        break;
    }

    for (i = 0; i < b.count; i++) {
        struct mmuext_op op;
        mmuext_handler *fn;

        if ((rc = mmu_batch_fetch(uops, i, &op, sizeof(op))))
            break;
        fn = op.cmd < ARRAY_SIZE(mmuext_table) ? mmuext_table[op.cmd] : NULL;
        rc = fn ? fn(&c, &op) : -XEN_ENOSYS;
        if (rc == 0)
            continue;
        if (rc == DONE_BUT_OWED) {
            rc = mmu_batch_owed(&b, &i);
            break;
        }
        if (rc == -XEN_ERESTART)
            break; /* this op is re-issued by the continuation */
        domain_log_refusal(c.d, "mmuext_op %u (cmd %u, arg %#llx): %s", i, op.cmd,
                           (unsigned long long)op.arg1.mfn, xen_errno_name(rc));
        break;
    }

    if (c.flush)
        flush_tlb_local();
    return mmu_batch_end(&b, i, rc);
}
