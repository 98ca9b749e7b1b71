// SPDX-License-Identifier: MIT
// Xen PV page tables. Table pages are read-only to the guest, so every
// update is a hypercall on machine addresses (pfns go through the p2m, and
// back through the M2P). Updates go through one queue of multicall entries;
// outside lazy mode it is flushed at once, inside it at lazy_leave or when
// full, so a batch of any mix costs one hypercall. A refused hypercall is
// a kernel bug: it is printed and the domain crashes.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <pvops/pte.h>
#include <vmi/m2p.h>
#include <vmi/mmu_update.h>
#include <vmi/mmuext_op.h>
#include <vmi/multicall.h>
#include <vmi/update_va_mapping.h>
#include <stdint.h>
#include <stdio.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/sched.h>

/* Sized for a 64-page map with its new tables in one batch (vmalloc). */
enum {
    QUEUE_REQS = 128,
    QUEUE_OPS = 16,
    QUEUE_CALLS = 16,
};

static const xen_pfn_t *p2m;
static unsigned long nr_p2m;
static char *direct_map;
static unsigned long direct_map_pfns;

/*
 * Calls are in program order; consecutive mmu_update (or mmuext_op)
 * requests share one call whose array is the tail of req[] (op[]), since a
 * new call of that kind always starts at the current end of its array.
 */
static struct {
    unsigned int depth; /* lazy_enter nesting */
    unsigned int nr_req, nr_op, nr_call;
    mmu_update_t req[QUEUE_REQS];
    struct mmuext_op op[QUEUE_OPS];
    multicall_entry_t call[QUEUE_CALLS];
    unsigned int done[QUEUE_CALLS]; /* OUT of mmu_update/mmuext_op */
} q;

static unsigned long hypercalls;

unsigned long xenpv_mmu_hypercalls(void)
{
    return hypercalls;
}

static long issue_mmu_update(multicall_entry_t *c, unsigned int *done)
{
    return hypercall_mmu_update((mmu_update_t *)c->args[0], (unsigned int)c->args[1], done,
                                DOMID_SELF);
}

static long issue_mmuext_op(multicall_entry_t *c, unsigned int *done)
{
    return hypercall_mmuext_op((struct mmuext_op *)c->args[0], (unsigned int)c->args[1], done,
                               DOMID_SELF);
}

static long issue_update_va_mapping(multicall_entry_t *c, unsigned int *done)
{
    return hypercall_update_va_mapping(c->args[0], c->args[1], c->args[2]);
}

/* What a failed call was doing, for the report: the first request that
 * was not applied, where the hypercall counts them. */
static void describe_mmu_update(const multicall_entry_t *c, unsigned int done, char *buf,
                                size_t len)
{
    const mmu_update_t *r = (const mmu_update_t *)c->args[0];
    unsigned int i = done < c->args[1] ? done : 0;

    snprintf(buf, len, "request %u of %lu: ptr %#llx val %#llx", i, (unsigned long)c->args[1],
             (unsigned long long)r[i].ptr, (unsigned long long)r[i].val);
}

static void describe_mmuext_op(const multicall_entry_t *c, unsigned int done, char *buf, size_t len)
{
    const struct mmuext_op *o = (const struct mmuext_op *)c->args[0];
    unsigned int i = done < c->args[1] ? done : 0;

    snprintf(buf, len, "op %u of %lu: cmd %u arg %#lx", i, (unsigned long)c->args[1], o[i].cmd,
             (unsigned long)o[i].arg1.linear_addr);
}

static void describe_update_va_mapping(const multicall_entry_t *c, unsigned int done, char *buf,
                                       size_t len)
{
    snprintf(buf, len, "va %#lx val %#llx flags %#lx", (unsigned long)c->args[0],
             (unsigned long long)c->args[1], (unsigned long)c->args[2]);
}

static const struct {
    const char *name;
    long (*issue)(multicall_entry_t *c, unsigned int *done);
    void (*describe)(const multicall_entry_t *c, unsigned int done, char *buf, size_t len);
} calls[] = {
    [__HYPERVISOR_mmu_update] = { "mmu_update", issue_mmu_update, describe_mmu_update },
    [__HYPERVISOR_mmuext_op] = { "mmuext_op", issue_mmuext_op, describe_mmuext_op },
    [__HYPERVISOR_update_va_mapping] = { "update_va_mapping", issue_update_va_mapping,
                                         describe_update_va_mapping },
};

static __attribute__((noreturn)) void mmu_bug(const char *what, long rc, const char *detail)
{
    char buf[192];
    int n = snprintf(buf, sizeof(buf), "Lithos: %s failed: %ld (%s)\n", what, rc, detail);

    xenpv_console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    xenpv_power_shutdown(SHUTDOWN_crash);
    for (;;)
        ;
}

