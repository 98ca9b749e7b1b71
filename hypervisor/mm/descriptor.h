/* SPDX-License-Identifier: MIT */
/*
 * Guest descriptor tables: set_gdt and update_descriptor, the shadow LDT
 * (MMUEXT_SET_LDT pages mapped on first use, as Xen does), and loading a
 * vCPU's tables when it runs. Descriptors are checked as Xen checks a
 * 64-bit PV guest's: DPL raised to 3, no system descriptors but 64-bit
 * call gates (made DPL 0) to guest or flat code selectors.
 */
#ifndef XENOLITH_DESCRIPTOR_H
#define XENOLITH_DESCRIPTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

struct vcpu;

/* Check one descriptor, fixing it up in place; false if refused. */
bool check_descriptor(uint64_t *desc);

/* The vCPU is about to run: its GDT frames and LDT go into the CPU's. */
void vcpu_load_descriptor_tables(struct vcpu *v);
/* Drop the shadow LDT mappings (LDT or base pointer change, switch away). */
void vcpu_destroy_ldt_shadow(struct vcpu *v);
/* Teardown: release the GDT frames and the shadow LDT. */
void vcpu_release_descriptor_tables(struct vcpu *v);

/* A #PF from the guest on the shadow LDT: map the page and retry (true),
 * or turn it into the #PF (or #GP) the guest sees (false, regs adjusted:
 * *cr2 becomes the guest's LDT address). */
bool ldt_fault(struct vcpu *v, struct cpu_user_regs *regs, uint64_t *cr2);

struct subsystem_ops;
/* A dying domain's GDT frames and shadow LDT. */
extern const struct subsystem_ops descriptor_subsystem;

#endif
