// SPDX-License-Identifier: MIT
/*
 * update-va-mapping: every UVMF flush type and target, the new mapping
 * visible after each, and the refusals first-light does not cover: page
 * tables of each level writable, foreign and absent frames, attribute and
 * reserved bits. Expected values are Xen 4.17's answers as dom0.
 */
#include <stdio.h>
#include <xen/errno.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "common/array_size.h"

const char test_title[] = "update-va-mapping";

#define MFN_HUGE 0xffffffff0UL
enum { S_WIN, S_A, S_B, S_COUNT };

static unsigned long va_of(int s)
{
    return scratch_va(s);
}
static unsigned long mfn_of(int s)
{
    return va_to_mfn(scratch_va(s));
}
static const unsigned long vcpu0_mask = 1;

/* Flush variants: each switches the window between two frames and reads
 * through it, so a missing flush shows as the old frame's marker. */
static void test_flags(void)
{
    const struct {
        const char *name;
        unsigned long flags;
    } flags[] = {
        { "UVMF_NONE", UVMF_NONE },
        { "UVMF_TLB_FLUSH|UVMF_LOCAL", UVMF_TLB_FLUSH | UVMF_LOCAL },
        { "UVMF_INVLPG|UVMF_LOCAL", UVMF_INVLPG | UVMF_LOCAL },
        { "UVMF_TLB_FLUSH|UVMF_ALL", UVMF_TLB_FLUSH | UVMF_ALL },
        { "UVMF_INVLPG|UVMF_ALL", UVMF_INVLPG | UVMF_ALL },
        { "UVMF_TLB_FLUSH|vCPU mask", UVMF_TLB_FLUSH | (unsigned long)&vcpu0_mask },
        { "UVMF_INVLPG|vCPU mask", UVMF_INVLPG | (unsigned long)&vcpu0_mask },
        { "flush type 3 (both bits)", UVMF_FLUSHTYPE_MASK },
        { "UVMF_NONE|UVMF_ALL", UVMF_NONE | UVMF_ALL },
    };
    volatile uint64_t *win = (volatile uint64_t *)va_of(S_WIN);
    char name[96];

    *(volatile uint64_t *)va_of(S_A) = 0xaaaa;
    *(volatile uint64_t *)va_of(S_B) = 0xbbbb;
    for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
        int s = i % 2 ? S_B : S_A;

        snprintf(name, sizeof(name), "%s", flags[i].name);
        if (!check_long(name, 0,
                        hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn_of(s), PTE_RW_FLAGS),
                                             flags[i].flags)))
            continue;
        /* UVMF_NONE promises no flush, and Xen 4.17 flushes nothing for
         * type 3 either: read only after the flushing types. */
        if ((flags[i].flags & UVMF_FLUSHTYPE_MASK) != UVMF_TLB_FLUSH &&
            (flags[i].flags & UVMF_FLUSHTYPE_MASK) != UVMF_INVLPG)
            continue;
        snprintf(name, sizeof(name), "%s: contents through the window", flags[i].name);
        check_long(name, s == S_A ? 0xaaaa : 0xbbbb, (long)*win);
    }
    check_long("vCPU mask unmapped", -XEN_EFAULT,
               hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn_of(S_A), PTE_RW_FLAGS),
                                    UVMF_INVLPG | BAD_VA_UNMAPPED));
    check_long("vCPU mask non-canonical", -XEN_EFAULT,
               hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn_of(S_A), PTE_RW_FLAGS),
                                    UVMF_TLB_FLUSH | BAD_VA_NONCANON));
    /* A refused update keeps its errno whatever the mask: a readable
     * mask must not report success, an unreadable one not -EFAULT. */
    check_long("refused update, readable vCPU mask (TLB flush)", -XEN_EBUSY,
               hc_update_va_mapping(va_of(S_WIN), mfn_pte(foreign_mfn(), PTE_RO_FLAGS),
                                    UVMF_TLB_FLUSH | (unsigned long)&vcpu0_mask));
    check_long("refused update, readable vCPU mask (INVLPG)", -XEN_EBUSY,
               hc_update_va_mapping(va_of(S_WIN), mfn_pte(foreign_mfn(), PTE_RO_FLAGS),
                                    UVMF_INVLPG | (unsigned long)&vcpu0_mask));
    check_long("refused update, vCPU mask unmapped", -XEN_EBUSY,
               hc_update_va_mapping(va_of(S_WIN), mfn_pte(foreign_mfn(), PTE_RO_FLAGS),
                                    UVMF_TLB_FLUSH | BAD_VA_UNMAPPED));
    check_long("no L1 for the address, vCPU mask unmapped", -XEN_EINVAL,
               hc_update_va_mapping(BAD_VA_UNMAPPED, mfn_pte(mfn_of(S_A), PTE_RW_FLAGS),
                                    UVMF_TLB_FLUSH | BAD_VA_UNMAPPED));
    check_long("refused update left the window as it was", (long)mfn_of(S_A),
               (long)pte_mfn(pte_read(va_of(S_WIN), 1)));
    check_long("va not page aligned (offset ignored)", 0,
               hc_update_va_mapping(va_of(S_WIN) + 0x123, mfn_pte(mfn_of(S_WIN), PTE_RW_FLAGS),
                                    UVMF_INVLPG));
    check_long("va not page aligned: window maps its own frame again", (long)mfn_of(S_WIN),
               (long)pte_mfn(pte_read(va_of(S_WIN), 1)));
}

