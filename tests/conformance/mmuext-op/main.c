// SPDX-License-Identifier: MIT
/*
 * mmuext-op: HYPERVISOR_mmuext_op: pinning tables built from free pages,
 * switching to a copy of the L4, flushes, page copy and clear, and the
 * refusals, each with its errno and success count. Expected values are
 * Xen 4.17's answers as dom0.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "common/array_size.h"

const char test_title[] = "mmuext-op";

#define DONE_POISON 0xdeadu
#define MFN_HUGE    0xffffffff0UL
/* L4 slot 1: empty at start of day. */
#define TREE_VA     0x0000008000000000UL
#define HOLE_FIRST  256
#define HOLE_END    272

enum { S_L1, S_L2, S_L3, S_L4, S_L4COPY, S_DATA, S_SRC, S_DST, S_COUNT };

static unsigned long va_of(int s)
{
    return scratch_va(s);
}
static unsigned long mfn_of(int s)
{
    return va_to_mfn(scratch_va(s));
}
static const unsigned long vcpu0_mask = 1;

struct op_case {
    const char *name;
    unsigned int cmd;
    unsigned long arg1, arg2;
    long rc;
};

static void check_op(const char *name, unsigned int cmd, unsigned long arg1, unsigned long arg2,
                     long expect_rc)
{
    unsigned int done = DONE_POISON;
    char what[96];

    check_long(name, expect_rc, mmuext_one(cmd, arg1, arg2, &done));
    snprintf(what, sizeof(what), "%s: success count", name);
    check_long(what, expect_rc ? 0 : 1, done);
}

static void run_cases(const struct op_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_op(c[i].name, c[i].cmd, c[i].arg1, c[i].arg2, c[i].rc);
}

/* Zeroed table pages: L2[0] -> L1, L3[0] -> L2, L4[1] -> L3, L1[0] maps
 * the data page read-only; all still writable until the caller remaps. */
static void build_tree(void)
{
    uint64_t *l1 = (uint64_t *)va_of(S_L1), *l2 = (uint64_t *)va_of(S_L2);
    uint64_t *l3 = (uint64_t *)va_of(S_L3), *l4 = (uint64_t *)va_of(S_L4);

    memset(l1, 0, TEST_PAGE_SIZE);
    memset(l2, 0, TEST_PAGE_SIZE);
    memset(l3, 0, TEST_PAGE_SIZE);
    memset(l4, 0, TEST_PAGE_SIZE);
    l1[0] = mfn_pte(mfn_of(S_DATA), PTE_RO_FLAGS);
    l2[0] = mfn_pte(mfn_of(S_L1), PTE_TABLE_FLAGS);
    l3[0] = mfn_pte(mfn_of(S_L2), PTE_TABLE_FLAGS);
    l4[1] = mfn_pte(mfn_of(S_L3), PTE_TABLE_FLAGS);
}

