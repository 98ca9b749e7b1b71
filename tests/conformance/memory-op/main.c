// SPDX-License-Identifier: MIT
/*
 * memory-op: the XENMEM sub-ops a PV guest uses: memory maps, reservation
 * sizes, and giving a frame back and getting one again, whose answers do
 * not depend on the domain's size (sizes are read first). Expected values
 * are Xen 4.17's answers as dom0 (dom0_mem=64M).
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "common/array_size.h"

const char test_title[] = "memory-op";

#define E820_RAM    1
#define MAP_ENTRIES 64

struct e820entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));

static struct e820entry map[MAP_ENTRIES];
static domid_t self = DOMID_SELF;

static long reservation(unsigned long cmd, domid_t dom)
{
    return hc_memory_op(cmd, &dom);
}

static void test_sizes(void)
{
    long maxram = hc_memory_op(XENMEM_maximum_ram_page, NULL);
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    long max = reservation(XENMEM_maximum_reservation, DOMID_SELF);

    printk("memory-op: maximum_ram_page %#lx, current %ld, maximum %ld, nr_pages %lu\n", maxram,
           cur, max, test_start_info->nr_pages);
    if (maxram <= 0)
        test_failure("maximum_ram_page: expected > 0, got %ld", maxram);
    check_long("current_reservation DOMID_SELF = start_info nr_pages",
               (long)test_start_info->nr_pages, cur);
    if (max < cur)
        test_failure("maximum_reservation: expected >= current %ld, got %ld", cur, max);
    check_long("current_reservation domid 0", cur, reservation(XENMEM_current_reservation, 0));
    check_long("current_reservation domid 1234", -XEN_ESRCH,
               reservation(XENMEM_current_reservation, 1234));
    check_long("maximum_reservation domid 1234", -XEN_ESRCH,
               reservation(XENMEM_maximum_reservation, 1234));
    check_long("current_reservation DOMID_IO", -XEN_ESRCH,
               reservation(XENMEM_current_reservation, DOMID_IO));
    check_long("current_reservation pointer NULL", -XEN_EFAULT,
               hc_memory_op(XENMEM_current_reservation, NULL));
    check_long("maximum_reservation pointer in the hole", -XEN_EFAULT,
               hc_memory_op(XENMEM_maximum_reservation, (void *)BAD_VA_HOLE));
    /* For PV, Xen derives it from shared_info->arch.max_pfn, which this
     * guest never writes: 0. */
    check_long("maximum_gpfn (shared_info max_pfn unset)", 0,
               hc_memory_op(XENMEM_maximum_gpfn, &self));
    check_long("unknown sub-op 0x3f", -XEN_ENOSYS, hc_memory_op(0x3f, &self));
}

