/* SPDX-License-Identifier: MIT */
/*
 * Fills a 64-bit PV guest's hypercall page, byte for byte as Xen's
 * pv_ring3_init_hypercall_page() does, so guests that disassemble or
 * patch their stubs (Linux once did) see what they expect.
 */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>

#include "pv/hypercall_page.h"

/* push %rcx; push %r11; mov $<nr>,%eax; syscall; pop %r11; pop %rcx; ret.
 * SYSCALL clobbers rcx and r11, which the hypercall ABI preserves. */
static const uint8_t stub_template[] = {
    0x51,                /* push %rcx */
    0x41, 0x53,          /* push %r11 */
    0xb8, 0,    0, 0, 0, /* mov $nr,%eax (imm32 at offset 4) */
    0x0f, 0x05,          /* syscall */
    0x41, 0x5b,          /* pop %r11 */
    0x59,                /* pop %rcx */
    0xc3,                /* ret */
};
#define STUB_IMM_OFFSET 4

/* The guest jumps here with an iret frame on its stack and never comes
 * back, so rax is pushed (it is part of struct iret_context) and there is
 * no return sequence. */
static const uint8_t iret_template[] = {
    0x51,                /* push %rcx */
    0x41, 0x53,          /* push %r11 */
    0x50,                /* push %rax */
    0xb8, 0,    0, 0, 0, /* mov $__HYPERVISOR_iret,%eax */
    0x0f, 0x05,          /* syscall */
};
#define IRET_IMM_OFFSET 5

_Static_assert(sizeof(stub_template) <= HYPERCALL_STUB_SIZE, "stub fits its slot");
_Static_assert(sizeof(iret_template) <= HYPERCALL_STUB_SIZE, "iret stub fits its slot");

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void hypercall_page_fill(uint8_t page[HYPERCALL_PAGE_SIZE])
{
    uint32_t nr;

    /* int3 everywhere else: a jump into the middle of a slot traps. */
    memset(page, 0xcc, HYPERCALL_PAGE_SIZE);
    for (nr = 0; nr < HYPERCALL_PAGE_SIZE / HYPERCALL_STUB_SIZE; nr++) {
        uint8_t *slot = page + nr * HYPERCALL_STUB_SIZE;

        if (nr == __HYPERVISOR_iret) {
            memcpy(slot, iret_template, sizeof(iret_template));
            put_le32(slot + IRET_IMM_OFFSET, nr);
        } else {
            memcpy(slot, stub_template, sizeof(stub_template));
            put_le32(slot + STUB_IMM_OFFSET, nr);
        }
    }
}
