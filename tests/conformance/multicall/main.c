// SPDX-License-Identifier: MIT
/*
 * multicall: memory hypercalls batched through one multicall, each entry's
 * own result, a refused or unknown entry in the middle (the rest still
 * run), a nested multicall and bad list pointers. Expected values are Xen
 * 4.17's answers as dom0.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"

const char test_title[] = "multicall";

#define RESULT_POISON 0x5eed
enum { S_A, S_B, S_WIN, S_COUNT };

static unsigned long va_of(int s)
{
    return scratch_va(s);
}
static unsigned long mfn_of(int s)
{
    return va_to_mfn(scratch_va(s));
}

static mmu_update_t req;
static struct mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
static unsigned int mmu_done, ext_done;
static domid_t self = DOMID_SELF;
static multicall_entry_t calls[8], inner[1];

static void entry(multicall_entry_t *e, unsigned long op, unsigned long a0, unsigned long a1,
                  unsigned long a2, unsigned long a3)
{
    *e = (multicall_entry_t){ .op = op, .result = RESULT_POISON, .args = { a0, a1, a2, a3 } };
}

static void check_results(const char *batch, const long *expect, int n)
{
    char name[96];

    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "%s: entry %d (op %lu) result", batch, i,
                 (unsigned long)calls[i].op);
        check_long(name, expect[i], (long)calls[i].result);
    }
}

static void test_batch(void)
{
    long cur = hc_memory_op(XENMEM_current_reservation, &self);
    const long expect[7] = { 0, 0, 0, 0, cur, 0, 0 };

    *(volatile uint64_t *)va_of(S_A) = 0xa;
    *(volatile uint64_t *)va_of(S_B) = 0xb;
    req = (mmu_update_t){ pte_maddr(va_of(S_WIN), 1), mfn_pte(mfn_of(S_B), PTE_RW_FLAGS) };
    mmu_done = ext_done = 0;
    entry(&calls[0], __HYPERVISOR_update_va_mapping, va_of(S_WIN),
          mfn_pte(mfn_of(S_A), PTE_RW_FLAGS), UVMF_INVLPG, 0);
    entry(&calls[1], __HYPERVISOR_mmu_update, (unsigned long)&req, 1, (unsigned long)&mmu_done,
          DOMID_SELF);
    entry(&calls[2], __HYPERVISOR_mmuext_op, (unsigned long)&flush, 1, (unsigned long)&ext_done,
          DOMID_SELF);
    entry(&calls[3], __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0,
          0);
    entry(&calls[4], __HYPERVISOR_memory_op, XENMEM_current_reservation, (unsigned long)&self, 0,
          0);
    entry(&calls[5], __HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag,
          0, 0);
    entry(&calls[6], __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0);
    check_long("multicall of 7 memory ops", 0, hc_multicall(calls, 7));
    check_results("multicall of 7", expect, 7);
    check_long("multicall of 7: mmu_update success count", 1, mmu_done);
    check_long("multicall of 7: mmuext_op success count", 1, ext_done);
    check_long("multicall of 7: the window shows B (mmu_update ran after uvm)", 0xb,
               (long)*(volatile uint64_t *)va_of(S_WIN));
}

static void test_bad_entries(void)
{
    const long expect[6] = { -XEN_EBUSY, -XEN_ENOSYS, -XEN_ENOSYS, -XEN_EINVAL, -XEN_EFAULT, 0 };

    ext_done = RESULT_POISON;
    entry(&inner[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
    /* A page table made writable, an unknown number, one past the table, a
     * bad vm_assist type, a bad pointer, then a valid entry that must still
     * run. */
    entry(&calls[0], __HYPERVISOR_update_va_mapping, va_of(S_WIN), mfn_pte(l4_mfn(), PTE_RW_FLAGS),
          UVMF_INVLPG, 0);
    entry(&calls[1], 11, 0, 0, 0, 0);
    entry(&calls[2], 64, 0, 0, 0, 0);
    entry(&calls[3], __HYPERVISOR_vm_assist, VMASST_CMD_enable, 64, 0, 0);
    entry(&calls[4], __HYPERVISOR_mmuext_op, BAD_VA_HOLE, 1, (unsigned long)&ext_done, DOMID_SELF);
    entry(&calls[5], __HYPERVISOR_update_va_mapping, va_of(S_WIN),
          mfn_pte(mfn_of(S_A), PTE_RW_FLAGS), UVMF_INVLPG, 0);
    check_long("multicall with bad entries", 0, hc_multicall(calls, 6));
    check_results("bad entries", expect, 6);
    check_long("bad entries: mmuext_op with bad ops left its count alone", RESULT_POISON, ext_done);
    check_long("bad entries: the last entry ran", 0xa, (long)*(volatile uint64_t *)va_of(S_WIN));

    entry(&calls[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
    entry(&calls[1], __HYPERVISOR_multicall, (unsigned long)inner, 1, 0, 0);
    entry(&calls[2], __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0, 0);
    check_long("nested multicall", 0, hc_multicall(calls, 3));
    /* Xen refuses a multicall while one is in progress on this vCPU. */
    check_long("nested multicall: entry 1 (the nested multicall) result", -XEN_EINVAL,
               (long)calls[1].result);
    check_long("nested multicall: inner entry not run", RESULT_POISON, (long)inner[0].result);
    check_long("nested multicall: entry 2 result", 4096, (long)calls[2].result);
}

static void test_pointers(void)
{
    /* The last entry slot of the mapped region: the next is unmapped. */
    multicall_entry_t *edge = (multicall_entry_t *)(scratch_va(scratch_count()) -
                                                    sizeof(multicall_entry_t));

    check_long("multicall of 0", 0, hc_multicall(calls, 0));
    check_long("multicall list NULL", -XEN_EFAULT, hc_multicall(NULL, 1));
    check_long("multicall list in the hole", -XEN_EFAULT,
               hc_multicall((multicall_entry_t *)BAD_VA_HOLE, 1));
    check_long("multicall list non-canonical", -XEN_EFAULT,
               hc_multicall((multicall_entry_t *)BAD_VA_NONCANON, 1));
    entry(edge, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0, 0);
    check_long("multicall of 2, the second entry unmapped", -XEN_EFAULT, hc_multicall(edge, 2));
    check_long("multicall of 2, the second unmapped: first entry result", 4096, (long)edge->result);
    entry(edge, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0, 0);
    check_long("multicall count 1 << 32 | 1 (upper half ignored)", 0,
               hc_multicall(edge, (1UL << 32) | 1));
    check_long("multicall count 1 << 32 | 1: entry result", 4096, (long)edge->result);
}

void test_main(void)
{
    if (scratch_count() < S_COUNT + 1) {
        test_error("only %lu scratch pages, need %d", scratch_count(), S_COUNT + 1);
        return;
    }
    test_batch();
    test_bad_entries();
    test_pointers();
}