static void test_maps(void)
{
    struct xen_memory_map mm = { .nr_entries = MAP_ENTRIES };
    long rc;

    set_xen_guest_handle(mm.buffer, map);
    /* Xen has no pseudo-physical map for a PV dom0 (only the machine's). */
    check_long("memory_map", -XEN_ENOSYS, hc_memory_op(XENMEM_memory_map, &mm));

    mm.nr_entries = MAP_ENTRIES;
    rc = hc_memory_op(XENMEM_machine_memory_map, &mm);
    if (check_long("machine_memory_map (dom0)", 0, rc)) {
        unsigned long ram = 0;

        if (mm.nr_entries == 0 || mm.nr_entries > MAP_ENTRIES)
            test_failure("machine_memory_map: expected 1..%d entries, got %u", MAP_ENTRIES,
                         mm.nr_entries);
        for (unsigned int i = 0; i < mm.nr_entries && i < MAP_ENTRIES; i++)
            if (map[i].type == E820_RAM)
                ram += map[i].size;
        printk("memory-op: machine_memory_map: %u entries, %lu MiB RAM\n", mm.nr_entries,
               ram >> 20);
        if (ram < (test_start_info->nr_pages << 12))
            test_failure("machine_memory_map: expected >= our %lu pages of RAM, got %lu bytes",
                         test_start_info->nr_pages, ram);
    }
    /* Xen's arch sub-ops match the whole command: extent (continuation)
     * bits above the sub-op make it unknown. */
    mm.nr_entries = MAP_ENTRIES;
    check_long("machine_memory_map with extent bits", -XEN_ENOSYS,
               hc_memory_op(XENMEM_machine_memory_map | (1UL << 6), &mm));
    {
        static xen_pfn_t m2p_frames[4];
        struct xen_machphys_mfn_list l = { .max_extents = 4 };

        set_xen_guest_handle(l.extent_start, m2p_frames);
        check_long("machphys_mfn_list", 0, hc_memory_op(XENMEM_machphys_mfn_list, &l));
        check_long("machphys_mfn_list with extent bits", -XEN_ENOSYS,
                   hc_memory_op(XENMEM_machphys_mfn_list | (3UL << 6), &l));
        check_long("memory_map with extent bits", -XEN_ENOSYS,
                   hc_memory_op(XENMEM_memory_map | (1UL << 6), &mm));
        check_long("current_reservation with extent bits", -XEN_EINVAL,
                   hc_memory_op(XENMEM_current_reservation | (1UL << 6), &self));
    }
    /* A buffer too small for the whole map is refused, not truncated. */
    mm.nr_entries = 1;
    check_long("machine_memory_map, room for 1 entry", -XEN_EINVAL,
               hc_memory_op(XENMEM_machine_memory_map, &mm));
    mm.nr_entries = MAP_ENTRIES;
    set_xen_guest_handle(mm.buffer, (struct e820entry *)BAD_VA_HOLE);
    check_long("machine_memory_map buffer in the hole", -XEN_EFAULT,
               hc_memory_op(XENMEM_machine_memory_map, &mm));
    check_long("machine_memory_map struct NULL", -XEN_EFAULT,
               hc_memory_op(XENMEM_machine_memory_map, NULL));
    check_long("memory_map struct in the hole", -XEN_EFAULT,
               hc_memory_op(XENMEM_memory_map, (void *)BAD_VA_HOLE));
}

static long reserve(unsigned long cmd, xen_pfn_t *list, unsigned long n, unsigned int order,
                    domid_t dom)
{
    struct xen_memory_reservation r = { .nr_extents = n, .extent_order = order, .domid = dom };

    set_xen_guest_handle(r.extent_start, list);
    return hc_memory_op(cmd, &r);
}

/*
 * Give back an unmapped frame of ours, then get one with each of
 * populate_physmap and increase_reservation, so the domain is never above
 * its size at start. PV: the lists hold machine frames for decrease and
 * increase, and the pfn for populate, which returns the new mfn in place
 * and has the hypervisor set the M2P.
 */
