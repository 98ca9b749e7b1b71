// SPDX-License-Identifier: MIT
/*
 * Writable page tables: a guest store to one of its read-only L1 tables
 * faults; Xenolith decodes the store (x86_decode.c), validates the new
 * entry like an mmu_update, applies it and resumes the guest after the
 * instruction. As in Xen, only L1 tables are emulated, only naturally
 * aligned stores of up to 8 bytes inside the faulting page, only from guest
 * kernel mode, and a store that fails validation is left to fault.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "domain/domain.h"
#include "mm/guest_mm.h"
#include "frames/frame_table.h"
#include "pv/ptwr.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"
#include "arch/x86/x86_decode.h"

#define EFLAGS_ZF (1ULL << 6)

/* The L1 entry that maps `addr`, if it maps one of the domain's L1 tables
 * read-only: that table's frame. */
static int ro_l1_target(const struct vcpu *v, uint64_t addr, uint64_t *table_mfn)
{
    uint64_t l1_mfn, pte;
    unsigned int slot;
    const struct page_info *pg;

    if (guest_walk_l1(v, addr, &l1_mfn, &slot))
        return -XEN_EINVAL;
    pte = map_table(l1_mfn)[slot];
    if ((pte & (PTE_P | PTE_RW)) != PTE_P)
        return -XEN_EINVAL;
    pg = mfn_to_page(pte_mfn(pte));
    if (!pg || pg->owner != v->domain->domain_id || pg->type != PGT_L1 || !pg->type_count)
        return -XEN_EINVAL;
    *table_mfn = pte_mfn(pte);
    return 0;
}

/* Instruction bytes at rip, as many as are readable (at most 15). */
static size_t fetch_insn(uint64_t rip, uint8_t *buf)
{
    size_t n = 0;

    while (n < X86_MAX_INSN_LEN && !copy_from_guest(&buf[n], rip + n, 1))
        n++;
    return n;
}

static uint64_t width_mask(unsigned int size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

bool ptwr_emulate(struct cpu_user_regs *regs, uint64_t cr2)
{
    struct vcpu *v = current_vcpu();
    struct decode_ctx ctx = { .regs = regs };
    uint8_t insn[X86_MAX_INSN_LEN];
    struct pt_store st;
    uint64_t table_mfn, *entry, old, val, mask;
    unsigned int shift;
    size_t avail;

    /* Guest kernel mode only, as Xen (guest_kernel_mode): the walk below
     * reads the kernel's tables, which are not the ones a user-mode store
     * went through. */
    if (v->user_mode)
        return false;
    if ((regs->error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD | PFEC_FETCH)) !=
        (PFEC_PRESENT | PFEC_WRITE))
        return false;
    if (ro_l1_target(v, cr2, &table_mfn))
        return false;
    avail = fetch_insn(regs->rip, insn);
    if (x86_decode_pt_store(insn, avail, &ctx, &st))
        return false;
    /* Naturally aligned, at most one entry, inside the faulting page. */
    if (st.size > 8 || (st.addr & (st.size - 1)) || ((st.addr ^ cr2) & ~(PAGE_SIZE - 1)))
        return false;

    entry = &map_table(table_mfn)[(st.addr & (PAGE_SIZE - 1)) / 8];
    old = *entry;
    shift = (st.addr & 7) * 8;
    mask = width_mask(st.size) << shift;

    if (st.kind == STORE_CMPXCHG) {
        uint64_t expected = x86_reg_read(regs, 0) & width_mask(st.size);
        if (((old & mask) >> shift) != expected) {
            /* Failed compare: the accumulator gets the current value. */
            x86_reg_write_operand(regs, 0, st.size, false, (old & mask) >> shift);
            regs->rflags &= ~EFLAGS_ZF;
            regs->rip += st.len;
            return true;
        }
    } else if (st.kind != STORE_MOV && st.kind != STORE_XCHG) {
        return false; /* CMPXCHG8B/16B on a PTE: not emulated, as in Xen */
    }

    val = (old & ~mask) | ((st.src << shift) & mask);
    if (pt_update_entry(table_mfn, (st.addr & (PAGE_SIZE - 1)) / 8, val, &v->domain->pt, 0, NULL))
        return false;
    if (st.kind == STORE_XCHG && st.reg >= 0)
        x86_reg_write_operand(regs, (unsigned int)st.reg, st.size, st.reg_high8,
                              (old & mask) >> shift);
    if (st.kind == STORE_CMPXCHG)
        regs->rflags |= EFLAGS_ZF;
    /* The entry may be reachable at other addresses too. */
    flush_tlb_local();
    regs->rip += st.len;
    return true;
}
