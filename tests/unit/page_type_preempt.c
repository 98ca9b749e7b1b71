/* SPDX-License-Identifier: MIT */
/*
 * page_type_preempt suite: the preemptible paths of hypervisor/frames/page_type.c
 * (partial validation and devalidation): pins and unpins stopped and
 * resumed, a partial table taken over, failures with owed demotions,
 * updates and teardown under preemption.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "hypercall/continuation.h"
#include "page_type_fake.h"
#include "arch/x86/pte.h"
#include "unit.h"
#include "common/array_size.h"
#include "page_type_fixture.h"

/* --- Preemption (partial validation and devalidation) ------------------------ */

/*
 * A tree wide enough to be preempted at every level: L4 20 -> L3 21 (slot
 * 0) and L3 22 (slot 1); each L3 -> L2s 23..26 (slots 0..3, shared); each
 * L2 -> L1s 27..30 (slots 0..3, shared); each L1 maps data 1..4.
 */
static void build_wide_tree(void)
{
    fake_mem[20][0] = E(21, P | RW);
    fake_mem[20][1] = E(22, P | RW);
    for (unsigned int i = 0; i < 4; i++) {
        fake_mem[21][i] = E(23 + i, P | RW);
        fake_mem[22][i] = E(23 + i, P | RW);
        for (unsigned int j = 0; j < 4; j++) {
            fake_mem[23 + i][j] = E(27 + j, P | RW);
            fake_mem[27 + i][j] = E(1 + j, P | RW);
        }
    }
}

/* Re-issues a preemptible pin until it finishes, checking the books at
 * every partial state; returns its answer and the restarts. */
static int pin_preempted(uint64_t mfn, enum page_type t, unsigned int *restarts, uint64_t *owed)
{
    int rc;

    *restarts = 0;
    while ((rc = pt_pin(mfn, t, &d, true, owed)) == -XEN_ERESTART) {
        (*restarts)++;
        expect_audit_ok(NULL, 0);
        if (*restarts > 10000)
            break;
    }
    return rc;
}

static unsigned int drain_partial(uint64_t mfn)
{
    unsigned int n = 0;

    audit_held = mfn;
    while (page_put_partial(mfn, true) == -XEN_ERESTART && n < 10000) {
        n++;
        expect_audit_ok(NULL, 0);
    }
    audit_held = 0;
    page_put(mfn);
    return n;
}

static void test_preempted_pin_and_unpin(void)
{
    unsigned int restarts;
    uint64_t owed;

    setup();
    build_wide_tree();
    snapshot();
    fake_preempt_every = 2;
    ASSERT_INT(pin_preempted(20, PGT_L4, &restarts, &owed), 0);
    EXPECT_U64(owed, 0);
    EXPECT_TRUE(restarts >= 3);
    for (uint64_t t = 20; t <= 30; t++)
        EXPECT_TRUE((fake_page[t].flags & (PGF_VALIDATED | PGF_PARTIAL)) == PGF_VALIDATED);
    EXPECT_FRAME(21, 2, PGT_L3, 1);
    EXPECT_FRAME(23, 3, PGT_L2, 2); /* named by both L3s */
    EXPECT_FRAME(27, 5, PGT_L1, 4); /* named by every L2 */
    EXPECT_FRAME(1, 5, PGT_WRITABLE, 4);
    expect_audit_ok(NULL, 0);

    /* The unpin is done at once; the vCPU owes the rest of the demotion. */
    ASSERT_INT(pt_unpin(20, &d, true, &owed), 0);
    EXPECT_U64(owed, 20);
    EXPECT_TRUE(page_is_partial(20));
    audit_held = 20;
    expect_audit_ok(NULL, 0);
    EXPECT_TRUE(drain_partial(20) >= 2);
    EXPECT_TRUE(unchanged("after a preempted pin and unpin"));
    expect_audit_ok(NULL, 0);
}

/* A pin preempted and abandoned: someone else taking the partial L3 over
 * completes it, and the first pin's retry then only counts up. */
static void test_preempted_takeover(void)
{
    uint64_t owed;
    int rc;

    setup();
    build_wide_tree();
    snapshot();
    fake_preempt_every = 3;
    rc = pt_pin(20, PGT_L4, &d, true, &owed);
    ASSERT_INT(rc, -XEN_ERESTART);
    EXPECT_TRUE(page_is_partial(20));
    EXPECT_TRUE(page_is_partial(21)); /* preempted beneath, in the first L3 */
    expect_audit_ok(NULL, 0);

    fake_preempt_every = 0;
    EXPECT_INT(pt_pin(21, PGT_L3, &d, false, NULL), 0);
    EXPECT_TRUE(!page_is_partial(21));
    EXPECT_FRAME(21, 3, PGT_L3, 1); /* alloc, the pin, L4's partial entry */
    expect_audit_ok(NULL, 0);
    EXPECT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    EXPECT_FRAME(21, 3, PGT_L3, 2); /* alloc, both: general refs 3 */
    expect_audit_ok(NULL, 0);

    /* A partial put of a frame taken over does nothing. */
    EXPECT_INT(page_put_partial(21, true), 0);
    EXPECT_FRAME(21, 3, PGT_L3, 2);
    EXPECT_INT(pt_unpin(21, &d, false, NULL), 0);
    EXPECT_INT(pt_unpin(20, &d, false, NULL), 0);
    EXPECT_TRUE(unchanged("after the takeover"));
}

