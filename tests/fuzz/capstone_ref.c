/* SPDX-License-Identifier: MIT */
/*
 * The reference decoder of the x86_decode harness: Capstone (libcapstone,
 * 64-bit mode, details on), its operands mapped to x86 register numbers.
 */
#include <stdlib.h>
#include <string.h>
#include <capstone/capstone.h>

#include "arch/x86/x86_decode.h"
#include "tests/fuzz/capstone_ref.h"
#include "tests/fuzz/fuzz_check.h"

struct gpr {
    bool valid;
    uint8_t num;  /* x86 register number, 0..15 */
    uint8_t size; /* bytes */
    bool high8;
};

#define GPR(r, n, s) [X86_REG_##r] = { true, n, s, false }
#define HIGH8(r, n)  [X86_REG_##r] = { true, n, 1, true }

static const struct gpr gprs[X86_REG_ENDING] = {
    GPR(RAX, 0, 8),   GPR(RCX, 1, 8),   GPR(RDX, 2, 8),   GPR(RBX, 3, 8),   GPR(RSP, 4, 8),
    GPR(RBP, 5, 8),   GPR(RSI, 6, 8),   GPR(RDI, 7, 8),   GPR(R8, 8, 8),    GPR(R9, 9, 8),
    GPR(R10, 10, 8),  GPR(R11, 11, 8),  GPR(R12, 12, 8),  GPR(R13, 13, 8),  GPR(R14, 14, 8),
    GPR(R15, 15, 8),  GPR(EAX, 0, 4),   GPR(ECX, 1, 4),   GPR(EDX, 2, 4),   GPR(EBX, 3, 4),
    GPR(ESP, 4, 4),   GPR(EBP, 5, 4),   GPR(ESI, 6, 4),   GPR(EDI, 7, 4),   GPR(R8D, 8, 4),
    GPR(R9D, 9, 4),   GPR(R10D, 10, 4), GPR(R11D, 11, 4), GPR(R12D, 12, 4), GPR(R13D, 13, 4),
    GPR(R14D, 14, 4), GPR(R15D, 15, 4), GPR(AX, 0, 2),    GPR(CX, 1, 2),    GPR(DX, 2, 2),
    GPR(BX, 3, 2),    GPR(SP, 4, 2),    GPR(BP, 5, 2),    GPR(SI, 6, 2),    GPR(DI, 7, 2),
    GPR(R8W, 8, 2),   GPR(R9W, 9, 2),   GPR(R10W, 10, 2), GPR(R11W, 11, 2), GPR(R12W, 12, 2),
    GPR(R13W, 13, 2), GPR(R14W, 14, 2), GPR(R15W, 15, 2), GPR(AL, 0, 1),    GPR(CL, 1, 1),
    GPR(DL, 2, 1),    GPR(BL, 3, 1),    GPR(SPL, 4, 1),   GPR(BPL, 5, 1),   GPR(SIL, 6, 1),
    GPR(DIL, 7, 1),   GPR(R8B, 8, 1),   GPR(R9B, 9, 1),   GPR(R10B, 10, 1), GPR(R11B, 11, 1),
    GPR(R12B, 12, 1), GPR(R13B, 13, 1), GPR(R14B, 14, 1), GPR(R15B, 15, 1), HIGH8(AH, 0),
    HIGH8(CH, 1),     HIGH8(DH, 2),     HIGH8(BH, 3),
};

static csh handle;
static cs_insn *insn;

void ref_init(void)
{
    if (handle)
        return;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK ||
        cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK) {
        fprintf(stderr, "capstone_ref: cannot open Capstone for x86-64\n");
        abort();
    }
    insn = cs_malloc(handle);
    FUZZ_CHECK(insn != NULL, "cs_malloc");
}

static int store_kind(unsigned int id)
{
    switch (id) {
    case X86_INS_MOV:
        return STORE_MOV;
    case X86_INS_XCHG:
        return STORE_XCHG;
    case X86_INS_CMPXCHG:
        return STORE_CMPXCHG;
    case X86_INS_CMPXCHG8B:
        return STORE_CMPXCHG8B;
    case X86_INS_CMPXCHG16B:
        return STORE_CMPXCHG16B;
    default:
        return -1;
    }
}

