// SPDX-License-Identifier: MIT
/*
 * mm-victim: the guest an mm-attacker must not reach. It fills its free
 * memory (the start-of-day padding, then every unmapped pfn through a
 * one-page window) with a pattern derived from each frame's pfn, yields
 * to the attacker many times, verifying as it goes, and prints whether its
 * memory is intact.
 */
#include <stdint.h>
#include <vmi/sched_op.h>
#include "tests/conformance/common/layout.h"
#include "tests/conformance/common/mm.h"
#include "tests/conformance/common/test.h"

const char test_title[] = "mm-victim";

/* More yields than the attacker takes in all, so the last check comes
 * after the attacker is done. A full check every FULL_EVERY rounds. */
#define ROUNDS      300
#define FULL_EVERY  50
#define WORDS       (TEST_PAGE_SIZE / 8)

static unsigned long checked;

static uint64_t pattern(unsigned long pfn, unsigned int i)
{
    uint64_t x = (pfn << 12 | i) * 0x9e3779b97f4a7c15ULL;

    return x ^ (x >> 29) ^ 0x5ca1ab1eULL;
}

/* The window is scratch page 0; pages 1.. are checked in place. */
static volatile uint64_t *page_at(unsigned long pfn)
{
    if (pfn < mapped_pages())
        return (volatile uint64_t *)(TEST_VIRT_BASE + (pfn << 12));
    if (hc_update_va_mapping(scratch_va(0), mfn_pte(pfn_to_mfn(pfn), PTE_RW_FLAGS), UVMF_INVLPG))
        return NULL;
    return (volatile uint64_t *)scratch_va(0);
}

static unsigned long first_pfn(void)
{
    return (scratch_va(1) - TEST_VIRT_BASE) >> 12;
}

static bool fill(void)
{
    for (unsigned long pfn = first_pfn(); pfn < test_start_info->nr_pages; pfn++) {
        volatile uint64_t *p = page_at(pfn);

        if (!p) {
            test_error("mm-victim: cannot map my own pfn %#lx", pfn);
            return false;
        }
        for (unsigned int i = 0; i < WORDS; i++)
            p[i] = pattern(pfn, i);
    }
    return true;
}

static bool verify(unsigned long end_pfn)
{
    for (unsigned long pfn = first_pfn(); pfn < end_pfn; pfn++) {
        volatile uint64_t *p = page_at(pfn);

        if (!p) {
            test_failure("mm-victim: pfn %#lx: expected my mapping back, got a refusal", pfn);
            return false;
        }
        for (unsigned int i = 0; i < WORDS; i++)
            if (p[i] != pattern(pfn, i)) {
                test_failure("mm-victim: CORRUPTED pfn %#lx word %u: expected %#lx, got %#lx",
                             pfn, i, (unsigned long)pattern(pfn, i), (unsigned long)p[i]);
                return false;
            }
        checked++;
    }
    return true;
}

void test_main(void)
{
    unsigned long n = test_start_info->nr_pages;

    if (!fill())
        return;
    printk("mm-victim: filled %lu pages, yielding %d times\n", n - first_pfn(), ROUNDS);
    for (int r = 1; r <= ROUNDS; r++) {
        sched_yield_vcpu();
        if (!verify(r % FULL_EVERY ? mapped_pages() : n))
            return;
    }
    if (!verify(n))
        return;
    printk("mm-victim: memory intact (%lu page checks, %d rounds)\n", checked, ROUNDS);
}
