/* SPDX-License-Identifier: MIT */
/* The long-mode structures the CPU reads as they are laid out in memory
 * (Intel SDM vol. 3, 7.7 and 6.14.1): the 64-bit TSS and an IDT gate.
 * Both kernels fill their own; freestanding, it includes only stdint. */
#ifndef COMMON_X86_DESC_H
#define COMMON_X86_DESC_H

#include <stdint.h>

struct x86_tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* at or past the limit: no I/O bitmap */
} __attribute__((packed));

struct x86_idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr; /* type, DPL, present */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct x86_tss64) == 104, "the 64-bit TSS is 104 bytes");
_Static_assert(sizeof(struct x86_idt_gate) == 16, "a long-mode gate is 16 bytes");

#endif
