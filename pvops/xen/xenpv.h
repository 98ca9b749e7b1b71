/* SPDX-License-Identifier: MIT */
/* The Xen PV64 binding of pv_ops: Lithos in ring 3 under Xen or Xenolith. */
#ifndef PVOPS_XEN_XENPV_H
#define PVOPS_XEN_XENPV_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

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
/* After events are mapped and pv_info names the hypervisor: moves the
 * console to start_info's ring unless this is Xen's dom0 (console_io). */
void xenpv_console_init(const start_info_t *si, void *direct_map, unsigned long nr_pfns);
int xenpv_console_using_ring(void);
/* Xen's initial domain (SIF_INITDOMAIN): no console or xenstore ring of
 * its own. Xenolith's d0 is privileged (SIF_PRIVILEGED) but not initial. */
int xenpv_on_xen_dom0(const start_info_t *si);
/* Where the direct map shows one of our own machine frames; NULL if it is
 * not ours or not mapped. */
void *xenpv_mfn_to_virt(unsigned long mfn);

void xenpv_power_shutdown(unsigned int reason);
/* Fills pv_ops.devices and pv_ops.store (devices.c): the store ring and
 * the p2m as start_info gives them; after xenpv_console_init. */
void xenpv_devices_install(const start_info_t *si);
/* Where the direct map shows one of our pages (xenpv_mmu_install's). */
void *xenpv_pfn_to_virt(unsigned long pfn);

/* Fills pv_ops.mmu: p2m and direct map as for xenpv_pvops_install(). */
void xenpv_mmu_install(const start_info_t *si, void *direct_map, unsigned long nr_pfns);
/* Hypercalls the mmu slots have made so far, for measuring batching. */
unsigned long xenpv_mmu_hypercalls(void);

/* Events and traps (events.c). */
#define XENPV_VECTOR_EVENT    0x101 /* trap_entry.S's VECTOR_EVENT */
#define XENPV_VECTOR_FAILSAFE 0x102

struct pv_trap_frame;
typedef void (*xenpv_port_fn)(struct pv_trap_frame *f);

extern shared_info_t *xenpv_shared_info;
extern struct vcpu_info *xenpv_vcpu;
extern const struct pv_irq_ops xenpv_irq_ops;
extern const struct pv_cpu_ops xenpv_cpu_ops;
extern const struct pv_time_ops xenpv_time_ops;

/* Maps start_info's shared_info frame; 0 or update_va_mapping's errno. */
int xenpv_events_map(const start_info_t *si);
/* Routes port to fn and unmasks it. */
int xenpv_bind_port(evtchn_port_t port, xenpv_port_fn fn);
/* Calls the kernel's trap handler with f as if vector had trapped. */
void xenpv_deliver(struct pv_trap_frame *f, uint64_t vector);
/* Records "<hypercall> -E..." in pv_info.missing, keeping the first. */
void xenpv_missing(const char *hypercall, long rc);
/* Takes the system time of boot, the zero of now_ns. */
void xenpv_time_init(void);

#endif
