/* SPDX-License-Identifier: MIT */
/*
 * Table-driven decoder for the page-table stores that writable page tables
 * emulate (see x86_decode.h). One table says what each prefix byte does,
 * two more say which one- and two-byte opcodes are stores we accept.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <xen/xen.h>
#include <xen/errno.h>

#include "arch/x86/x86_decode.h"

/* What a prefix byte sets; 0 means the byte is the opcode. */
#define PFX_OPSIZE (1u << 0) /* 66 */
#define PFX_ADSIZE (1u << 1) /* 67 */
#define PFX_LOCK   (1u << 2) /* F0 */
#define PFX_REP    (1u << 3) /* F2, F3: no page-table store uses them */
#define PFX_SEG    (1u << 4) /* 26, 2E, 36, 3E: no effect in 64-bit mode */
#define PFX_FS     (1u << 5) /* 64 */
#define PFX_GS     (1u << 6) /* 65 */
#define PFX_REX    (1u << 7) /* 40-4F */

static const uint8_t prefix_table[256] = {
    [0x26] = PFX_SEG,          [0x2e] = PFX_SEG,  [0x36] = PFX_SEG, [0x3e] = PFX_SEG,
    [0x40 ... 0x4f] = PFX_REX, [0x64] = PFX_FS,   [0x65] = PFX_GS,  [0x66] = PFX_OPSIZE,
    [0x67] = PFX_ADSIZE,       [0xf0] = PFX_LOCK, [0xf2] = PFX_REP, [0xf3] = PFX_REP,
};

#define REX_B 0x1
#define REX_X 0x2
#define REX_R 0x4
#define REX_W 0x8

#define OPF_BYTE   (1u << 0) /* 8-bit operands: 66 and REX.W do not apply */
#define OPF_IMM    (1u << 1) /* immediate source: imm8, or imm16/imm32 */
#define OPF_LOCK   (1u << 2) /* LOCK allowed (#UD on hardware otherwise) */
#define OPF_ATOMIC (1u << 3) /* atomic without LOCK: XCHG with memory */
#define OPF_GROUP  (1u << 4) /* ModRM.reg is an opcode extension: must be ext */
#define OPF_PAIR   (1u << 5) /* CMPXCHG8B/16B: register pairs, REX.W -> 16B */

struct opcode {
    bool valid;
    uint8_t kind; /* enum pt_store_kind */
    uint8_t flags;
    uint8_t ext;
};

static const struct opcode one_byte[256] = {
    [0x86] = { .valid = true, .kind = STORE_XCHG, .flags = OPF_BYTE | OPF_LOCK | OPF_ATOMIC },
    [0x87] = { .valid = true, .kind = STORE_XCHG, .flags = OPF_LOCK | OPF_ATOMIC },
    [0x88] = { .valid = true, .kind = STORE_MOV, .flags = OPF_BYTE },
    [0x89] = { .valid = true, .kind = STORE_MOV, .flags = 0 },
    [0xc6] = { .valid = true,
               .kind = STORE_MOV,
               .flags = OPF_BYTE | OPF_IMM | OPF_GROUP,
               .ext = 0 },
    [0xc7] = { .valid = true, .kind = STORE_MOV, .flags = OPF_IMM | OPF_GROUP, .ext = 0 },
};

/* After the 0F escape. */
static const struct opcode two_byte[256] = {
    [0xb0] = { .valid = true, .kind = STORE_CMPXCHG, .flags = OPF_BYTE | OPF_LOCK },
    [0xb1] = { .valid = true, .kind = STORE_CMPXCHG, .flags = OPF_LOCK },
    [0xc7] = { .valid = true,
               .kind = STORE_CMPXCHG8B,
               .flags = OPF_PAIR | OPF_LOCK | OPF_GROUP,
               .ext = 1 },
};

