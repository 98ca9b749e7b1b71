/* SPDX-License-Identifier: MIT */
/* The native binding of pv_ops: real hardware, Lithos in ring 0. */
#ifndef PVOPS_NATIVE_NATIVE_H
#define PVOPS_NATIVE_NATIVE_H

#include <stddef.h>
#include <drivers/env.h>
#include <pvops/pvops.h>

/*
 * Fills every slot the binding implements; returns pv_ops_check().
 * direct_map is where the kernel maps pfn 0, with nr_pfns pages after it:
 * the mmu slots reach page tables through it.
 */
int native_pvops_install(void *direct_map, unsigned long nr_pfns, volatile void *lapic_mmio);

/* Interrupt vectors: the PICs' 16 lines (all masked but COM1's IRQ 4, so
 * otherwise only spurious ones arrive), the LAPIC's spurious vector; the
 * timer is PV_VECTOR_TIMER. */
#define NATIVE_PIC_VECTOR      0x20
#define NATIVE_SPURIOUS_VECTOR 0xff

/* Port I/O as the drivers' environment sees it. */
extern const struct port_io native_port_io;

void native_console_init(void);
int native_console_write(const char *buf, size_t len);
int native_console_read(char *buf, size_t len);
/* Unmasks COM1's IRQ 4 (after the PICs are remapped) and its handler. */
void native_console_irq_init(void);
void native_console_irq(void);

void native_power_shutdown(unsigned int reason);

void native_mmu_init(void *direct_map, unsigned long nr_pfns);
extern const struct pv_mmu_ops native_mmu_ops;

void native_cpu_init(void);
extern const struct pv_cpu_ops native_cpu_ops;
extern const struct pv_irq_ops native_irq_ops;
int native_irq_init(pv_trap_handler_fn handler);
unsigned long native_fault_addr(void);

/* Calibrates TSC and LAPIC timer against the PIT and reads the RTC. */
void native_time_init(volatile void *lapic_mmio);
int native_lapic_init(void);
void native_timer_eoi(void);
extern const struct pv_time_ops native_time_ops;

/* Called with interrupts off on the faulting stack; must not return. */
typedef void (*native_page_fault_fn)(unsigned long addr, unsigned long rip, unsigned long error);
/* Loads the IDT; until irq.init, a #PF calls page_fault. */
void native_traps_install(native_page_fault_fn page_fault);

#endif
