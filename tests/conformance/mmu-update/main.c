// SPDX-License-Identifier: MIT
/*
 * mmu-update: HYPERVISOR_mmu_update with each command, valid and refused,
 * checking both the errno and the success count (*pdone). Runs as dom0 on
 * Xen 4.17, whose answers are the reference: every expected value is Xen's.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "common/array_size.h"

const char test_title[] = "mmu-update";

#define DONE_POISON         0xdeadu
/* An mfn past any physical address width QEMU's "max" CPU reports, but
 * inside Xen's 52-bit PADDR_MASK: RAM nowhere, I/O permission nowhere. */
#define MFN_HUGE            0xffffffff0UL
#define L4_HOLE_SLOT0       256
#define L4_HOLE_SLOTN       271
#define L4_FIRST_GUEST_HIGH 272
/* L4 slot 1 (512 GiB up) is empty at start of day in the low half. */
#define NEW_TREE_VA         0x0000008000000000UL

/* Scratch pages, by index (scratch_va()). */
enum { S_TARGET, S_OTHER, S_T2, S_T3, S_T4, S_MARK, S_L1, S_L2, S_L3, S_DATA, S_COUNT };

static unsigned long va_of(int s)
{
    return scratch_va(s);
}
static unsigned long mfn_of(int s)
{
    return va_to_mfn(scratch_va(s));
}

/*
 * Xen 4.17 without XPTI adds G to the user mappings it installs (its
 * adjust_guest_l1e()), a TLB policy of its own, not ABI: entries read back
 * are compared without G.
 */

/* One request; checks rc and the success count. */
static void check_one(const char *name, uint64_t ptr, uint64_t val, long expect_rc,
                      unsigned int expect_done)
{
    unsigned int done = DONE_POISON;
    char what[96];

    check_long(name, expect_rc, mmu_update_one(ptr, val, &done));
    snprintf(what, sizeof(what), "%s: success count", name);
    check_long(what, expect_done, done);
}

static uint64_t l1_ptr(int s)
{
    return pte_maddr(va_of(s), 1);
}

static void test_valid(void)
{
    volatile uint64_t *target = (volatile uint64_t *)va_of(S_TARGET);
    volatile uint64_t *other = (volatile uint64_t *)va_of(S_OTHER);
    uint64_t pte;

    *target = 0x1111;
    *other = 0x2222;
    check_one("NORMAL map another page", l1_ptr(S_TARGET), mfn_pte(mfn_of(S_OTHER), PTE_RW_FLAGS),
              0, 1);
    /* mmu_update leaves TLB maintenance to the guest. */
    mmuext_one(MMUEXT_INVLPG_LOCAL, va_of(S_TARGET), 0, NULL);
    check_long("NORMAL map another page: contents through the new mapping", 0x2222, *target);
    check_one("NORMAL remap the original page", l1_ptr(S_TARGET),
              mfn_pte(mfn_of(S_TARGET), PTE_RW_FLAGS), 0, 1);
    mmuext_one(MMUEXT_INVLPG_LOCAL, va_of(S_TARGET), 0, NULL);
    check_long("NORMAL remap: contents", 0x1111, *target);
    check_one("NORMAL unmap", l1_ptr(S_TARGET), 0, 0, 1);
    check_long("NORMAL unmap: entry", 0, (long)pte_read(va_of(S_TARGET), 1));
    check_one("NORMAL read-only map", l1_ptr(S_TARGET), mfn_pte(mfn_of(S_TARGET), PTE_RO_FLAGS), 0,
              1);
    check_long("NORMAL read-only map: entry, G ignored",
               (long)mfn_pte(mfn_of(S_TARGET), PTE_RO_FLAGS),
               (long)(pte_read(va_of(S_TARGET), 1) & ~PTE_G));
    check_one("NORMAL map with A|D set", l1_ptr(S_TARGET),
              mfn_pte(mfn_of(S_TARGET), PTE_RW_FLAGS | PTE_A | PTE_D), 0, 1);
    /* PRESERVE_AD: *ptr = val | (*ptr & (A|D)). */
    check_one("PRESERVE_AD keeps A|D", l1_ptr(S_TARGET) | MMU_PT_UPDATE_PRESERVE_AD,
              mfn_pte(mfn_of(S_TARGET), PTE_RW_FLAGS), 0, 1);
    pte = pte_read(va_of(S_TARGET), 1);
    check_long("PRESERVE_AD: A|D still set", (long)(PTE_A | PTE_D), (long)(pte & (PTE_A | PTE_D)));
    check_one("NORMAL clears A|D", l1_ptr(S_TARGET), mfn_pte(mfn_of(S_TARGET), PTE_RW_FLAGS), 0, 1);
    pte = pte_read(va_of(S_TARGET), 1);
    check_long("NORMAL: A|D clear", 0, (long)(pte & PTE_D));
    mmuext_one(MMUEXT_INVLPG_LOCAL, va_of(S_TARGET), 0, NULL);
    check_long("after the remaps: contents", 0x1111, *target);
    /* On a PV guest NO_TRANSLATE is a plain update. */
    check_one("NO_TRANSLATE on a PV guest", l1_ptr(S_TARGET) | MMU_PT_UPDATE_NO_TRANSLATE,
              mfn_pte(mfn_of(S_TARGET), PTE_RW_FLAGS), 0, 1);
    check_one("NORMAL L4 slot 272 (guest, above the hole) rewritten as empty",
              ((uint64_t)l4_mfn() << 12) + L4_FIRST_GUEST_HIGH * 8, 0, 0, 1);
}