/* Register numbers are x86's (ModRM/SIB fields extended by REX). */
static const uint16_t reg_offset[16] = {
    [0] = offsetof(struct cpu_user_regs, rax),  [1] = offsetof(struct cpu_user_regs, rcx),
    [2] = offsetof(struct cpu_user_regs, rdx),  [3] = offsetof(struct cpu_user_regs, rbx),
    [4] = offsetof(struct cpu_user_regs, rsp),  [5] = offsetof(struct cpu_user_regs, rbp),
    [6] = offsetof(struct cpu_user_regs, rsi),  [7] = offsetof(struct cpu_user_regs, rdi),
    [8] = offsetof(struct cpu_user_regs, r8),   [9] = offsetof(struct cpu_user_regs, r9),
    [10] = offsetof(struct cpu_user_regs, r10), [11] = offsetof(struct cpu_user_regs, r11),
    [12] = offsetof(struct cpu_user_regs, r12), [13] = offsetof(struct cpu_user_regs, r13),
    [14] = offsetof(struct cpu_user_regs, r14), [15] = offsetof(struct cpu_user_regs, r15),
};

/* n comes from 4-bit instruction fields; the mask keeps a caller's bad
 * number inside the frame. Each offset names a uint64_t member, so the
 * access through a uint64_t pointer is well-typed. */
static uint64_t *reg_slot(const struct cpu_user_regs *regs, unsigned int n)
{
    return (uint64_t *)((uintptr_t)regs + reg_offset[n & 15]);
}

uint64_t x86_reg_read(const struct cpu_user_regs *regs, unsigned int n)
{
    return *reg_slot(regs, n);
}

void x86_reg_write(struct cpu_user_regs *regs, unsigned int n, uint64_t v)
{
    *reg_slot(regs, n) = v;
}

void x86_reg_write_operand(struct cpu_user_regs *regs, unsigned int n, unsigned int size,
                           bool high8, uint64_t v)
{
    uint64_t old = x86_reg_read(regs, n);

    if (size == 1 && high8)
        v = (old & ~0xff00ULL) | ((v & 0xff) << 8);
    else if (size == 1)
        v = (old & ~0xffULL) | (v & 0xff);
    else if (size == 2)
        v = (old & ~0xffffULL) | (v & 0xffff);
    else if (size == 4)
        v &= 0xffffffffULL;
    x86_reg_write(regs, n, v);
}

struct cursor {
    const uint8_t *insn;
    size_t avail;
    unsigned int pos;
};

/* Little-endian n-byte field. The length limit is checked before `avail`:
 * a 16th byte makes the instruction invalid whether or not it was fetched. */
static int fetch(struct cursor *c, unsigned int n, uint64_t *v)
{
    unsigned int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (c->pos >= X86_MAX_INSN_LEN)
            return -XEN_EINVAL;
        if (c->pos >= c->avail)
            return -XEN_EFAULT;
        *v |= (uint64_t)c->insn[c->pos++] << (8 * i);
    }
    return 0;
}

static uint64_t sign_extend(uint64_t v, unsigned int bytes)
{
    if (bytes == 1)
        return (uint64_t)(int64_t)(int8_t)v;
    if (bytes == 2)
        return (uint64_t)(int64_t)(int16_t)v;
    if (bytes == 4)
        return (uint64_t)(int64_t)(int32_t)v;
    return v;
}

