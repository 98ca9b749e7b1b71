// SPDX-License-Identifier: MIT
/*
 * misc-priv: the privileged instructions a PV64 guest executes in ring 3
 * and what the hypervisor makes of them: forced-emulation CPUID at the
 * hypervisor leaves, `mov %cr3`, rdmsr/wrmsr of the FS/GS bases, port I/O
 * without permission, and instructions that must arrive as #GP(0).
 * Expected values are Xen 4.17's (dom0, no iopl granted).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/version.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "common/array_size.h"

const char test_title[] = "misc-priv";

#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define NO_FAULT           (-1L)

/* The vector of the fault an instruction raised, or NO_FAULT; its error
 * code in *ec. Each asm resumes at label 2 through the exception table. */
static long fault_of(unsigned long before, uint64_t *ec)
{
    if (trap_count == before)
        return NO_FAULT;
    if (ec)
        *ec = last_trap.error_code;
    return last_trap.vector;
}

static long fep_cpuid(uint32_t leaf, uint32_t r[4])
{
    unsigned long before = trap_count;
    uint32_t a = leaf, b = 0, c = 0, d = 0;

    asm volatile("1: ud2; .ascii \"xen\"; cpuid\n2:\n" EXTABLE(1b, 2b)
                 : "+a"(a), "+b"(b), "+c"(c), "+d"(d)::"memory");
    r[0] = a, r[1] = b, r[2] = c, r[3] = d;
    return fault_of(before, NULL);
}

static long rdmsr_safe(uint32_t msr, uint64_t *v)
{
    unsigned long before = trap_count;
    uint32_t lo = 0, hi = 0;

    asm volatile("1: rdmsr\n2:\n" EXTABLE(1b, 2b) : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *v = ((uint64_t)hi << 32) | lo;
    return fault_of(before, NULL);
}

static long wrmsr_safe(uint32_t msr, uint64_t v, uint64_t *ec)
{
    unsigned long before = trap_count;

    asm volatile("1: wrmsr\n2:\n" EXTABLE(1b, 2b)::"a"((uint32_t)v), "d"((uint32_t)(v >> 32)),
                 "c"(msr)
                 : "memory");
    return fault_of(before, ec);
}

static uint64_t fs_word(void)
{
    uint64_t w;

    asm volatile("movq %%fs:0, %0" : "=r"(w));
    return w;
}

static uint64_t gs_word(void)
{
    uint64_t w;

    asm volatile("movq %%gs:0, %0" : "=r"(w));
    return w;
}

static void test_cpuid(void)
{
    uint32_t r[4];
    char sig[13];
    long ver = hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);

    if (!check_long("FEP cpuid 0x40000000: no fault", NO_FAULT, fep_cpuid(0x40000000, r)))
        return;
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = 0;
    if (strcmp(sig, "XenVMMXenVMM"))
        test_failure("FEP cpuid 0x40000000 signature: expected XenVMMXenVMM, got %.12s", sig);
    check_long("FEP cpuid 0x40000000 eax (max leaf)", 0x40000005, r[0]);
    check_long("FEP cpuid 0x40000001: no fault", NO_FAULT, fep_cpuid(0x40000001, r));
    check_long("FEP cpuid 0x40000001 eax = XENVER_version", ver, r[0]);
    check_long("FEP cpuid 0x40000002: no fault", NO_FAULT, fep_cpuid(0x40000002, r));
    check_long("FEP cpuid 0x40000002 eax (hypercall pages)", 1, r[0]);
    check_long("FEP cpuid 0x40000002 ebx (hypercall MSR)", 0x40000000, r[1]);
    check_long("FEP cpuid 0: no fault", NO_FAULT, fep_cpuid(0, r));
    if (r[0] == 0)
        test_failure("FEP cpuid 0 max leaf: expected > 0, got 0");
}

static void test_cr3(void)
{
    unsigned long before = trap_count;
    uint64_t cr3 = 0;

    asm volatile("1: mov %%cr3, %0\n2:\n" EXTABLE(1b, 2b) : "+r"(cr3)::"memory");
    check_long("mov %cr3: no fault", NO_FAULT, fault_of(before, NULL));
    check_long("mov %cr3: the L4's machine address", (long)((uint64_t)l4_mfn() << 12), (long)cr3);
}

