// SPDX-License-Identifier: MIT
/*
 * writable-pagetables: plain stores to a read-only mapping of one of our
 * own L1 tables, which the hypervisor emulates and validates (Xen's ptwr):
 * MOV of 8 and 4 bytes, XCHG, CMPXCHG that succeeds and one that fails.
 * Every store is checked by reading the entry back and by using the
 * mapping it describes. The same store from guest user mode is not
 * emulated (Xen emulates for guest kernel mode only): it is a #PF.
 */
#include <stdint.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "writable-pagetables";

/* Scratch pages: a window whose L1 entry the test rewrites, and two data
 * pages the window is pointed at in turn. */
#define S_WIN 0
#define S_A   1
#define S_B   2

/* What Xen may add to an entry it stores (A, D, G, its kernel marker);
 * the comparisons look at the rest. */
#define ENTRY_MASK (PTE_MFN_MASK | PTE_P | PTE_RW | PTE_US)

static volatile uint64_t *entry_alias; /* the window's L1 entry, read-only mapped */

static uint64_t pte_for(unsigned long s)
{
    return mfn_pte(va_to_mfn(scratch_va(s)), PTE_RW_FLAGS);
}

static uint64_t window_word(void)
{
    return *(volatile uint64_t *)scratch_va(S_WIN);
}

static void check_window(const char *name, unsigned long s, uint64_t marker)
{
    check_long(name, (long)(pte_for(s) & ENTRY_MASK), (long)(*entry_alias & ENTRY_MASK));
    mmuext_one(MMUEXT_INVLPG_LOCAL, scratch_va(S_WIN), 0, NULL);
    check_long(name, (long)marker, (long)window_word());
}

static void store_mov64(uint64_t v)
{
    asm volatile("movq %1, %0" : "=m"(*entry_alias) : "r"(v) : "memory");
}

static void store_mov32_low(uint32_t v)
{
    asm volatile("movl %1, %0" : "=m"(*(volatile uint32_t *)entry_alias) : "r"(v) : "memory");
}

static uint64_t store_xchg(uint64_t v)
{
    asm volatile("xchgq %0, %1" : "+r"(v), "+m"(*entry_alias)::"memory");
    return v;
}

/* Returns ZF; *expected gets what the CPU left in rax. */
static int store_cmpxchg(uint64_t *expected, uint64_t v)
{
    uint8_t zf;

    asm volatile("lock cmpxchgq %3, %1; sete %2"
                 : "+a"(*expected), "+m"(*entry_alias), "=q"(zf)
                 : "r"(v)
                 : "memory");
    return zf;
}

#define USER_FAULTED 0x70f

static bool user_fault(struct cpu_regs *regs)
{
    if ((regs->cs & 3) != 3)
        return false;
    user_return(USER_FAULTED);
}

static void user_store(unsigned long v)
{
    store_mov64(v);
    user_exit(0);
}

/* From guest user mode the store must fault, whatever it writes. */
static void test_user_mode_store(void)
{
    uint64_t before = *entry_alias;

    if (!check_long("set_trap_table", 0, traps_install()) || user_setup())
        return;
    trap_set_handler(X86_PF, user_fault);
    check_long("a user-mode store to a read-only L1 is a #PF, not emulated", USER_FAULTED,
               user_run(user_store, pte_for(S_A)));
    check_long("the user-mode store left the entry as it was", (long)(before & ENTRY_MASK),
               (long)(*entry_alias & ENTRY_MASK));
    trap_set_handler(X86_PF, NULL);
}

void test_main(void)
{
    uint64_t l1_maddr = pte_maddr(scratch_va(S_WIN), 1), old;
    unsigned long l1_va;

    if (!l1_maddr || scratch_count() <= S_B) {
        test_error("no scratch window with an L1 entry");
        return;
    }
    /* The bootstrap tables are mapped read-only in the start-of-day region. */
    l1_va = mfn_to_va(l1_maddr >> 12);
    if (!l1_va) {
        test_error("the window's L1 table is not in the mapped region");
        return;
    }
    entry_alias = (volatile uint64_t *)(l1_va + (l1_maddr & 0xfff));
    *(volatile uint64_t *)scratch_va(S_A) = 0xaaaa;
    *(volatile uint64_t *)scratch_va(S_B) = 0xbbbb;

    store_mov64(pte_for(S_A));
    check_window("MOV 8 bytes points the window at A", S_A, 0xaaaa);

    /* Only the low word changes: the frame number moves from A to B when
     * both lie below 4 GiB, which the test checks first. */
    if ((va_to_mfn(scratch_va(S_A)) | va_to_mfn(scratch_va(S_B))) >> 20) {
        test_skip("scratch frames above 4 GiB: no 4-byte case");
    } else {
        store_mov32_low((uint32_t)pte_for(S_B));
        check_window("MOV 4 bytes (low half) points the window at B", S_B, 0xbbbb);
    }

    old = store_xchg(pte_for(S_A));
    check_long("XCHG returns the old entry", (long)(pte_for(S_B) & ENTRY_MASK),
               (long)(old & ENTRY_MASK));
    check_window("XCHG points the window at A", S_A, 0xaaaa);

    old = *entry_alias;
    check_long("CMPXCHG with the right old value succeeds", 1, store_cmpxchg(&old, pte_for(S_B)));
    check_window("CMPXCHG points the window at B", S_B, 0xbbbb);

    old = pte_for(S_A); /* stale: the entry now points at B */
    check_long("CMPXCHG with a stale old value fails", 0, store_cmpxchg(&old, 0));
    check_long("failed CMPXCHG returns the current entry", (long)(pte_for(S_B) & ENTRY_MASK),
               (long)(old & ENTRY_MASK));
    check_window("failed CMPXCHG leaves the window at B", S_B, 0xbbbb);

    /* Put the window back on its own frame. */
    store_mov64(pte_for(S_WIN));
    mmuext_one(MMUEXT_INVLPG_LOCAL, scratch_va(S_WIN), 0, NULL);

    test_user_mode_store();
}
