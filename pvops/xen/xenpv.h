/* SPDX-License-Identifier: MIT */
/* The Xen PV64 binding of pv_ops: Lithos in ring 3 under Xen or Xenolith. */
#ifndef PVOPS_XEN_XENPV_H
#define PVOPS_XEN_XENPV_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

/*
 * Fills every slot the binding implements; returns pv_ops_check().
 * direct_map is where the kernel maps pfn 0 (the start-of-day region), with
 * nr_pfns pages after it: the mmu slots remap table pages through it.
 */
int xenpv_pvops_install(const start_info_t *si, void *direct_map, unsigned long nr_pfns);

/* Names the hypervisor in pv_info: "Xenolith 0.1.0" or "Xen 4.17.1". */
void xenpv_describe(void);

int xenpv_console_write(const char *buf, size_t len);
int xenpv_console_read(char *buf, size_t len);

void xenpv_power_shutdown(unsigned int reason);

/* Fills pv_ops.mmu: p2m and direct map as for xenpv_pvops_install(). */
void xenpv_mmu_install(const start_info_t *si, void *direct_map, unsigned long nr_pfns);
/* Hypercalls the mmu slots have made so far, for measuring batching. */
unsigned long xenpv_mmu_hypercalls(void);

#endif