/* A frame of ours that is not a page table takes the writable type, and
 * Xen 4.17 stores the value as plain memory. */
static void test_plain_frame(void)
{
    volatile uint64_t *data = (volatile uint64_t *)va_of(S_DATA);

    data[3] = 0;
    check_one("ptr in an ordinary frame of ours (not a page table)",
              ((uint64_t)mfn_of(S_DATA) << 12) + 3 * 8, 0x1234567, 0, 1);
    check_long("ordinary frame: the value landed as data", 0x1234567, (long)data[3]);
}

static void test_machphys(void)
{
    const volatile unsigned long *m2p = (const volatile unsigned long *)MACH2PHYS_VIRT_START;
    unsigned long mfn = mfn_of(S_MARK), pfn = (va_of(S_MARK) - TEST_VIRT_BASE) >> 12;

    check_long("M2P entry before MACHPHYS_UPDATE", (long)pfn, (long)m2p[mfn]);
    check_one("MACHPHYS_UPDATE own frame", ((uint64_t)mfn << 12) | MMU_MACHPHYS_UPDATE, pfn + 7, 0,
              1);
    check_long("M2P entry after MACHPHYS_UPDATE", (long)pfn + 7, (long)m2p[mfn]);
    check_one("MACHPHYS_UPDATE restore", ((uint64_t)mfn << 12) | MMU_MACHPHYS_UPDATE, pfn, 0, 1);
    check_long("M2P entry restored", (long)pfn, (long)m2p[mfn]);
    check_one("MACHPHYS_UPDATE foreign frame",
              ((uint64_t)foreign_mfn() << 12) | MMU_MACHPHYS_UPDATE, 0, -XEN_EINVAL, 0);
    check_one("MACHPHYS_UPDATE mfn beyond RAM", (MFN_HUGE << 12) | MMU_MACHPHYS_UPDATE, 0,
              -XEN_EINVAL, 0);
}

struct reject {
    const char *name;
    uint64_t ptr, val;
    long rc;
};