static uint64_t low_bytes(uint64_t v, unsigned int size)
{
    return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

int x86_decode_pt_store(const uint8_t *insn, size_t avail, const struct decode_ctx *ctx,
                        struct pt_store *out)
{
    const struct cpu_user_regs *regs = ctx->regs;
    struct cursor c = { .insn = insn, .avail = avail, .pos = 0 };
    struct pt_store st = { .reg = -1 };
    const struct opcode *op;
    unsigned int pfx = 0, rex = 0, mod, rm, reg, disp_bytes = 0;
    uint64_t b, modrm, sib, disp, imm, ea = 0;
    bool rip_relative = false;
    int rc;

    /* Prefixes, up to the opcode. REX only counts right before it, so a
     * prefix after REX would make hardware drop the REX: refuse it. */
    for (;;) {
        unsigned int flag;

        if ((rc = fetch(&c, 1, &b)))
            return rc;
        flag = prefix_table[b];
        if (!flag)
            break;
        if ((pfx & PFX_REX) || (flag & PFX_REP))
            return -XEN_EINVAL;
        if (flag & (PFX_FS | PFX_GS))
            pfx &= ~(PFX_FS | PFX_GS); /* the last of FS/GS wins */
        pfx |= flag;
        if (flag & PFX_REX)
            rex = b & 0xf;
    }

    if (b == 0x0f) {
        if ((rc = fetch(&c, 1, &b)))
            return rc;
        op = &two_byte[b];
    } else
        op = &one_byte[b];
    if (!op->valid || ((pfx & PFX_LOCK) && !(op->flags & OPF_LOCK)))
        return -XEN_EINVAL;

    if ((rc = fetch(&c, 1, &modrm)))
        return rc;
    mod = modrm >> 6;
    reg = ((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0);
    rm = modrm & 7;
    if (mod == 3 || ((op->flags & OPF_GROUP) && ((modrm >> 3) & 7) != op->ext))
        return -XEN_EINVAL;

    /* Effective address. rm = 4 and base = 5 / rm = 5 select their special
     * forms on the 3-bit field, so r12 and r13 need them too. */
    if (rm == 4) {
        unsigned int index, base;

        if ((rc = fetch(&c, 1, &sib)))
            return rc;
        index = ((sib >> 3) & 7) | (rex & REX_X ? 8 : 0);
        base = sib & 7;
        if (index != 4) /* 4 without REX.X: no index */
            ea = x86_reg_read(regs, index) << (sib >> 6);
        if (base == 5 && mod == 0)
            disp_bytes = 4; /* disp32, no base */
        else
            ea += x86_reg_read(regs, base | (rex & REX_B ? 8 : 0));
    } else if (rm == 5 && mod == 0) {
        rip_relative = true;
        disp_bytes = 4;
    } else
        ea = x86_reg_read(regs, rm | (rex & REX_B ? 8 : 0));
    if (mod == 1)
        disp_bytes = 1;
    else if (mod == 2)
        disp_bytes = 4;
    if ((rc = fetch(&c, disp_bytes, &disp)))
        return rc;
    disp = sign_extend(disp, disp_bytes);

    if (op->flags & OPF_BYTE)
        st.size = 1;
    else if (op->flags & OPF_PAIR)
        st.size = rex & REX_W ? 16 : 8;
    else
        st.size = rex & REX_W ? 8 : (pfx & PFX_OPSIZE) ? 2 : 4;

    if (op->flags & OPF_IMM) {
        unsigned int imm_bytes = st.size < 4 ? st.size : 4;

        if ((rc = fetch(&c, imm_bytes, &imm)))
            return rc;
        st.src = st.size == 8 ? sign_extend(imm, 4) : imm;
    } else if (st.size == 16) {
        st.src = x86_reg_read(regs, 3);
        st.src_hi = x86_reg_read(regs, 1);
    } else if (op->flags & OPF_PAIR)
        st.src = (x86_reg_read(regs, 1) << 32) | (uint32_t)x86_reg_read(regs, 3);
    else if (st.size == 1 && !(pfx & PFX_REX) && reg >= 4) {
        st.reg = reg - 4; /* AH, CH, DH, BH */
        st.reg_high8 = true;
        st.src = (x86_reg_read(regs, st.reg) >> 8) & 0xff;
    } else {
        st.reg = reg;
        st.src = low_bytes(x86_reg_read(regs, reg), st.size);
    }

    st.len = c.pos;
    if (rip_relative)
        ea = regs->rip + st.len;
    ea += disp;
    if (pfx & PFX_ADSIZE)
        ea &= 0xffffffffULL;
    if (pfx & PFX_FS)
        ea += ctx->fs_base;
    else if (pfx & PFX_GS)
        ea += ctx->gs_base;
    st.addr = ea;

    if (st.size == 16 && (st.addr & 15))
        return -XEN_EINVAL;
    st.kind = st.size == 16 ? STORE_CMPXCHG16B : (enum pt_store_kind)op->kind;
    st.locked = (pfx & PFX_LOCK) || (op->flags & OPF_ATOMIC);
    *out = st;
    return 0;
}
