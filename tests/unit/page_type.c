/* SPDX-License-Identifier: MIT */
/*
 * page_type suite: hypervisor/frames/page_type.c over a fake frame table. Valid
 * hierarchies with exact counts, every rejection path with no reference
 * leaked, entry updates at each level, linear page tables (XSA-240),
 * teardown and the audit. page_type_preempt.c holds the preemptible paths,
 * page_type_model.c the randomized test.
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

struct page_info fake_page[FAKE_FRAMES];
uint64_t fake_mem[FAKE_FRAMES][512];
unsigned int fake_released[FAKE_FRAMES];
uint64_t fake_hv_l4[512];

struct page_info *mfn_to_page(uint64_t mfn)
{
    return mfn < FAKE_FRAMES ? &fake_page[mfn] : NULL;
}

uint64_t *map_table(uint64_t mfn)
{
    return mfn < FAKE_FRAMES ? fake_mem[mfn] : NULL;
}

void page_release_frame(uint64_t mfn)
{
    struct page_info *pg = &fake_page[mfn];

    fake_released[mfn]++;
    /* What frames/frame_table.c does when a frame goes back to the allocator. */
    pg->owner = DOMID_INVALID;
    pg->flags = 0;
}

/* Preemption on demand: every fake_preempt_every-th check says stop
 * (0: never), so the preemptible paths can be driven through every
 * partial state. */
unsigned int fake_preempt_every;
static unsigned int fake_preempt_calls;

bool page_type_preempt_check(void)
{
    return fake_preempt_every && ++fake_preempt_calls % fake_preempt_every == 0;
}

void fake_reset(void)
{
    fake_preempt_every = 0;
    fake_preempt_calls = 0;
    unsigned int i;

    memset(fake_page, 0, sizeof(fake_page));
    memset(fake_mem, 0, sizeof(fake_mem));
    memset(fake_released, 0, sizeof(fake_released));
    for (i = 0; i < FAKE_FRAMES; i++)
        fake_page[i].owner = DOMID_INVALID;
    memset(fake_hv_l4, 0, sizeof(fake_hv_l4));
    for (i = 256; i < 272; i++)
        fake_hv_l4[i] = pte_make(0x100000 + i, PTE_P | PTE_RW | PTE_A | PTE_D);
}

void fake_alloc(uint64_t mfn, domid_t dom)
{
    fake_page[mfn] = (struct page_info){ .count = 1, .owner = dom, .flags = PGF_ALLOCATED };
    memset(fake_mem[mfn], 0, sizeof(fake_mem[mfn]));
}

#include "page_type_fixture.h"

/* --- Valid hierarchies ------------------------------------------------------- */

static void test_l1_validate_devalidate(void)
{
    setup();
    fake_mem[10][0] = E(2, P);      /* read-only data */
    fake_mem[10][1] = E(3, P | RW); /* writable data, twice */
    fake_mem[10][2] = E(3, P | RW | PTE_US);
    fake_mem[10][3] = E(10, P); /* the L1 itself, read-only */
    fake_mem[10][4] = E(4, P | PTE_G | PTE_NX | (7ULL << 9) | (0x3ffULL << 52));
    fake_mem[10][5] = E(41, 0); /* not present: never looked at */

    ASSERT_INT(pt_pin(10, PGT_L1, &d, false, NULL), 0);
    EXPECT_FRAME(10, 3, PGT_L1, 1); /* allocation, pin, self-mapping */
    EXPECT_TRUE(fake_page[10].flags == (PGF_ALLOCATED | PGF_VALIDATED | PGF_PINNED));
    EXPECT_FRAME(2, 2, PGT_NONE, 0);
    EXPECT_FRAME(3, 3, PGT_WRITABLE, 2);
    EXPECT_FRAME(4, 2, PGT_NONE, 0);
    /* Kernel mappings gain US and Xen's guest-kernel bit 52; user ones G. */
    EXPECT_U64(fake_mem[10][0], E(2, P | PTE_US | PT_GUEST_KERNEL));
    EXPECT_U64(fake_mem[10][2], E(3, P | RW | PTE_US | PTE_G));
    EXPECT_U64(fake_mem[10][4], E(4, P | PTE_G | PTE_NX | (7ULL << 9) | (0x3ffULL << 52) | PTE_US));
    EXPECT_U64(fake_mem[10][5], E(41, 0));
    expect_audit_ok(NULL, 0);

    ASSERT_INT(pt_unpin(10, &d, false, NULL), 0);
    EXPECT_FRAME(10, 1, PGT_NONE, 0);
    EXPECT_TRUE(fake_page[10].flags == PGF_ALLOCATED);
    EXPECT_FRAME(2, 1, PGT_NONE, 0);
    EXPECT_FRAME(3, 1, PGT_NONE, 0);
    EXPECT_FRAME(4, 1, PGT_NONE, 0);
    expect_audit_ok(NULL, 0);

    /* The adjusted entries validate again to the same values. */
    ASSERT_INT(pt_pin(10, PGT_L1, &d, false, NULL), 0);
    EXPECT_U64(fake_mem[10][0], E(2, P | PTE_US | PT_GUEST_KERNEL));
    EXPECT_FRAME(3, 3, PGT_WRITABLE, 2);
    ASSERT_INT(pt_unpin(10, &d, false, NULL), 0);
}

