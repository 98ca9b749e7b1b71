// SPDX-License-Identifier: MIT
/*
 * What the hcall-fuzz generators share: the argument helpers in gen.c and
 * one generator per hypercall (or family), listed in gen.c's table. Each
 * fills a struct call: the number, the arguments, a description, and the
 * fixups and read-backs main.c runs around it.
 */
#ifndef HCALL_FUZZ_GEN_H
#define HCALL_FUZZ_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/grant_table.h>
#include "fuzz.h"

extern char pick_sym[64];
extern int pick_level;
extern grant_entry_v1_t *gnt_table;

#define NR_DEAD_DOMIDS 9
extern const uint64_t dead_domids[NR_DEAD_DOMIDS];

/* The symbol of the last pick, copied so the next pick cannot clobber it. */
#define SYM(var)  \
    char var[64]; \
    snprintf(var, sizeof(var), "%s", pick_sym)

/* "built" when p is the object the generator built, else the pick's name. */
const char *ptr_desc(uint64_t p, const void *built);
/* An xp_alloc'd object, or (pct percent of the time) a pointer picked for
 * the use instead; symbuf (64 bytes) names it. */
uint64_t obj_or_ptr(void *obj, size_t size, enum ptr_use use, unsigned int pct, char *symbuf);
/* An OUT pointer for a done/count word: NULL, an output page, hostile. */
uint64_t pick_done(struct call *c, char *symbuf);
/* A page owner (foreigndom), DOMID_SELF self_pct percent of the time. */
uint64_t pick_pg_owner(unsigned int self_pct);
uint64_t pick_canonical(void);
/* A handler for vector vec: its real entry, or one the hypervisor refuses. */
uint64_t pick_handler(unsigned int vec);

/* gen_mm.c */
void gen_mmu_update(struct call *c, bool in_mc);
void gen_mmuext_op(struct call *c, bool in_mc);
void gen_update_va_mapping(struct call *c, bool in_mc);
void gen_uvm_otherdomain(struct call *c, bool in_mc);
void gen_memory_op(struct call *c, bool in_mc);
/* A frame to give back or exchange (grant_table_op's transfer too). */
uint64_t pick_extent_frame(void);
/* gen_grant.c */
void gen_grant_table_op(struct call *c, bool in_mc);
/* gen_evtchn.c */
void gen_event_channel_op(struct call *c, bool in_mc);
/* gen_sched.c */
void gen_sched_op(struct call *c, bool in_mc);
void gen_set_timer_op(struct call *c, bool in_mc);
void gen_vcpu_op(struct call *c, bool in_mc);
/* gen_cpu.c */
void gen_xen_version(struct call *c, bool in_mc);
void gen_console_io(struct call *c, bool in_mc);
void gen_vm_assist(struct call *c, bool in_mc);
void gen_set_trap_table(struct call *c, bool in_mc);
void gen_set_callbacks(struct call *c, bool in_mc);
void gen_callback_op(struct call *c, bool in_mc);
void gen_stack_switch(struct call *c, bool in_mc);
void gen_fpu_taskswitch(struct call *c, bool in_mc);
void gen_set_segment_base(struct call *c, bool in_mc);
void gen_set_gdt(struct call *c, bool in_mc);
void gen_update_descriptor(struct call *c, bool in_mc);
void gen_iret(struct call *c, bool in_mc);
/* A kernel-to-kernel iret frame with random flags (multicall's too). */
void gen_iret_ctx(struct call *c, struct iret_ctx *x);
/* gen_other.c */
void gen_unimplemented(struct call *c, bool in_mc);
void gen_privileged(struct call *c, bool in_mc);

#endif