static void test_pin(void)
{
    build_tree();
    check_op("PIN_L1 of a page mapped writable", MMUEXT_PIN_L1_TABLE, mfn_of(S_L1), 0, -XEN_EINVAL);
    for (int s = S_L1; s <= S_L4; s++)
        if (set_page_ro(va_of(s)))
            test_error("pin: cannot map table page %d read-only", s);

    check_op("PIN_L1_TABLE", MMUEXT_PIN_L1_TABLE, mfn_of(S_L1), 0, 0);
    check_op("PIN_L1_TABLE again", MMUEXT_PIN_L1_TABLE, mfn_of(S_L1), 0, -XEN_EINVAL);
    check_long("pinned L1: writable mapping refused", -XEN_EBUSY, set_page_rw(va_of(S_L1)));
    check_op("PIN_L2_TABLE of the page pinned as L1", MMUEXT_PIN_L2_TABLE, mfn_of(S_L1), 0,
             -XEN_EINVAL);
    check_op("UNPIN_TABLE L1", MMUEXT_UNPIN_TABLE, mfn_of(S_L1), 0, 0);
    check_op("UNPIN_TABLE of an unpinned page", MMUEXT_UNPIN_TABLE, mfn_of(S_L1), 0, -XEN_EINVAL);
    check_op("UNPIN_TABLE of an ordinary page", MMUEXT_UNPIN_TABLE, mfn_of(S_DATA), 0, -XEN_EINVAL);

    /* Pinning the top validates the levels below it. */
    check_op("PIN_L4_TABLE of a new 4-level tree", MMUEXT_PIN_L4_TABLE, mfn_of(S_L4), 0, 0);
    check_op("PIN_L1_TABLE of the tree's L1 (typed by the L4 pin)", MMUEXT_PIN_L1_TABLE,
             mfn_of(S_L1), 0, 0);
    check_op("PIN_L3_TABLE of the tree's L2 (wrong level)", MMUEXT_PIN_L3_TABLE, mfn_of(S_L2), 0,
             -XEN_EINVAL);
    check_op("PIN_L2_TABLE of the tree's L2", MMUEXT_PIN_L2_TABLE, mfn_of(S_L2), 0, 0);
    check_op("PIN_L3_TABLE of the tree's L3", MMUEXT_PIN_L3_TABLE, mfn_of(S_L3), 0, 0);
    check_op("UNPIN_TABLE L4", MMUEXT_UNPIN_TABLE, mfn_of(S_L4), 0, 0);
    check_op("UNPIN_TABLE L3", MMUEXT_UNPIN_TABLE, mfn_of(S_L3), 0, 0);
    check_op("UNPIN_TABLE L2", MMUEXT_UNPIN_TABLE, mfn_of(S_L2), 0, 0);
    check_op("UNPIN_TABLE L1 (tree)", MMUEXT_UNPIN_TABLE, mfn_of(S_L1), 0, 0);
    check_op("PIN_L1_TABLE of the start-of-day L4 (in use as L4)", MMUEXT_PIN_L1_TABLE, l4_mfn(), 0,
             -XEN_EINVAL);
    check_op("PIN_L4_TABLE of the start-of-day L4 (already pinned)", MMUEXT_PIN_L4_TABLE, l4_mfn(),
             0, -XEN_EINVAL);
    check_op("PIN_L1_TABLE of a foreign frame", MMUEXT_PIN_L1_TABLE, foreign_mfn(), 0, -XEN_EINVAL);
    check_op("PIN_L1_TABLE of an mfn beyond RAM", MMUEXT_PIN_L1_TABLE, MFN_HUGE, 0, -XEN_EINVAL);
    check_op("UNPIN_TABLE of a foreign frame", MMUEXT_UNPIN_TABLE, foreign_mfn(), 0, -XEN_EINVAL);

    /* An L1 that maps itself writable can never validate. */
    set_page_rw(va_of(S_L1));
    ((uint64_t *)va_of(S_L1))[1] = mfn_pte(mfn_of(S_L1), PTE_RW_FLAGS);
    set_page_ro(va_of(S_L1));
    check_op("PIN_L1_TABLE of an L1 mapping itself writable", MMUEXT_PIN_L1_TABLE, mfn_of(S_L1), 0,
             -XEN_EBUSY);
    set_page_rw(va_of(S_L1));
    ((uint64_t *)va_of(S_L1))[1] = 0;
    set_page_ro(va_of(S_L1));
}

/* A copy of the running L4 (guest slots only: the hypervisor fills its
 * own), then the switch to it and back. */
