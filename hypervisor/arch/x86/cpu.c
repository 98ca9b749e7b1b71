// SPDX-License-Identifier: MIT
/* GDT (with Xen's reserved selectors), TSS, IDT, SYSCALL MSRs and control
 * registers for the boot CPU. */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include "common/x86_desc.h"
#include "console/log.h"
#include "arch/x86/cpu.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/clock.h"
#include "arch/x86/traps.h"
#include "arch/x86/machine_memory.h"
#include "arch/x86/paging.h"
#include "arch/x86/pte.h"
#include "arch/x86/x86.h"

#define HYPERVISOR_CS  0xe008
#define HYPERVISOR_DS  0xe010
#define TSS_SELECTOR   0xe040
#define IST_NMI        1
#define IST_DF         2
#define IST_MC         3
#define IST_DB         4
#define IST_STACK_SIZE 4096

/* Xenolith's page of the GDT, the 15th: selectors 0xe000 and up. The
 * first 14 pages at GDT_VIRT_START show the running guest's own frames. */
static uint64_t xen_gdt[512] __attribute__((aligned(4096)));
static uint64_t gdt_zero_mfn;

#define GDT_PAGES    (FIRST_RESERVED_GDT_PAGE + 1)
#define LDT_SELECTOR 0xe050

static struct x86_tss64 tss __attribute__((aligned(64)));
static struct x86_idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[4][IST_STACK_SIZE] __attribute__((aligned(16)));

extern const uint64_t exception_stubs[NR_EXCEPTIONS];
extern char spurious_interrupt[], timer_interrupt[], serial_irq_entry[], syscall_entry[],
    syscall_compat_entry[];

struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

static void set_gdt_entry(uint16_t selector, uint64_t desc)
{
    xen_gdt[(selector >> 3) - FIRST_RESERVED_GDT_ENTRY] = desc;
}

/* A 16-byte system descriptor (TSS, LDT) at selector sel. */
static void set_system_descriptor(uint16_t sel, unsigned int type, uint64_t base, uint64_t limit)
{
    set_gdt_entry(sel, (limit & 0xffff) | ((base & 0xffffff) << 16) |
                           ((uint64_t)(0x80 | type) << 40) | (((limit >> 16) & 0xf) << 48) |
                           (((base >> 24) & 0xff) << 56));
    set_gdt_entry(sel + 8, base >> 32);
}

uint64_t cpu_gdt_zero_pte(void)
{
    return pte_make(gdt_zero_mfn, PTE_P | PTE_A | PTE_NX);
}

void cpu_load_ldt(uint64_t base, uint32_t ents)
{
    if (!ents) {
        __asm__ volatile("lldt %w0" ::"r"(0));
        return;
    }
    set_system_descriptor(LDT_SELECTOR, 0x2, base, (uint64_t)ents * 8 - 1);
    __asm__ volatile("lldt %w0" ::"r"(LDT_SELECTOR));
}

static void set_gate(unsigned int vec, uint64_t handler, unsigned int ist)
{
    /* int3 and into are meant for user code: DPL 3, as in Xen's IDT. */
    unsigned int dpl = (vec == 3 || vec == 4) ? 3 : 0;

    idt[vec] = (struct x86_idt_gate){
        .offset_lo = handler & 0xffff,
        .selector = HYPERVISOR_CS,
        .ist = ist,
        .type_attr = (uint8_t)(0x8e | (dpl << 5)), /* present, interrupt gate */
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_hi = handler >> 32,
    };
}

static void gdt_init(uint64_t zero_mfn)
{
    struct desc_ptr gdtr = { GDT_PAGES * PAGE_SIZE - 1, GDT_VIRT_START };

    gdt_zero_mfn = zero_mfn;
    for (unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++) {
        *paging_l1e(GDT_VIRT_START + i * PAGE_SIZE) = cpu_gdt_zero_pte();
    }
    *paging_l1e(GDT_VIRT_START + FIRST_RESERVED_GDT_PAGE * PAGE_SIZE) = pte_make(
        image_virt_to_maddr(xen_gdt) >> PAGE_SHIFT, PTE_P | PTE_RW | PTE_A | PTE_D | PTE_NX);

    set_gdt_entry(HYPERVISOR_CS, 0x00af9a000000ffffULL); /* 64-bit, DPL 0 */
    set_gdt_entry(HYPERVISOR_DS, 0x00cf92000000ffffULL);
    set_gdt_entry(FLAT_RING3_CS32, 0x00cffa000000ffffULL); /* 32-bit, DPL 3 */
    set_gdt_entry(FLAT_RING3_DS32, 0x00cff2000000ffffULL);
    set_gdt_entry(FLAT_RING3_CS64, 0x00affa000000ffffULL); /* 64-bit, DPL 3 */
    set_system_descriptor(TSS_SELECTOR, 0x9, (uint64_t)&tss, sizeof(tss) - 1);

    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "mov %2, %%ss\n\t"
                     "mov %3, %%ds\n\t"
                     "mov %3, %%es\n\t" ::"m"(gdtr),
                     "i"(HYPERVISOR_CS), "r"(HYPERVISOR_DS), "r"(0)
                     : "rax", "memory");
}

