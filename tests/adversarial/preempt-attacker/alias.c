// SPDX-License-Identifier: MIT
/* Aliased page tables (alias.h): tables are filled while writable in the
 * start-of-day mapping, remapped read-only, and validated all at once
 * when the L3 is linked into the L4. */
#include <string.h>
#include "tests/adversarial/preempt-attacker/alias.h"
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"

static unsigned long next_page;
static unsigned long l3[512];

unsigned long alias_page(void)
{
    unsigned long va;

    /* The top scratch pages are shared_info_map()'s. */
    if (next_page + 8 >= scratch_count())
        return 0;
    va = scratch_va(next_page++);
    memset((void *)va, 0, TEST_PAGE_SIZE);
    return va;
}

unsigned long alias_pages_used(void)
{
    return next_page;
}

static unsigned long table(const unsigned long next[512], uint64_t flags)
{
    unsigned long va = alias_page();
    uint64_t *e = (uint64_t *)va;

    if (!va)
        return 0;
    for (unsigned int i = 0; i < 512; i++)
        e[i] = next[i] ? mfn_pte(next[i], flags) : 0;
    if (set_page_ro(va))
        return 0;
    return va_to_mfn(va);
}

unsigned long alias_l1(const unsigned long mfn[512])
{
    return table(mfn, PTE_RW_FLAGS);
}

unsigned long alias_l2(const unsigned long l1[512])
{
    return table(l1, PTE_TABLE_FLAGS);
}

void alias_region(unsigned int r, unsigned long l2)
{
    l3[r] = l2;
}

int alias_periodic(unsigned int r, const unsigned long *data, unsigned int P, unsigned long npages)
{
    static unsigned long e[512], l1s[512];
    unsigned long nl1 = (npages + 511) / 512, l2;

    if (!P || P > 8 || nl1 > 512)
        return -1;
    /* 512 is coprime to every odd P, so the L1 that starts at page 512j
     * depends on j mod P: P distinct L1s repeat along the L2. */
    for (unsigned int j = 0; j < P && j < nl1; j++) {
        for (unsigned int i = 0; i < 512; i++)
            e[i] = data[(512UL * j + i) % P];
        if (!(l1s[j] = alias_l1(e)))
            return -1;
    }
    for (unsigned long j = 0; j < 512; j++)
        l1s[j] = j < nl1 ? l1s[j % P] : 0;
    if (!(l2 = alias_l2(l1s)))
        return -1;
    alias_region(r, l2);
    return 0;
}

long alias_commit(void)
{
    unsigned long l3_mfn = table(l3, PTE_TABLE_FLAGS);

    if (!l3_mfn)
        return -1;
    return mmu_update_one(((uint64_t)l4_mfn() << 12) + ALIAS_L4_SLOT * 8,
                          mfn_pte(l3_mfn, PTE_TABLE_FLAGS), NULL);
}
