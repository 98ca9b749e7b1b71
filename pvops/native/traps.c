// SPDX-License-Identifier: MIT
// Native IDT: for now only #PF has a gate, routed to the kernel's report
// function (the kernel is still single-threaded and treats every fault as
// fatal). Other vectors stay not-present, as before, and triple-fault.
#include <pvops/native/native.h>
#include <stdint.h>

enum {
    VECTOR_PF = 14,
    NR_VECTORS = 32,
    SEL_CODE64 = 0x08,              /* head_pvh.S's boot GDT */
    GATE_INTERRUPT = 0x8e,          /* present, DPL 0, 64-bit interrupt gate */
};

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

static struct idt_gate idt[NR_VECTORS] __attribute__((aligned(16)));

/* Read by trap_entry.S. */
native_page_fault_fn native_page_fault_handler;

void native_page_fault_entry(void);

static void set_gate(unsigned int vector, void (*entry)(void))
{
    uint64_t a = (uint64_t)entry;

    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)a,
        .selector = SEL_CODE64,
        .type = GATE_INTERRUPT,
        .offset_mid = (uint16_t)(a >> 16),
        .offset_high = (uint32_t)(a >> 32),
    };
}

void native_traps_install(native_page_fault_fn page_fault)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

    native_page_fault_handler = page_fault;
    set_gate(VECTOR_PF, native_page_fault_entry);
    asm volatile("lidt %0" : : "m"(idtr));
}
