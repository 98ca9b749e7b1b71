/* SPDX-License-Identifier: MIT */
/*
 * x86_decode suite: the page-table store decoder, one table row per
 * instruction. A row's name is its AT&T text, and its bytes were checked
 * against `as --64` + objdump when written; "raw:" rows are encodings the
 * assembler will not produce (prefix orders, redundant REX bits).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>

#include "arch/x86/x86_decode.h"
#include "unit.h"
#include "common/array_size.h"

/* One register file for every row: each value has distinct low bytes (for
 * 8/16/32-bit sources and AH..BH), and some have high bits set to show
 * 32-bit truncation. */
#define RAX 0x1122334455667788ULL
#define RCX 0x0000000000002000ULL
#define RDX 0x00000000deadbeefULL
#define RBX 0xfedcba9876543210ULL
#define RSP 0x00007fffffffe0c8ULL
#define RBP 0x00000000004000b5ULL
#define RSI 0x00000000001000a0ULL /* 16-byte aligned, for CMPXCHG16B */
#define RDI 0x0000000000000d18ULL
#define R8  0xffff800000001000ULL
#define R9  0x0000000000000010ULL
#define R10 0x00000000cafef00dULL
#define R11 0x1000000000000000ULL
#define R12 0x0000000000000c00ULL
#define R13 0x0000000000000d00ULL
#define R14 0xffffffffffffffffULL
#define R15 0x00000000000f0000ULL
#define RIP 0xffffffff81000000ULL
#define FS  0x00007f0000000000ULL
#define GS  0xffff888000000000ULL

static const struct cpu_user_regs regs_template = {
    .rax = RAX,
    .rcx = RCX,
    .rdx = RDX,
    .rbx = RBX,
    .rsp = RSP,
    .rbp = RBP,
    .rsi = RSI,
    .rdi = RDI,
    .r8 = R8,
    .r9 = R9,
    .r10 = R10,
    .r11 = R11,
    .r12 = R12,
    .r13 = R13,
    .r14 = R14,
    .r15 = R15,
    .rip = RIP,
};

struct decode_case {
    const char *name;
    uint8_t bytes[X86_MAX_INSN_LEN + 1];
    unsigned int nbytes;
    int rc; /* 0: the fields below are expected */
    enum pt_store_kind kind;
    unsigned int len, size;
    uint64_t addr, src, src_hi;
    int reg;
    bool high8, locked;
};

#define BYTES(...) .bytes = { __VA_ARGS__ }, .nbytes = sizeof((uint8_t[]){ __VA_ARGS__ })
/* The fields of a successful decode, in struct order. */
#define OK(k, l, sz, a, s, r) \
    .kind = (k), .len = (l), .size = (sz), .addr = (a), .src = (s), .reg = (r)
#define BAD .rc = -XEN_EINVAL

