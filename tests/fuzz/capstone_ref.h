/* SPDX-License-Identifier: MIT */
/*
 * Capstone's reading of one 64-bit instruction, reduced to what
 * x86_decode_pt_store() claims to decode: which store it is, its length,
 * its memory operand, and its register or immediate source. The reference
 * side of the x86_decode differential harness.
 */
#ifndef XENOLITH_TESTS_FUZZ_CAPSTONE_REF_H
#define XENOLITH_TESTS_FUZZ_CAPSTONE_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REF_NO_REG (-1)
#define REF_RIP    16 /* base register: RIP (or EIP) */

enum ref_seg { REF_SEG_NONE, REF_SEG_FS, REF_SEG_GS, REF_SEG_OTHER };

struct ref_insn {
    unsigned int len;
    int kind;  /* enum pt_store_kind, or -1: another instruction */
    bool lock; /* a LOCK prefix */
    /* The memory operand. */
    unsigned int mem_size; /* bytes */
    int base, index;       /* 0..15, REF_RIP, or REF_NO_REG */
    unsigned int scale;
    int64_t disp;
    bool addr32; /* 67 prefix: 32-bit address arithmetic */
    enum ref_seg seg;
    /* The source, when there is one besides the memory operand. */
    bool has_reg;
    int reg;        /* 0..15 */
    bool reg_high8; /* AH, CH, DH, BH */
    unsigned int reg_size;
    bool has_imm;
    int64_t imm;
};

/* Opens Capstone once, in 64-bit mode with operand details. */
void ref_init(void);

/* Decodes the first instruction of bytes[0..n). False when Capstone
 * rejects the bytes; otherwise *out is filled (kind -1 for any
 * instruction that is not a store x86_decode would handle, or whose
 * operands do not have the shape of one). */
bool ref_decode(const uint8_t *bytes, size_t n, struct ref_insn *out);

#endif