/* An address register: a general register of 8 or 4 bytes, RIP/EIP, or
 * none (RIZ/EIZ are Capstone's names for "no index"). False otherwise. */
static bool addr_reg(x86_reg r, int *num)
{
    if (r == X86_REG_INVALID || r == X86_REG_RIZ || r == X86_REG_EIZ)
        *num = REF_NO_REG;
    else if (r == X86_REG_RIP || r == X86_REG_EIP)
        *num = REF_RIP;
    else if (r < X86_REG_ENDING && gprs[r].valid && gprs[r].size >= 4)
        *num = gprs[r].num;
    else
        return false;
    return true;
}

static enum ref_seg segment(x86_reg r)
{
    switch (r) {
    case X86_REG_INVALID:
        return REF_SEG_NONE;
    case X86_REG_FS:
        return REF_SEG_FS;
    case X86_REG_GS:
        return REF_SEG_GS;
    default:
        return REF_SEG_OTHER;
    }
}

static bool is_legacy_prefix(uint8_t b)
{
    return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
           b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 ||
           (b >= 0x40 && b <= 0x4f);
}

/*
 * Capstone names the last segment prefix, even a CS, DS, ES or SS that
 * 64-bit mode ignores: for 65 2E it says CS. The hardware (AMD APM vol. 3,
 * 1.2.4: those four are "ignored") and Xen's x86_emulate keep the GS, so
 * the reference takes the last FS or GS among the prefix bytes instead.
 */
static enum ref_seg segment_64(const uint8_t *bytes, unsigned int len, enum ref_seg named)
{
    enum ref_seg seg = REF_SEG_NONE;
    unsigned int i;

    if (named != REF_SEG_OTHER)
        return named;
    for (i = 0; i < len && is_legacy_prefix(bytes[i]); i++)
        if (bytes[i] == 0x64 || bytes[i] == 0x65)
            seg = bytes[i] == 0x64 ? REF_SEG_FS : REF_SEG_GS;
    return seg;
}

/* One memory operand plus at most one register or immediate. */
static bool take_operands(const cs_x86 *x, struct ref_insn *out)
{
    unsigned int i, nr_mem = 0, nr_src = 0;

    for (i = 0; i < x->op_count; i++) {
        const cs_x86_op *op = &x->operands[i];

        if (op->type == X86_OP_MEM) {
            /* Intel order: a store's memory operand is the first. */
            if (i != 0)
                return false;
            nr_mem++;
            out->mem_size = op->size;
            out->scale = (unsigned int)op->mem.scale;
            out->disp = op->mem.disp;
            out->seg = segment(op->mem.segment);
            if (!addr_reg(op->mem.base, &out->base) || !addr_reg(op->mem.index, &out->index))
                return false;
        } else if (op->type == X86_OP_REG) {
            if (op->reg >= X86_REG_ENDING || !gprs[op->reg].valid)
                return false;
            nr_src++;
            out->has_reg = true;
            out->reg = gprs[op->reg].num;
            out->reg_size = gprs[op->reg].size;
            out->reg_high8 = gprs[op->reg].high8;
        } else if (op->type == X86_OP_IMM) {
            nr_src++;
            out->has_imm = true;
            out->imm = op->imm;
        } else
            return false;
    }
    return nr_mem == 1 && nr_src <= 1;
}

bool ref_decode(const uint8_t *bytes, size_t n, struct ref_insn *out)
{
    const uint8_t *code = bytes;
    uint64_t address = 0;
    const cs_x86 *x;

    memset(out, 0, sizeof(*out));
    out->base = out->index = REF_NO_REG;
    if (!cs_disasm_iter(handle, &code, &n, &address, insn))
        return false;
    x = &insn->detail->x86;
    out->len = insn->size;
    out->lock = x->prefix[0] == X86_PREFIX_LOCK;
    out->addr32 = x->addr_size == 4;
    out->kind = store_kind(insn->id);
    if (out->kind >= 0 && !take_operands(x, out))
        out->kind = -1;
    out->seg = segment_64(bytes, out->len, out->seg);
    return true;
}
