// SPDX-License-Identifier: MIT
/*
 * Emulation of what a PV guest may do that faults in ring 3:
 *  - the forced-emulation prefix (ud2; .ascii "xen") before CPUID, which is
 *    how a guest finds Xen's leaves at 0x40000000;
 *  - int $n to a trap-table entry whose DPL allows it (the IDT gates are
 *    DPL 0, so the CPU raises #GP; the vector is read from the instruction,
 *    never from the error code, which QEMU's TCG gets wrong);
 *  - mov from CR0/CR2/CR3/CR4, and mov to CR0 (TS only), CR3 (a new base
 *    pointer) and CR4 (remembered only);
 *  - rdmsr/wrmsr of the FS and GS bases.
 */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>
#include "domain/domain.h"
#include "mm/guest_mm.h"
#include "mm/guest_tables.h"
#include "pv/priv_op.h"
#include "pv/trap_bounce.h"
#include "arch/x86/clock.h"
#include "arch/x86/traps.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"
#include "arch/x86/x86_decode.h"

#define CPUID_HYPERVISOR (1u << 31) /* leaf 1, ecx */
#define FEP_LEN          5          /* 0f 0b 'x' 'e' 'n' */
#define GP_EXT_IDT       2          /* #GP error code: the index is an IDT vector */

static const uint8_t fep[FEP_LEN] = { 0x0f, 0x0b, 'x', 'e', 'n' };

/* Xen's leaves (xen/arch-x86/cpuid.h), as Xen answers a PV guest. */
static void xen_leaf(unsigned int i, uint32_t sub, uint32_t r[4])
{
    uint32_t host[4];
    uint32_t mul;
    int8_t shift;

    switch (i) {
    case 0:
        r[0] = XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES);
        r[1] = XEN_CPUID_SIGNATURE_EBX;
        r[2] = XEN_CPUID_SIGNATURE_ECX;
        r[3] = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        r[0] = ((__XEN_LATEST_INTERFACE_VERSION__ >> 16) << 16) |
               ((__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff);
        break;
    case 2:
        r[0] = 1;                    /* one hypercall page */
        r[1] = XEN_CPUID_FIRST_LEAF; /* the MSR that would install it */
        r[2] = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
        break;
    case 3: /* TSC: native, never emulated */
        time_compute_scale(time_tsc_hz(), &mul, &shift);
        if (sub == 0)
            r[2] = (uint32_t)(time_tsc_hz() / 1000);
        else if (sub == 1) {
            r[2] = mul;
            r[3] = (uint32_t)(int32_t)shift;
        } else if (sub == 2)
            r[0] = (uint32_t)(time_tsc_hz() / 1000);
        break;
    case 5: /* machine address width */
        if (sub == 0) {
            cpuid(0x80000008, 0, host);
            r[1] = host[0] & XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK;
        }
        break;
    default: /* 4: HVM only */
        break;
    }
}

static void emulate_cpuid(struct cpu_user_regs *regs)
{
    uint32_t leaf = (uint32_t)regs->rax, sub = (uint32_t)regs->rcx, r[4] = { 0 };

    if (leaf - XEN_CPUID_FIRST_LEAF <= XEN_CPUID_MAX_NUM_LEAVES) {
        xen_leaf(leaf - XEN_CPUID_FIRST_LEAF, sub, r);
    } else {
        cpuid(leaf, sub, r);
        if (leaf == 1)
            r[2] |= CPUID_HYPERVISOR;
    }
    regs->rax = r[0];
    regs->rbx = r[1];
    regs->rcx = r[2];
    regs->rdx = r[3];
}

static size_t fetch(uint64_t rip, uint8_t *buf, size_t max)
{
    size_t n = 0;

    while (n < max && !copy_from_guest(&buf[n], rip + n, 1))
        n++;
    return n;
}

/* int $n: allowed when the entry exists and its DPL admits the guest's
 * mode (1 = kernel may enter, 3 = user too). Otherwise the #GP names the
 * vector, as the CPU's would. */
static bool software_interrupt(struct vcpu *v, struct cpu_user_regs *regs, uint8_t n)
{
    const trap_info_t *ti = &v->trap_ctxt[n];
    unsigned int need = v->user_mode ? 3 : 1;

    /* int $0x80 is Xen's direct system-call trap: any entry is taken,
     * whatever its DPL. */
    if (ti->address && (TI_GET_DPL(ti) >= need || n == 0x80)) {
        regs->rip += 2;
        return bounce_to_guest(v, regs, ti->address, TI_GET_IF(ti) ? BOUNCE_MASK_EVENTS : 0);
    }
    /* Not allowed: the guest gets the #GP the CPU would have raised. */
    regs->error_code = ((uint32_t)n << 3) | GP_EXT_IDT;
    return false;
}

