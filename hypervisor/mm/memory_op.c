// SPDX-License-Identifier: MIT
/*
 * memory_op: the domain's reservation (increase, decrease, populate), its
 * size and limits, and the memory maps. The extent operations return how
 * many extents they completed, and Xen's quirks are kept: a reservation
 * that cannot be read, or names an unknown domain, completes 0 extents.
 * They are preemptible between extents, resuming from the extent encoded
 * in the command (Xen's MEMOP_EXTENT_SHIFT).
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/xen.h>
#include "arch/x86/boot_info.h"
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "common/array_size.h"
#include "mm/guest_mm.h"
#include "hypercall/hypercall.h"
#include "frames/frame_table.h"
#include "arch/x86/paging.h"
#include "arch/x86/uaccess.h"

/* Xen's encoding of a memory_op command (internal, not in the public
 * headers): the low 6 bits are the sub-op, the rest the extent to resume
 * from after preemption. */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)

/* Largest extent, as Xen's max_order() with its defaults: 2^9 pages for a
 * guest; 2^18 (CONFIG_PTDOM_MAX_ORDER) for a domain with I/O capabilities
 * (cache_flush_permitted), which Xen's dom0 always has and Xenolith's
 * privileged domain is treated as having (it may use cache attributes).
 * Xen's control and hardware domain limits (2^12) are below that. */
#define DOMU_MAX_ORDER 9
#define PRIV_MAX_ORDER 18

/* Frees the allocation reference of each frame in [mfn, mfn + n): the
 * frames go back to the heap once no mapping, table or pin holds them,
 * and only then leave tot_pages (page_release_frame). */
static void release_allocation(struct domain *d, uint64_t mfn, uint64_t n)
{
    (void)d;
    for (uint64_t j = 0; j < n; j++) {
        struct page_info *pg = mfn_to_page(mfn + j);

        pg->flags &= ~PGF_ALLOCATED;
        page_put(mfn + j);
    }
}

static int alloc_extent(struct domain *d, unsigned int order, uint64_t *first)
{
    uint64_t n = 1ULL << order;
    uint64_t mfn;

    if (d->tot_pages + n > d->max_pages)
        return -XEN_ENOMEM;
    mfn = domain_alloc_extent(d->domain_id, order);
    if (mfn == FRAME_NONE)
        return -XEN_ENOMEM;
    d->tot_pages += n;
    *first = mfn;
    return 0;
}

/*
 * One extent of decrease_reservation, a frame at a time as Xen's
 * guest_remove_page loop: the frames before one that is not the domain's
 * stay given back, though the extent fails and is not counted; a frame
 * still the domain's whose allocation was already given back (a mapping
 * keeps it alive) counts as given back again.
 */
static int remove_extent(struct domain *d, uint64_t mfn, unsigned int order)
{
    uint64_t n = 1ULL << order;

    for (uint64_t j = 0; j < n; j++) {
        const struct page_info *pg = mfn_to_page(mfn + j);

        /* shared_info and the grant-table frames are Xenolith's pages lent
         * to the guest (PGF_LENT), not its RAM (docs/abi.md: Xen lets them
         * go). */
        if (!pg || pg->owner != d->domain_id || (pg->flags & PGF_LENT))
            return -XEN_EINVAL;
        if (pg->flags & PGF_ALLOCATED)
            release_allocation(d, mfn + j, 1);
    }
    return 0;
}

/* Xen 4.17's MAX_NUMNODES (CONFIG_NR_NUMA_NODES as built by default). */
#define XEN_MAX_NUMNODES 64

/*
 * The mem_flags Xen 4.17's construct_memop_from_reservation refuses, before
 * it looks the domain up, which complete 0 extents: an address width of
 * 12 bits or less, and an exact request for a NUMA node other than node 0
 * (the only one) when allocating; an allocation from a node beyond Xen's
 * MAX_NUMNODES fails too, exact or not. Populate-on-demand is refused later, for oneself (see
 * below). Everything else is ignored: vNUMA node requests (no vNUMA), and
 * wider address widths, which Xen honours by allocating below them and
 * Xenolith does not (docs/abi.md).
 */