/* A bad entry deep in the tree: the preemptible pin fails with the
 * entry's errno after validating much of it, and the owed demotion puts
 * everything back. */
static void test_preempted_failure_owed(void)
{
    unsigned int restarts;
    uint64_t owed;

    setup();
    build_wide_tree();
    fake_mem[22][3] = E(26, P | RW | PTE_PSE); /* no PV superpages: the last L3 entry */
    snapshot();
    fake_preempt_every = 2;
    EXPECT_INT(pin_preempted(20, PGT_L4, &restarts, &owed), -XEN_EINVAL);
    EXPECT_U64(owed, 20);
    EXPECT_TRUE(page_is_partial(20));
    audit_held = 20;
    expect_audit_ok(NULL, 0);
    drain_partial(20);
    EXPECT_TRUE(unchanged("after a pin that failed partway"));
    expect_audit_ok(NULL, 0);
}

/* mmu_update's form: installing a big L3 into an L4 slot, then removing
 * it again, each preempted. */
static void test_preempted_update(void)
{
    uint64_t old, owed;
    unsigned int n = 0;
    int rc;

    setup();
    build_wide_tree();
    fake_mem[20][1] = 0;
    fake_mem[20][0] = 0;
    ASSERT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    snapshot();
    fake_preempt_every = 2;
    while ((rc = pt_update_entry_preemptible(20, 0, E(21, P | RW), &d, 0, &old, &owed)) ==
               -XEN_ERESTART &&
           n++ < 10000)
        expect_audit_ok(NULL, 0);
    ASSERT_INT(rc, 0);
    EXPECT_U64(owed, 0);
    EXPECT_TRUE(n >= 2);
    EXPECT_FRAME(21, 2, PGT_L3, 1);
    expect_audit_ok(NULL, 0);
    ASSERT_INT(pt_update_entry_preemptible(20, 0, 0, &d, 0, &old, &owed), 0);
    EXPECT_U64(owed, 21);
    drain_partial(21);
    EXPECT_TRUE(unchanged("after a preempted install and removal"));
    EXPECT_INT(pt_unpin(20, &d, false, NULL), 0);
}

/* An L1 is never left partial: a preemptible pin that fails on its second
 * entry undoes the first at once and owes nothing (found by the page_type
 * fuzzer, tests/fuzz/corpus/page_type/regress-partial-l1). */
static void test_preempted_l1_failure(void)
{
    uint64_t owed = 1;

    setup();
    fake_mem[10][0] = E(2, P | RW);
    fake_mem[10][1] = E(41, P); /* not ours */
    snapshot();
    fake_preempt_every = 1;
    EXPECT_INT(pt_pin(10, PGT_L1, &d, true, &owed), -XEN_EBUSY);
    EXPECT_U64(owed, 0);
    EXPECT_TRUE(!page_is_partial(10));
    EXPECT_TRUE(unchanged("after a failed preemptible L1 pin"));
    expect_audit_ok(NULL, 0);
}

/* Abandoned partial tables and an owed one: teardown frees every frame
 * exactly once. */
static void test_preempted_teardown(void)
{
    uint64_t owed;

    setup();
    build_wide_tree();
    fake_preempt_every = 3;
    ASSERT_INT(pt_pin(20, PGT_L4, &d, true, &owed), -XEN_ERESTART);
    fake_mem[9][0] = E(23, P | RW); /* an L3 sharing the partial subtree */
    fake_preempt_every = 2;
    (void)pt_pin(9, PGT_L3, &d, true, &owed);
    expect_audit_ok(NULL, 0);
    pt_relinquish(DOM, FAKE_FRAMES);
    for (uint64_t f = 1; f <= 40; f++)
        EXPECT_INT(fake_released[f], 1);
}

static const struct unit_test page_type_preempt_tests[] = {
    { "preempted_pin_and_unpin", test_preempted_pin_and_unpin },
    { "preempted_takeover", test_preempted_takeover },
    { "preempted_failure_owed", test_preempted_failure_owed },
    { "preempted_update", test_preempted_update },
    { "preempted_teardown", test_preempted_teardown },
    { "preempted_l1_failure", test_preempted_l1_failure },
};

void register_page_type_preempt_tests(void)
{
    UNIT_SUITE("page_type_preempt", page_type_preempt_tests);
}