static void test_reservations(void)
{
    const volatile unsigned long *m2p = (const volatile unsigned long *)MACH2PHYS_VIRT_START;
    unsigned long *p2m = (unsigned long *)test_start_info->mfn_list;
    unsigned long pfn = unmapped_pfn(3), old_mfn;
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    xen_pfn_t list[2];

    if (!pfn) {
        test_error("no unmapped pfn to give back (nr_pages %lu)", test_start_info->nr_pages);
        return;
    }
    old_mfn = p2m[pfn];
    list[0] = old_mfn;
    check_long("decrease_reservation 1 own frame", 1,
               reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));
    check_long("decrease_reservation: current shrank", cur - 1,
               reservation(XENMEM_current_reservation, DOMID_SELF));
    check_long("decrease_reservation of the same frame again", 0,
               reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));

    list[0] = pfn;
    if (check_long("populate_physmap 1 frame", 1,
                   reserve(XENMEM_populate_physmap, list, 1, 0, DOMID_SELF))) {
        check_long("populate_physmap: M2P of the new frame", (long)pfn, (long)m2p[list[0]]);
        p2m[pfn] = list[0];
    }
    check_long("populate_physmap: current back", cur,
               reservation(XENMEM_current_reservation, DOMID_SELF));

    /* Round trip with increase_reservation too. */
    list[0] = p2m[pfn];
    check_long("decrease_reservation the new frame", 1,
               reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));
    list[0] = 0;
    if (check_long("increase_reservation 1 frame", 1,
                   reserve(XENMEM_increase_reservation, list, 1, 0, DOMID_SELF))) {
        check_long("increase_reservation: an mfn came back", 1, list[0] != 0);
        p2m[pfn] = list[0];
        check_long("MACHPHYS_UPDATE for the increased frame", 0,
                   mmu_update_one(((uint64_t)list[0] << 12) | MMU_MACHPHYS_UPDATE, pfn, NULL));
    }
    check_long("increase_reservation: current back", cur,
               reservation(XENMEM_current_reservation, DOMID_SELF));

    check_long("decrease_reservation 0 extents", 0,
               reserve(XENMEM_decrease_reservation, list, 0, 0, DOMID_SELF));
    check_long("increase_reservation 0 extents", 0,
               reserve(XENMEM_increase_reservation, list, 0, 0, DOMID_SELF));
    list[0] = 0xffffffff0UL;
    check_long("decrease_reservation of an mfn beyond RAM", 0,
               reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));
    /* The reservation sub-ops return the number of extents done, so a bad
     * domid or an unreadable struct is "0 done", never an errno. */
    list[0] = 0x100;
    check_long("decrease_reservation domid 1234", 0,
               reserve(XENMEM_decrease_reservation, list, 1, 0, 1234));
    check_long("populate_physmap domid 1234", 0,
               reserve(XENMEM_populate_physmap, list, 1, 0, 1234));
    check_long("increase_reservation extent list in the hole", 0,
               reserve(XENMEM_increase_reservation, (xen_pfn_t *)BAD_VA_HOLE, 1, 0, DOMID_SELF));
    check_long(
        "decrease_reservation extent list unmapped", 0,
        reserve(XENMEM_decrease_reservation, (xen_pfn_t *)BAD_VA_UNMAPPED, 1, 0, DOMID_SELF));
    /* Xen refuses a count too large to encode in a continuation
     * (UINT_MAX >> 6) whole, even when the first extent would do. */
    list[0] = p2m[unmapped_pfn(3)];
    check_long("decrease_reservation nr_extents 0x4000000", 0,
               reserve(XENMEM_decrease_reservation, list, 0x4000000, 0, DOMID_SELF));
    check_long("increase_reservation nr_extents 2^63", 0,
               reserve(XENMEM_increase_reservation, list, 1UL << 63, 0, DOMID_SELF));
    check_long("populate_physmap nr_extents 0x80000000", 0,
               reserve(XENMEM_populate_physmap, list, 0x80000000UL, 0, DOMID_SELF));
    check_long("decrease_reservation struct NULL", 0,
               hc_memory_op(XENMEM_decrease_reservation, NULL));
    check_long("populate_physmap struct in the hole", 0,
               hc_memory_op(XENMEM_populate_physmap, (void *)BAD_VA_HOLE));
    check_long("current unchanged by the refusals", cur,
               reservation(XENMEM_current_reservation, DOMID_SELF));
}

/*
 * mem_flags, as Xen 4.17 reads them: an address width of 12 bits or less,
 * populate-on-demand for oneself, an exact request for a NUMA node other
 * than node 0 and an allocation from a node beyond Xen's 64 each complete
 * 0 extents; vNUMA node requests (no
 * vNUMA here), exact requests without a node or for node 0, wide address
 * widths and unknown upper bits are ignored. One frame is given back
 * first so that the accepted requests have room.
 */
