// SPDX-License-Identifier: MIT
// Native IDT and interrupt routing: every vector has a gate (trap_entry.S);
// PIC lines are acknowledged here, the LAPIC timer is EOIed and passed on
// as PV_VECTOR_TIMER, and everything else goes to the kernel's handler.
// Before irq.init installs that handler, only #PF is reported (early
// faults), through the page-fault function start_native gave.
#include <common/x86_desc.h>
#include <pvops/native/native.h>
#include <pvops/native/portio.h>
#include <pvops/trap.h>
#include <drivers/pic8259.h>
#include <drivers/uart16550.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>

enum {
    VECTOR_PF = 14,
    NR_VECTORS = 256,
    SEL_CODE64 = 0x08,     /* cpu.c's GDT */
    GATE_INTERRUPT = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
};

static struct x86_idt_gate idt[NR_VECTORS] __attribute__((aligned(16)));
static native_page_fault_fn early_page_fault;
static pv_trap_handler_fn kernel_handler;

extern const uint64_t native_trap_stubs[NR_VECTORS];
void native_iret(void);

static void set_gate(unsigned int vector, uint64_t a)
{
    idt[vector] = (struct x86_idt_gate){
        .offset_lo = (uint16_t)a,
        .selector = SEL_CODE64,
        .type_attr = GATE_INTERRUPT,
        .offset_mid = (uint16_t)(a >> 16),
        .offset_hi = (uint32_t)(a >> 32),
    };
}

static unsigned long read_cr2(void)
{
    unsigned long cr2;

    asm volatile("mov %%cr2, %0" : "=r"(cr2));
    return cr2;
}

static void unhandled(struct pv_trap_frame *f)
{
    if (f->vector == VECTOR_PF && early_page_fault)
        early_page_fault(read_cr2(), f->rip, f->error);
    native_power_shutdown(SHUTDOWN_crash);
}

/* COM1's IRQ 4 is the one unmasked line; otherwise a PIC line can only be
 * spurious: 7 and 15 without their ISR bit need no EOI, anything else does. */
static void pic_interrupt(unsigned int irq)
{
    if (irq == UART16550_COM1_IRQ)
        native_console_irq();
    if ((irq == 7 || irq == 15) && !pic8259_in_service(&native_port_io, irq)) {
        if (irq == 15)
            pic8259_eoi(&native_port_io, 2); /* the master did see it */
        return;
    }
    pic8259_eoi(&native_port_io, irq);
}

static void native_trap_dispatch(struct pv_trap_frame *f)
{
    if (f->vector >= NATIVE_PIC_VECTOR && f->vector < NATIVE_PIC_VECTOR + PIC8259_LINES) {
        pic_interrupt((unsigned int)(f->vector - NATIVE_PIC_VECTOR));
        return;
    }
    if (f->vector == NATIVE_SPURIOUS_VECTOR)
        return;
    if (f->vector == PV_VECTOR_TIMER)
        native_timer_eoi();
    if (kernel_handler)
        kernel_handler(f);
    else
        unhandled(f);
}

void native_traps_install(native_page_fault_fn page_fault)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

    early_page_fault = page_fault;
    pv_trap_dispatch = native_trap_dispatch;
    pv_iret = native_iret;
    for (unsigned int v = 0; v < NR_VECTORS; v++)
        set_gate(v, native_trap_stubs[v]);
    asm volatile("lidt %0" : : "m"(idtr));
}

int native_irq_init(pv_trap_handler_fn handler)
{
    /* The PICs come up with IRQ 0-7 on the exception vectors: move them. */
    pic8259_init(&native_port_io, NATIVE_PIC_VECTOR);
    native_console_irq_init();
    kernel_handler = handler;
    return native_lapic_init();
}

unsigned long native_fault_addr(void)
{
    return read_cr2();
}

static void native_irq_enable(void)
{
    asm volatile("sti" : : : "memory");
}

static void native_irq_disable(void)
{
    asm volatile("cli" : : : "memory");
}

static unsigned long native_irq_save(void)
{
    unsigned long flags;

    asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags & PV_RFLAGS_IF;
}

static void native_irq_restore(unsigned long flags)
{
    if (flags & PV_RFLAGS_IF)
        native_irq_enable();
    else
        native_irq_disable();
}

const struct pv_irq_ops native_irq_ops = {
    .init = native_irq_init,
    .enable = native_irq_enable,
    .disable = native_irq_disable,
    .save = native_irq_save,
    .restore = native_irq_restore,
};
