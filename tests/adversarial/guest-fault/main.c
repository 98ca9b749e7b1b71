// SPDX-License-Identifier: MIT
/*
 * guest-fault: an adversarial guest that takes an exception in its kernel
 * mode with no trap table registered. The command line picks it:
 * fault=ud|gp|pf|de|ptwr|ldt (default ud). ptwr is an emulated page-table
 * write that fails validation (an L1 entry mapping its own table writable),
 * which must fault like any other write. ldt is an ordinary load from
 * Xenolith's shadow LDT area with an LDT set: only the CPU's own
 * descriptor reads fill the shadow, so this is a #PF at that address. The hypervisor must crash this guest
 * alone and report the exception; the printed rip lets the runner check it.
 */
#include <stdint.h>
#include <string.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "hypervisor/arch/x86/memlayout.h"
#include "common/array_size.h"

const char test_title[] = "guest-fault";

void raise_ud(void), raise_gp(void), raise_pf(void), raise_de(void);
void raise_ptwr(volatile uint64_t *entry, uint64_t value);
void raise_ldt_read(unsigned long addr);
extern const char raise_ud_insn[], raise_gp_insn[], raise_pf_insn[], raise_de_insn[];
extern const char raise_ptwr_insn[], raise_ldt_read_insn[];

/* An LDT of one page (one entry), then a load from where Xenolith shows
 * it: the guest's own access, not a descriptor read by the CPU. */
static void raise_ldt(void)
{
    unsigned long ldt = scratch_va(2);

    memset((void *)ldt, 0, 4096);
    if (set_page_ro(ldt) || mmuext_one(MMUEXT_SET_LDT, ldt, 1, NULL)) {
        test_error("guest-fault: cannot set an LDT");
        return;
    }
    printk("guest-fault: ldt area at %#lx\n", (unsigned long)LDT_VIRT_START);
    raise_ldt_read(LDT_VIRT_START);
}

/* Writes, through the table's read-only alias, an L1 entry that maps the
 * L1 table itself writable: validation must refuse it. */
static void raise_bad_ptwr(void)
{
    unsigned long win = scratch_va(0);
    uint64_t l1 = pte_maddr(win, 1);
    unsigned long l1_va = l1 ? mfn_to_va(l1 >> 12) : 0;

    if (!l1_va) {
        test_error("guest-fault: no read-only alias of the scratch L1");
        return;
    }
    printk("guest-fault: ptwr entry at %#lx\n", l1_va + (unsigned long)(l1 & 0xfff));
    raise_ptwr((volatile uint64_t *)(l1_va + (l1 & 0xfff)), mfn_pte(l1 >> 12, PTE_RW_FLAGS));
}

struct fault_kind {
    const char *name;
    const char *what;
    void (*raise)(void);
    const char *insn;
};

static const struct fault_kind kinds[] = {
    { "ud", "#UD (ud2)", raise_ud, raise_ud_insn },
    { "gp", "#GP (hlt at CPL3)", raise_gp, raise_gp_insn },
    { "pf", "#PF (write to unmapped 0x1000)", raise_pf, raise_pf_insn },
    { "de", "#DE (divide by zero)", raise_de, raise_de_insn },
    { "ptwr", "#PF (page-table write refused by validation)", raise_bad_ptwr, raise_ptwr_insn },
    { "ldt", "#PF (a plain load from the shadow LDT area)", raise_ldt, raise_ldt_read_insn },
};

void test_main(void)
{
    char name[16];
    const char *want = test_cmdline_value("fault", name, sizeof(name));

    if (!want)
        want = "ud";
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        const struct fault_kind *k = &kinds[i];

        if (strcmp(k->name, want))
            continue;
        printk("guest-fault: raising %s at rip %p\n", k->what, (const void *)k->insn);
        k->raise();
        test_failure("guest-fault: %s returned to the guest; expected the domain to crash",
                     k->what);
        return;
    }
    test_error("guest-fault: unknown fault=%s (expected ud, gp, pf, de, ptwr or ldt)", want);
}