static bool mem_flags_ok(unsigned int op, unsigned int flags)
{
    unsigned int bits = flags & 0xff, node_field = (flags >> 8) & 0xff;

    if (bits && bits <= 12)
        return false;
    /* The node field holds node + 1; 0 names no node. Only an allocation
     * can fail for want of a node: giving frames back ignores it. */
    if (op == XENMEM_decrease_reservation || (flags & XENMEMF_vnode))
        return true;
    if ((flags & XENMEMF_exact_node_request) && node_field > 1)
        return false;
    /* Xen's allocator has no node beyond MAX_NUMNODES (64) to fall back
     * from: such a request fails, exact or not. */
    if (node_field > XEN_MAX_NUMNODES)
        return false;
    return true;
}

static long reservation_op(struct domain *self, unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    uint64_t list, i;
    struct domain *d;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return (long)start;
    /* As Xen: a count whose progress could not be encoded in a
     * continuation (the command's bits above MEMOP_EXTENT_SHIFT) is
     * refused whole, before anything else. */
    if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT))
        return (long)start;
    if (start >= r.nr_extents)
        return (long)start;
    list = (uint64_t)r.extent_start.p;
    if (list && !guest_addr_ok(list))
        return (long)start;
    if (r.extent_order > (self->is_privileged ? PRIV_MAX_ORDER : DOMU_MAX_ORDER))
        return (long)start;
    if (!mem_flags_ok(op, r.mem_flags))
        return (long)start;
    d = domain_by_any_id(self, r.domid);
    if (!d)
        return (long)start;
    if (d != self)
        return -XEN_EPERM;
    /* Xen's populate_physmap: no populate-on-demand pages for oneself. */
    if (op == XENMEM_populate_physmap && (r.mem_flags & XENMEMF_populate_on_demand))
        return (long)start;

    for (i = start; i < r.nr_extents; i++) {
        uint64_t slot = list + i * sizeof(xen_pfn_t), mfn, gpfn = 0;

        if (i != start && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_memory_op,
                                                 op | (i << MEMOP_EXTENT_SHIFT), arg, 0, 0, 0);

        if (op == XENMEM_decrease_reservation) {
            if (!list || copy_from_guest(&mfn, slot, sizeof(mfn)) ||
                remove_extent(d, mfn, r.extent_order))
                break;
            continue;
        }
        if (op == XENMEM_populate_physmap && (!list || copy_from_guest(&gpfn, slot, sizeof(gpfn))))
            break;
        if (alloc_extent(d, r.extent_order, &mfn))
            break;
        if (op == XENMEM_populate_physmap)
            for (uint64_t j = 0; j < (1ULL << r.extent_order); j++)
                m2p_set(mfn + j, gpfn + j);
        if (list && copy_to_guest(slot, &mfn, sizeof(mfn))) {
            release_allocation(d, mfn, 1ULL << r.extent_order);
            break;
        }
    }
    return (long)i;
}

static long reservation_size(struct domain *self, unsigned int op, uint64_t arg)
{
    domid_t id;
    struct domain *d;

    if (copy_from_guest(&id, arg, sizeof(id)))
        return -XEN_EFAULT;
    d = domain_by_any_id(self, id);
    if (!d)
        return -XEN_ESRCH;
    if (!domain_may_act_on(self, d))
        return -XEN_EPERM;
    switch (op) {
    case XENMEM_current_reservation:
        return (long)d->tot_pages;
    case XENMEM_maximum_reservation:
        return (long)d->max_pages;
    default: /* XENMEM_maximum_gpfn */
        return (long)(d->shared_info->arch.max_pfn ? d->shared_info->arch.max_pfn : 1) - 1;
    }
}

/* Xenolith's domains have no memory map of their own (no toolstack sets
 * one), which Xen answers with -ENOSYS after reading the argument. */
static long memory_map(uint64_t arg)
{
    struct xen_memory_map map;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    return -XEN_ENOSYS;
}

