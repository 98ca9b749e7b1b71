/* SPDX-License-Identifier: MIT */
/* The boot CPU's descriptor tables, SYSCALL MSRs and control registers. */
#ifndef XENOLITH_CPU_H
#define XENOLITH_CPU_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_options {
    bool smap; /* off by default: QEMU 7.2 TCG iret bug (ARCHITECTURE.md §1) */
};

/* gdt_zero_mfn: a zeroed frame of Xenolith's for the GDT pages a guest
 * does not supply. */
void cpu_init(const struct cpu_options *opt, uint64_t gdt_zero_mfn);
/* Legacy PIC lines (IRQ 0-7 only: the slave stays masked). */
void cpu_pic_unmask(unsigned int irq);
void cpu_pic_eoi(unsigned int irq);

/* The L1 entry for a GDT page the running guest does not supply: a
 * zeroed frame, read-only. */
uint64_t cpu_gdt_zero_pte(void);
/* Point the LDT register at `ents` descriptors at `base` (0: no LDT). */
void cpu_load_ldt(uint64_t base, uint32_t ents);

#endif
