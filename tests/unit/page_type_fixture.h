/* SPDX-License-Identifier: MIT */
/*
 * The fixture the page_type suites share (page_type.c, page_type_preempt.c):
 * a fake frame table holding two domains' frames, a snapshot to prove that
 * nothing leaked, and the audit as an assertion. Each suite's file has its
 * own copy of the state.
 */
#ifndef XENOLITH_TESTS_PAGE_TYPE_FIXTURE_H
#define XENOLITH_TESTS_PAGE_TYPE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "arch/x86/pte.h"
#include "page_type_fake.h"
#include "unit.h"

#define DOM           1
#define DOM2          2
#define P             PTE_P
#define RW            PTE_RW
#define E(mfn, flags) (((uint64_t)(mfn) << PAGE_SHIFT) | (flags))

__attribute__((
    unused)) static const struct pt_owner d = { .id = DOM, .io_caps = false, .hv_l4 = fake_hv_l4 };
__attribute__((unused)) static const struct pt_owner d_io = { .id = DOM,
                                                              .io_caps = true,
                                                              .hv_l4 = fake_hv_l4 };

/* Frames 1..40 are DOM's, 41..44 DOM2's, the rest free. */
static inline void setup(void)
{
    uint64_t i;

    fake_reset();
    for (i = 1; i <= 40; i++)
        fake_alloc(i, DOM);
    for (i = 41; i <= 44; i++)
        fake_alloc(i, DOM2);
}

__attribute__((unused)) static struct page_info snap[FAKE_FRAMES];

static inline void snapshot(void)
{
    memcpy(snap, fake_page, sizeof(snap));
}

/* Every frame's bookkeeping equals the snapshot: nothing leaked. */
static inline bool unchanged(const char *label)
{
    unsigned int i;
    char what[160];

    for (i = 0; i < FAKE_FRAMES; i++) {
        const struct page_info *a = &snap[i], *b = &fake_page[i];

        if (!memcmp(a, b, sizeof(*a)))
            continue;
        snprintf(what, sizeof(what),
                 "%s: frame %u count %u/%u type %u/%u tc %u/%u "
                 "flags %u/%u linear %d/%d (expected/got)",
                 label, i, a->count, b->count, a->type, b->type, a->type_count, b->type_count,
                 a->flags, b->flags, a->linear, b->linear);
        return unit_check_true(__FILE__, __LINE__, what, false, NULL, false);
    }
    return true;
}

/* An owed partial demotion's general reference, while a test holds one. */
__attribute__((unused)) static uint64_t audit_held;

static inline void expect_audit_ok(const uint64_t *ext, unsigned int n)
{
    char why[256];

    EXPECT_INT(pt_audit_holding(DOM, FAKE_FRAMES, ext, n, &audit_held, audit_held ? 1 : 0, why,
                                sizeof(why)),
               0);
    EXPECT_STR(why, "");
}

#define EXPECT_FRAME(mfn, c, t, tc)                  \
    do {                                             \
        EXPECT_U64(fake_page[mfn].count, (c));       \
        EXPECT_U64(fake_page[mfn].type, (t));        \
        EXPECT_U64(fake_page[mfn].type_count, (tc)); \
    } while (0)

#endif