static long machine_memory_map(struct domain *self, uint64_t arg)
{
    struct xen_memory_map map;
    uint64_t buffer;
    unsigned int n = boot_info.nr_e820;

    if (!self->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    buffer = (uint64_t)map.buffer.p;
    if (buffer) {
        if (map.nr_entries < n + 1)
            return -XEN_EINVAL;
        for (unsigned int i = 0; i < n; i++) {
            /* The BIOS e820 layout XENMEM_machine_memory_map returns. */
            struct {
                uint64_t addr, size;
                uint32_t type;
            } __attribute__((packed)) e = {
                boot_info.e820[i].addr,
                boot_info.e820[i].size,
                boot_info.e820[i].type,
            };
            if (copy_to_guest(buffer + (uint64_t)i * sizeof(e), &e, sizeof(e)))
                return -XEN_EFAULT;
        }
    }
    map.nr_entries = n;
    return copy_to_guest(arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

/* The machine frames of the M2P, one per 2 MiB extent. */
static long machphys_mfn_list(uint64_t arg)
{
    struct xen_machphys_mfn_list list;
    uint64_t mfns[64];
    unsigned int n;

    if (copy_from_guest(&list, arg, sizeof(list)))
        return -XEN_EFAULT;
    n = paging_m2p_extents(mfns, list.max_extents < 64 ? list.max_extents : 64);
    for (unsigned int i = 0; i < n; i++)
        if (copy_to_guest((uint64_t)list.extent_start.p + (uint64_t)i * sizeof(xen_pfn_t), &mfns[i],
                          sizeof(mfns[i])))
            return -XEN_EFAULT;
    list.nr_extents = n;
    return copy_to_guest(arg, &list, sizeof(list)) ? -XEN_EFAULT : 0;
}

static long memop_reservation(struct domain *self, unsigned int op, uint64_t start, uint64_t arg)
{
    return reservation_op(self, op, start, arg);
}

static long memop_max_ram_page(struct domain *self, unsigned int op, uint64_t start, uint64_t arg)
{
    return (long)max_mfn;
}

static long memop_size(struct domain *self, unsigned int op, uint64_t start, uint64_t arg)
{
    return reservation_size(self, op, arg);
}

static long memop_memory_map(struct domain *self, unsigned int op, uint64_t start, uint64_t arg)
{
    return memory_map(arg);
}

static long memop_machine_memory_map(struct domain *self, unsigned int op, uint64_t start,
                                     uint64_t arg)
{
    return machine_memory_map(self, arg);
}

static long memop_machphys_mfn_list(struct domain *self, unsigned int op, uint64_t start,
                                    uint64_t arg)
{
    return machphys_mfn_list(arg);
}

/* What a sub-op makes of extent bits (a continuation's start) in the cmd. */
enum memop_start {
    START_RESUMES, /* where a preempted batch goes on */
    START_EINVAL,  /* refused */
    START_UNKNOWN, /* Xen's arch_memory_op matches these on the whole
                    * command: with extent bits they are unknown sub-ops */
};

static const struct memory_subop {
    long (*fn)(struct domain *self, unsigned int op, uint64_t start, uint64_t arg);
    enum memop_start start;
} memory_subops[] = {
    [XENMEM_increase_reservation] = { memop_reservation, START_RESUMES },
    [XENMEM_decrease_reservation] = { memop_reservation, START_RESUMES },
    [XENMEM_populate_physmap] = { memop_reservation, START_RESUMES },
    [XENMEM_maximum_ram_page] = { memop_max_ram_page, START_EINVAL },
    [XENMEM_current_reservation] = { memop_size, START_EINVAL },
    [XENMEM_maximum_reservation] = { memop_size, START_EINVAL },
    [XENMEM_maximum_gpfn] = { memop_size, START_EINVAL },
    [XENMEM_memory_map] = { memop_memory_map, START_UNKNOWN },
    [XENMEM_machine_memory_map] = { memop_machine_memory_map, START_UNKNOWN },
    [XENMEM_machphys_mfn_list] = { memop_machphys_mfn_list, START_UNKNOWN },
};

long do_memory_op(uint64_t cmd, uint64_t arg)
{
    unsigned int op = cmd & MEMOP_CMD_MASK;
    uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;
    const struct memory_subop *sub;

    if (op >= ARRAY_SIZE(memory_subops) || !memory_subops[op].fn)
        return -XEN_ENOSYS;
    sub = &memory_subops[op];
    if (start && sub->start == START_EINVAL)
        return -XEN_EINVAL;
    if (start && sub->start == START_UNKNOWN)
        return -XEN_ENOSYS;
    return sub->fn(current_domain(), op, start, arg);
}