static void test_baseptr(void)
{
    const uint64_t *cur = (const uint64_t *)test_start_info->pt_base;
    uint64_t *copy = (uint64_t *)va_of(S_L4COPY);

    for (int i = 0; i < 512; i++)
        copy[i] = i >= HOLE_FIRST && i < HOLE_END ? 0 : cur[i];
    /* And the test tree in slot 1, reachable only through the copy. */
    copy[1] = mfn_pte(mfn_of(S_L3), PTE_TABLE_FLAGS);
    set_page_ro(va_of(S_L4COPY));
    ((volatile uint64_t *)va_of(S_DATA))[0] = 0x77;

    check_op("NEW_BASEPTR of a writable-mapped page", MMUEXT_NEW_BASEPTR, mfn_of(S_DATA), 0,
             -XEN_EINVAL);
    check_op("NEW_BASEPTR of an L1 page", MMUEXT_NEW_BASEPTR, mfn_of(S_L1), 0, -XEN_EINVAL);
    check_op("NEW_BASEPTR of a foreign frame", MMUEXT_NEW_BASEPTR, foreign_mfn(), 0, -XEN_EINVAL);
    check_op("NEW_BASEPTR to a copy of the L4", MMUEXT_NEW_BASEPTR, mfn_of(S_L4COPY), 0, 0);
    check_long("on the copy: the tree's data page", 0x77,
               (long)*(const volatile uint64_t *)TREE_VA);
    check_op("NEW_USER_BASEPTR to the copy", MMUEXT_NEW_USER_BASEPTR, mfn_of(S_L4COPY), 0, 0);
    check_op("NEW_USER_BASEPTR of an ordinary page", MMUEXT_NEW_USER_BASEPTR, mfn_of(S_DATA), 0,
             -XEN_EINVAL);
    check_op("NEW_USER_BASEPTR 0 (none)", MMUEXT_NEW_USER_BASEPTR, 0, 0, 0);
    check_op("NEW_BASEPTR back to the start-of-day L4", MMUEXT_NEW_BASEPTR, l4_mfn(), 0, 0);
    check_long("back: the copy's frame is writable again (no longer in use)", 0,
               set_page_rw(va_of(S_L4COPY)));
    /* The tree pages lost their last type reference with the copy. */
    for (int s = S_L1; s <= S_L4; s++)
        set_page_rw(va_of(s));
}

static void test_flush_and_pages(void)
{
    uint8_t *src = (uint8_t *)va_of(S_SRC);
    volatile uint8_t *dst = (volatile uint8_t *)va_of(S_DST);
    unsigned long fmfn = foreign_mfn();
    const struct op_case cases[] = {
        { "TLB_FLUSH_LOCAL", MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 0 },
        { "TLB_FLUSH_ALL", MMUEXT_TLB_FLUSH_ALL, 0, 0, 0 },
        { "INVLPG_LOCAL", MMUEXT_INVLPG_LOCAL, va_of(S_DATA), 0, 0 },
        { "INVLPG_ALL", MMUEXT_INVLPG_ALL, va_of(S_DATA), 0, 0 },
        { "INVLPG_LOCAL of an unmapped va", MMUEXT_INVLPG_LOCAL, BAD_VA_UNMAPPED, 0, 0 },
        { "INVLPG_LOCAL of a hypervisor va", MMUEXT_INVLPG_LOCAL, BAD_VA_HOLE, 0, 0 },
        { "INVLPG_LOCAL of a non-canonical va", MMUEXT_INVLPG_LOCAL, BAD_VA_NONCANON, 0, 0 },
        { "TLB_FLUSH_MULTI vCPU 0", MMUEXT_TLB_FLUSH_MULTI, 0, (unsigned long)&vcpu0_mask, 0 },
        { "INVLPG_MULTI vCPU 0", MMUEXT_INVLPG_MULTI, va_of(S_DATA), (unsigned long)&vcpu0_mask,
          0 },
        /* Unlike update_va_mapping (-EFAULT), mmuext_op reports an unreadable
         * vCPU mask as -EINVAL. */
        { "TLB_FLUSH_MULTI mask in the hole", MMUEXT_TLB_FLUSH_MULTI, 0, BAD_VA_HOLE, -XEN_EINVAL },
        { "INVLPG_MULTI mask unmapped", MMUEXT_INVLPG_MULTI, va_of(S_DATA), BAD_VA_UNMAPPED,
          -XEN_EINVAL },
        { "FLUSH_CACHE (dom0 may)", MMUEXT_FLUSH_CACHE, 0, 0, 0 },
        { "FLUSH_CACHE_GLOBAL (dom0 may)", MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0, 0 },
        { "COPY_PAGE", MMUEXT_COPY_PAGE, mfn_of(S_DST), mfn_of(S_SRC), 0 },
        { "COPY_PAGE to a foreign frame", MMUEXT_COPY_PAGE, fmfn, mfn_of(S_SRC), -XEN_EINVAL },
        { "COPY_PAGE from a foreign frame", MMUEXT_COPY_PAGE, mfn_of(S_DST), fmfn, -XEN_EINVAL },
        { "COPY_PAGE to the L4 (a page table)", MMUEXT_COPY_PAGE, l4_mfn(), mfn_of(S_SRC),
          -XEN_EINVAL },
        { "COPY_PAGE from the L4 (read allowed)", MMUEXT_COPY_PAGE, mfn_of(S_DATA), l4_mfn(), 0 },
        { "CLEAR_PAGE of the L4", MMUEXT_CLEAR_PAGE, l4_mfn(), 0, -XEN_EINVAL },
        { "CLEAR_PAGE of a foreign frame", MMUEXT_CLEAR_PAGE, fmfn, 0, -XEN_EINVAL },
        { "CLEAR_PAGE of an mfn beyond RAM", MMUEXT_CLEAR_PAGE, MFN_HUGE, 0, -XEN_EINVAL },
        { "MARK_SUPER (superpages gone from Xen)", MMUEXT_MARK_SUPER, mfn_of(S_DST), 0,
          -XEN_EOPNOTSUPP },
        { "UNMARK_SUPER", MMUEXT_UNMARK_SUPER, mfn_of(S_DST), 0, -XEN_EOPNOTSUPP },
        { "SET_LDT none", MMUEXT_SET_LDT, 0, 0, 0 },
        { "command 14 (unassigned)", 14, 0, 0, -XEN_ENOSYS },
        { "command 21 (past the last)", 21, 0, 0, -XEN_ENOSYS },
        { "command 0xffffffff", 0xffffffffu, 0, 0, -XEN_ENOSYS },
    };

    for (int i = 0; i < TEST_PAGE_SIZE; i++)
        src[i] = (uint8_t)(i * 7 + 1);
    memset((void *)dst, 0, TEST_PAGE_SIZE);
    run_cases(cases, ARRAY_SIZE(cases));
    if (memcmp((const void *)dst, src, TEST_PAGE_SIZE))
        test_failure(
            "COPY_PAGE: expected the destination to equal the source, got different bytes");
    check_op("CLEAR_PAGE", MMUEXT_CLEAR_PAGE, mfn_of(S_DST), 0, 0);
    for (int i = 0; i < TEST_PAGE_SIZE; i++)
        if (dst[i]) {
            test_failure("CLEAR_PAGE: expected byte %d zero, got %#x", i, dst[i]);
            break;
        }
}

