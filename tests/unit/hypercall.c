/* SPDX-License-Identifier: MIT */
/*
 * hypercall suite: every byte of the 64-bit PV hypercall page against the
 * encodings Xen writes (pv_ring3_init_hypercall_page).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/xen.h>

#include "pv/hypercall_page.h"
#include "unit.h"

static uint8_t page[HYPERCALL_PAGE_SIZE];

static void fill_over(uint8_t garbage)
{
    memset(page, garbage, sizeof(page));
    hypercall_page_fill(page);
}

/* Report the first byte that differs, with the stub and offset in it. */
static void expect_slot(unsigned int nr, const uint8_t *want, unsigned int len)
{
    const uint8_t *slot = page + nr * HYPERCALL_STUB_SIZE;
    unsigned int i;

    for (i = 0; i < HYPERCALL_STUB_SIZE; i++) {
        uint8_t expect = i < len ? want[i] : 0xcc;

        if (slot[i] != expect) {
            char label[64];

            snprintf(label, sizeof(label), "stub %u byte %u: expected %#04x, got %#04x", nr, i,
                     expect, slot[i]);
            EXPECT_TRUE_CASE(slot[i] == expect, label);
            return;
        }
    }
}

static void test_regular_stubs(void)
{
    unsigned int nr;

    fill_over(0x00);
    for (nr = 0; nr < HYPERCALL_PAGE_SIZE / HYPERCALL_STUB_SIZE; nr++) {
        /* push %rcx; push %r11; mov $nr,%eax; syscall; pop %r11; pop %rcx; ret */
        const uint8_t want[] = { 0x51, 0x41, 0x53, 0xb8, (uint8_t)nr, 0,    0,
                                 0,    0x0f, 0x05, 0x41, 0x5b,        0x59, 0xc3 };

        if (nr != __HYPERVISOR_iret)
            expect_slot(nr, want, sizeof(want));
    }
}

static void test_golden_mmu_update(void)
{
    static const uint8_t want[] = { 0x51, 0x41, 0x53, 0xb8, 0x01, 0x00, 0x00,
                                    0x00, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };

    fill_over(0x00);
    expect_slot(__HYPERVISOR_mmu_update, want, sizeof(want));
    EXPECT_U64(page[__HYPERVISOR_mmu_update * 32 + 4], 1);
    /* By number: without __XEN_INTERFACE_VERSION__, xen.h maps
     * __HYPERVISOR_sched_op to the compat number 6. */
    EXPECT_U64(page[29 * 32 + 4], 29);
    EXPECT_U64(page[127 * 32 + 4], 127);
}

/* push %rcx; push %r11; push %rax; mov $23,%eax; syscall -- and no return. */
static void test_iret_stub(void)
{
    static const uint8_t want[] = {
        0x51, 0x41, 0x53, 0x50, 0xb8, 0x17, 0x00, 0x00, 0x00, 0x0f, 0x05
    };

    fill_over(0x00);
    EXPECT_INT(__HYPERVISOR_iret, 23);
    expect_slot(__HYPERVISOR_iret, want, sizeof(want));
}

static void test_int3_fill(void)
{
    unsigned int nr, i, bad = 0;

    fill_over(0x90);
    for (nr = 0; nr < HYPERCALL_PAGE_SIZE / HYPERCALL_STUB_SIZE; nr++) {
        unsigned int used = nr == __HYPERVISOR_iret ? 11 : 14;

        for (i = used; i < HYPERCALL_STUB_SIZE; i++)
            bad += page[nr * HYPERCALL_STUB_SIZE + i] != 0xcc;
    }
    EXPECT_U64(bad, 0);
    EXPECT_U64(HYPERCALL_PAGE_SIZE / HYPERCALL_STUB_SIZE, 128);
}

void register_hypercall_tests(void)
{
    static const struct unit_test tests[] = {
        { "regular_stubs", test_regular_stubs },
        { "golden_mmu_update", test_golden_mmu_update },
        { "iret_stub", test_iret_stub },
        { "int3_fill", test_int3_fill },
    };

    UNIT_SUITE("hypercall", tests);
}
