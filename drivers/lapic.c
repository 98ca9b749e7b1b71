// SPDX-License-Identifier: MIT
// Local APIC: register offsets from the SDM (vol. 3, 11.4), 32-bit accesses
// at 16-byte strides, timer divide-by-16.
#include "lapic.h"

enum {
    REG_EOI = 0x0b0,
    REG_SVR = 0x0f0,
    REG_LVT_TIMER = 0x320,
    REG_LVT_LINT0 = 0x350,
    REG_LVT_LINT1 = 0x360,
    REG_LVT_ERROR = 0x370,
    REG_TIMER_INIT = 0x380,
    REG_TIMER_CURRENT = 0x390,
    REG_TIMER_DIVIDE = 0x3e0,
    SVR_ENABLE = 0x100,
    LVT_MASKED = 1u << 16,
    LVT_PERIODIC = 1u << 17,
    LVT_EXTINT = 7u << 8,
    DIVIDE_BY_16 = 0x3,
};

static void reg_write(const struct lapic *l, unsigned int reg, uint32_t v)
{
    l->regs[reg / 4] = v;
}

static uint32_t reg_read(const struct lapic *l, unsigned int reg)
{
    return l->regs[reg / 4];
}

void lapic_init(struct lapic *l, volatile void *mmio, uint8_t spurious_vector)
{
    l->regs = mmio;
    reg_write(l, REG_LVT_TIMER, LVT_MASKED);
    reg_write(l, REG_LVT_LINT0, LVT_MASKED);
    reg_write(l, REG_LVT_LINT1, LVT_MASKED);
    reg_write(l, REG_LVT_ERROR, LVT_MASKED);
    reg_write(l, REG_TIMER_DIVIDE, DIVIDE_BY_16);
    reg_write(l, REG_SVR, SVR_ENABLE | spurious_vector);
}

void lapic_lint0_extint(const struct lapic *l)
{
    reg_write(l, REG_LVT_LINT0, LVT_EXTINT);
}

void lapic_eoi(const struct lapic *l)
{
    reg_write(l, REG_EOI, 0);
}

/* The LVT is written before the count: writing the count starts the timer. */
void lapic_timer_oneshot(const struct lapic *l, uint8_t vector, uint32_t count)
{
    reg_write(l, REG_LVT_TIMER, vector);
    reg_write(l, REG_TIMER_INIT, count ? count : 1);
}

void lapic_timer_periodic(const struct lapic *l, uint8_t vector, uint32_t count)
{
    reg_write(l, REG_LVT_TIMER, LVT_PERIODIC | vector);
    reg_write(l, REG_TIMER_INIT, count ? count : 1);
}

void lapic_timer_stop(const struct lapic *l)
{
    reg_write(l, REG_LVT_TIMER, LVT_MASKED);
    reg_write(l, REG_TIMER_INIT, 0);
}

uint32_t lapic_timer_current(const struct lapic *l)
{
    return reg_read(l, REG_TIMER_CURRENT);
}