/* One call goes straight to its hypercall; more go as one multicall. */
static int flush(void)
{
    char detail[128];
    long rc;

    if (q.nr_call == 0)
        return 0;
    hypercalls++;
    if (q.nr_call == 1) {
        multicall_entry_t *c = &q.call[0];

        c->result = (xen_ulong_t)calls[c->op].issue(c, &q.done[0]);
    } else {
        rc = hypercall_multicall(q.call, q.nr_call);
        if (rc < 0) {
            snprintf(detail, sizeof(detail), "%u calls", q.nr_call);
            mmu_bug("multicall", rc, detail);
        }
    }
    for (unsigned int i = 0; i < q.nr_call; i++) {
        const multicall_entry_t *c = &q.call[i];

        if ((long)c->result < 0) {
            calls[c->op].describe(c, q.done[i], detail, sizeof(detail));
            mmu_bug(calls[c->op].name, (long)c->result, detail);
        }
    }
    q.nr_req = q.nr_op = q.nr_call = 0;
    return 0;
}

static int flush_unless_lazy(void)
{
    return q.depth ? 0 : flush();
}

static multicall_entry_t *new_call(unsigned long op)
{
    multicall_entry_t *c = &q.call[q.nr_call];

    *c = (multicall_entry_t){ .op = op };
    q.done[q.nr_call] = 0;
    q.nr_call++;
    return c;
}

/* The newest call, if it is an array call of this op that can grow. */
static multicall_entry_t *open_call(unsigned long op)
{
    if (q.nr_call && q.call[q.nr_call - 1].op == op)
        return &q.call[q.nr_call - 1];
    return NULL;
}

static int queue_mmu_update(uint64_t ptr, uint64_t val)
{
    multicall_entry_t *c = open_call(__HYPERVISOR_mmu_update);

    if (q.nr_req == QUEUE_REQS || (!c && q.nr_call == QUEUE_CALLS)) {
        flush();
        c = NULL;
    }
    if (!c) {
        c = new_call(__HYPERVISOR_mmu_update);
        c->args[0] = (xen_ulong_t)&q.req[q.nr_req];
        c->args[2] = (xen_ulong_t)&q.done[q.nr_call - 1];
        c->args[3] = DOMID_SELF;
    }
    q.req[q.nr_req++] = (mmu_update_t){ .ptr = ptr, .val = val };
    c->args[1]++;
    return flush_unless_lazy();
}

static int queue_mmuext(struct mmuext_op op)
{
    multicall_entry_t *c = open_call(__HYPERVISOR_mmuext_op);

    if (q.nr_op == QUEUE_OPS || (!c && q.nr_call == QUEUE_CALLS)) {
        flush();
        c = NULL;
    }
    if (!c) {
        c = new_call(__HYPERVISOR_mmuext_op);
        c->args[0] = (xen_ulong_t)&q.op[q.nr_op];
        c->args[2] = (xen_ulong_t)&q.done[q.nr_call - 1];
        c->args[3] = DOMID_SELF;
    }
    q.op[q.nr_op++] = op;
    c->args[1]++;
    return flush_unless_lazy();
}

static int queue_update_va_mapping(unsigned long va, uint64_t val, unsigned long flags)
{
    multicall_entry_t *c;

    if (q.nr_call == QUEUE_CALLS)
        flush();
    c = new_call(__HYPERVISOR_update_va_mapping);
    c->args[0] = va;
    c->args[1] = val;
    c->args[2] = flags;
    return flush_unless_lazy();
}

static int pfn_to_mfn(unsigned long pfn, xen_pfn_t *mfn)
{
    if (pfn >= nr_p2m || p2m[pfn] == INVALID_MFN)
        return -XEN_EINVAL;
    *mfn = p2m[pfn];
    return 0;
}

static int xenpv_make_entry(unsigned long pfn, uint64_t flags, uint64_t *entry)
{
    xen_pfn_t mfn;
    int rc = pfn_to_mfn(pfn, &mfn);

    if (rc < 0)
        return rc;
    *entry = ((uint64_t)mfn << 12) | flags | PTE_USER;
    return 0;
}

/* A frame that is not this domain's fails the round trip through the p2m. */
static int xenpv_entry_pfn(uint64_t entry, unsigned long *pfn)
{
    xen_pfn_t mfn = (entry & PTE_ADDR_MASK) >> 12;
    unsigned long p;

    if (mfn >= MACH2PHYS_NR_ENTRIES)
        return -XEN_EINVAL;
    p = m2p_lookup(mfn);
    if (p >= nr_p2m || p2m[p] != mfn)
        return -XEN_EINVAL;
    *pfn = p;
    return 0;
}

