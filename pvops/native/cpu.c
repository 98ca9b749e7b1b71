// SPDX-License-Identifier: MIT
// Native CPU state: the GDT with user segments and a TSS (whose rsp0 is
// where traps from ring 3 land), the SYSCALL MSRs, and idling with hlt.
// Replaces head_pvh.S's boot GDT, which lives at a physical address.
#include <common/x86_desc.h>
#include <pvops/native/native.h>
#include <stdint.h>

enum {
    SEL_KERNEL_CS = 0x08,
    SEL_KERNEL_DS = 0x10,
    SEL_USER_DS = 0x18, /* | 3 = 0x1b */
    SEL_USER_CS = 0x20, /* | 3 = 0x23 */
    SEL_TSS = 0x28,
    MSR_EFER = 0xc0000080,
    MSR_STAR = 0xc0000081,
    MSR_LSTAR = 0xc0000082,
    MSR_FMASK = 0xc0000084,
    EFER_SCE = 1,
    /* SYSCALL clears TF, DF, IF, IOPL, NT and AC. */
    SYSCALL_FMASK = 0x47700,
};

static struct x86_tss64 tss = { .iomap_base = sizeof(struct x86_tss64) };

static uint64_t gdt[7] __attribute__((aligned(16))) = {
    0,
    0x00af9a000000ffff, /* kernel code, long mode, DPL 0 */
    0x00cf92000000ffff, /* kernel data */
    0x00cff2000000ffff, /* user data, DPL 3 */
    0x00affa000000ffff, /* user code, long mode, DPL 3 */
    0,
    0, /* TSS, filled at init */
};

extern uint64_t native_syscall_kernel_rsp;
void native_syscall_entry(void);

static void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

void native_cpu_init(void)
{
    uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };

    /* Available 64-bit TSS (type 9), present; the base spans both words. */
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
             ((limit >> 16) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
    asm volatile("lgdt %0\n\t"
                 "pushq %1\n\t"
                 "leaq 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "lretq\n"
                 "1:\tmov %2, %%ds\n\t"
                 "mov %2, %%es\n\t"
                 "mov %2, %%ss\n\t"
                 "ltr %w3"
                 :
                 : "m"(gdtr), "i"(SEL_KERNEL_CS), "r"(SEL_KERNEL_DS), "r"(SEL_TSS)
                 : "rax", "memory");

    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* SYSRET would load CS = 0x10 + 16 and SS = 0x10 + 8 (| 3). */
    wrmsr(MSR_STAR, ((uint64_t)SEL_KERNEL_DS << 48) | ((uint64_t)SEL_KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)native_syscall_entry);
    wrmsr(MSR_FMASK, SYSCALL_FMASK);
}

static void native_idle(void)
{
    /* sti's one-instruction shadow makes sti; hlt atomic. */
    asm volatile("sti; hlt" : : : "memory");
}

static int native_set_kernel_stack(unsigned long top)
{
    tss.rsp[0] = top;
    native_syscall_kernel_rsp = top;
    return 0;
}

const struct pv_cpu_ops native_cpu_ops = {
    .idle = native_idle,
    .set_kernel_stack = native_set_kernel_stack,
    .fault_addr = native_fault_addr,
};