/* L4 20 -> L3 21 -> L2 22 -> L1 23 -> data 2 (RW), 3 (RO); L4 slot 272 -> L3 24. */
static void build_hierarchy(void)
{
    fake_mem[20][0] = E(21, P | RW);
    fake_mem[20][272] = E(24, P | RW);
    fake_mem[20][300] = E(21, P); /* a second use of the same L3 */
    fake_mem[21][0] = E(22, P | RW);
    fake_mem[21][5] = E(22, P);
    fake_mem[22][0] = E(23, P | RW);
    fake_mem[23][0] = E(2, P | RW);
    fake_mem[23][1] = E(3, P);
    fake_mem[23][2] = E(22, P); /* the L2 above, read-only */
}

static void test_hierarchy_counts(void)
{
    unsigned int i;

    setup();
    build_hierarchy();
    for (i = 256; i < 272; i++)
        fake_mem[20][i] = E(41, P | RW); /* guest junk in Xenolith's slots */
    snapshot();

    ASSERT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    EXPECT_FRAME(20, 2, PGT_L4, 1);
    EXPECT_FRAME(21, 3, PGT_L3, 2);
    EXPECT_FRAME(24, 2, PGT_L3, 1);
    EXPECT_FRAME(22, 4, PGT_L2, 2); /* two L3 entries and the RO map */
    EXPECT_FRAME(23, 2, PGT_L1, 1);
    EXPECT_FRAME(2, 2, PGT_WRITABLE, 1);
    EXPECT_FRAME(3, 2, PGT_NONE, 0);
    EXPECT_FRAME(41, 1, PGT_NONE, 0); /* the junk was never followed */
    for (i = 256; i < 272; i++)
        EXPECT_U64(fake_mem[20][i], fake_hv_l4[i]);
    EXPECT_U64(fake_mem[20][0], E(21, P | RW | PTE_US | PTE_A));
    EXPECT_U64(fake_mem[21][0], E(22, P | RW | PTE_US));
    EXPECT_U64(fake_mem[22][0], E(23, P | RW | PTE_US));
    expect_audit_ok(NULL, 0);

    /* A CR3-style reference (general + type) on top of the pin. */
    ASSERT_INT(page_get_and_type(20, PGT_L4, &d), 0);
    EXPECT_FRAME(20, 3, PGT_L4, 2);
    {
        uint64_t cr3 = 20;
        expect_audit_ok(&cr3, 1);
    }
    ASSERT_INT(pt_unpin(20, &d, false, NULL), 0);
    EXPECT_FRAME(21, 3, PGT_L3, 2); /* still held by the CR3 reference */
    page_put_and_type(20);

    EXPECT_TRUE(unchanged("after the last reference"));
    for (i = 0; i < FAKE_FRAMES; i++)
        EXPECT_U64(fake_released[i], 0);
    expect_audit_ok(NULL, 0);
}

/* --- Rejections ---------------------------------------------------------------- */

struct reject_case {
    const char *name;
    unsigned int level; /* of the table pinned */
    unsigned int slot;
    uint64_t entry;
    int rc;
    bool io_caps;
};