static void test_mem_flags(void)
{
    static const struct {
        const char *name;
        unsigned int op, flags;
    } refused[] = {
        { "increase, address bits 1", XENMEM_increase_reservation, XENMEMF_address_bits(1) },
        { "increase, address bits 12", XENMEM_increase_reservation, XENMEMF_address_bits(12) },
        { "populate, address bits 12", XENMEM_populate_physmap, XENMEMF_address_bits(12) },
        { "populate, populate_on_demand", XENMEM_populate_physmap, XENMEMF_populate_on_demand },
        { "increase, exact node 1", XENMEM_increase_reservation,
          XENMEMF_node(1) | XENMEMF_exact_node_request },
        { "populate, exact node 7", XENMEM_populate_physmap,
          XENMEMF_node(7) | XENMEMF_exact_node_request },
        /* Beyond Xen's MAX_NUMNODES (64) even a request that is not exact
         * finds no node to allocate from. */
        { "increase, node 64 not exact", XENMEM_increase_reservation, XENMEMF_node(64) },
        { "populate, node 254 not exact", XENMEM_populate_physmap, XENMEMF_node(254) },
    };
    static const struct {
        const char *name;
        unsigned int op, flags;
    } accepted[] = {
        { "increase, populate_on_demand (populate only)", XENMEM_increase_reservation,
          XENMEMF_populate_on_demand },
        { "increase, exact node 0", XENMEM_increase_reservation,
          XENMEMF_node(0) | XENMEMF_exact_node_request },
        { "increase, exact request without a node", XENMEM_increase_reservation,
          XENMEMF_exact_node_request },
        { "populate, node 1 not exact", XENMEM_populate_physmap, XENMEMF_node(1) },
        { "increase, node 63 not exact", XENMEM_increase_reservation, XENMEMF_node(63) },
        { "populate, vNUMA node 3 (no vNUMA)", XENMEM_populate_physmap,
          XENMEMF_vnode | XENMEMF_node(3) | XENMEMF_exact_node_request },
        { "increase, address bits 63", XENMEM_increase_reservation, XENMEMF_address_bits(63) },
        { "populate, unknown bit 31", XENMEM_populate_physmap, 0x80000000u },
    };
    unsigned long *p2m = (unsigned long *)test_start_info->mfn_list;
    unsigned long pfn = unmapped_pfn(4);
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    struct xen_memory_reservation r;
    xen_pfn_t list[1];
    char name[96];

    if (!pfn) {
        test_error("no unmapped pfn to give back (nr_pages %lu)", test_start_info->nr_pages);
        return;
    }
    list[0] = p2m[pfn];
    if (!check_long("mem_flags: give back a frame", 1,
                    reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF)))
        return;
    for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
        r = (struct xen_memory_reservation){ .nr_extents = 1,
                                             .mem_flags = refused[i].flags,
                                             .domid = DOMID_SELF };
        list[0] = pfn;
        set_xen_guest_handle(r.extent_start, list);
        snprintf(name, sizeof(name), "mem_flags: %s", refused[i].name);
        check_long(name, 0, hc_memory_op(refused[i].op, &r));
    }
    check_long("mem_flags: current after the refusals", cur - 1,
               reservation(XENMEM_current_reservation, DOMID_SELF));
    for (size_t i = 0; i < ARRAY_SIZE(accepted); i++) {
        r = (struct xen_memory_reservation){ .nr_extents = 1,
                                             .mem_flags = accepted[i].flags,
                                             .domid = DOMID_SELF };
        list[0] = pfn;
        set_xen_guest_handle(r.extent_start, list);
        snprintf(name, sizeof(name), "mem_flags: %s", accepted[i].name);
        if (!check_long(name, 1, hc_memory_op(accepted[i].op, &r)))
            continue;
        /* The last one keeps its frame, as the pfn's new backing. */
        if (i + 1 == ARRAY_SIZE(accepted)) {
            p2m[pfn] = list[0];
            break;
        }
        snprintf(name, sizeof(name), "mem_flags: %s: give it back", accepted[i].name);
        check_long(name, 1, reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));
    }
    check_long("mem_flags: current back", cur, reservation(XENMEM_current_reservation, DOMID_SELF));
    /* Giving back refuses a narrow address width too, but ignores the
     * node: only an allocation can lack one. */
    r = (struct xen_memory_reservation){ .nr_extents = 1,
                                         .domid = DOMID_SELF,
                                         .mem_flags = XENMEMF_address_bits(12) };
    list[0] = p2m[pfn];
    set_xen_guest_handle(r.extent_start, list);
    check_long("mem_flags: decrease, address bits 12", 0,
               hc_memory_op(XENMEM_decrease_reservation, &r));
    r.mem_flags = XENMEMF_node(1) | XENMEMF_exact_node_request;
    check_long("mem_flags: decrease, exact node 1", 1,
               hc_memory_op(XENMEM_decrease_reservation, &r));
    list[0] = 0;
    if (check_long("mem_flags: a new frame for the pfn", 1,
                   reserve(XENMEM_increase_reservation, list, 1, 0, DOMID_SELF)))
        p2m[pfn] = list[0];
}

