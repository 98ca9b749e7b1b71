/* SPDX-License-Identifier: MIT */
/*
 * Exceptions, callbacks and HYPERVISOR_iret for test guests: one entry
 * stub per vector (traps.S) feeding trap_dispatch(), which records the
 * bounce frame exactly as the hypervisor wrote it, then runs the test's
 * handler, an exception-table fixup, or fails the test.
 */
#ifndef TESTS_COMMON_TRAPS_H
#define TESTS_COMMON_TRAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/event_channel.h>

/* Pseudo-vectors for the callbacks, which share the stubs' path. */
#define VEC_EVENT    256
#define VEC_FAILSAFE 257
#define VEC_SYSCALL  258
#define NR_TRAP_VECS 259

/* The x86 exceptions by number. */
enum {
    X86_DE = 0,
    X86_DB = 1,
    X86_NMI = 2,
    X86_BP = 3,
    X86_OF = 4,
    X86_BR = 5,
    X86_UD = 6,
    X86_NM = 7,
    X86_DF = 8,
    X86_TS = 10,
    X86_NP = 11,
    X86_SS = 12,
    X86_GP = 13,
    X86_PF = 14,
    X86_MF = 16,
    X86_AC = 17,
    X86_MC = 18,
    X86_XM = 19,
};

/*
 * What trap_common in traps.S leaves on the stack, lowest address first:
 * the general registers (rcx and r11 as the frame carried them), the
 * return state the handler may edit, the vector, then the hypervisor's
 * bounce frame untouched.
 */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    /* Return state: HYPERVISOR_iret's flags and iretq frame. */
    uint64_t iret_flags, rip, cs, rflags, rsp, ss;
    uint64_t error_code;
    uint64_t vector;
};

/* One delivery, as seen on entry. */
struct trap_record {
    unsigned int vector;
    bool has_error_code;
    uint64_t frame[12];       /* the bounce frame from its lowest word */
    unsigned int frame_words; /* 7, 8 (error code) or 11 (failsafe) */
    uint64_t entry_rsp;       /* where the frame starts */
    uint64_t error_code, rip, cs, rflags, rsp, ss;
    uint64_t cr2;            /* vcpu_info.arch.cr2 at entry, if mapped */
    uint8_t upcall_mask;     /* vcpu_info.evtchn_upcall_mask at entry */
    uint64_t kernel_gs_word; /* %gs:0 at entry, when trap_probe_gs */
};

/* The last delivery, and how many there have been of any vector. */
extern volatile struct trap_record last_trap;
extern volatile unsigned long trap_count;
extern volatile unsigned long vec_count[NR_TRAP_VECS];

/*
 * A handler returns true when it has dealt with the trap (possibly editing
 * regs' return state); false lets the exception table, then the fatal
 * path, have it.
 */
typedef bool (*trap_handler_t)(struct cpu_regs *regs);
void trap_set_handler(unsigned int vector, trap_handler_t h);

/* Entry stub addresses, for tables and callbacks. */
unsigned long trap_entry(unsigned int vector);

/* The standard table: every vector 0-31 at DPL 0 with events left as
 * they are; returns set_trap_table's answer. */
long traps_install(void);
/* One entry of the live table. */
long trap_set_entry(unsigned int vector, unsigned int flags, unsigned long address);

/* Maps shared_info at a scratch page (the last one) and returns it. */
shared_info_t *shared_info_map(void);
extern shared_info_t *shared;
static inline vcpu_info_t *vcpu0(void)
{
    return &shared->vcpu_info[0];
}

/* Record %gs:0 on every entry (for segment tests). */
extern volatile bool trap_probe_gs;

/* Whether the vector's frame carries an error code (hardware rule). */
bool vector_has_error_code(unsigned int vector);

/*
 * Exception table: a fault whose frame rip equals `from` resumes at `to`.
 * EXTABLE(from, to) in asm; both are local labels.
 */
#define EXTABLE(from, to) \
    ".pushsection ex_table, \"a\"\n\t.balign 8\n\t.quad " #from ", " #to "\n\t.popsection\n\t"

/*
 * HYPERVISOR_iret from C: loads rax, rcx and r11, pushes the frame and
 * enters hypercall 23. Never returns here.
 */
struct iret_args {
    uint64_t rax, r11, rcx;
    uint64_t flags, rip, cs, rflags, rsp, ss;
};
void __attribute__((noreturn)) hypervisor_iret(const struct iret_args *a);

/*
 * Guest user mode. user_setup() builds a user L4 (the kernel's tables
 * shared, plus a marker page at USER_MARKER_VA that differs between the
 * two L4s) and installs it with MMUEXT_NEW_USER_BASEPTR, sets the kernel
 * stack with stack_switch and registers the syscall callback. user_run()
 * enters fn(arg) in user mode on its own stack; user mode ends with a
 * `syscall` (user_exit()), any trap whose handler calls user_return(), or
 * a fatal trap. Returns the value user_return()/user_exit() carried.
 */
#define USER_MARKER_VA   0x0000008000000000UL
#define USER_MARKER_USER 0x5553455255534552UL /* "RESUSERU" */
#define USER_MARKER_KERN 0x4b45524e4b45524eUL /* "NREKNREK" */
int user_setup(void);
long user_run(void (*fn)(unsigned long), unsigned long arg);
/* From a handler that interrupted user mode: abandon user mode and make
 * user_run() return v. */
void __attribute__((noreturn)) user_return(long v);
extern unsigned long user_kernel_sp; /* the stack_switch stack's top */
extern unsigned long user_l4_mfn;
/* Called in user mode: SYSCALL with rax = v, which user_run() returns. */
void __attribute__((noreturn)) user_exit(long v);
/* True while user_run() has user mode active. */
extern volatile bool in_user_run;

/*
 * The 2-level event scan: events_install() registers the event callback
 * (CALLBACKF_mask_events) with a handler that clears upcall_pending,
 * takes evtchn_pending_sel, then each pending and unmasked port, clearing
 * its pending bit and counting it in port_hits.
 */
#define EVTCHN_2L_PORTS 4096
extern volatile unsigned long port_hits[EVTCHN_2L_PORTS];
extern volatile unsigned long upcalls;
long events_install(void);

/* Xen system time (ns since boot) from vcpu_info[0].time, with the
 * version protocol; shared_info must be mapped. */
uint64_t system_time_ns(void);
static inline uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Typed hypercalls for the CPU-virtualization tests. */
long hc_set_trap_table(const trap_info_t *t);
long hc_set_callbacks(unsigned long event, unsigned long failsafe, unsigned long syscall);
long hc_callback_op(int cmd, const void *arg);
long hc_stack_switch(unsigned long ss, unsigned long sp);
long hc_fpu_taskswitch(int set);
long hc_set_segment_base(unsigned int which, unsigned long base);
long hc_set_gdt(const unsigned long *frames, unsigned long entries);
long hc_update_descriptor(uint64_t maddr, uint64_t desc);
long hc_event_channel_op(int cmd, void *arg);
/* EVTCHNOP_send on port. */
long ev_send(evtchn_port_t port);
long hc_vcpu_op(int cmd, unsigned int vcpu, void *arg);
long hc_set_timer_op(uint64_t timeout);
long hc_sched_op(int cmd, void *arg);

/* Registers fn as the event callback (CALLBACKF_mask_events unless told
 * otherwise) and unmasks nothing: the caller clears the mask. */
long event_callback_register(bool mask_events);

#endif