static const struct decode_case cases[] = {
    /* MOV r/m, r: every operand size, and the 8-bit register sets. */
    { "mov %rax,(%rcx)", BYTES(0x48, 0x89, 0x01), OK(STORE_MOV, 3, 8, RCX, RAX, 0) },
    { "mov %eax,(%rcx)", BYTES(0x89, 0x01), OK(STORE_MOV, 2, 4, RCX, 0x55667788, 0) },
    { "mov %ax,(%rcx)", BYTES(0x66, 0x89, 0x01), OK(STORE_MOV, 3, 2, RCX, 0x7788, 0) },
    { "mov %al,(%rcx)", BYTES(0x88, 0x01), OK(STORE_MOV, 2, 1, RCX, 0x88, 0) },
    { "mov %edx,(%rcx)", BYTES(0x89, 0x11), OK(STORE_MOV, 2, 4, RCX, 0xdeadbeef, 2) },
    { "mov %ebx,(%rcx)", BYTES(0x89, 0x19), OK(STORE_MOV, 2, 4, RCX, 0x76543210, 3) },
    { "mov %ah,(%rcx)", BYTES(0x88, 0x21), OK(STORE_MOV, 2, 1, RCX, 0x77, 0), .high8 = true },
    { "mov %ch,(%rdx)", BYTES(0x88, 0x2a), OK(STORE_MOV, 2, 1, RDX, 0x20, 1), .high8 = true },
    { "mov %dh,(%rcx)", BYTES(0x88, 0x31), OK(STORE_MOV, 2, 1, RCX, 0xbe, 2), .high8 = true },
    { "mov %bh,(%rcx)", BYTES(0x88, 0x39), OK(STORE_MOV, 2, 1, RCX, 0x32, 3), .high8 = true },
    { "mov %spl,(%rcx)", BYTES(0x40, 0x88, 0x21), OK(STORE_MOV, 3, 1, RCX, 0xc8, 4) },
    { "mov %bpl,(%rcx)", BYTES(0x40, 0x88, 0x29), OK(STORE_MOV, 3, 1, RCX, 0xb5, 5) },
    { "mov %sil,(%rcx)", BYTES(0x40, 0x88, 0x31), OK(STORE_MOV, 3, 1, RCX, 0xa0, 6) },
    { "mov %dil,(%rcx)", BYTES(0x40, 0x88, 0x39), OK(STORE_MOV, 3, 1, RCX, 0x18, 7) },
    { "mov %r10b,(%rcx)", BYTES(0x44, 0x88, 0x11), OK(STORE_MOV, 3, 1, RCX, 0x0d, 10) },
    { "mov %r10w,(%rcx)", BYTES(0x66, 0x44, 0x89, 0x11), OK(STORE_MOV, 4, 2, RCX, 0xf00d, 10) },
    { "mov %r10d,(%rcx)", BYTES(0x44, 0x89, 0x11), OK(STORE_MOV, 3, 4, RCX, 0xcafef00d, 10) },
    { "mov %r15,(%r14)", BYTES(0x4d, 0x89, 0x3e), OK(STORE_MOV, 3, 8, R14, R15, 15) },
    { "data16 mov %rax,(%rcx)", BYTES(0x66, 0x48, 0x89, 0x01), OK(STORE_MOV, 4, 8, RCX, RAX, 0) },
    { "data16 mov %al,(%rcx)", BYTES(0x66, 0x88, 0x01), OK(STORE_MOV, 3, 1, RCX, 0x88, 0) },
    { "rex.W mov %al,(%rcx)", BYTES(0x48, 0x88, 0x01), OK(STORE_MOV, 3, 1, RCX, 0x88, 0) },

    /* MOV r/m, imm: imm8, imm16, imm32 zero- or sign-extended. */
    { "movb $0x5a,(%rcx)", BYTES(0xc6, 0x01, 0x5a), OK(STORE_MOV, 3, 1, RCX, 0x5a, -1) },
    { "movw $0x8234,(%rcx)", BYTES(0x66, 0xc7, 0x01, 0x34, 0x82),
      OK(STORE_MOV, 5, 2, RCX, 0x8234, -1) },
    { "movl $0x80000000,(%rcx)", BYTES(0xc7, 0x01, 0x00, 0x00, 0x00, 0x80),
      OK(STORE_MOV, 6, 4, RCX, 0x80000000, -1) },
    { "movq $-1,(%rcx)", BYTES(0x48, 0xc7, 0x01, 0xff, 0xff, 0xff, 0xff),
      OK(STORE_MOV, 7, 8, RCX, 0xffffffffffffffffULL, -1) },
    { "movq $0x7fffffff,(%rcx)", BYTES(0x48, 0xc7, 0x01, 0xff, 0xff, 0xff, 0x7f),
      OK(STORE_MOV, 7, 8, RCX, 0x7fffffff, -1) },
    { "movq $-0x80000000,8(%rcx)", BYTES(0x48, 0xc7, 0x41, 0x08, 0x00, 0x00, 0x00, 0x80),
      OK(STORE_MOV, 8, 8, RCX + 8, 0xffffffff80000000ULL, -1) },
    { "movb $0xff,0x12345678(%rcx)", BYTES(0xc6, 0x81, 0x78, 0x56, 0x34, 0x12, 0xff),
      OK(STORE_MOV, 7, 1, RCX + 0x12345678, 0xff, -1) },
    { "movl $0x11223344,(%r12)", BYTES(0x41, 0xc7, 0x04, 0x24, 0x44, 0x33, 0x22, 0x11),
      OK(STORE_MOV, 8, 4, R12, 0x11223344, -1) },
    { "data16 movq $-2,(%rcx)", BYTES(0x66, 0x48, 0xc7, 0x01, 0xfe, 0xff, 0xff, 0xff),
      OK(STORE_MOV, 8, 8, RCX, 0xfffffffffffffffeULL, -1) },

    /* XCHG: atomic with or without LOCK. */
    { "xchg %rax,(%rdx)", BYTES(0x48, 0x87, 0x02), OK(STORE_XCHG, 3, 8, RDX, RAX, 0),
      .locked = true },
    { "xchg %bh,(%rdx)", BYTES(0x86, 0x3a), OK(STORE_XCHG, 2, 1, RDX, 0x32, 3), .high8 = true,
      .locked = true },
    { "xchg %sil,(%rdx)", BYTES(0x40, 0x86, 0x32), OK(STORE_XCHG, 3, 1, RDX, 0xa0, 6),
      .locked = true },
    { "xchg %r9d,(%rdx)", BYTES(0x44, 0x87, 0x0a), OK(STORE_XCHG, 3, 4, RDX, 0x10, 9),
      .locked = true },
    { "lock xchg %ax,(%rdx)", BYTES(0x66, 0xf0, 0x87, 0x02), OK(STORE_XCHG, 4, 2, RDX, 0x7788, 0),
      .locked = true },
    { "raw: F0 before 66: lock xchg %ax,(%rdx)", BYTES(0xf0, 0x66, 0x87, 0x02),
      OK(STORE_XCHG, 4, 2, RDX, 0x7788, 0), .locked = true },

    /* CMPXCHG. */
    { "lock cmpxchg %rbx,(%rdi)", BYTES(0xf0, 0x48, 0x0f, 0xb1, 0x1f),
      OK(STORE_CMPXCHG, 5, 8, RDI, RBX, 3), .locked = true },
    { "cmpxchg %ecx,(%rdi)", BYTES(0x0f, 0xb1, 0x0f), OK(STORE_CMPXCHG, 3, 4, RDI, 0x2000, 1) },
    { "cmpxchg %dl,(%rdi)", BYTES(0x0f, 0xb0, 0x17), OK(STORE_CMPXCHG, 3, 1, RDI, 0xef, 2) },
    { "lock cmpxchg %ch,(%rdi)", BYTES(0xf0, 0x0f, 0xb0, 0x2f),
      OK(STORE_CMPXCHG, 4, 1, RDI, 0x20, 1), .high8 = true, .locked = true },
    { "lock cmpxchg %r12w,(%rdi)", BYTES(0x66, 0xf0, 0x44, 0x0f, 0xb1, 0x27),
      OK(STORE_CMPXCHG, 6, 2, RDI, 0x0c00, 12), .locked = true },
    { "cmpxchg %r8,-0x10(%rbp)", BYTES(0x4c, 0x0f, 0xb1, 0x45, 0xf0),
      OK(STORE_CMPXCHG, 5, 8, RBP - 0x10, R8, 8) },

    /* CMPXCHG8B / CMPXCHG16B: src is ecx:ebx, or rbx with rcx in src_hi. */
    { "lock cmpxchg8b (%rsi)", BYTES(0xf0, 0x0f, 0xc7, 0x0e),
      OK(STORE_CMPXCHG8B, 4, 8, RSI, 0x0000200076543210ULL, -1), .locked = true },
    { "cmpxchg8b 3(%rsi)", BYTES(0x0f, 0xc7, 0x4e, 0x03),
      OK(STORE_CMPXCHG8B, 4, 8, RSI + 3, 0x0000200076543210ULL, -1) },
    { "cmpxchg8b (%r9)", BYTES(0x41, 0x0f, 0xc7, 0x09),
      OK(STORE_CMPXCHG8B, 4, 8, R9, 0x0000200076543210ULL, -1) },
    { "cmpxchg16b (%rsi)", BYTES(0x48, 0x0f, 0xc7, 0x0e), OK(STORE_CMPXCHG16B, 4, 16, RSI, RBX, -1),
      .src_hi = RCX },
    { "lock cmpxchg16b 0x20(%rsi,%rcx,1)", BYTES(0xf0, 0x48, 0x0f, 0xc7, 0x4c, 0x0e, 0x20),
      OK(STORE_CMPXCHG16B, 7, 16, RSI + RCX + 0x20, RBX, -1), .src_hi = RCX, .locked = true },
    { "lock cmpxchg16b 0x7(%rip)", BYTES(0xf0, 0x48, 0x0f, 0xc7, 0x0d, 0x07, 0x00, 0x00, 0x00),
      OK(STORE_CMPXCHG16B, 9, 16, RIP + 9 + 7, RBX, -1), .src_hi = RCX, .locked = true },

    /* ModRM / SIB forms, all on mov %rax (48 89 /r). */
    { "mov %rax,(%rax,%rcx,1)", BYTES(0x48, 0x89, 0x04, 0x08),
      OK(STORE_MOV, 4, 8, RAX + RCX, RAX, 0) },
    { "mov %rax,0x10(%rbx,%rsi,2)", BYTES(0x48, 0x89, 0x44, 0x73, 0x10),
      OK(STORE_MOV, 5, 8, RBX + RSI * 2 + 0x10, RAX, 0) },
    { "mov %rax,-0x80(%rbp,%rdi,4)", BYTES(0x48, 0x89, 0x44, 0xbd, 0x80),
      OK(STORE_MOV, 5, 8, RBP + RDI * 4 - 0x80, RAX, 0) },
    { "mov %rax,0x12345678(%rcx,%r9,8)", BYTES(0x4a, 0x89, 0x84, 0xc9, 0x78, 0x56, 0x34, 0x12),
      OK(STORE_MOV, 8, 8, RCX + R9 * 8 + 0x12345678, RAX, 0) },
    { "mov %rax,0x8(%r8,%r11,4)", BYTES(0x4b, 0x89, 0x44, 0x98, 0x08),
      OK(STORE_MOV, 5, 8, R8 + R11 * 4 + 8, RAX, 0) },
    { "raw: SIB index 4, no REX.X: mov %rax,(%rcx,%riz,4)", BYTES(0x48, 0x89, 0x04, 0xa1),
      OK(STORE_MOV, 4, 8, RCX, RAX, 0) },
    { "mov %rax,(%rsp)", BYTES(0x48, 0x89, 0x04, 0x24), OK(STORE_MOV, 4, 8, RSP, RAX, 0) },
    { "mov %rax,(%r12)", BYTES(0x49, 0x89, 0x04, 0x24), OK(STORE_MOV, 4, 8, R12, RAX, 0) },
    { "mov %rax,(%rbp)", BYTES(0x48, 0x89, 0x45, 0x00), OK(STORE_MOV, 4, 8, RBP, RAX, 0) },
    { "mov %rax,(%r13)", BYTES(0x49, 0x89, 0x45, 0x00), OK(STORE_MOV, 4, 8, R13, RAX, 0) },
    { "mov %rax,(%r13,%r13,1)", BYTES(0x4b, 0x89, 0x44, 0x2d, 0x00),
      OK(STORE_MOV, 5, 8, R13 * 2, RAX, 0) },
    { "mov %rax,0x0(,%r12,2)", BYTES(0x4a, 0x89, 0x04, 0x65, 0x00, 0x00, 0x00, 0x00),
      OK(STORE_MOV, 8, 8, R12 * 2, RAX, 0) },
    { "mov %rax,0x1000(,%rdi,8)", BYTES(0x48, 0x89, 0x04, 0xfd, 0x00, 0x10, 0x00, 0x00),
      OK(STORE_MOV, 8, 8, RDI * 8 + 0x1000, RAX, 0) },
    { "mov %rax,0x12345678", BYTES(0x48, 0x89, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12),
      OK(STORE_MOV, 8, 8, 0x12345678, RAX, 0) },
    { "mov %rax,0xffffffffffff8000", BYTES(0x48, 0x89, 0x04, 0x25, 0x00, 0x80, 0xff, 0xff),
      OK(STORE_MOV, 8, 8, 0xffffffffffff8000ULL, RAX, 0) },
    { "raw: REX.B, SIB base 5, mod 0: mov %rax,0x12345678",
      BYTES(0x49, 0x89, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12),
      OK(STORE_MOV, 8, 8, 0x12345678, RAX, 0) },
    { "mov %rax,-8(%rcx)", BYTES(0x48, 0x89, 0x41, 0xf8), OK(STORE_MOV, 4, 8, RCX - 8, RAX, 0) },
    { "mov %rax,0x8(%r8)", BYTES(0x49, 0x89, 0x40, 0x08), OK(STORE_MOV, 4, 8, R8 + 8, RAX, 0) },
    { "mov %rax,0x100(%r15)", BYTES(0x49, 0x89, 0x87, 0x00, 0x01, 0x00, 0x00),
      OK(STORE_MOV, 7, 8, R15 + 0x100, RAX, 0) },
    { "mov %rax,-0x12345678(%rsi)", BYTES(0x48, 0x89, 0x86, 0x88, 0xa9, 0xcb, 0xed),
      OK(STORE_MOV, 7, 8, RSI - 0x12345678, RAX, 0) },

    /* RIP-relative: relative to the end of the instruction, immediate included. */
    { "mov %rax,0x100(%rip)", BYTES(0x48, 0x89, 0x05, 0x00, 0x01, 0x00, 0x00),
      OK(STORE_MOV, 7, 8, RIP + 7 + 0x100, RAX, 0) },
    { "mov %rax,-0x10(%rip)", BYTES(0x48, 0x89, 0x05, 0xf0, 0xff, 0xff, 0xff),
      OK(STORE_MOV, 7, 8, RIP + 7 - 0x10, RAX, 0) },
    { "movl $1,0x10(%rip)", BYTES(0xc7, 0x05, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00),
      OK(STORE_MOV, 10, 4, RIP + 10 + 0x10, 1, -1) },
    { "movb $0x7f,-0x1(%rip)", BYTES(0xc6, 0x05, 0xff, 0xff, 0xff, 0xff, 0x7f),
      OK(STORE_MOV, 7, 1, RIP + 7 - 1, 0x7f, -1) },
    { "raw: REX.B, mod 0 rm 5: mov %rax,0x100(%rip)",
      BYTES(0x49, 0x89, 0x05, 0x00, 0x01, 0x00, 0x00),
      OK(STORE_MOV, 7, 8, RIP + 7 + 0x100, RAX, 0) },

    /* Segment overrides: FS/GS add their base, the others are null prefixes. */
    { "mov %rax,%fs:0x10", BYTES(0x64, 0x48, 0x89, 0x04, 0x25, 0x10, 0x00, 0x00, 0x00),
      OK(STORE_MOV, 9, 8, FS + 0x10, RAX, 0) },
    { "mov %rax,%gs:(%rcx)", BYTES(0x65, 0x48, 0x89, 0x01), OK(STORE_MOV, 4, 8, GS + RCX, RAX, 0) },
    { "mov %rax,%gs:0x10(%rip)", BYTES(0x65, 0x48, 0x89, 0x05, 0x10, 0x00, 0x00, 0x00),
      OK(STORE_MOV, 8, 8, GS + RIP + 8 + 0x10, RAX, 0) },
    { "lock cmpxchg %rbx,%fs:(%rdi)", BYTES(0x64, 0xf0, 0x48, 0x0f, 0xb1, 0x1f),
      OK(STORE_CMPXCHG, 6, 8, FS + RDI, RBX, 3), .locked = true },
    { "mov %rax,%es:(%rcx)", BYTES(0x26, 0x48, 0x89, 0x01), OK(STORE_MOV, 4, 8, RCX, RAX, 0) },
    { "mov %rax,%cs:(%rcx)", BYTES(0x2e, 0x48, 0x89, 0x01), OK(STORE_MOV, 4, 8, RCX, RAX, 0) },
    { "mov %rax,%ss:(%rcx)", BYTES(0x36, 0x48, 0x89, 0x01), OK(STORE_MOV, 4, 8, RCX, RAX, 0) },
    { "ds; mov %rax,(%rcx)", BYTES(0x3e, 0x48, 0x89, 0x01), OK(STORE_MOV, 4, 8, RCX, RAX, 0) },
    { "fs; ds; mov %rax,(%rcx)", BYTES(0x64, 0x3e, 0x48, 0x89, 0x01),
      OK(STORE_MOV, 5, 8, FS + RCX, RAX, 0) },
    { "gs; fs; mov %rax,(%rcx)", BYTES(0x65, 0x64, 0x48, 0x89, 0x01),
      OK(STORE_MOV, 5, 8, FS + RCX, RAX, 0) },
    { "fs; gs; mov %rax,(%rcx)", BYTES(0x64, 0x65, 0x48, 0x89, 0x01),
      OK(STORE_MOV, 5, 8, GS + RCX, RAX, 0) },

    /* 67: 32-bit addressing truncates the effective address, not the base. */
    { "mov %rax,(%r8d)", BYTES(0x67, 0x49, 0x89, 0x00), OK(STORE_MOV, 4, 8, 0x1000, RAX, 0) },
    { "mov %eax,0x10(%r14d)", BYTES(0x67, 0x41, 0x89, 0x46, 0x10),
      OK(STORE_MOV, 5, 4, 0xf, 0x55667788, 0) },
    { "mov %rax,(%edx,%ebx,2)", BYTES(0x67, 0x48, 0x89, 0x04, 0x5a),
      OK(STORE_MOV, 5, 8, (RDX + RBX * 2) & 0xffffffff, RAX, 0) },
    { "mov %rax,0x100(%eip)", BYTES(0x67, 0x48, 0x89, 0x05, 0x00, 0x01, 0x00, 0x00),
      OK(STORE_MOV, 8, 8, (RIP + 8 + 0x100) & 0xffffffff, RAX, 0) },
    { "mov %rax,%fs:(%r8d)", BYTES(0x64, 0x67, 0x49, 0x89, 0x00),
      OK(STORE_MOV, 5, 8, FS + 0x1000, RAX, 0) },
    { "raw: 15 bytes: es cs ss ds gs lock addr32 xchg %rax,0x12345678(%eax,%ecx,4)",
      BYTES(0x26, 0x2e, 0x36, 0x3e, 0x65, 0xf0, 0x67, 0x48, 0x87, 0x84, 0x88, 0x78, 0x56, 0x34,
            0x12),
      OK(STORE_XCHG, 15, 8, GS + ((RAX + RCX * 4 + 0x12345678) & 0xffffffff), RAX, 0),
      .locked = true },

    /* Register destinations. */
    { "mov %rax,%rcx", BYTES(0x48, 0x89, 0xc1), BAD },
    { "mov %al,%cl", BYTES(0x88, 0xc1), BAD },
    { "raw: C7 /0 to a register: movl $1,%ecx", BYTES(0xc7, 0xc1, 0x01, 0x00, 0x00, 0x00), BAD },
    { "raw: C6 /0 to a register: movb $1,%cl", BYTES(0xc6, 0xc1, 0x01), BAD },
    { "xchg %rdx,%rcx", BYTES(0x48, 0x87, 0xd1), BAD },
    { "xchg %dl,%cl", BYTES(0x86, 0xd1), BAD },
    { "cmpxchg %rbx,%rcx", BYTES(0x48, 0x0f, 0xb1, 0xd9), BAD },
    { "cmpxchg %bl,%cl", BYTES(0x0f, 0xb0, 0xd9), BAD },
    { "raw: cmpxchg8b with mod 3", BYTES(0x0f, 0xc7, 0xc9), BAD },

    /* Other opcodes, and other members of the C6/C7/0F C7 groups. */
    { "add %rax,(%rcx)", BYTES(0x48, 0x01, 0x01), BAD },
    { "mov (%rcx),%rax", BYTES(0x48, 0x8b, 0x01), BAD },
    { "xadd %rax,(%rcx)", BYTES(0x48, 0x0f, 0xc1, 0x01), BAD },
    { "movnti %eax,(%rcx)", BYTES(0x0f, 0xc3, 0x01), BAD },
    { "movsq", BYTES(0x48, 0xa5), BAD },
    { "nop", BYTES(0x90), BAD },
    { "syscall", BYTES(0x0f, 0x05), BAD },
    { "vmptrld (%rcx)", BYTES(0x0f, 0xc7, 0x31), BAD },
    { "rdrand %eax", BYTES(0x0f, 0xc7, 0xf0), BAD },
    { "raw: C6 /1", BYTES(0xc6, 0x09, 0x01), BAD },
    { "raw: C7 /7", BYTES(0xc7, 0x39, 0x01, 0x00, 0x00, 0x00), BAD },
    { "raw: 0F C7 /0", BYTES(0x0f, 0xc7, 0x01), BAD },

    /* Prefixes we refuse. */
    { "rep movsb", BYTES(0xf3, 0xa4), BAD },
    { "raw: rep mov %rax,(%rcx)", BYTES(0xf3, 0x48, 0x89, 0x01), BAD },
    { "xrelease xchg %rax,(%rdx)", BYTES(0xf3, 0x48, 0x87, 0x02), BAD },
    { "xacquire lock cmpxchg %ecx,(%rdi)", BYTES(0xf2, 0xf0, 0x0f, 0xb1, 0x0f), BAD },
    { "raw: REX then 66: mov %rax,(%rcx)", BYTES(0x48, 0x66, 0x89, 0x01), BAD },
    { "raw: REX then LOCK: xchg %rax,(%rcx)", BYTES(0x48, 0xf0, 0x87, 0x01), BAD },
    { "raw: REX then FS: mov %rax,(%rcx)", BYTES(0x48, 0x64, 0x89, 0x01), BAD },
    { "rex; mov %rax,(%rcx)", BYTES(0x40, 0x48, 0x89, 0x01), BAD },
    { "raw: lock mov %rax,(%rcx) (#UD)", BYTES(0xf0, 0x48, 0x89, 0x01), BAD },
    { "raw: lock movb $1,(%rcx) (#UD)", BYTES(0xf0, 0xc6, 0x01, 0x01), BAD },
    { "cmpxchg16b 8(%rsi)", BYTES(0x48, 0x0f, 0xc7, 0x4e, 0x08), BAD },
    { "lock cmpxchg16b 0x8(%rip)", BYTES(0xf0, 0x48, 0x0f, 0xc7, 0x0d, 0x08, 0x00, 0x00, 0x00),
      BAD },

    /* Longer than 15 bytes, even when all of it was fetched. */
    { "raw: 16 bytes: es + the 15-byte xchg",
      BYTES(0x26, 0x26, 0x2e, 0x36, 0x3e, 0x65, 0xf0, 0x67, 0x48, 0x87, 0x84, 0x88, 0x78, 0x56,
            0x34, 0x12),
      BAD },
    { "raw: 15 ds prefixes",
      BYTES(0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
            0x3e, 0x89),
      BAD },
};