static void tss_init(void)
{
    extern char hv_stack_top[];

    /* Ring-3 traps land where the guest frame's hardware part belongs. */
    tss.rsp[0] = (uint64_t)hv_stack_top - sizeof(struct cpu_user_regs) +
                 offsetof(struct cpu_user_regs, es);
    tss.ist[IST_NMI - 1] = (uint64_t)ist_stacks[0] + IST_STACK_SIZE;
    tss.ist[IST_DF - 1] = (uint64_t)ist_stacks[1] + IST_STACK_SIZE;
    tss.ist[IST_MC - 1] = (uint64_t)ist_stacks[2] + IST_STACK_SIZE;
    tss.ist[IST_DB - 1] = (uint64_t)ist_stacks[3] + IST_STACK_SIZE;
    tss.iomap_base = sizeof(tss); /* no bitmap: every port faults in ring 3 */
    __asm__ volatile("ltr %w0" ::"r"(TSS_SELECTOR));
}

static void idt_init(void)
{
    struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

    for (unsigned int v = 0; v < 256; v++)
        set_gate(v, (uint64_t)spurious_interrupt, 0);
    set_gate(TIMER_VECTOR, (uint64_t)timer_interrupt, 0);
    set_gate(SERIAL_VECTOR, (uint64_t)serial_irq_entry, 0);
    for (unsigned int v = 0; v < NR_EXCEPTIONS; v++)
        set_gate(v, exception_stubs[v],
                 v == X86_EXC_NMI  ? IST_NMI
                 : v == X86_EXC_DF ? IST_DF
                 : v == X86_EXC_MC ? IST_MC
                 : v == X86_EXC_DB ? IST_DB
                                   : 0);
    __asm__ volatile("lidt %0" ::"m"(idtr));
}

/* SYSCALL lands on the hypercall entry with IF, TF, DF, AC and NT clear;
 * SYSRET returns to FLAT_RING3_CS64/SS (STAR base + 16 / + 8). SYSENTER
 * gets a null CS so it faults. */
static void syscall_init(void)
{
    uint64_t star = ((uint64_t)(FLAT_RING3_CS32 & ~3) << 48) | ((uint64_t)HYPERVISOR_CS << 32);

    wrmsr(MSR_STAR, star);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_CSTAR, (uint64_t)syscall_compat_entry);
    wrmsr(MSR_SFMASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_AC |
                          X86_EFLAGS_NT | X86_EFLAGS_IOPL);
    wrmsr(MSR_SYSENTER_CS, 0);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* Remap the legacy PICs away from the exception vectors and mask every
 * line; drivers unmask theirs (cpu_pic_unmask). */
static void pic_mask_all(void)
{
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, PIC_VECTOR_BASE);
    outb(0xa1, PIC_VECTOR_BASE + 8);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

void cpu_pic_unmask(unsigned int irq)
{
    if (irq < 8)
        outb(0x21, inb(0x21) & (uint8_t) ~(1u << irq));
}

void cpu_pic_eoi(unsigned int irq)
{
    outb(0x20, 0x20); /* non-specific EOI, master only */
}

static void control_registers_init(const struct cpu_options *opt)
{
    uint32_t r[4];
    uint64_t cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    cpuid(7, 0, r);
    if (r[1] & (1u << 7))
        cr4 |= X86_CR4_SMEP;
    if (opt->smap && (r[1] & (1u << 20)))
        cr4 |= X86_CR4_SMAP;
    else
        cr4 &= ~X86_CR4_SMAP;
    write_cr4(cr4);
    /* WP: Xenolith's own writes honour read-only guest mappings. */
    write_cr0((read_cr0() | X86_CR0_WP | X86_CR0_MP | X86_CR0_NE) & ~(X86_CR0_EM | X86_CR0_TS));
    log_info("cpu: SMEP %s, SMAP %s\n", (cr4 & X86_CR4_SMEP) ? "on" : "off",
             (cr4 & X86_CR4_SMAP) ? "on" : "off");
}

void cpu_init(const struct cpu_options *opt, uint64_t gdt_zero_mfn)
{
    gdt_init(gdt_zero_mfn);
    tss_init();
    idt_init();
    syscall_init();
    pic_mask_all();
    control_registers_init(opt);
}