/*
 * A frame given back while it is still mapped stays the domain's, and is
 * counted in current_reservation, until its last mapping goes, as Xen's
 * tot_pages counts frames until they are freed. Counting it out at once
 * would let a guest give back mapped frames (still usable) and ask for
 * new ones, past its maximum, without end.
 */
static void test_given_back_while_mapped(void)
{
    unsigned long *p2m = (unsigned long *)test_start_info->mfn_list;
    unsigned long pfn = unmapped_pfn(6), va = scratch_va(0);
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    long max = reservation(XENMEM_maximum_reservation, DOMID_SELF);
    xen_pfn_t list[1];

    if (!pfn) {
        test_error("no unmapped pfn to give back (nr_pages %lu)", test_start_info->nr_pages);
        return;
    }
    list[0] = p2m[pfn];
    if (!check_long("map a frame to give back", 0,
                    hc_update_va_mapping(va, mfn_pte(list[0], PTE_RW_FLAGS), UVMF_INVLPG)) ||
        !check_long("give back the mapped frame", 1,
                    reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF)))
        return;
    check_long("given back while mapped: still counted", cur,
               reservation(XENMEM_current_reservation, DOMID_SELF));
    *(volatile unsigned long *)va = 0x5a5a;
    check_long("given back while mapped: still usable", 0x5a5a, *(volatile unsigned long *)va);
    if (max == cur) {
        list[0] = 0;
        check_long("given back while mapped: no new frame at the maximum", 0,
                   reserve(XENMEM_increase_reservation, list, 1, 0, DOMID_SELF));
    }
    check_long("unmap it: the frame is freed", 0,
               hc_update_va_mapping(va, mfn_pte(va_to_mfn(va), PTE_RW_FLAGS), UVMF_INVLPG));
    check_long("freed: counted out", cur - 1, reservation(XENMEM_current_reservation, DOMID_SELF));
    list[0] = 0;
    if (check_long("a new frame in its place", 1,
                   reserve(XENMEM_increase_reservation, list, 1, 0, DOMID_SELF)))
        p2m[pfn] = list[0];
    check_long("current back", cur, reservation(XENMEM_current_reservation, DOMID_SELF));
}

/*
 * Two unmapped pfns of ours whose frames are adjacent in the machine; the
 * second is given back, so that an extent starting at the first frame
 * runs into a frame that is not ours. Returns the first pfn and sets
 * *second (0 when there is no such pair); refill() gives the second pfn
 * a new frame afterwards (the allocator may hand the same one back).
 */
static unsigned long pfn_before_foreign(unsigned long *second)
{
    const unsigned long *p2m = (const unsigned long *)test_start_info->mfn_list;
    xen_pfn_t list[1];

    for (unsigned long j = 8; unmapped_pfn(j); j++)
        for (unsigned long k = 8; unmapped_pfn(k) && k < j + 64; k++) {
            unsigned long a = unmapped_pfn(j), b = unmapped_pfn(k);

            if (p2m[b] != p2m[a] + 1)
                continue;
            list[0] = p2m[b];
            if (!check_long("give back the frame after the extent", 1,
                            reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF)))
                return 0;
            *second = b;
            return a;
        }
    return 0;
}

