// SPDX-License-Identifier: MIT
/* Memory helpers for test guests (mm.h): page-table walks over the
 * start-of-day tables through the region's 1:1 mapping, and the scratch
 * pages of the start-of-day padding. */
#include <vmi/hypercall.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"

#define PADDING_MIN  (512UL << 10)
#define REGION_ALIGN (4UL << 20)

long mmuext_one(unsigned int cmd, unsigned long arg1, unsigned long arg2, unsigned int *done)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2; /* the widest member: covers nr_ents too */
    return hc_mmuext_op(&op, 1, done, DOMID_SELF);
}

long mmu_update_one(uint64_t ptr, uint64_t val, unsigned int *done)
{
    mmu_update_t req = { .ptr = ptr, .val = val };

    return hc_mmu_update(&req, 1, done, DOMID_SELF);
}

unsigned long pfn_to_mfn(unsigned long pfn)
{
    return ((const unsigned long *)test_start_info->mfn_list)[pfn];
}

unsigned long va_to_mfn(unsigned long va)
{
    return pfn_to_mfn((va - TEST_VIRT_BASE) >> PAGE_SHIFT_4K);
}

/* The builder's rule for the region's end (Xen's dom0 builder and
 * Xenolith's): the next 4 MiB boundary past the boot stack that leaves at
 * least 512 KiB of padding. */
static unsigned long region_end(void)
{
    unsigned long end = (test_entry_rsp + REGION_ALIGN - 1) & ~(REGION_ALIGN - 1);

    if (end - test_entry_rsp < PADDING_MIN)
        end += REGION_ALIGN;
    return end;
}

unsigned long mapped_pages(void)
{
    unsigned long n = (region_end() - TEST_VIRT_BASE) >> PAGE_SHIFT_4K;

    return n < test_start_info->nr_pages ? n : test_start_info->nr_pages;
}

unsigned long mfn_to_va(unsigned long mfn)
{
    unsigned long n = mapped_pages();

    for (unsigned long pfn = 0; pfn < n; pfn++)
        if (pfn_to_mfn(pfn) == mfn)
            return TEST_VIRT_BASE + (pfn << PAGE_SHIFT_4K);
    return 0;
}

unsigned long l4_mfn(void)
{
    return va_to_mfn(test_start_info->pt_base);
}

uint64_t pte_maddr(unsigned long va, int level)
{
    unsigned long table_mfn = l4_mfn();

    for (int l = 4; l >= level; l--) {
        unsigned int idx = (va >> (PAGE_SHIFT_4K + 9 * (l - 1))) & 511;
        unsigned long table_va = mfn_to_va(table_mfn);
        uint64_t e;

        if (!table_va)
            return 0;
        if (l == level)
            return ((uint64_t)table_mfn << PAGE_SHIFT_4K) + idx * 8;
        e = ((const volatile uint64_t *)table_va)[idx];
        if (!(e & PTE_P) || (l < 4 && (e & PTE_PSE)))
            return 0;
        table_mfn = pte_mfn(e);
    }
    return 0;
}

uint64_t pte_read(unsigned long va, int level)
{
    uint64_t ma = pte_maddr(va, level);
    unsigned long table_va = ma ? mfn_to_va(ma >> PAGE_SHIFT_4K) : 0;

    return table_va ? ((const volatile uint64_t *)table_va)[(ma & 0xfff) / 8] : 0;
}

/* The entry rsp is the top of the boot stack, page aligned by the
 * builder; round up in case a builder is generous. */
static unsigned long scratch_base(void)
{
    return (test_entry_rsp + TEST_PAGE_SIZE - 1) & ~(TEST_PAGE_SIZE - 1UL);
}

unsigned long scratch_count(void)
{
    return (TEST_VIRT_BASE + (mapped_pages() << PAGE_SHIFT_4K) - scratch_base()) >> PAGE_SHIFT_4K;
}

unsigned long scratch_va(unsigned long i)
{
    return scratch_base() + (i << PAGE_SHIFT_4K);
}

unsigned long unmapped_pfn(unsigned long i)
{
    unsigned long pfn = mapped_pages() + i;

    return pfn < test_start_info->nr_pages ? pfn : 0;
}

long set_page_ro(unsigned long va)
{
    return hc_update_va_mapping(va, mfn_pte(va_to_mfn(va), PTE_RO_FLAGS), UVMF_INVLPG);
}

long set_page_rw(unsigned long va)
{
    return hc_update_va_mapping(va, mfn_pte(va_to_mfn(va), PTE_RW_FLAGS), UVMF_INVLPG);
}

unsigned long foreign_mfn(void)
{
    unsigned long nr = test_start_info->nr_pages;

    for (unsigned long mfn = 0x100;; mfn++) {
        unsigned long pfn;

        for (pfn = 0; pfn < nr && pfn_to_mfn(pfn) != mfn; pfn++)
            ;
        if (pfn == nr)
            return mfn;
    }
}