/* The decoder reads bytes beyond `len` only if it is broken: give it
 * 0xcc padding so a misread is visible. */
static int decode(const uint8_t *bytes, unsigned int nbytes, size_t avail,
                  const struct cpu_user_regs *regs, struct pt_store *out)
{
    uint8_t buf[32];
    struct decode_ctx ctx = { .regs = regs, .fs_base = FS, .gs_base = GS };

    memset(buf, 0xcc, sizeof(buf));
    memcpy(buf, bytes, nbytes);
    unit_dump_input(bytes, nbytes);
    return x86_decode_pt_store(buf, avail, &ctx, out);
}

static void check_u64(const struct decode_case *t, const char *field, uint64_t got, uint64_t want)
{
    char what[160];

    snprintf(what, sizeof(what), "%s: %s", t->name, field);
    unit_check_u64(__FILE__, __LINE__, what, got, want, false);
}

static void check_rc(const struct decode_case *t, const char *field, int got, int want)
{
    char what[160];

    snprintf(what, sizeof(what), "%s: %s", t->name, field);
    unit_check_int(__FILE__, __LINE__, what, got, want, false);
}

static void test_table(void)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct decode_case *t = &cases[i];
        struct cpu_user_regs regs = regs_template;
        struct pt_store st;
        int rc;

        memset(&st, 0x5a, sizeof(st));
        rc = decode(t->bytes, t->nbytes, 32, &regs, &st);
        check_rc(t, "rc", rc, t->rc);
        EXPECT_TRUE_CASE(!memcmp(&regs, &regs_template, sizeof(regs)), t->name);
        if (rc || t->rc)
            continue;
        check_u64(t, "kind", st.kind, t->kind);
        check_u64(t, "len", st.len, t->len);
        check_u64(t, "size", st.size, t->size);
        check_u64(t, "addr", st.addr, t->addr);
        check_u64(t, "src", st.src, t->src);
        check_u64(t, "src_hi", st.src_hi, t->src_hi);
        check_rc(t, "reg", st.reg, t->reg);
        check_u64(t, "reg_high8", st.reg_high8, t->high8);
        check_u64(t, "locked", st.locked, t->locked);
        /* Each row's bytes are exactly one instruction. */
        check_u64(t, "len vs row bytes", st.len, t->nbytes);
    }
}