static void test_msrs(void)
{
    static uint64_t fs_a = 0xf5f5f5f5a, fs_b = 0xf5f5f5f5b, gs_k = 0x65656565;
    uint64_t v = 0, ec = 0;

    check_long("set_segment_base FS", 0, hc_set_segment_base(SEGBASE_FS, (unsigned long)&fs_a));
    check_long("rdmsr FS_BASE: no fault", NO_FAULT, rdmsr_safe(MSR_FS_BASE, &v));
    check_long("rdmsr FS_BASE", (long)&fs_a, (long)v);
    check_long("wrmsr FS_BASE: no fault", NO_FAULT, wrmsr_safe(MSR_FS_BASE, (uint64_t)&fs_b, NULL));
    check_long("%fs:0 after wrmsr FS_BASE", (long)fs_b, (long)fs_word());
    check_long("wrmsr FS_BASE non-canonical", X86_GP,
               wrmsr_safe(MSR_FS_BASE, 0x0000800000000000UL, &ec));
    check_long("wrmsr FS_BASE non-canonical: error code", 0, (long)ec);
    check_long("%fs:0 unchanged by the refused wrmsr", (long)fs_b, (long)fs_word());

    check_long("wrmsr GS_BASE: no fault", NO_FAULT, wrmsr_safe(MSR_GS_BASE, (uint64_t)&gs_k, NULL));
    check_long("%gs:0 after wrmsr GS_BASE", (long)gs_k, (long)gs_word());
    check_long("rdmsr GS_BASE", NO_FAULT, rdmsr_safe(MSR_GS_BASE, &v));
    check_long("rdmsr GS_BASE value", (long)&gs_k, (long)v);
    check_long("wrmsr SHADOW_GS_BASE: no fault", NO_FAULT,
               wrmsr_safe(MSR_SHADOW_GS_BASE, 0x123000, NULL));
    check_long("rdmsr SHADOW_GS_BASE", NO_FAULT, rdmsr_safe(MSR_SHADOW_GS_BASE, &v));
    check_long("rdmsr SHADOW_GS_BASE value", 0x123000, (long)v);
    check_long("rdmsr 0x12345678 (no such MSR)", X86_GP, rdmsr_safe(0x12345678, &v));
    check_long("wrmsr 0x12345678 (no such MSR)", X86_GP, wrmsr_safe(0x12345678, 0, &ec));
    check_long("set_segment_base FS 0", 0, hc_set_segment_base(SEGBASE_FS, 0));
    check_long("set_segment_base GS kernel 0", 0, hc_set_segment_base(SEGBASE_GS_KERNEL, 0));
}

#define PRIV(name, insn)                                                             \
    static long name(uint64_t *ec)                                                   \
    {                                                                                \
        unsigned long before = trap_count;                                           \
        asm volatile("1: " insn "\n2:\n" EXTABLE(1b, 2b)::: "memory", "rax", "rdx"); \
        return fault_of(before, ec);                                                 \
    }
PRIV(do_inb_3f8, "mov $0x3f8, %%edx; xor %%eax, %%eax; 1: inb %%dx, %%al")
PRIV(do_outb_3f8, "mov $0x3fb, %%edx; xor %%eax, %%eax; 1: outb %%al, %%dx")
PRIV(do_inb_80, "inb $0x80, %%al")
PRIV(do_hlt, "hlt")
PRIV(do_cli, "cli")
PRIV(do_sti, "sti")
PRIV(do_invd, "invd")
PRIV(do_swapgs, "swapgs")
PRIV(do_wrcr4, "xor %%eax, %%eax; 1: mov %%rax, %%cr4")
PRIV(do_rdpmc, "xor %%ecx, %%ecx; 1: rdpmc")

struct priv_case {
    const char *name;
    long (*run)(uint64_t *ec);
    long vector;
};

static void test_priv(void)
{
    static const struct priv_case cases[] = {
        { "inb from 0x3f8 (Xen's UART)", do_inb_3f8, X86_GP },
        { "outb to 0x3fb (Xen's UART)", do_outb_3f8, X86_GP },
        { "inb from 0x80", do_inb_80, X86_GP },
        { "hlt", do_hlt, X86_GP },
        { "cli", do_cli, X86_GP },
        { "sti", do_sti, X86_GP },
        { "invd", do_invd, X86_GP },
        { "swapgs", do_swapgs, X86_GP },
        /* Emulated: Xen accepts and ignores a guest's CR4 write. */
        { "mov to %cr4 (emulated)", do_wrcr4, NO_FAULT },
        { "rdpmc", do_rdpmc, X86_GP },
    };
    char n[96];

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t ec = ~0UL;

        snprintf(n, sizeof(n), "%s: vector", cases[i].name);
        if (check_long(n, cases[i].vector, cases[i].run(&ec)) && cases[i].vector == X86_GP) {
            snprintf(n, sizeof(n), "%s: error code", cases[i].name);
            check_long(n, 0, (long)ec);
        }
    }
}

void test_main(void)
{
    if (!shared_info_map() || !check_long("set_trap_table", 0, traps_install()))
        return;
    test_cpuid();
    test_cr3();
    test_msrs();
    test_priv();
}
