/* SPDX-License-Identifier: MIT */
/*
 * x86_decode_pt_store() against Capstone. Where x86_decode accepts the
 * input's first instruction, Capstone must read the same store: kind,
 * length, operand size, LOCK, the linear address (its base, index, scale,
 * displacement, address size and FS/GS base, computed from Capstone's
 * operand over two register files so that no field can stand in for
 * another), and the register or immediate source. x86_decode may refuse
 * what Capstone accepts (it decodes only page-table stores), never the
 * reverse. Fewer bytes than the instruction must give -XEN_EFAULT.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>

#include "arch/x86/x86_decode.h"
#include "tests/fuzz/capstone_ref.h"
#include "tests/fuzz/fuzz_check.h"

#define FS_BASE 0x00007f1234560000ULL
#define GS_BASE 0xffff888000123000ULL

/* splitmix64: unrelated values in every register and in both files. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* File 0 has every bit random; file 1 is 16-byte aligned, so that
 * CMPXCHG16B operands built from registers decode too. */
static void fill_regs(struct cpu_user_regs *r, unsigned int file)
{
    uint64_t mask = file ? ~0xfULL : ~0ULL;
    unsigned int n;

    memset(r, 0, sizeof(*r));
    for (n = 0; n < 16; n++)
        x86_reg_write(r, n, mix(file * 32 + n) & mask);
    r->rip = mix(file * 32 + 16) & mask;
}

static uint64_t reg_value(const struct cpu_user_regs *r, int n, uint64_t next_rip)
{
    if (n == REF_NO_REG)
        return 0;
    if (n == REF_RIP)
        return next_rip;
    return x86_reg_read(r, (unsigned int)n);
}

/* The linear address Capstone's operand names, as the CPU computes it. */
static uint64_t ref_address(const struct ref_insn *ref, const struct cpu_user_regs *r)
{
    uint64_t next_rip = r->rip + ref->len;
    uint64_t ea = reg_value(r, ref->base, next_rip) +
                  reg_value(r, ref->index, next_rip) * ref->scale + (uint64_t)ref->disp;

    if (ref->addr32)
        ea &= 0xffffffffULL;
    if (ref->seg == REF_SEG_FS)
        ea += FS_BASE;
    else if (ref->seg == REF_SEG_GS)
        ea += GS_BASE;
    return ea;
}

static uint64_t low(uint64_t v, unsigned int size)
{
    return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

static void check_source(const struct pt_store *st, const struct ref_insn *ref,
                         const struct cpu_user_regs *r)
{
    if (st->kind == STORE_CMPXCHG8B || st->kind == STORE_CMPXCHG16B) {
        FUZZ_CHECK(!ref->has_reg && !ref->has_imm && st->reg == -1, "a pair store's operands");
        if (st->kind == STORE_CMPXCHG8B)
            FUZZ_CHECK(st->src == ((r->rcx << 32) | (uint32_t)r->rbx) && st->src_hi == 0,
                       "CMPXCHG8B src %#llx", (unsigned long long)st->src);
        else
            FUZZ_CHECK(st->src == r->rbx && st->src_hi == r->rcx, "CMPXCHG16B src");
        return;
    }
    FUZZ_CHECK(ref->has_reg != ref->has_imm, "Capstone: no single source");
    if (ref->has_imm) {
        FUZZ_CHECK(st->kind == STORE_MOV && st->reg == -1, "an immediate source to reg %d",
                   st->reg);
        /* MOV imm32 with REX.W is sign-extended: compare all 8 bytes then. */
        FUZZ_CHECK(st->src == low((uint64_t)ref->imm, st->size), "immediate %#llx, Capstone %#llx",
                   (unsigned long long)st->src, (unsigned long long)ref->imm);
        return;
    }
    FUZZ_CHECK(st->reg == ref->reg && st->reg_high8 == ref->reg_high8,
               "register %d%s, Capstone %d%s", st->reg, st->reg_high8 ? " (high 8)" : "", ref->reg,
               ref->reg_high8 ? " (high 8)" : "");
    FUZZ_CHECK(ref->reg_size == st->size, "register of %u bytes, store of %u", ref->reg_size,
               st->size);
    FUZZ_CHECK(st->src == (ref->reg_high8 ? (x86_reg_read(r, (unsigned int)ref->reg) >> 8) & 0xff
                                          : low(x86_reg_read(r, (unsigned int)ref->reg), st->size)),
               "source value %#llx", (unsigned long long)st->src);
    FUZZ_CHECK(st->src_hi == 0, "src_hi %#llx", (unsigned long long)st->src_hi);
}

static void check_against(const struct pt_store *st, const struct ref_insn *ref,
                          const struct cpu_user_regs *r)
{
    FUZZ_CHECK(ref->kind == (int)st->kind, "kind %d, Capstone %d", st->kind, ref->kind);
    FUZZ_CHECK(st->len == ref->len, "length %u, Capstone %u", st->len, ref->len);
    FUZZ_CHECK(st->size == ref->mem_size, "size %u, Capstone %u", st->size, ref->mem_size);
    FUZZ_CHECK(st->locked == (ref->lock || st->kind == STORE_XCHG), "locked %d, LOCK %d",
               st->locked, ref->lock);
    FUZZ_CHECK(st->addr == ref_address(ref, r), "address %#llx, Capstone %#llx",
               (unsigned long long)st->addr, (unsigned long long)ref_address(ref, r));
    check_source(st, ref, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cpu_user_regs regs[2];
    struct pt_store st[2], cut;
    struct ref_insn ref;
    bool cs_ok;
    unsigned int i, k;
    int rc[2];

    ref_init();
    cs_ok = ref_decode(data, size, &ref);
    for (i = 0; i < 2; i++) {
        struct decode_ctx ctx = { .regs = &regs[i], .fs_base = FS_BASE, .gs_base = GS_BASE };

        fill_regs(&regs[i], i);
        rc[i] = x86_decode_pt_store(data, size, &ctx, &st[i]);
        FUZZ_CHECK(rc[i] == 0 || rc[i] == -XEN_EINVAL || rc[i] == -XEN_EFAULT, "rc %d", rc[i]);
        FUZZ_CHECK(rc[i] != -XEN_EFAULT || size < X86_MAX_INSN_LEN,
                   "-XEN_EFAULT with %zu bytes at hand", size);
        if (rc[i])
            continue;
        FUZZ_CHECK(cs_ok, "x86_decode accepts %u bytes that Capstone rejects", st[i].len);
        check_against(&st[i], &ref, &regs[i]);

        /* The same instruction cut short asks for more bytes. */
        for (k = 0; k < st[i].len; k++)
            FUZZ_CHECK(x86_decode_pt_store(data, k, &ctx, &cut) == -XEN_EFAULT,
                       "%u of %u bytes do not give -XEN_EFAULT", k, st[i].len);
    }
    /* Only CMPXCHG16B's alignment may depend on the registers. */
    if (rc[0] != rc[1])
        FUZZ_CHECK(ref.kind == STORE_CMPXCHG16B, "rc %d and %d over two register files", rc[0],
                   rc[1]);
    return 0;
}
