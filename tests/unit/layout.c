/* SPDX-License-Identifier: MIT */
/*
 * layout suite: builder_compute_layout() and layout_count_tables(). The
 * expected numbers are worked out by hand in each test's comment, not by
 * re-running the algorithm.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>

#include "toolstack/builder_layout.h"
#include "unit.h"
#include "common/array_size.h"

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

static struct builder_layout l;
static const char *why;

static int layout(uint64_t base, uint64_t ks, uint64_t ke, uint64_t nr_pages)
{
    why = "(not set)";
    return builder_compute_layout(base, ks, ke, nr_pages, &l, &why);
}

/* Properties every successful layout has, whatever the numbers. */
static void check_invariants(void)
{
    uint64_t stack_end = l.stack_start + 4096;

    EXPECT_U64(l.p2m_start, l.kern_end);
    EXPECT_U64(l.start_info, l.p2m_start + l.nr_p2m_pages * 4096);
    EXPECT_U64(l.store_page, l.start_info + 4096);
    EXPECT_U64(l.console_page, l.store_page + 4096);
    EXPECT_U64(l.pt_start, l.console_page + 4096);
    EXPECT_U64(l.stack_start, l.pt_start + l.nr_pt_frames * 4096);
    EXPECT_U64(l.nr_pt_frames, l.nr_l4 + l.nr_l3 + l.nr_l2 + l.nr_l1);
    EXPECT_U64(l.virt_end % LAYOUT_ALIGN, 0);
    EXPECT_TRUE(l.virt_end - stack_end >= LAYOUT_PADDING);
    EXPECT_TRUE(l.virt_end - stack_end < LAYOUT_PADDING + LAYOUT_ALIGN);
    EXPECT_U64(l.nr_mapped_pages, (l.virt_end - l.virt_base) / 4096);
}

/*
 * 1 MiB kernel at 4 MiB, 32 MiB guest: p2m 8192 * 8 = 16 pages at 0x500000,
 * start_info 0x510000, the xenstore ring 0x511000, the console ring
 * 0x512000, tables from 0x513000. With 5 tables the stack ends at 0x519000,
 * rounded to 0x800000; [0x400000, 0x800000) needs
 * L4 1 + L3 1 + L2 1 + L1 2 = 5. A fixed point.
 */
static void test_small_kernel(void)
{
    ASSERT_INT(layout(MiB(4), MiB(4), MiB(5), 8192), 0);
    EXPECT_TRUE(why == NULL);
    EXPECT_U64(l.virt_base, MiB(4));
    EXPECT_U64(l.kern_start, MiB(4));
    EXPECT_U64(l.kern_end, MiB(5));
    EXPECT_U64(l.p2m_start, 0x500000);
    EXPECT_U64(l.nr_p2m_pages, 16);
    EXPECT_U64(l.start_info, 0x510000);
    EXPECT_U64(l.store_page, 0x511000);
    EXPECT_U64(l.console_page, 0x512000);
    EXPECT_U64(l.pt_start, 0x513000);
    EXPECT_U64(l.nr_l4, 1);
    EXPECT_U64(l.nr_l3, 1);
    EXPECT_U64(l.nr_l2, 1);
    EXPECT_U64(l.nr_l1, 2);
    EXPECT_U64(l.nr_pt_frames, 5);
    EXPECT_U64(l.stack_start, 0x518000);
    EXPECT_U64(l.virt_end, 0x800000);
    EXPECT_U64(l.nr_mapped_pages, 1024);
    check_invariants();
}

/* 8 bytes per guest page: 2048 pages fill 4 p2m pages exactly, 2049 need a fifth. */
static void test_p2m_rounding(void)
{
    ASSERT_INT(layout(MiB(4), MiB(4), MiB(5), 2048), 0);
    EXPECT_U64(l.nr_p2m_pages, 4);
    ASSERT_INT(layout(MiB(4), MiB(4), MiB(5), 2049), 0);
    EXPECT_U64(l.nr_p2m_pages, 5);
    check_invariants();
}

/*
 * The 512 KiB rule. Kernel [0x400000, 0x767000): stack ends at
 * 0x767000 + 16 (p2m) + 3 (start_info, xenstore, console) + 5 + 1 pages =
 * 0x780000, exactly 512 KiB below 8 MiB: enough. One page more of kernel
 * leaves 508 KiB, so the end moves to 12 MiB; [4 MiB, 12 MiB) needs 4 L1s,
 * 7 tables in all, and the stack then starts at 0x768000 + 0x13000 +
 * 7 pages = 0x782000.
 */