static int xenpv_set_entry(unsigned int level, unsigned long table_pfn, unsigned int index,
                           uint64_t entry)
{
    xen_pfn_t mfn;
    int rc = pfn_to_mfn(table_pfn, &mfn);

    if (rc < 0 || index >= PT_ENTRIES)
        return rc < 0 ? rc : -XEN_EINVAL;
    return queue_mmu_update(((uint64_t)mfn << 12 | index * sizeof(uint64_t)) | MMU_NORMAL_PT_UPDATE,
                            entry);
}

static int xenpv_new_baseptr(unsigned long l4_pfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
    int rc = pfn_to_mfn(l4_pfn, &op.arg1.mfn);

    return rc < 0 ? rc : queue_mmuext(op);
}

/* mfn 0 clears the user root, which is how a dying address space is let go. */
static int xenpv_new_user_baseptr(unsigned long l4_pfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };
    int rc = l4_pfn == PV_NO_USER_ROOT ? 0 : pfn_to_mfn(l4_pfn, &op.arg1.mfn);

    return rc < 0 ? rc : queue_mmuext(op);
}

static int xenpv_flush_tlb(void)
{
    return queue_mmuext((struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL });
}

static int xenpv_invlpg(unsigned long va)
{
    return queue_mmuext((struct mmuext_op){ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va });
}

static const unsigned int pin_cmd[PT_LEVELS + 1] = {
    [1] = MMUEXT_PIN_L1_TABLE,
    [2] = MMUEXT_PIN_L2_TABLE,
    [3] = MMUEXT_PIN_L3_TABLE,
    [4] = MMUEXT_PIN_L4_TABLE,
};

static int xenpv_pin_table(unsigned int level, unsigned long pfn)
{
    struct mmuext_op op;
    int rc;

    if (level < 1 || level > PT_LEVELS)
        return -XEN_EINVAL;
    op = (struct mmuext_op){ .cmd = pin_cmd[level] };
    rc = pfn_to_mfn(pfn, &op.arg1.mfn);
    return rc < 0 ? rc : queue_mmuext(op);
}

static int xenpv_unpin_table(unsigned long pfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_UNPIN_TABLE };
    int rc = pfn_to_mfn(pfn, &op.arg1.mfn);

    return rc < 0 ? rc : queue_mmuext(op);
}

/* Remaps the kernel's own alias of pfn; Xen refuses to use a frame as a
 * table while any writable mapping of it exists. */
static int remap_direct(unsigned long pfn, uint64_t flags)
{
    uint64_t entry;
    int rc;

    if (pfn >= direct_map_pfns)
        return -XEN_EINVAL;
    rc = xenpv_make_entry(pfn, flags, &entry);
    if (rc < 0)
        return rc;
    return queue_update_va_mapping((unsigned long)(direct_map + (pfn << 12)), entry,
                                   UVMF_INVLPG | UVMF_LOCAL);
}

static int xenpv_alloc_pt_page(unsigned int level, unsigned long pfn)
{
    return remap_direct(pfn, PTE_PRESENT | PTE_ACCESSED);
}

static int xenpv_release_pt_page(unsigned long pfn)
{
    return remap_direct(pfn, PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY);
}

static void xenpv_lazy_enter(void)
{
    q.depth++;
}

static int xenpv_lazy_leave(void)
{
    if (q.depth == 0)
        return -XEN_EINVAL;
    return --q.depth ? 0 : flush();
}

static const struct pv_mmu_ops xenpv_mmu_ops = {
    .make_entry = xenpv_make_entry,
    .entry_pfn = xenpv_entry_pfn,
    .set_entry = xenpv_set_entry,
    .new_baseptr = xenpv_new_baseptr,
    .new_user_baseptr = xenpv_new_user_baseptr,
    .flush_tlb = xenpv_flush_tlb,
    .invlpg = xenpv_invlpg,
    .pin_table = xenpv_pin_table,
    .unpin_table = xenpv_unpin_table,
    .alloc_pt_page = xenpv_alloc_pt_page,
    .release_pt_page = xenpv_release_pt_page,
    .lazy_enter = xenpv_lazy_enter,
    .lazy_leave = xenpv_lazy_leave,
};

void xenpv_mmu_install(const start_info_t *si, void *direct_map_base, unsigned long nr_pfns)
{
    p2m = (const xen_pfn_t *)si->mfn_list;
    nr_p2m = si->nr_pages;
    direct_map = direct_map_base;
    direct_map_pfns = nr_pfns;
    pv_ops.mmu = xenpv_mmu_ops;
}

void *xenpv_pfn_to_virt(unsigned long pfn)
{
    return direct_map + (pfn << 12);
}
