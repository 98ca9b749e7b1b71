// SPDX-License-Identifier: MIT
/*
 * guest-fault: an adversarial guest that takes an exception in its kernel
 * mode with no trap table registered. The command line picks it:
 * fault=ud|gp|pf|de (default ud). The hypervisor must crash this guest
 * alone and report the exception; the printed rip lets the runner check it.
 */
#include <string.h>
#include "tests/conformance/common/test.h"

const char test_title[] = "guest-fault";

void raise_ud(void), raise_gp(void), raise_pf(void), raise_de(void);
extern const char raise_ud_insn[], raise_gp_insn[], raise_pf_insn[], raise_de_insn[];

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
};

void test_main(void)
{
    char name[16];
    const char *want = test_cmdline_value("fault", name, sizeof(name));

    if (!want)
        want = "ud";
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        const struct fault_kind *k = &kinds[i];

        if (strcmp(k->name, want))
            continue;
        printk("guest-fault: raising %s at rip %p\n", k->what, (const void *)k->insn);
        k->raise();
        test_failure("guest-fault: %s returned to the guest; expected the domain to crash",
                     k->what);
        return;
    }
    test_error("guest-fault: unknown fault=%s (expected ud, gp, pf or de)", want);
}