static void test_padding_rule(void)
{
    ASSERT_INT(layout(MiB(4), MiB(4), 0x767000, 8192), 0);
    EXPECT_U64(l.nr_pt_frames, 5);
    EXPECT_U64(l.stack_start + 4096, 0x780000);
    EXPECT_U64(l.virt_end, MiB(8));
    check_invariants();

    ASSERT_INT(layout(MiB(4), MiB(4), 0x768000, 8192), 0);
    EXPECT_U64(l.nr_l1, 4);
    EXPECT_U64(l.nr_pt_frames, 7);
    EXPECT_U64(l.stack_start, 0x782000);
    EXPECT_U64(l.virt_end, MiB(12));
    EXPECT_U64(l.nr_mapped_pages, 2048);
    check_invariants();
}

/*
 * Crossing 1 GiB (an L2 boundary): base 0x3fc00000, kernel to 0x3ff80000.
 * The stack would end at 0x3ff94000 + nr_pt pages, under 512 KiB short of
 * 1 GiB, so the end is 0x40400000: L3 1, L2 2 (GiB 0 and 1), L1 4
 * (0x1fe..0x201): 8 tables.
 */
static void test_crosses_l2_boundary(void)
{
    ASSERT_INT(layout(0x3fc00000, 0x3fc00000, 0x3ff80000, 8192), 0);
    EXPECT_U64(l.nr_l3, 1);
    EXPECT_U64(l.nr_l2, 2);
    EXPECT_U64(l.nr_l1, 4);
    EXPECT_U64(l.nr_pt_frames, 8);
    EXPECT_U64(l.stack_start, 0x3ff9b000);
    EXPECT_U64(l.virt_end, 0x40400000);
    EXPECT_U64(l.nr_mapped_pages, 2048);
    check_invariants();
}

/* The same shape 4 MiB below 512 GiB crosses an L3 boundary too: 2+2+4+1 = 9. */
static void test_crosses_l3_boundary(void)
{
    uint64_t base = GiB(512) - MiB(4);

    ASSERT_INT(layout(base, base, base + 0x380000, 8192), 0);
    EXPECT_U64(l.nr_l3, 2);
    EXPECT_U64(l.nr_l2, 2);
    EXPECT_U64(l.nr_l1, 4);
    EXPECT_U64(l.nr_pt_frames, 9);
    EXPECT_U64(l.virt_end, GiB(512) + MiB(4));
    check_invariants();
}

/*
 * A Linux-like layout: base 0xffffffff80000000, 16 MiB kernel at +16 MiB,
 * 64 MiB guest (p2m 32 pages). Stack ends below +36 MiB, so the end is
 * +36 MiB: 18 L1s + 1 + 1 + 1 = 21 tables, 9216 pages mapped.
 */
static void test_linux_like(void)
{
    uint64_t base = 0xffffffff80000000ULL;

    ASSERT_INT(layout(base, base + MiB(16), base + MiB(32), 16384), 0);
    EXPECT_U64(l.nr_l1, 18);
    EXPECT_U64(l.nr_pt_frames, 21);
    EXPECT_U64(l.pt_start, base + MiB(32) + 0x23000);
    EXPECT_U64(l.virt_end, base + MiB(36));
    EXPECT_U64(l.nr_mapped_pages, 9216);
    check_invariants();
}

/* The same kernel in 32 MiB: 9216 pages do not fit in 8192. */
static void test_not_enough_memory(void)
{
    uint64_t base = 0xffffffff80000000ULL;

    EXPECT_INT(layout(base, base + MiB(16), base + MiB(32), 8192), -XEN_ENOMEM);
    EXPECT_SUBSTR(why, "too small");
    /* Exactly enough is enough: small_kernel maps 1024 pages. */
    EXPECT_INT(layout(MiB(4), MiB(4), MiB(5), 1024), 0);
    EXPECT_INT(layout(MiB(4), MiB(4), MiB(5), 1023), -XEN_ENOMEM);
}