/* Three ops, the second refused: count 1, the third not run. */
static void test_batch_and_pointers(void)
{
    struct mmuext_op ops[3] = {
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
        { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn_of(S_DATA) },
        { .cmd = MMUEXT_CLEAR_PAGE, .arg1.mfn = mfn_of(S_SRC) },
    };
    unsigned int done = DONE_POISON;

    ((volatile uint8_t *)va_of(S_SRC))[100] = 0x99;
    check_long("batch of 3, second refused", -XEN_EINVAL, hc_mmuext_op(ops, 3, &done, DOMID_SELF));
    check_long("batch of 3, second refused: success count", 1, done);
    check_long("batch: third not run", 0x99, ((volatile uint8_t *)va_of(S_SRC))[100]);
    done = DONE_POISON;
    check_long("batch of 0", 0, hc_mmuext_op(ops, 0, &done, DOMID_SELF));
    check_long("batch of 0: success count", 0, done);
    check_long("batch of 1, NULL success pointer", 0, hc_mmuext_op(ops, 1, NULL, DOMID_SELF));
    done = DONE_POISON;
    check_long("ops NULL", -XEN_EFAULT, hc_mmuext_op(NULL, 1, &done, DOMID_SELF));
    check_long("ops NULL: success count", 0, done);
    done = DONE_POISON;
    check_long("ops in the hypervisor hole", -XEN_EFAULT,
               hc_mmuext_op((const struct mmuext_op *)BAD_VA_HOLE, 1, &done, DOMID_SELF));
    check_long("ops in the hypervisor hole: success count", DONE_POISON, done);
    done = DONE_POISON;
    check_long("foreign domain 1234 (nonexistent)", -XEN_ESRCH, hc_mmuext_op(ops, 1, &done, 1234));
}

void test_main(void)
{
    if (scratch_count() < S_COUNT) {
        test_error("only %lu scratch pages, need %d", scratch_count(), S_COUNT);
        return;
    }
    test_pin();
    test_baseptr();
    test_flush_and_pages();
    test_batch_and_pointers();
}
