/* SPDX-License-Identifier: MIT */
/*
 * The time-stamp counter and fixed-point scaling of counts to nanoseconds
 * in Xen's form (vcpu_time_info): ns = ((ticks << shift) * mul) >> 32, with
 * a negative shift meaning a right shift. rdtsc works in every ring unless
 * CR4.TSD is set, so one helper serves hypervisor, native and PV code.
 */
#ifndef DRIVERS_TSC_H
#define DRIVERS_TSC_H

#include <stdint.h>

/* lfence: the read is not hoisted above earlier loads (Intel SDM, RDTSC). */
static inline uint64_t tsc_read(void)
{
    uint32_t lo, hi;

    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

struct tsc_scale {
    uint32_t mul;
    int8_t shift;
};

static inline uint64_t tsc_scale_delta(uint64_t delta, const struct tsc_scale *s)
{
    if (s->shift < 0)
        delta >>= -s->shift;
    else
        delta <<= s->shift;
    return (uint64_t)(((unsigned __int128)delta * s->mul) >> 32);
}

/* The scale that turns counts at hz into nanoseconds (hz > 0): hz is
 * brought into (1 GHz, 2 GHz] so mul = 10^9 * 2^32 / hz lands in
 * [2^31, 2^32), and 10^9 << 32 still fits 64 bits (no 128-bit divide). */
static inline struct tsc_scale tsc_scale_for_hz(uint64_t hz)
{
    struct tsc_scale s = { .shift = 0 };

    while (hz > 2000000000ULL) {
        hz >>= 1;
        s.shift--;
    }
    while (hz <= 1000000000ULL) {
        hz <<= 1;
        s.shift++;
    }
    s.mul = (uint32_t)((1000000000ULL << 32) / hz);
    return s;
}

#endif
