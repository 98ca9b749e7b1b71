/* SPDX-License-Identifier: MIT */
/* Domains and their (single) vCPU. */
#ifndef XENOLITH_DOMAIN_H
#define XENOLITH_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include "event/evtchn_types.h"
#include "grant/grant_types.h"
#include "domain/current.h"
#include "frames/page_type.h"

#define MAX_DOMAINS     16
#define DOMAIN_NAME_MAX 32 /* with the NUL */

struct domain;

struct vcpu {
    struct domain *domain;
    struct cpu_user_regs regs; /* saved state while not running */
    /* Kernel and user L4 (MMUEXT_NEW_BASEPTR / NEW_USER_BASEPTR), each
     * holding a general and an L4 type reference; 0 when none. */
    uint64_t guest_table;
    uint64_t guest_table_user;
    /* Xen's old_guest_table: a partial demotion this vCPU owes, with the
     * general reference that goes with it; carried on at the start of its
     * next mmu_update or mmuext_op (guest_mm.h). */
    uint64_t old_guest_table;
    bool has_old_guest_table;
    uint64_t ldt_base; /* MMUEXT_SET_LDT */
    uint32_t ldt_ents;
    uint64_t ldt_shadow[16]; /* LDT pages mapped so far (mfn or 0) */
    uint64_t gdt_frames[14]; /* set_gdt: FIRST_RESERVED_GDT_PAGE frames */
    uint32_t nr_gdt_frames;
    uint32_t gdt_ents;

    /* Trap virtualization (set_trap_table, callbacks, stack_switch). */
    trap_info_t trap_ctxt[256];
    uint64_t event_callback;
    uint64_t failsafe_callback;
    uint64_t syscall_callback;
    uint64_t syscall32_callback;
    uint64_t sysenter_callback;
    uint64_t nmi_callback;
    bool failsafe_masks_events;
    bool syscall_masks_events;
    bool syscall32_masks_events;
    bool sysenter_masks_events;
    uint64_t kernel_sp;
    uint16_t kernel_ss;
    bool user_mode;   /* in guest user mode (the user L4 is loaded) */
    bool fpu_ts;      /* the guest's virtual CR0.TS (fpu_taskswitch) */
    bool cr4_written; /* guest_cr4 holds what the guest wrote */
    uint64_t guest_cr4;
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;

    /* Scheduling and guest timers (ns of system time; 0 = none). */
    bool blocked; /* SCHEDOP_block or _poll */
    bool polling; /* blocked in SCHEDOP_poll */
    uint16_t nr_poll_ports;
    uint16_t poll_ports[128]; /* Xen's limit for SCHEDOP_poll */
    uint64_t poll_deadline;
    uint64_t timer_deadline; /* set_timer_op / singleshot */
    uint64_t periodic_period;
    uint64_t periodic_next;
    uint64_t slice_end;
    uint64_t runtime_ns; /* CPU time consumed, for fairness checks */
    uint64_t last_start;
    uint8_t fpu[512] __attribute__((aligned(16))); /* FXSAVE image */
};

struct domain {
    domid_t domain_id;
    bool in_use;
    bool is_privileged; /* SIF_PRIVILEGED: the first domain */
    bool is_shutting_down;
    uint8_t shutdown_code; /* SHUTDOWN_*, valid when shutting down */
    int16_t latched_code;  /* SCHEDOP_shutdown_code, or -1 */
    char name[DOMAIN_NAME_MAX];
    uint64_t tot_pages; /* frames holding the allocation reference */
    uint64_t max_pages;
    struct pt_owner pt;      /* page-table rules for this domain */
    unsigned long vm_assist; /* VMASST_TYPE_* bits enabled */
    uint64_t shared_info_mfn;
    shared_info_t *shared_info;
    struct vcpu vcpu0;
    uint64_t nr_refusals;        /* refused memory requests, for the log */
    struct evtchn_domain evtchn; /* event-channel ports */
    struct gnttab_domain gnttab; /* grant table and maptrack */
};

/* A fresh domain slot with the next domain id, or NULL when full. */
struct domain *domain_alloc(const char *name);
/* Frees every frame the domain owns and its slot. */
void domain_destroy(struct domain *d);

/* A request of the guest's was refused: logged as a warning, the first
 * REFUSALS_LOGGED per domain in full, and counted for the teardown line. */
#define REFUSALS_LOGGED 16
__attribute__((format(printf, 2, 3))) void domain_log_refusal(struct domain *d, const char *fmt,
                                                              ...);

struct domain *domain_by_index(unsigned int i);
/* Xen's rcu_lock_domain_by_id: the live domain with this id, or NULL
 * (DOMID_SELF names no domain here). */
struct domain *domain_by_id(domid_t id);
/* Xen's rcu_lock_domain_by_any_id: as domain_by_id, and DOMID_SELF (or
 * the caller's own id) names `self`. */
struct domain *domain_by_any_id(struct domain *self, domid_t id);

/* vcpu_info[0] of the vCPU's domain. */
static inline vcpu_info_t *vcpu_info_of(const struct vcpu *v)
{
    return &v->domain->shared_info->vcpu_info[0];
}

/* Xen's default XSM policy for XSM_TARGET operations: a domain may act on
 * itself, and the privileged domain on any. The one place that says so. */
static inline bool domain_may_act_on(const struct domain *self, const struct domain *target)
{
    return self == target || self->is_privileged;
}

#endif