/* Every accepted instruction, cut short at each byte: -XEN_EFAULT, and
 * *out untouched. Exactly `len` bytes are enough. */
static void test_truncation(void)
{
    unsigned int i, avail;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct decode_case *t = &cases[i];
        struct pt_store st, before;

        if (t->rc)
            continue;
        memset(&before, 0x5a, sizeof(before));
        for (avail = 0; avail < t->nbytes; avail++) {
            char what[160];

            st = before;
            snprintf(what, sizeof(what), "%s: rc with avail %u", t->name, avail);
            unit_check_int(__FILE__, __LINE__, what,
                           decode(t->bytes, avail, avail, &regs_template, &st), -XEN_EFAULT, false);
            EXPECT_TRUE_CASE(!memcmp(&st, &before, sizeof(st)), what);
        }
        check_rc(t, "rc with avail == len",
                 decode(t->bytes, t->nbytes, t->nbytes, &regs_template, &st), 0);
    }
}

/* Past 15 bytes the instruction is invalid before it is short: -XEN_EINVAL
 * needs the 16th byte to be fetchable, else the fetch failure comes first. */
static void test_length_limit(void)
{
    uint8_t bytes[X86_MAX_INSN_LEN + 1];
    struct pt_store st;

    memset(bytes, 0x3e, sizeof(bytes));
    EXPECT_INT(decode(bytes, sizeof(bytes), sizeof(bytes), &regs_template, &st), -XEN_EINVAL);
    EXPECT_INT(decode(bytes, sizeof(bytes), X86_MAX_INSN_LEN, &regs_template, &st), -XEN_EINVAL);
    EXPECT_INT(decode(bytes, sizeof(bytes), X86_MAX_INSN_LEN - 1, &regs_template, &st),
               -XEN_EFAULT);
    EXPECT_INT(decode(bytes, 0, 0, &regs_template, &st), -XEN_EFAULT);

    /* 12 prefixes + REX + 89 01 is 15 bytes; one more prefix is 16. */
    memset(bytes, 0x3e, 12);
    memcpy(bytes + 12, (const uint8_t[]){ 0x48, 0x89, 0x01 }, 3);
    ASSERT_INT(decode(bytes, 15, 15, &regs_template, &st), 0);
    EXPECT_U64(st.len, 15);
    EXPECT_U64(st.addr, RCX);
    memset(bytes, 0x3e, 13);
    memcpy(bytes + 13, (const uint8_t[]){ 0x48, 0x89, 0x01 }, 3);
    EXPECT_INT(decode(bytes, 16, 16, &regs_template, &st), -XEN_EINVAL);
}

