// SPDX-License-Identifier: MIT
/*
 * The bounce frame, as Xen's create_bounce_frame builds it for a 64-bit PV
 * guest. From the new top of the guest stack up: RCX, R11, [DS, ES, FS, GS
 * for the failsafe callback], [error code], RIP, CS (saved upcall mask in
 * bits 32-39; RPL 0 when the guest was in kernel mode), RFLAGS (IF = the
 * virtual interrupt flag), RSP, SS.
 */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "sched/shutdown.h"
#include "pv/trap_bounce.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"

#define BOUNCE_MAX_WORDS 14

/* While a vCPU runs, the MSRs hold its bases (a guest segment load may
 * change them behind Xenolith's back); the fields hold them otherwise. */
void load_guest_segment_bases(const struct vcpu *v)
{
    wrmsr(MSR_FS_BASE, v->fs_base);
    wrmsr(MSR_GS_BASE, v->user_mode ? v->gs_base_user : v->gs_base_kernel);
    wrmsr(MSR_KERNEL_GS_BASE, v->user_mode ? v->gs_base_kernel : v->gs_base_user);
}

void save_guest_segment_bases(struct vcpu *v)
{
    uint64_t gs = rdmsr(MSR_GS_BASE), shadow = rdmsr(MSR_KERNEL_GS_BASE);

    v->fs_base = rdmsr(MSR_FS_BASE);
    v->gs_base_kernel = v->user_mode ? shadow : gs;
    v->gs_base_user = v->user_mode ? gs : shadow;
}

/* Like SWAPGS in the guest's place: the active and shadow GS bases trade. */
void toggle_guest_mode(struct vcpu *v)
{
    v->user_mode = !v->user_mode;
    write_cr3((v->user_mode ? v->guest_table_user : v->guest_table) << 12);
    __asm__ volatile("swapgs" ::: "memory");
}

bool bounce_to_guest(struct vcpu *v, struct cpu_user_regs *regs, uint64_t handler,
                     unsigned int flags)
{
    vcpu_info_t *vi = vcpu_info_of(v);
    uint64_t frame[BOUNCE_MAX_WORDS], sp, cs;
    unsigned int n = 0, top;
    bool was_user = v->user_mode;
    uint8_t mask = vi->evtchn_upcall_mask;

    if (was_user) {
        toggle_guest_mode(v);
        sp = v->kernel_sp;
    } else {
        sp = regs->rsp;
    }
    /* The guest tells kernel from user frames by the RPL, as on hardware. */
    cs = was_user ? regs->cs : (regs->cs & ~3u);

    /* Built bottom-up in words: frame[0] ends up at the new stack top. */
    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if (flags & BOUNCE_FAILSAFE) {
        frame[n++] = 0; /* ds */
        frame[n++] = 0; /* es */
        frame[n++] = 0; /* fs */
        frame[n++] = 0; /* gs */
    }
    if (flags & BOUNCE_ERROR_CODE)
        frame[n++] = regs->error_code;
    frame[n++] = regs->rip;
    frame[n++] = cs | ((uint64_t)mask << 32);
    frame[n++] = (regs->rflags & ~X86_EFLAGS_IF) | (mask ? 0 : X86_EFLAGS_IF);
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    top = n;

    sp = (sp & ~0xfULL) - top * sizeof(uint64_t);
    if (copy_to_guest(sp, frame, top * sizeof(uint64_t))) {
        domain_crash(v->domain, "cannot write a bounce frame at %#llx (handler %#llx)",
                     (unsigned long long)sp, (unsigned long long)handler);
        return false;
    }
    if (flags & BOUNCE_MASK_EVENTS)
        vi->evtchn_upcall_mask = 1;

    regs->rip = handler;
    regs->rsp = sp;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_VM | X86_EFLAGS_RF | X86_EFLAGS_NT |
                      X86_EFLAGS_AC);
    regs->entry_vector = 0; /* leave with IRET: every register matters */
    return true;
}

/* Vectors whose exception pushes an error code. */
static bool vector_has_error_code(unsigned int vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 ||
           vector == 29 || vector == 30;
}

bool bounce_exception(struct vcpu *v, struct cpu_user_regs *regs, unsigned int vector,
                      bool has_error_code, uint64_t cr2)
{
    const trap_info_t *ti = &v->trap_ctxt[vector];
    unsigned int flags = 0;

    if (!ti->address)
        return false;
    if (vector == 14) {
        vcpu_info_of(v)->arch.cr2 = cr2;
        /* The guest kernel runs in ring 3, so the CPU reports a user-mode
         * access; Xen reports what the guest kernel would expect. */
        if (!v->user_mode)
            regs->error_code &= ~PFEC_USER;
    }
    if (has_error_code && vector_has_error_code(vector))
        flags |= BOUNCE_ERROR_CODE;
    if (TI_GET_IF(ti))
        flags |= BOUNCE_MASK_EVENTS;
    return bounce_to_guest(v, regs, ti->address, flags);
}