static uint64_t guest_cr(const struct vcpu *v, unsigned int cr)
{
    switch (cr) {
    case 0:
        return (read_cr0() & ~X86_CR0_TS) | (v->fpu_ts ? X86_CR0_TS : 0);
    case 2:
        return vcpu_info_of(v)->arch.cr2;
    case 3:
        return (v->user_mode ? v->guest_table_user : v->guest_table) << 12;
    default:
        return v->cr4_written ? v->guest_cr4 : read_cr4();
    }
}

/* mov to CR0 may change only TS (fpu_taskswitch); mov to CR3 loads a new
 * base pointer; mov to CR4 is accepted and only remembered, as Xen keeps a
 * PV guest's CR4 writes from reaching the real register. */
static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    switch (cr) {
    case 0:
        if ((val ^ guest_cr(v, 0)) & ~X86_CR0_TS)
            return false;
        v->fpu_ts = val & X86_CR0_TS;
        write_cr0(v->fpu_ts ? (read_cr0() | X86_CR0_TS) : (read_cr0() & ~X86_CR0_TS));
        return true;
    case 3:
        return vcpu_set_kernel_table(v, val >> 12) == 0;
    case 4:
        v->guest_cr4 = val;
        v->cr4_written = true;
        return true;
    default:
        return false;
    }
}

/* 0f 20 /r (mov cr, reg) and 0f 22 /r (mov reg, cr), with REX.R/B. */
static bool mov_cr(struct vcpu *v, struct cpu_user_regs *regs, const uint8_t *b, size_t n)
{
    size_t i = 0;
    unsigned int rex = 0, modrm, cr, reg;

    if (i < n && (b[i] & 0xf0) == 0x40)
        rex = b[i++];
    if (i + 3 > n || b[i] != 0x0f || (b[i + 1] != 0x20 && b[i + 1] != 0x22))
        return false;
    modrm = b[i + 2];
    if ((modrm >> 6) != 3)
        return false;
    cr = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
    reg = (modrm & 7) | (rex & 1 ? 8 : 0);
    if (cr != 0 && cr != 2 && cr != 3 && cr != 4)
        return false;
    if (b[i + 1] == 0x20)
        x86_reg_write(regs, reg, guest_cr(v, cr));
    else if (!write_cr(v, cr, x86_reg_read(regs, reg)))
        return false;
    regs->rip += i + 3;
    return true;
}

/* rdmsr / wrmsr of the segment bases; any other MSR faults. */
static bool msr_access(struct vcpu *v, struct cpu_user_regs *regs, bool write)
{
    uint32_t msr = (uint32_t)regs->rcx;
    uint64_t val = (regs->rdx << 32) | (uint32_t)regs->rax;

    if (msr != MSR_FS_BASE && msr != MSR_GS_BASE && msr != MSR_KERNEL_GS_BASE)
        return false;
    if (write) {
        if ((uint64_t)((int64_t)(val << 16) >> 16) != val)
            return false;
        wrmsr(msr, val);
    } else {
        val = rdmsr(msr);
        regs->rax = (uint32_t)val;
        regs->rdx = val >> 32;
    }
    regs->rip += 2;
    return true;
}

bool priv_op_emulate(struct vcpu *v, struct cpu_user_regs *regs)
{
    uint8_t b[X86_MAX_INSN_LEN];
    size_t n = fetch(regs->rip, b, sizeof(b));

    if (regs->entry_vector == X86_EXC_UD) {
        if (n >= FEP_LEN + 2 && !memcmp(b, fep, FEP_LEN) && b[FEP_LEN] == 0x0f &&
            b[FEP_LEN + 1] == 0xa2) {
            emulate_cpuid(regs);
            regs->rip += FEP_LEN + 2;
            return true;
        }
        return false;
    }
    /* #GP from here on. */
    if (n >= 2 && b[0] == 0xcd)
        return software_interrupt(v, regs, b[1]);
    /* Control registers and MSRs are the guest kernel's only, as for Xen's
     * PV kernel at its virtual ring 0: user mode gets the #GP. */
    if (v->user_mode)
        return false;
    if (n >= 2 && b[0] == 0x0f && (b[1] == 0x30 || b[1] == 0x32))
        return msr_access(v, regs, b[1] == 0x30);
    return mov_cr(v, regs, b, n);
}