static const struct reject_case reject_cases[] = {
    { "L1 foreign frame", 1, 7, E(41, P), -XEN_EBUSY, false },
    { "L1 free frame", 1, 7, E(50, P), -XEN_EBUSY, false },
    { "L1 untracked frame (MMIO)", 1, 7, E(0x12345, P), -XEN_EPERM, false },
    { "L1 Xen's INVALID_MFN", 1, 7, E((1ULL << 40) - 1, P), -XEN_EINVAL, false },
    { "L1 bit 62 is available", 1, 7, E(2, P | (1ULL << 62)), 0, false },
    { "L1 PCD without io_caps", 1, 7, E(2, P | PTE_PCD), -XEN_EINVAL, false },
    { "L1 PWT without io_caps", 1, 7, E(2, P | PTE_PWT), -XEN_EINVAL, false },
    { "L1 PAT without io_caps", 1, 7, E(2, P | PTE_PAT), -XEN_EINVAL, false },
    { "L1 PCD with io_caps", 1, 7, E(2, P | PTE_PCD | PTE_PWT | PTE_PAT), 0, true },
    { "L1 bit 62 with io_caps", 1, 7, E(2, P | (1ULL << 62)), 0, true },
    { "L1 maps itself writable", 1, 7, E(10, P | RW), -XEN_EBUSY, false },
    { "L1 maps a page table RW", 1, 7, E(30, P | RW), -XEN_EBUSY, false },
    { "L1 maps a page table RO", 1, 7, E(30, P), 0, false },
    { "L2 PSE", 2, 7, E(2, P | PTE_PSE), -XEN_EINVAL, false },
    { "L2 G", 2, 7, E(11, P | PTE_G), -XEN_EINVAL, false },
    { "L2 PCD", 2, 7, E(11, P | PTE_PCD), -XEN_EINVAL, false },
    { "L2 PWT even with io_caps", 2, 7, E(11, P | PTE_PWT), -XEN_EINVAL, true },
    { "L2 bit 62 is available", 2, 7, E(11, P | (1ULL << 62)), 0, false },
    { "L2 NX and available bits", 2, 7, E(11, P | PTE_NX | (7ULL << 9)), 0, false },
    { "L2 foreign frame", 2, 7, E(41, P), -XEN_EINVAL, false },
    { "L2 free frame", 2, 7, E(50, P), -XEN_EINVAL, false },
    { "L2 untracked frame", 2, 7, E(0x12345, P), -XEN_EINVAL, false },
    { "L2 -> a writable frame", 2, 7, E(3, P), -XEN_EINVAL, false },
    { "L2 -> a pinned L2 RW", 2, 7, E(31, P | RW), -XEN_EINVAL, false },
    { "L2 -> a pinned L2 RO", 2, 7, E(31, P), 0, false },
    { "L2 -> itself RW", 2, 7, E(12, P | RW), -XEN_EINVAL, false },
    { "L2 -> itself RO", 2, 7, E(12, P), 0, false },
    { "L3 PSE", 3, 7, E(12, P | PTE_PSE), -XEN_EINVAL, false },
    { "L3 -> an L1", 3, 7, E(30, P), -XEN_EINVAL, false },
    { "L3 -> a bad L2 beneath", 3, 7, E(16, P | RW), -XEN_EBUSY, false },
    { "L4 PCD", 4, 7, E(13, P | PTE_PCD), -XEN_EINVAL, false },
    { "L4 -> an L1", 4, 7, E(30, P), -XEN_EINVAL, false },
    { "L4 -> an L4 RW", 4, 7, E(32, P | RW), -XEN_EINVAL, false },
    { "L4 -> an L4 RO", 4, 7, E(32, P), 0, false },
    { "L4 -> a fresh frame: an L3", 4, 7, E(33, P), 0, false },
    { "L4 -> an L3 with a bad L1", 4, 300, E(17, P), -XEN_EBUSY, false },
};

/*
 * Tables 10 (L1), 11 (L1, empty), 12 (L2), 13 (L3), 14 (L4) get the case's
 * entry after valid entries that took references; 30 (L1), 31 (L2),
 * 32 (L4) are pinned; 3 is mapped writable by 30; 16 is an L2 whose L1 15
 * maps the L1 30 writable, 17 an L3 over 16.
 */
static void reject_setup(void)
{
    setup();
    fake_mem[30][0] = E(3, P | RW);
    ASSERT_INT(pt_pin(30, PGT_L1, &d, false, NULL), 0);
    fake_mem[31][0] = E(30, P);
    ASSERT_INT(pt_pin(31, PGT_L2, &d, false, NULL), 0);
    ASSERT_INT(pt_pin(32, PGT_L4, &d, false, NULL), 0);
    fake_mem[15][0] = E(2, P | RW);
    fake_mem[15][1] = E(30, P | RW);
    fake_mem[16][0] = E(15, P);
    fake_mem[17][0] = E(16, P);

    fake_mem[10][0] = E(2, P | RW);
    fake_mem[10][1] = E(4, P);
    fake_mem[12][0] = E(11, P);
    fake_mem[12][1] = E(30, P);
    fake_mem[13][0] = E(12, P);
    fake_mem[14][0] = E(13, P);
    fake_mem[14][1] = E(31 + 0, 0);
}

static void test_rejections(void)
{
    static const uint64_t table[5] = { 0, 10, 12, 13, 14 };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(reject_cases); i++) {
        const struct reject_case *c = &reject_cases[i];
        uint64_t t = table[c->level];
        const struct pt_owner *o = c->io_caps ? &d_io : &d;
        char label[128];
        int rc;

        reject_setup();
        fake_mem[t][c->slot] = c->entry;
        snapshot();
        rc = pt_pin(t, PGT_L1 + c->level - 1, o, false, NULL);
        snprintf(label, sizeof(label), "%s: pin rc", c->name);
        unit_check_int(__FILE__, __LINE__, label, rc, c->rc, false);
        if (rc)
            EXPECT_TRUE_CASE(unchanged(c->name), c->name);
        else
            expect_audit_ok(NULL, 0);
        if (!rc) {
            EXPECT_INT(pt_unpin(t, o, false, NULL), 0);
            EXPECT_TRUE_CASE(unchanged(c->name), c->name);
        }

        /* The same entry through an update of the validated (emptied) table. */
        reject_setup();
        fake_mem[t][c->slot] = 0;
        ASSERT_INT(pt_pin(t, PGT_L1 + c->level - 1, o, false, NULL), 0);
        snapshot();
        rc = pt_update_entry(t, c->slot, c->entry, o, 0, NULL);
        snprintf(label, sizeof(label), "%s: update rc", c->name);
        unit_check_int(__FILE__, __LINE__, label, rc, c->rc, false);
        if (rc) {
            EXPECT_TRUE_CASE(unchanged(c->name), c->name);
            EXPECT_TRUE_CASE(fake_mem[t][c->slot] == 0, c->name);
        } else {
            expect_audit_ok(NULL, 0);
            EXPECT_INT(pt_update_entry(t, c->slot, 0, o, 0, NULL), 0);
            EXPECT_TRUE_CASE(unchanged(c->name), c->name);
        }
    }
}

