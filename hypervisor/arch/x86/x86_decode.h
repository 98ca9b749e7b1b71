/* SPDX-License-Identifier: MIT */
/*
 * Decoder for the stores a PV guest makes to its read-only page tables
 * (the writable_page_tables feature): MOV, XCHG, CMPXCHG, CMPXCHG8B and
 * CMPXCHG16B with a memory destination, in 64-bit mode. Table-driven and
 * pure: it reads only the instruction bytes and the register file given.
 */
#ifndef XENOLITH_X86_DECODE_H
#define XENOLITH_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#define X86_MAX_INSN_LEN 15

enum pt_store_kind {
    STORE_MOV,        /* *dst = src */
    STORE_XCHG,       /* old = *dst; *dst = src; reg = old */
    STORE_CMPXCHG,    /* if (*dst == rax) *dst = src, ZF=1; else rax = *dst, ZF=0 */
    STORE_CMPXCHG8B,  /* edx:eax vs *dst (8 bytes); ecx:ebx stored */
    STORE_CMPXCHG16B, /* rdx:rax vs *dst (16 bytes); rcx:rbx stored */
};

/*
 * A store narrower than the page-table entry (1, 2 or 4 bytes) changes only
 * `size` bytes at `addr`: src holds just those bytes, zero-extended, and the
 * caller merges them into the old entry before validating it. CMPXCHG
 * compares `size` bytes of rax, and XCHG / a failed CMPXCHG write the old
 * bytes back with x86_reg_write_operand(), which applies x86's partial
 * register rules (8/16-bit writes merge, 32-bit writes zero-extend).
 */
struct pt_store {
    enum pt_store_kind kind;
    unsigned int len;  /* instruction length in bytes */
    unsigned int size; /* operand size in bytes: 1, 2, 4, 8 or 16 */
    uint64_t addr;     /* linear address: the effective address
                                   (truncated to 32 bits under a 67 prefix)
                                   plus fs_base/gs_base for an FS/GS override;
                                   other segment bases are 0 in 64-bit mode */
    uint64_t src;      /* value stored (MOV/XCHG/CMPXCHG), zero-
                                   extended from `size` bytes (MOV imm32 with
                                   REX.W: sign-extended); CMPXCHG8B: ecx:ebx;
                                   16B: rbx, the low half */
    uint64_t src_hi;   /* CMPXCHG16B: rcx; otherwise 0 */
    int reg;           /* register operand (0..15), or -1 for an
                                   immediate (MOV r/m, imm) and for CMPXCHG8B/16B;
                                   XCHG writes it back */
    bool reg_high8;    /* size 1 and reg is AH/CH/DH/BH: bits 8..15
                                   of register reg (0..3) */
    bool locked;       /* LOCK prefix present, or implied (XCHG with
                                   memory is always atomic) */
};

/* Segment bases the effective address may need (FS/GS overrides). */
struct decode_ctx {
    const struct cpu_user_regs *regs;
    uint64_t fs_base, gs_base;
};

/*
 * Decode the instruction in insn[0..avail). Returns 0 and fills *out;
 * -XEN_EFAULT when a byte the instruction needs lies at or beyond `avail`
 * (the caller could fetch no more: the next page is unmapped); or
 * -XEN_EINVAL for anything else: another opcode, a register destination,
 * an F2/F3 prefix, a REX prefix that is not the last prefix, LOCK on MOV
 * (#UD on hardware), a misaligned CMPXCHG16B operand (#GP on hardware), or
 * more than X86_MAX_INSN_LEN bytes. RIP-relative operands are resolved
 * against regs->rip + len. *out is left untouched on failure.
 */
int x86_decode_pt_store(const uint8_t *insn, size_t avail, const struct decode_ctx *ctx,
                        struct pt_store *out);

/* Read / write general register n (0 = rax .. 15 = r15) in a frame. */
uint64_t x86_reg_read(const struct cpu_user_regs *regs, unsigned int n);
void x86_reg_write(struct cpu_user_regs *regs, unsigned int n, uint64_t v);

/*
 * Write the low `size` bytes of v to register n as an instruction with
 * that operand size would: sizes 1 and 2 keep the other bits, size 4
 * zero-extends to 64 bits. high8 (size 1, n 0..3) targets AH/CH/DH/BH.
 */
void x86_reg_write_operand(struct cpu_user_regs *regs, unsigned int n, unsigned int size,
                           bool high8, uint64_t v);

#endif
