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
int native_pvops_install(void *direct_map, unsigned long nr_pfns);

/* Port I/O as the drivers' environment sees it. */
extern const struct port_io native_port_io;

void native_console_init(void);
int native_console_write(const char *buf, size_t len);
int native_console_read(char *buf, size_t len);

void native_power_shutdown(unsigned int reason);

void native_mmu_init(void *direct_map, unsigned long nr_pfns);
extern const struct pv_mmu_ops native_mmu_ops;

/* Called with interrupts off on the faulting stack; must not return. */
typedef void (*native_page_fault_fn)(unsigned long addr, unsigned long rip,
                                     unsigned long error);
/* Loads an IDT whose #PF gate calls page_fault. */
void native_traps_install(native_page_fault_fn page_fault);

#endif