static void test_hypervisor_hole(void)
{
    uint64_t start = HYPERVISOR_VIRT_START, end = HYPERVISOR_VIRT_END;

    EXPECT_INT(layout(start, start, start + MiB(1), 8192), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "hypervisor's reserved range");
    EXPECT_INT(layout(end - MiB(4), end - MiB(4), end - MiB(3), 8192), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "hypervisor's reserved range");
    /* The first byte after the hole is a guest address. */
    EXPECT_INT(layout(end, end, end + MiB(1), 8192), 0);
}

static void test_non_canonical(void)
{
    uint64_t low_top = 0x0000800000000000ULL;

    /* Ending exactly at 2^47 is fine; a kernel big enough to push the
     * padding past it is not. */
    EXPECT_INT(layout(low_top - MiB(4), low_top - MiB(4), low_top - MiB(3), 8192), 0);
    EXPECT_U64(l.virt_end, low_top);
    EXPECT_INT(layout(low_top - MiB(4), low_top - MiB(4), low_top - KiB(256), 8192), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "non-canonical");
    EXPECT_INT(layout(0x0000900000000000ULL, 0x0000900000000000ULL, 0x0000900000100000ULL, 8192),
               -XEN_EINVAL);
    EXPECT_SUBSTR(why, "non-canonical");
}

static void test_wraps(void)
{
    uint64_t base = 0xffffffffffc00000ULL;

    EXPECT_INT(layout(base, base, base + MiB(1), 8192), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "wraps");
    EXPECT_INT(layout(0, 0, 0x1000, UINT64_MAX / 4), -XEN_EINVAL);
}

static void test_bad_arguments(void)
{
    static const struct {
        uint64_t base, ks, ke;
        const char *words;
    } cases[] = {
        { 0x400800, 0x401000, 0x500000, "not page aligned" },
        { 0x400000, 0x400010, 0x500000, "not page aligned" },
        { 0x400000, 0x401000, 0x500001, "not page aligned" },
        { 0x400000, 0x3ff000, 0x500000, "empty or lies below VIRT_BASE" },
        { 0x400000, 0x500000, 0x500000, "empty or lies below VIRT_BASE" },
        { 0x400000, 0x500000, 0x400000, "empty or lies below VIRT_BASE" },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        EXPECT_INT(layout(cases[i].base, cases[i].ks, cases[i].ke, 8192), -XEN_EINVAL);
        EXPECT_SUBSTR(why, cases[i].words);
    }
    EXPECT_INT(layout(MiB(4), MiB(4), MiB(5), 0), -XEN_EINVAL);
}

static void test_count_tables(void)
{
    static const struct {
        uint64_t start, end, l3, l2, l1;
    } cases[] = {
        { 0, 0, 0, 0, 0 },
        { 0x5000, 0x1000, 0, 0, 0 },
        { 0, 1, 1, 1, 1 },
        { 0, MiB(2), 1, 1, 1 },
        { 0, MiB(2) + 1, 1, 1, 2 },
        { MiB(2) - 4096, MiB(2) + 4096, 1, 1, 2 },
        { GiB(1) - MiB(2), GiB(1) + MiB(2), 1, 2, 2 },
        { 0, GiB(512), 1, 512, 262144 },
        { GiB(512) - 4096, GiB(512) + 4096, 2, 2, 2 },
        { 0xffffffff80000000ULL, 0xfffffffffffff000ULL, 1, 2, 1024 },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t l3 = 99, l2 = 99, l1 = 99;

        layout_count_tables(cases[i].start, cases[i].end, &l3, &l2, &l1);
        EXPECT_U64(l3, cases[i].l3);
        EXPECT_U64(l2, cases[i].l2);
        EXPECT_U64(l1, cases[i].l1);
    }
}

void register_layout_tests(void)
{
    static const struct unit_test tests[] = {
        { "small_kernel", test_small_kernel },
        { "p2m_rounding", test_p2m_rounding },
        { "padding_rule", test_padding_rule },
        { "crosses_l2_boundary", test_crosses_l2_boundary },
        { "crosses_l3_boundary", test_crosses_l3_boundary },
        { "linux_like", test_linux_like },
        { "not_enough_memory", test_not_enough_memory },
        { "hypervisor_hole", test_hypervisor_hole },
        { "non_canonical", test_non_canonical },
        { "wraps", test_wraps },
        { "bad_arguments", test_bad_arguments },
        { "count_tables", test_count_tables },
    };

    UNIT_SUITE("layout", tests);
}