struct uvm_case {
    const char *name;
    uint64_t pte;
    long rc;
};

static void test_rejections(void)
{
    unsigned long va = va_of(S_WIN);
    unsigned long l1 = pte_maddr(va, 1) >> 12, l2 = pte_maddr(va, 2) >> 12;
    unsigned long l3 = pte_maddr(va, 3) >> 12, fm = foreign_mfn(), own = mfn_of(S_A);
    unsigned long si = test_start_info->shared_info >> 12;
    const struct uvm_case cases[] = {
        { "L1 frame writable", mfn_pte(l1, PTE_RW_FLAGS), -XEN_EBUSY },
        { "L2 frame writable", mfn_pte(l2, PTE_RW_FLAGS), -XEN_EBUSY },
        { "L3 frame writable", mfn_pte(l3, PTE_RW_FLAGS), -XEN_EBUSY },
        { "L1 frame read-only", mfn_pte(l1, PTE_RO_FLAGS), 0 },
        { "L2 frame read-only", mfn_pte(l2, PTE_RO_FLAGS), 0 },
        { "p2m frame writable (ordinary memory)",
          mfn_pte(va_to_mfn(test_start_info->mfn_list), PTE_RW_FLAGS), 0 },
        { "start_info frame writable",
          mfn_pte(va_to_mfn((unsigned long)test_start_info), PTE_RW_FLAGS), 0 },
        { "foreign frame", mfn_pte(fm, PTE_RW_FLAGS), -XEN_EBUSY },
        { "foreign frame read-only", mfn_pte(fm, PTE_RO_FLAGS), -XEN_EBUSY },
        { "mfn beyond the address width", mfn_pte(MFN_HUGE, PTE_RO_FLAGS), -XEN_EPERM },
        { "not present, garbage above", 0xfffffffffffffffeUL, 0 },
        { "own frame, PAT bit (bit 7)", mfn_pte(own, PTE_RW_FLAGS | PTE_PSE), 0 },
        { "own frame, PWT", mfn_pte(own, PTE_RW_FLAGS | PTE_PWT), 0 },
        { "own frame, without USER (Xen adds it)", mfn_pte(own, PTE_P | PTE_RW), 0 },
        /* Xen 4.17 accepts bit 62 from a PV dom0 (no grant marker check). */
        { "own frame, bit 62", mfn_pte(own, PTE_RW_FLAGS) | (1UL << 62), 0 },
        { "own frame, bit 61", mfn_pte(own, PTE_RW_FLAGS) | (1UL << 61), 0 },
        { "own frame, bit 51 (in the address)", mfn_pte(own, PTE_RW_FLAGS) | (1UL << 51),
          -XEN_EPERM },
        /* shared_info is the hypervisor's page: its memory type stays. */
        { "shared_info frame, PWT", mfn_pte(si, PTE_RW_FLAGS | PTE_PWT), -XEN_EACCES },
        { "shared_info frame read-only, PCD", mfn_pte(si, PTE_RO_FLAGS | PTE_PCD), -XEN_EACCES },
        { "shared_info frame, PAT bit", mfn_pte(si, PTE_RW_FLAGS | PTE_PSE), -XEN_EACCES },
        { "shared_info frame, write-back", mfn_pte(si, PTE_RW_FLAGS), 0 },
    };
    char name[96];

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        snprintf(name, sizeof(name), "%s", cases[i].name);
        check_long(name, cases[i].rc, hc_update_va_mapping(va, cases[i].pte, UVMF_INVLPG));
    }
    check_long("the L1 mapping itself writable through its own entry", -XEN_EBUSY,
               hc_update_va_mapping(va, mfn_pte(l1, PTE_RW_FLAGS), UVMF_INVLPG));
    check_long("start-of-day L4, mapped read-only by the builder, made writable", -XEN_EBUSY,
               hc_update_va_mapping(test_start_info->pt_base, mfn_pte(l4_mfn(), PTE_RW_FLAGS),
                                    UVMF_INVLPG));
    check_long("restore the window", 0,
               hc_update_va_mapping(va, mfn_pte(mfn_of(S_WIN), PTE_RW_FLAGS), UVMF_INVLPG));
    check_long("USER forced on", (long)PTE_US, (long)(pte_read(va, 1) & PTE_US));
}

void test_main(void)
{
    if (scratch_count() < S_COUNT) {
        test_error("only %lu scratch pages, need %d", scratch_count(), S_COUNT);
        return;
    }
    test_flags();
    test_rejections();
}