static void test_rejections(void)
{
    uint64_t l4 = (uint64_t)l4_mfn() << 12;
    unsigned long l1_mfn = l1_ptr(S_TARGET) >> 12;
    unsigned long l2_mfn = pte_maddr(va_of(S_TARGET), 2) >> 12;
    unsigned long l3_mfn = pte_maddr(va_of(S_TARGET), 3) >> 12;
    unsigned long fmfn = foreign_mfn();
    const struct reject cases[] = {
        /* cmd is ptr & 7: an address that is 4 mod 8 is command 4. */
        { "ptr 4 mod 8 (command 4)", l1_ptr(S_TARGET) + 4, 0, -XEN_ENOSYS },
        { "ptr 6 mod 8 (command 6)", l1_ptr(S_TARGET) + 6, 0, -XEN_ENOSYS },
        { "command 5", l1_ptr(S_TARGET) | 5, 0, -XEN_ENOSYS },
        { "command 7", l1_ptr(S_TARGET) | 7, 0, -XEN_ENOSYS },
        { "ptr in a foreign frame", (uint64_t)fmfn << 12, 0, -XEN_EINVAL },
        { "ptr beyond RAM", MFN_HUGE << 12, 0, -XEN_EINVAL },
        { "L1 entry: L1 frame writable", l1_ptr(S_TARGET), mfn_pte(l1_mfn, PTE_RW_FLAGS),
          -XEN_EBUSY },
        { "L1 entry: L2 frame writable", l1_ptr(S_TARGET), mfn_pte(l2_mfn, PTE_RW_FLAGS),
          -XEN_EBUSY },
        { "L1 entry: L3 frame writable", l1_ptr(S_TARGET), mfn_pte(l3_mfn, PTE_RW_FLAGS),
          -XEN_EBUSY },
        { "L1 entry: L4 frame writable", l1_ptr(S_TARGET), mfn_pte(l4_mfn(), PTE_RW_FLAGS),
          -XEN_EBUSY },
        { "L1 entry: foreign frame", l1_ptr(S_TARGET), mfn_pte(fmfn, PTE_RW_FLAGS), -XEN_EBUSY },
        { "L1 entry: foreign frame read-only", l1_ptr(S_TARGET), mfn_pte(fmfn, PTE_RO_FLAGS),
          -XEN_EBUSY },
        { "L1 entry: mfn beyond the address width", l1_ptr(S_TARGET),
          mfn_pte(MFN_HUGE, PTE_RO_FLAGS), -XEN_EPERM },
        { "L4 slot 256 (hypervisor) cleared", l4 + L4_HOLE_SLOT0 * 8, 0, -XEN_EINVAL },
        { "L4 slot 271 (hypervisor) cleared", l4 + L4_HOLE_SLOTN * 8, 0, -XEN_EINVAL },
        { "L4 slot 256 (hypervisor) set to an L3", l4 + L4_HOLE_SLOT0 * 8,
          mfn_pte(l3_mfn, PTE_TABLE_FLAGS), -XEN_EINVAL },
        { "L2 entry: PSE superpage", pte_maddr(va_of(S_TARGET), 2),
          mfn_pte(mfn_of(S_DATA) & ~511UL, PTE_RW_FLAGS | PTE_PSE), -XEN_EINVAL },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        check_one(cases[i].name, cases[i].ptr, cases[i].val, cases[i].rc, 0);
    check_long("after the rejections: target still mapped to its frame", (long)mfn_of(S_TARGET),
               (long)pte_mfn(pte_read(va_of(S_TARGET), 1)));
}

/* Four requests, the third refused: count 2, the fourth not applied. */
static void test_batch(void)
{
    uint64_t before = pte_read(va_of(S_T4), 1);
    mmu_update_t req[4] = {
        { l1_ptr(S_T2), mfn_pte(mfn_of(S_T2), PTE_RO_FLAGS) },
        { l1_ptr(S_T3), mfn_pte(mfn_of(S_T3), PTE_RO_FLAGS) },
        { l1_ptr(S_T3), mfn_pte(l4_mfn(), PTE_RW_FLAGS) },
        { l1_ptr(S_T4), mfn_pte(mfn_of(S_T4), PTE_RO_FLAGS) },
    };
    unsigned int done = DONE_POISON;

    check_long("batch of 4, third refused", -XEN_EBUSY, hc_mmu_update(req, 4, &done, DOMID_SELF));
    check_long("batch of 4, third refused: success count", 2, done);
    check_long("batch: first applied", (long)req[0].val, (long)(pte_read(va_of(S_T2), 1) & ~PTE_G));
    check_long("batch: second applied", (long)req[1].val,
               (long)(pte_read(va_of(S_T3), 1) & ~PTE_G));
    check_long("batch: fourth not applied", (long)before, (long)pte_read(va_of(S_T4), 1));
    done = DONE_POISON;
    check_long("batch of 2, all valid", 0, hc_mmu_update(req, 2, &done, DOMID_SELF));
    check_long("batch of 2, all valid: success count", 2, done);
    check_long("batch of 0", 0, hc_mmu_update(req, 0, &done, DOMID_SELF));
    check_long("batch with a NULL success pointer", 0, hc_mmu_update(req, 2, NULL, DOMID_SELF));
    set_page_rw(va_of(S_T2));
    set_page_rw(va_of(S_T3));
}

/* mmu_update with all 32 bits of foreigndom (hc_mmu_update takes a domid). */
static long mmu_update_fd(const mmu_update_t *req, unsigned int *done, uint32_t foreigndom)
{
    return hypercall5(__HYPERVISOR_mmu_update, (unsigned long)req, 1, (unsigned long)done,
                      foreigndom, 0);
}

static void test_pointers(void)
{
    mmu_update_t req = { l1_ptr(S_T2), mfn_pte(mfn_of(S_T2), PTE_RW_FLAGS) };
    /* The last request slot of the mapped region: the one after it is
     * unmapped, so a huge count stops there. */
    mmu_update_t *edge = (mmu_update_t *)(scratch_va(scratch_count()) - sizeof(req));
    unsigned int done;
    /* Xen checks the array's address range before the loop and leaves
     * *pdone alone when that fails; a fault while copying a request ends
     * the loop, and *pdone is written. */
    static const struct {
        const char *name;
        unsigned long ptr;
        unsigned int done;
    } bad[] = {
        { "requests NULL", 0, 0 },
        { "requests unmapped", BAD_VA_UNMAPPED, 0 },
        { "requests in the hypervisor hole", BAD_VA_HOLE, DONE_POISON },
        { "requests non-canonical", BAD_VA_NONCANON, DONE_POISON },
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char what[96];

        done = DONE_POISON;
        check_long(bad[i].name, -XEN_EFAULT,
                   hc_mmu_update((const mmu_update_t *)bad[i].ptr, 1, &done, DOMID_SELF));
        snprintf(what, sizeof(what), "%s: success count", bad[i].name);
        check_long(what, bad[i].done, done);
    }
    check_long("success pointer in the hypervisor hole", 0,
               hc_mmu_update(&req, 1, (unsigned int *)BAD_VA_HOLE, DOMID_SELF));

    *edge = req;
    done = DONE_POISON;
    check_long("count 0x7fffffff, the second request unmapped", -XEN_EFAULT,
               hc_mmu_update(edge, 0x7fffffff, &done, DOMID_SELF));
    check_long("count 0x7fffffff: success count", 1, done);
    /* Bit 31 is MMU_UPDATE_PREEMPTED: the rest is the count and *pdone the
     * number already done. */
    done = 5;
    check_long("count 0xffffffff (preempted flag), the second request unmapped", -XEN_EFAULT,
               hc_mmu_update(edge, 0xffffffff, &done, DOMID_SELF));
    check_long("count 0xffffffff: success count", 6, done);
    done = DONE_POISON;
    check_long("foreign domain 0x7ff5 (DOMID_INVALID)", -XEN_ESRCH,
               hc_mmu_update(&req, 1, &done, DOMID_INVALID));
    check_long("foreign domain 1234 (nonexistent)", -XEN_ESRCH,
               hc_mmu_update(&req, 1, &done, 1234));
    check_long("foreign domain 1234: success count", 0, done);
    /* The upper half is the page tables' owner + 1, looked up by id: an
     * unknown one (DOMID_SELF too) fails before the count is written. */
    done = DONE_POISON;
    check_long("page-table owner 1234 (nonexistent)", -XEN_ESRCH,
               mmu_update_fd(&req, &done, (1235u << 16) | DOMID_SELF));
    check_long("page-table owner 1234: success count untouched", DONE_POISON, done);
    check_long("page-table owner DOMID_SELF (names no domain)", -XEN_ESRCH,
               mmu_update_fd(&req, &done, ((DOMID_SELF + 1u) << 16) | DOMID_SELF));
    check_long("page-table owner DOMID_SELF: success count untouched", DONE_POISON, done);
    check_long("page-table owner 0xfffe (0xffff in the upper half)", -XEN_ESRCH,
               mmu_update_fd(&req, &done, 0xffffffffu));
    check_long("page-table owner 0xfffe: success count untouched", DONE_POISON, done);
}

/* A three-level tree built in free pages and linked with one L4 update:
 * the hypervisor validates the whole tree, then the mapping works. */
static void test_new_tree(void)
{
    uint64_t *l1 = (uint64_t *)va_of(S_L1), *l2 = (uint64_t *)va_of(S_L2);
    uint64_t *l3 = (uint64_t *)va_of(S_L3);
    volatile uint64_t *data = (volatile uint64_t *)va_of(S_DATA);
    uint64_t slot = ((uint64_t)l4_mfn() << 12) + ((NEW_TREE_VA >> 39) & 511) * 8;

    memset(l1, 0, TEST_PAGE_SIZE);
    memset(l2, 0, TEST_PAGE_SIZE);
    memset(l3, 0, TEST_PAGE_SIZE);
    *data = 0x5a5a;
    l1[0] = mfn_pte(mfn_of(S_DATA), PTE_RO_FLAGS);
    l2[0] = mfn_pte(mfn_of(S_L1), PTE_TABLE_FLAGS);
    l3[0] = mfn_pte(mfn_of(S_L2), PTE_TABLE_FLAGS);
    if (set_page_ro(va_of(S_L1)) || set_page_ro(va_of(S_L2)) || set_page_ro(va_of(S_L3))) {
        test_error("new tree: cannot map the table pages read-only");
        return;
    }
    check_one("L4 entry linking a new L3/L2/L1 tree", slot, mfn_pte(mfn_of(S_L3), PTE_TABLE_FLAGS),
              0, 1);
    check_long("new tree: data through the new mapping", 0x5a5a,
               (long)*(volatile uint64_t *)NEW_TREE_VA);
    check_long("new tree: the L1 frame now refuses a writable mapping", -XEN_EBUSY,
               set_page_rw(va_of(S_L1)));
    check_one("new tree: L1 entry mapping its own L1 writable", pte_maddr(NEW_TREE_VA, 1),
              mfn_pte(mfn_of(S_L1), PTE_RW_FLAGS), -XEN_EBUSY, 0);
    check_one("new tree: L1 entry mapping its own L1 read-only", pte_maddr(NEW_TREE_VA, 1),
              mfn_pte(mfn_of(S_L1), PTE_RO_FLAGS), 0, 1);
    check_one("unlink the new tree", slot, 0, 0, 1);
    check_long("unlinked: the L1 frame is writable again", 0, set_page_rw(va_of(S_L1)));
    check_long("unlinked: L2 writable again", 0, set_page_rw(va_of(S_L2)));
    check_long("unlinked: L3 writable again", 0, set_page_rw(va_of(S_L3)));
    /* The L1 held a writable entry to the data frame? No: read-only. A
     * tree holding a writable mapping of itself cannot be linked. */
    l1[1] = mfn_pte(mfn_of(S_L1), PTE_RW_FLAGS);
    set_page_ro(va_of(S_L1));
    set_page_ro(va_of(S_L2));
    set_page_ro(va_of(S_L3));
    check_one("L4 entry linking a tree whose L1 maps itself writable", slot,
              mfn_pte(mfn_of(S_L3), PTE_TABLE_FLAGS), -XEN_EBUSY, 0);
    set_page_rw(va_of(S_L1));
    set_page_rw(va_of(S_L2));
    set_page_rw(va_of(S_L3));
}

void test_main(void)
{
    if (scratch_count() < S_COUNT) {
        test_error("only %lu scratch pages, need %d", scratch_count(), S_COUNT);
        return;
    }
    test_valid();
    test_plain_frame();
    test_machphys();
    test_rejections();
    test_batch();
    test_pointers();
    test_new_tree();
}