/* A failure deep down unwinds every reference taken on the way. */
static void test_deep_failure_no_leak(void)
{
    unsigned int i;

    setup();
    build_hierarchy();
    fake_mem[23][3] = E(2, P);
    fake_mem[23][4] = E(23, P | RW); /* the L1 maps itself writable */
    snapshot();
    EXPECT_INT(pt_pin(20, PGT_L4, &d, false, NULL), -XEN_EBUSY);
    EXPECT_TRUE(unchanged("L4 over a bad L1"));
    for (i = 0; i < FAKE_FRAMES; i++)
        EXPECT_U64(fake_released[i], 0);
    /* Earlier entries were adjusted, as Xen leaves them; nothing else. */
    EXPECT_U64(fake_mem[23][0], E(2, P | RW | PTE_US | PT_GUEST_KERNEL));
    EXPECT_U64(fake_mem[20][256], 0);

    /* The last entry of the L4 fails after everything below was validated. */
    fake_mem[23][4] = 0;
    fake_mem[20][511] = E(41, P);
    snapshot();
    EXPECT_INT(pt_pin(20, PGT_L4, &d, false, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("L4 with a bad last slot"));
    fake_mem[20][511] = 0;
    EXPECT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    expect_audit_ok(NULL, 0);
}

static void test_type_conflicts(void)
{
    setup();
    fake_mem[10][0] = E(2, P | RW);
    ASSERT_INT(pt_pin(10, PGT_L1, &d, false, NULL), 0);
    snapshot();
    EXPECT_INT(pt_pin(10, PGT_L2, &d, false, NULL), -XEN_EINVAL); /* in use as an L1 */
    EXPECT_INT(pt_pin(2, PGT_L1, &d, false, NULL), -XEN_EINVAL);  /* in use writable */
    EXPECT_INT(page_get_type(10, PGT_WRITABLE, &d), -XEN_EINVAL);
    EXPECT_INT(page_get_type(2, PGT_L1, &d), -XEN_EINVAL);
    EXPECT_INT(page_get_type(10, PGT_SEG_DESC, &d), -XEN_EINVAL);
    EXPECT_INT(pt_pin(10, PGT_WRITABLE, &d, false, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_pin(10, PGT_NONE, &d, false, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("type conflicts"));

    /* The same type shares the count; the last put returns the type to none. */
    EXPECT_INT(page_get_type(2, PGT_WRITABLE, &d), 0);
    EXPECT_FRAME(2, 2, PGT_WRITABLE, 2);
    page_put_type(2);
    EXPECT_INT(pt_unpin(10, &d, false, NULL), 0);
    EXPECT_FRAME(2, 1, PGT_NONE, 0);
    EXPECT_INT(page_get_type(2, PGT_SEG_DESC, &d), 0);
    EXPECT_INT(pt_pin(2, PGT_L1, &d, false, NULL), -XEN_EINVAL);
    page_put_type(2);
    EXPECT_FRAME(2, 1, PGT_NONE, 0);
    /* A foreign frame cannot be validated under d's rules. */
    EXPECT_INT(page_get_type(41, PGT_L1, &d), -XEN_EINVAL);
    EXPECT_FRAME(41, 1, PGT_NONE, 0);
}

static void test_pin_unpin_errors(void)
{
    setup();
    ASSERT_INT(pt_pin(10, PGT_L1, &d, false, NULL), 0);
    snapshot();
    EXPECT_INT(pt_pin(10, PGT_L1, &d, false, NULL), -XEN_EINVAL); /* twice */
    EXPECT_TRUE(unchanged("pin twice"));
    EXPECT_INT(pt_unpin(11, &d, false, NULL), -XEN_EINVAL);      /* not pinned */
    EXPECT_INT(pt_unpin(41, &d, false, NULL), -XEN_EINVAL);      /* foreign */
    EXPECT_INT(pt_unpin(50, &d, false, NULL), -XEN_EINVAL);      /* free */
    EXPECT_INT(pt_unpin(0x12345, &d, false, NULL), -XEN_EINVAL); /* untracked */
    EXPECT_INT(pt_pin(41, PGT_L1, &d, false, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_pin(50, PGT_L1, &d, false, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_pin(0x12345, PGT_L1, &d, false, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("pin and unpin errors"));
    EXPECT_INT(pt_unpin(10, &d, false, NULL), 0);
    EXPECT_INT(pt_unpin(10, &d, false, NULL), -XEN_EINVAL);
    EXPECT_FRAME(10, 1, PGT_NONE, 0);
}

static void test_count_overflow(void)
{
    setup();
    fake_page[2].count = UINT32_MAX;
    EXPECT_INT(page_get(2, DOM), -XEN_EINVAL);
    EXPECT_U64(fake_page[2].count, UINT32_MAX);
    fake_mem[10][0] = E(3, P);
    fake_mem[10][1] = E(2, P);
    snapshot();
    EXPECT_INT(pt_pin(10, PGT_L1, &d, false, NULL), -XEN_EBUSY);
    EXPECT_TRUE(unchanged("general count overflow"));

    fake_page[2].count = 2;
    fake_page[2].type = PGT_WRITABLE;
    fake_page[2].type_count = UINT32_MAX;
    fake_mem[10][1] = E(2, P | RW);
    snapshot();
    EXPECT_INT(pt_pin(10, PGT_L1, &d, false, NULL), -XEN_EBUSY);
    EXPECT_TRUE(unchanged("type count overflow"));
    EXPECT_INT(page_get_type(2, PGT_WRITABLE, &d), -XEN_EINVAL);

    /* A table whose type count is at its limit refuses one more use. */
    setup();
    ASSERT_INT(pt_pin(10, PGT_L1, &d, false, NULL), 0);
    fake_page[10].type_count = UINT32_MAX;
    fake_mem[12][0] = E(10, P);
    snapshot();
    EXPECT_INT(pt_pin(12, PGT_L2, &d, false, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("table type count overflow"));
}

/* --- Linear page tables ------------------------------------------------------- */

static void test_linear_tables(void)
{
    char why[256];

    setup();
    /* A, B, C, D: pinned L2s. */
    ASSERT_INT(pt_pin(10, PGT_L2, &d, false, NULL), 0);
    ASSERT_INT(pt_pin(11, PGT_L2, &d, false, NULL), 0);
    ASSERT_INT(pt_pin(12, PGT_L2, &d, false, NULL), 0);
    ASSERT_INT(pt_pin(13, PGT_L2, &d, false, NULL), 0);

    snapshot();
    EXPECT_INT(pt_update_entry(10, 0, E(11, P | RW), &d, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry(10, 0, E(10, P | RW), &d, 0, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("writable linear entries"));

    EXPECT_INT(pt_update_entry(10, 0, E(10, P), &d, 0, NULL), 0); /* self: free */
    EXPECT_TRUE(unchanged("self entry takes nothing"));

    EXPECT_INT(pt_update_entry(10, 1, E(11, P), &d, 0, NULL), 0); /* A -> B */
    EXPECT_FRAME(11, 3, PGT_L2, 2);
    EXPECT_INT(fake_page[10].linear, 1);
    EXPECT_INT(fake_page[11].linear, -1);
    EXPECT_INT(pt_update_entry(10, 2, E(11, P), &d, 0, NULL), 0); /* A -> B again */
    EXPECT_INT(fake_page[10].linear, 2);
    EXPECT_INT(fake_page[11].linear, -2);
    EXPECT_INT(pt_update_entry(13, 0, E(11, P), &d, 0, NULL), 0); /* D -> B */
    EXPECT_INT(fake_page[11].linear, -3);
    expect_audit_ok(NULL, 0);

    snapshot();
    /* Chains: C -> A (A has linear entries), B -> C (B is a target). */
    EXPECT_INT(pt_update_entry(12, 0, E(10, P), &d, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry(11, 0, E(12, P), &d, 0, NULL), -XEN_EINVAL);
    /* A -> an unvalidated L2, or a table of the wrong level. */
    EXPECT_INT(pt_update_entry(10, 3, E(14, P), &d, 0, NULL), 0); /* 14 becomes an L1 */
    EXPECT_FRAME(14, 2, PGT_L1, 1);
    EXPECT_INT(pt_update_entry(10, 3, 0, &d, 0, NULL), 0);
    EXPECT_TRUE(unchanged("refused chains"));
    /* XSA-182: RW cannot sneak in through the fast path. */
    EXPECT_INT(pt_update_entry(10, 1, E(11, P | RW), &d, 0, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("RW through the fast path"));
    /* A/D/US changes do use the fast path. */
    EXPECT_INT(pt_update_entry(10, 1, E(11, P | PTE_A | PTE_D), &d, 0, NULL), 0);
    EXPECT_TRUE(unchanged("fast path"));

    /* Unpinning B leaves it alive through its linear uses. */
    EXPECT_INT(pt_unpin(11, &d, false, NULL), 0);
    EXPECT_FRAME(11, 4, PGT_L2, 3);
    EXPECT_INT(pt_update_entry(10, 1, 0, &d, 0, NULL), 0);
    EXPECT_INT(pt_update_entry(10, 2, 0, &d, 0, NULL), 0);
    EXPECT_INT(fake_page[10].linear, 0);
    /* D's entry is B's last use: B devalidates, counters return to zero. */
    EXPECT_INT(pt_update_entry(13, 0, 0, &d, 0, NULL), 0);
    EXPECT_FRAME(11, 1, PGT_NONE, 0);
    EXPECT_INT(fake_page[11].linear, 0);
    EXPECT_INT(fake_page[13].linear, 0);
    EXPECT_INT(pt_audit(DOM, FAKE_FRAMES, NULL, 0, why, sizeof(why)), 0);

    /* Linear entries at L3 and L4, and in a table being validated. */
    setup();
    ASSERT_INT(pt_pin(10, PGT_L3, &d, false, NULL), 0);
    fake_mem[11][0] = E(10, P);
    fake_mem[11][1] = E(11, P);
    ASSERT_INT(pt_pin(11, PGT_L3, &d, false, NULL), 0);
    EXPECT_INT(fake_page[11].linear, 1);
    ASSERT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    fake_mem[21][0] = E(20, P);
    fake_mem[21][1] = E(20, P | RW);
    snapshot();
    EXPECT_INT(pt_pin(21, PGT_L4, &d, false, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("L4 with a writable linear entry"));
    fake_mem[21][1] = 0;
    EXPECT_INT(pt_pin(21, PGT_L4, &d, false, NULL), 0);
    EXPECT_INT(fake_page[20].linear, -1);
    expect_audit_ok(NULL, 0);
    EXPECT_INT(pt_unpin(21, &d, false, NULL), 0);
    EXPECT_INT(fake_page[20].linear, 0);
    EXPECT_INT(fake_page[21].linear, 0);
}

/* --- Updates ---------------------------------------------------------------------- */

static void test_update_l1(void)
{
    uint64_t old = 0;

    setup();
    fake_mem[10][5] = E(2, P);
    ASSERT_INT(pt_pin(10, PGT_L1, &d, false, NULL), 0);
    EXPECT_INT(pt_update_entry(10, 5, E(3, P | RW | PTE_US), &d, 0, &old), 0);
    EXPECT_U64(old, E(2, P | PTE_US | PT_GUEST_KERNEL));
    EXPECT_U64(fake_mem[10][5], E(3, P | RW | PTE_US | PTE_G));
    EXPECT_FRAME(2, 1, PGT_NONE, 0);
    EXPECT_FRAME(3, 2, PGT_WRITABLE, 1);

    /* No-op rewrite, and a change outside the fast path naming the same frame. */
    snapshot();
    EXPECT_INT(pt_update_entry(10, 5, E(3, P | RW | PTE_US), &d, 0, NULL), 0);
    EXPECT_TRUE(unchanged("no-op rewrite"));
    fake_page[3].flags &= ~PGF_ALLOCATED; /* freed by the guest, still mapped */
    fake_page[3].count--;
    EXPECT_INT(pt_update_entry(10, 5, E(3, P), &d, 0, NULL), 0);
    EXPECT_FRAME(3, 1, PGT_NONE, 0);
    EXPECT_U64(fake_released[3], 0);
    EXPECT_INT(pt_update_entry(10, 5, E(3, P | RW), &d, 0, NULL), 0);
    EXPECT_FRAME(3, 1, PGT_WRITABLE, 1);
    EXPECT_U64(fake_released[3], 0);
    EXPECT_INT(pt_update_entry(10, 5, 0, &d, 0, &old), 0);
    EXPECT_U64(old, E(3, P | RW | PTE_US | PT_GUEST_KERNEL));
    EXPECT_U64(fake_released[3], 1); /* the last reference freed it */

    /* PRESERVE_AD ORs the old A and D bits in. */
    EXPECT_INT(pt_update_entry(10, 6, E(2, P | PTE_A | PTE_D | PTE_US), &d, 0, NULL), 0);
    EXPECT_INT(pt_update_entry(10, 6, E(4, P | PTE_US), &d, PT_UPDATE_PRESERVE_AD, NULL), 0);
    EXPECT_U64(fake_mem[10][6], E(4, P | PTE_US | PTE_G | PTE_A | PTE_D));
    EXPECT_INT(pt_update_entry(10, 6, E(4, P | PTE_US), &d, 0, NULL), 0);
    EXPECT_U64(fake_mem[10][6], E(4, P | PTE_US | PTE_G));
    /* A not-present entry is stored as given. */
    EXPECT_INT(pt_update_entry(10, 6, 0xabc000ULL | RW, &d, 0, NULL), 0);
    EXPECT_U64(fake_mem[10][6], 0xabc000ULL | RW);
    expect_audit_ok(NULL, 0);

    /* Tables that are not validated page tables of d's. */
    EXPECT_INT(pt_update_entry(11, 0, 0, &d, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry(41, 0, 0, &d, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry(0x12345, 0, 0, &d, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry(10, 512, 0, &d, 0, NULL), -XEN_EINVAL);
    {
        const struct pt_owner other = { .id = DOM2, .hv_l4 = fake_hv_l4 };
        EXPECT_INT(pt_update_entry(10, 0, 0, &other, 0, NULL), -XEN_EINVAL);
    }
}

static void test_update_upper_levels(void)
{
    uint64_t old;
    unsigned int i;

    setup();
    build_hierarchy();
    ASSERT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);

    /* L2: replace L1 23 by L1 25; 23 devalidates and lets go of 2 and 3. */
    fake_mem[25][9] = E(4, P | RW);
    EXPECT_INT(pt_update_entry(22, 0, E(25, P | RW), &d, 0, &old), 0);
    EXPECT_U64(old, E(23, P | RW | PTE_US));
    EXPECT_FRAME(23, 1, PGT_NONE, 0);
    EXPECT_FRAME(2, 1, PGT_NONE, 0);
    EXPECT_FRAME(25, 2, PGT_L1, 1);
    EXPECT_FRAME(4, 2, PGT_WRITABLE, 1);
    expect_audit_ok(NULL, 0);

    /* L3: toggling RW names the same L2, held by no one else meanwhile. */
    EXPECT_INT(pt_update_entry(21, 5, 0, &d, 0, NULL), 0);
    fake_page[22].flags &= ~PGF_ALLOCATED;
    fake_page[22].count--;
    snapshot();
    EXPECT_INT(pt_update_entry(21, 0, E(22, P), &d, 0, NULL), 0);
    EXPECT_FRAME(22, 1, PGT_L2, 1);
    EXPECT_FRAME(25, 2, PGT_L1, 1); /* never devalidated */
    EXPECT_U64(fake_released[22], 0);
    EXPECT_INT(pt_update_entry(21, 0, E(22, P | RW), &d, 0, NULL), 0);
    EXPECT_TRUE(unchanged("RW toggle on an L3 entry"));

    /* L4: replace L3 21 by a fresh L3 26; 22 loses its last use and is freed. */
    fake_mem[26][0] = E(27, P);
    EXPECT_INT(pt_update_entry(20, 300, 0, &d, 0, NULL), 0);
    EXPECT_INT(pt_update_entry(20, 0, E(26, P), &d, 0, &old), 0);
    EXPECT_U64(old, E(21, P | RW | PTE_US | PTE_A));
    EXPECT_U64(fake_mem[20][0], E(26, P | PTE_US | PTE_A));
    EXPECT_FRAME(21, 1, PGT_NONE, 0);
    EXPECT_U64(fake_released[22], 1);
    EXPECT_FRAME(25, 1, PGT_NONE, 0);
    EXPECT_FRAME(26, 2, PGT_L3, 1);
    EXPECT_FRAME(27, 2, PGT_L2, 1);
    expect_audit_ok(NULL, 0);

    /* Xenolith's slots: refused whatever the value; guest kernel slots fine. */
    snapshot();
    for (i = 256; i < 272; i++)
        EXPECT_INT(pt_update_entry(20, i, 0, &d, 0, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry(20, 256, fake_hv_l4[256], &d, 0, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("hypervisor slots"));
    EXPECT_U64(fake_mem[20][256], fake_hv_l4[256]);
    EXPECT_INT(pt_update_entry(20, 255, E(26, P), &d, 0, NULL), 0);
    EXPECT_INT(pt_update_entry(20, 272, 0, &d, 0, NULL), 0);
    EXPECT_INT(pt_update_entry(20, 511, E(26, P), &d, 0, NULL), 0);
    EXPECT_FRAME(26, 4, PGT_L3, 3);
    EXPECT_FRAME(24, 1, PGT_NONE, 0);
    /* An L3 whose L2 was freed meanwhile no longer validates. */
    EXPECT_INT(pt_update_entry(20, 254, E(21, P), &d, 0, NULL), -XEN_EINVAL);
    expect_audit_ok(NULL, 0);
}

/* --- Teardown and audit ------------------------------------------------------------ */

/* A frame Xenolith lends the guest (shared_info, grant frames) is mapped
 * write-back only, io_caps or not: Xen's -EACCES for a Xen heap page. */
static void test_lent_frames_write_back(void)
{
    static const uint64_t attrs[] = { PTE_PWT, PTE_PCD, PTE_PAT, PTE_PWT | PTE_PCD };

    setup();
    fake_page[5].flags |= PGF_LENT;
    ASSERT_INT(pt_pin(11, PGT_L1, &d_io, false, NULL), 0);
    snapshot();
    for (unsigned int i = 0; i < ARRAY_SIZE(attrs); i++) {
        EXPECT_INT(pt_update_entry(11, 0, E(5, P | RW | attrs[i]), &d_io, 0, NULL), -XEN_EACCES);
        EXPECT_INT(pt_update_entry(11, 0, E(5, P | attrs[i]), &d_io, 0, NULL), -XEN_EACCES);
        EXPECT_TRUE(unchanged("lent frame with cache attributes"));
        EXPECT_U64(fake_mem[11][0], 0);
    }
    /* Write-back is fine, and so are cache attributes on the guest's RAM. */
    EXPECT_INT(pt_update_entry(11, 0, E(5, P | RW), &d_io, 0, NULL), 0);
    EXPECT_INT(pt_update_entry(11, 1, E(6, P | RW | PTE_PCD), &d_io, 0, NULL), 0);
    expect_audit_ok(NULL, 0);
    EXPECT_INT(pt_update_entry(11, 0, 0, &d_io, 0, NULL), 0);
    EXPECT_INT(pt_update_entry(11, 1, 0, &d_io, 0, NULL), 0);
    EXPECT_TRUE(unchanged("lent frame, mapped and unmapped"));
}

/* A grant mapping goes into an L1 only, whoever the granter: a self-grant
 * naming an L2, L3 or L4 entry is refused, as in Xen. */
static void test_grant_entry_l1_only(void)
{
    setup();
    build_hierarchy();
    ASSERT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    snapshot();
    EXPECT_INT(pt_update_entry_grant(20, 1, E(5, P | RW), &d, DOM, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry_grant(21, 1, E(22, P | RW), &d, DOM, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry_grant(22, 1, E(5, P | RW), &d, DOM, NULL), -XEN_EINVAL);
    EXPECT_INT(pt_update_entry_grant(22, 1, E(5, P | RW), &d, DOM + 1, NULL), -XEN_EINVAL);
    EXPECT_TRUE(unchanged("grant entry in a higher-level table"));
    EXPECT_U64(fake_mem[21][1], 0);
    EXPECT_INT(pt_update_entry_grant(23, 3, E(5, P | RW), &d, DOM, NULL), 0);
    EXPECT_FRAME(5, 2, PGT_WRITABLE, 1);
    EXPECT_INT(pt_update_entry(23, 3, 0, &d, 0, NULL), 0);
    expect_audit_ok(NULL, 0);
}

static void test_relinquish(void)
{
    unsigned int i;

    setup();
    build_hierarchy();
    ASSERT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    ASSERT_INT(pt_pin(23, PGT_L1, &d, false, NULL), 0); /* pinned and referenced */
    fake_mem[28][0] = E(23, P);                         /* a second L2 sharing the L1 */
    fake_mem[28][1] = E(22, P);                         /* and linear to the first */
    fake_mem[28][2] = E(28, P);                         /* and to itself */
    ASSERT_INT(pt_pin(28, PGT_L2, &d, false, NULL), 0);
    fake_mem[29][0] = E(20, P); /* an L1 mapping the L4 read-only */
    fake_mem[29][1] = E(29, P);
    fake_mem[29][2] = E(5, P | RW);
    ASSERT_INT(pt_update_entry(22, 7, E(29, P), &d, 0, NULL), 0);
    ASSERT_INT(pt_update_entry(23, 9, E(20, P), &d, 0, NULL), 0); /* L1 -> L4 RO */
    fake_page[5].flags &= ~PGF_ALLOCATED;                         /* ballooned out, still mapped */
    fake_page[5].count--;
    expect_audit_ok(NULL, 0);

    pt_relinquish(DOM, FAKE_FRAMES);
    for (i = 0; i < FAKE_FRAMES; i++) {
        char label[64];

        snprintf(label, sizeof(label), "frame %u released", i);
        unit_check_int(__FILE__, __LINE__, label, fake_released[i], (i >= 1 && i <= 40) ? 1 : 0,
                       false);
    }
    for (i = 41; i <= 44; i++)
        EXPECT_FRAME(i, 1, PGT_NONE, 0);
    EXPECT_INT(pt_audit(DOM, FAKE_FRAMES, NULL, 0, NULL, 0), 0);
}

static void test_audit_detects(void)
{
    char why[256];
    uint64_t cr3 = 20;
    struct page_info before[FAKE_FRAMES];

    setup();
    build_hierarchy();
    ASSERT_INT(pt_pin(20, PGT_L4, &d, false, NULL), 0);
    memcpy(before, fake_page, sizeof(before));
    expect_audit_ok(NULL, 0);
    EXPECT_TRUE(!memcmp(before, fake_page, sizeof(before))); /* restored */

    fake_page[22].count++;
    EXPECT_INT(pt_audit(DOM, FAKE_FRAMES, NULL, 0, why, sizeof(why)), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "mfn 0x16");
    EXPECT_SUBSTR(why, "general count (expected 4, got 5)");
    fake_page[22].count--;
    EXPECT_TRUE(!memcmp(before, fake_page, sizeof(before)));

    fake_page[23].type_count = 0;
    EXPECT_INT(pt_audit(DOM, FAKE_FRAMES, NULL, 0, why, sizeof(why)), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "mfn 0x17");
    fake_page[23].type_count = 1;

    /* An unaccounted CR3 reference, then accounted. */
    ASSERT_INT(page_get_and_type(20, PGT_L4, &d), 0);
    EXPECT_INT(pt_audit(DOM, FAKE_FRAMES, NULL, 0, why, sizeof(why)), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "mfn 0x14");
    expect_audit_ok(&cr3, 1);
    page_put_and_type(20);

    fake_page[2].type = PGT_NONE; /* RW-mapped, yet not writable */
    EXPECT_INT(pt_audit(DOM, FAKE_FRAMES, NULL, 0, why, sizeof(why)), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "writable");
    fake_page[2].type = PGT_WRITABLE;

    fake_page[21].linear = -1;
    EXPECT_INT(pt_audit(DOM, FAKE_FRAMES, NULL, 0, why, sizeof(why)), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "linear count");
    fake_page[21].linear = 0;
    expect_audit_ok(NULL, 0);
}

static const struct unit_test page_type_tests[] = {
    { "l1_validate_devalidate", test_l1_validate_devalidate },
    { "hierarchy_counts", test_hierarchy_counts },
    { "rejections", test_rejections },
    { "deep_failure_no_leak", test_deep_failure_no_leak },
    { "type_conflicts", test_type_conflicts },
    { "pin_unpin_errors", test_pin_unpin_errors },
    { "count_overflow", test_count_overflow },
    { "linear_tables", test_linear_tables },
    { "update_l1", test_update_l1 },
    { "update_upper_levels", test_update_upper_levels },
    { "lent_frames_write_back", test_lent_frames_write_back },
    { "grant_entry_l1_only", test_grant_entry_l1_only },
    { "relinquish", test_relinquish },
    { "audit_detects", test_audit_detects },
};

void register_page_type_tests(void)
{
    UNIT_SUITE("page_type", page_type_tests);
}