/* Register numbers follow the ModRM encoding, whatever the frame's order. */
static void test_reg_numbering(void)
{
    static const char *const names[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
    };
    struct cpu_user_regs regs = regs_template;
    const uint64_t *fields[16] = {
        &regs.rax, &regs.rcx, &regs.rdx, &regs.rbx, &regs.rsp, &regs.rbp, &regs.rsi, &regs.rdi,
        &regs.r8,  &regs.r9,  &regs.r10, &regs.r11, &regs.r12, &regs.r13, &regs.r14, &regs.r15,
    };
    static const uint64_t values[16] = {
        RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    };
    unsigned int n;

    for (n = 0; n < 16; n++) {
        char what[64];

        snprintf(what, sizeof(what), "x86_reg_read(%s)", names[n]);
        unit_check_u64(__FILE__, __LINE__, what, x86_reg_read(&regs, n), values[n], false);
        x86_reg_write(&regs, n, 0x1000 + n);
        snprintf(what, sizeof(what), "%s after x86_reg_write", names[n]);
        unit_check_u64(__FILE__, __LINE__, what, *fields[n], 0x1000 + n, false);
    }
    EXPECT_U64(regs.rip, RIP);
}

static void test_reg_write_operand(void)
{
    static const struct {
        const char *name;
        unsigned int n, size;
        bool high8;
        uint64_t after;
    } cases_w[] = {
        { "al", 0, 1, false, 0x11223344556677abULL },
        { "ah", 0, 1, true, 0x112233445566ab88ULL },
        { "bh", 3, 1, true, 0xfedcba987654ab10ULL },
        { "r9b", 9, 1, false, 0x00000000000000abULL },
        { "ax", 0, 2, false, 0x112233445566cdabULL },
        { "eax (zero-extends)", 0, 4, false, 0x0000000089efcdabULL },
        { "r14 (all 64 bits)", 14, 8, false, 0x0123456789efcdabULL },
    };
    const uint64_t v = 0x0123456789efcdabULL;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases_w); i++) {
        struct cpu_user_regs regs = regs_template;
        char what[64];

        x86_reg_write_operand(&regs, cases_w[i].n, cases_w[i].size, cases_w[i].high8, v);
        snprintf(what, sizeof(what), "write_operand %s", cases_w[i].name);
        unit_check_u64(__FILE__, __LINE__, what, x86_reg_read(&regs, cases_w[i].n),
                       cases_w[i].after, false);
        EXPECT_U64(x86_reg_read(&regs, cases_w[i].n == 1 ? 2 : 1), cases_w[i].n == 1 ? RDX : RCX);
    }
}

void register_x86_decode_tests(void)
{
    static const struct unit_test tests[] = {
        { "table", test_table },
        { "truncation", test_truncation },
        { "length_limit", test_length_limit },
        { "reg_numbering", test_reg_numbering },
        { "reg_write_operand", test_reg_write_operand },
    };

    UNIT_SUITE("x86_decode", tests);
}