static void refill(const char *name, unsigned long pfn)
{
    unsigned long *p2m = (unsigned long *)test_start_info->mfn_list;
    xen_pfn_t list[1] = { 0 };

    if (check_long(name, 1, reserve(XENMEM_increase_reservation, list, 1, 0, DOMID_SELF)))
        p2m[pfn] = list[0];
}

/*
 * decrease_reservation gives an extent back a frame at a time, as Xen's
 * guest_remove_page: the frames before one that is not ours stay given
 * back though the extent fails and is not counted; and a frame of ours
 * already given back, still alive through a mapping, counts as given back
 * again.
 */
static void test_extent_frames(void)
{
    unsigned long *p2m = (unsigned long *)test_start_info->mfn_list;
    unsigned long second = 0, pfn, va = scratch_va(1);
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    xen_pfn_t list[1];

    pfn = pfn_before_foreign(&second);
    if (!pfn) {
        test_skip("extent frames: no two unmapped frames of ours are adjacent");
        return;
    }
    list[0] = p2m[pfn];
    check_long("decrease order 1 ending at a frame not ours", 0,
               reserve(XENMEM_decrease_reservation, list, 1, 1, DOMID_SELF));
    check_long("decrease order 1: its first frame given back", cur - 2,
               reservation(XENMEM_current_reservation, DOMID_SELF));
    refill("a new frame for the extent's pfn", pfn);
    refill("a new frame for the pfn after it", second);

    list[0] = p2m[pfn];
    if (!check_long("map the frame", 0,
                    hc_update_va_mapping(va, mfn_pte(list[0], PTE_RW_FLAGS), UVMF_INVLPG)))
        return;
    check_long("give it back while mapped", 1,
               reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));
    check_long("give it back again, still mapped", 1,
               reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));
    check_long("given back twice: still counted once", cur,
               reservation(XENMEM_current_reservation, DOMID_SELF));
    check_long("unmap it", 0,
               hc_update_va_mapping(va, mfn_pte(va_to_mfn(va), PTE_RW_FLAGS), UVMF_INVLPG));
    check_long("give it back once freed", 0,
               reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF));
    refill("a new frame for the freed one", pfn);
    check_long("extent frames: current back", cur,
               reservation(XENMEM_current_reservation, DOMID_SELF));
}

/*
 * Extent orders: Xen lets its dom0 (I/O capabilities) use up to 18 and
 * refuses 19 whole. From a frame followed by one that is not ours, an
 * order 18 extent gives back exactly that frame, an order 19 one nothing.
 */
static void test_extent_orders(void)
{
    const unsigned long *p2m = (const unsigned long *)test_start_info->mfn_list;
    unsigned long second = 0, pfn;
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    xen_pfn_t list[1];

    pfn = pfn_before_foreign(&second);
    if (!pfn) {
        test_skip("extent orders: no two unmapped frames of ours are adjacent");
        return;
    }
    list[0] = p2m[pfn];
    check_long("decrease order 19 (above the limit)", 0,
               reserve(XENMEM_decrease_reservation, list, 1, 19, DOMID_SELF));
    check_long("decrease order 19: nothing given back", cur - 1,
               reservation(XENMEM_current_reservation, DOMID_SELF));
    check_long("decrease order 18 (fails at the next frame)", 0,
               reserve(XENMEM_decrease_reservation, list, 1, 18, DOMID_SELF));
    check_long("decrease order 18: its first frame given back", cur - 2,
               reservation(XENMEM_current_reservation, DOMID_SELF));
    refill("a new frame for the order 18 extent's pfn", pfn);
    refill("a new frame for the pfn after it", second);
    check_long("extent orders: current back", cur,
               reservation(XENMEM_current_reservation, DOMID_SELF));
}

void test_main(void)
{
    test_sizes();
    test_maps();
    test_reservations();
    test_mem_flags();
    test_given_back_while_mapped();
    test_extent_frames();
    test_extent_orders();
}
