// SPDX-License-Identifier: MIT
/*
 * Timekeeping: TSC calibration against PIT channel 2, the local APIC timer
 * in one-shot mode, the CMOS wall clock, and publishing vcpu_time_info.
 */
#include <stdint.h>
#include <xen/xen.h>
#include "console.h"
#include "domain.h"
#include "paging.h"
#include "panic.h"
#include "sched.h"
#include "time.h"
#include "x86.h"

#define PIT_HZ            1193182ULL
#define PIT_CH2           0x42
#define PIT_CMD           0x43
#define PIT_GATE          0x61
#define CALIBRATE_MS      20

#define LAPIC_BASE        0xfee00000ULL
#define LAPIC_EOI         0x0b0
#define LAPIC_SVR         0x0f0
#define LAPIC_LVT_TIMER   0x320
#define LAPIC_TIMER_INIT  0x380
#define LAPIC_TIMER_CUR   0x390
#define LAPIC_TIMER_DIV   0x3e0
#define LAPIC_DIV_16      0x3
#define LAPIC_SVR_ENABLE  (1u << 8)
#define LAPIC_LVT_MASKED  (1u << 16)
#define MSR_APIC_BASE     0x1b
#define APIC_BASE_ENABLE  (1ULL << 11)

static volatile uint32_t *lapic;
static uint64_t tsc_hz, boot_tsc;
static uint32_t scale_mul;          /* TSC to ns, published to guests */
static int8_t scale_shift;
static uint64_t lapic_ticks_per_ms;
static uint64_t boot_wallclock_sec;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t lapic_read(unsigned int reg) { return lapic[reg / 4]; }
static void lapic_write(unsigned int reg, uint32_t v) { lapic[reg / 4] = v; }

uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/* Largest shift keeping the multiplier below 2^32 with the most precision,
 * so that ns = ((tsc << shift) * mul) >> 32. */
void time_compute_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
    uint64_t tps = hz, ns = 1000000000ULL;
    int s = 0;

    while (tps > 2 * ns) {
        tps >>= 1;
        s--;
    }
    while (tps <= ns) {
        tps <<= 1;
        s++;
    }
    /* mul = (ns << 32) / tps, with tps in (ns, 2ns]: fits in 32 bits. */
    *mul = (uint32_t)((ns << 32) / tps);
    *shift = (int8_t)s;
}

/* Busy-wait on PIT channel 2 for `ms` milliseconds (gate on, speaker off). */
static void pit_wait_ms(unsigned int ms)
{
    uint16_t count = (uint16_t)(PIT_HZ * ms / 1000);

    outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
    outb(PIT_CMD, 0xb0);                      /* ch2, lo/hi, mode 0 */
    outb(PIT_CH2, count & 0xff);
    outb(PIT_CH2, count >> 8);
    while (!(inb(PIT_GATE) & 0x20))
        cpu_relax();
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned int bcd(uint8_t v, bool binary)
{
    return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Seconds since the epoch from the RTC (UTC assumed, as QEMU provides). */
static uint64_t rtc_read_seconds(void)
{
    static const uint16_t days_before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273,
                                              304, 334 };
    unsigned int sec, min, hour, day, mon, year;
    bool binary;
    uint64_t days;

    while (cmos_read(0x0a) & 0x80)            /* update in progress */
        cpu_relax();
    binary = cmos_read(0x0b) & 0x04;
    sec = bcd(cmos_read(0x00), binary);
    min = bcd(cmos_read(0x02), binary);
    hour = bcd(cmos_read(0x04), binary);
    day = bcd(cmos_read(0x07), binary);
    mon = bcd(cmos_read(0x08), binary);
    year = bcd(cmos_read(0x09), binary) + 2000;
    if (mon < 1 || mon > 12)
        return 0;
    days = (year - 1970) * 365ULL + (year - 1969) / 4 + days_before[mon - 1] + day - 1;
    if (mon > 2 && year % 4 == 0)
        days++;
    return days * 86400 + hour * 3600 + min * 60 + sec;
}

static void lapic_init(void)
{
    uint64_t t0, t1;

    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic = paging_map_mmio(LAPIC_BASE);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | SPURIOUS_VECTOR);
    lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_16);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | TIMER_VECTOR);
    /* How fast the APIC timer counts, measured with the TSC. */
    lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
    t0 = rdtsc();
    while (rdtsc() - t0 < tsc_hz / 100)
        cpu_relax();
    t1 = 0xffffffffu - lapic_read(LAPIC_TIMER_CUR);
    lapic_ticks_per_ms = t1 / 10 ? t1 / 10 : 1;
    lapic_write(LAPIC_TIMER_INIT, 0);
    lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR);     /* one-shot, unmasked */
}

void time_init(void)
{
    uint64_t t0 = rdtsc();

    pit_wait_ms(CALIBRATE_MS);
    tsc_hz = (rdtsc() - t0) * (1000 / CALIBRATE_MS);
    boot_tsc = rdtsc();
    time_compute_scale(tsc_hz, &scale_mul, &scale_shift);
    lapic_init();
    boot_wallclock_sec = rtc_read_seconds();
    log_info("time: TSC %llu kHz, APIC timer %llu ticks/ms, wall clock %llu\n",
             (unsigned long long)(tsc_hz / 1000), (unsigned long long)lapic_ticks_per_ms,
             (unsigned long long)boot_wallclock_sec);
}

uint64_t time_tsc_hz(void)
{
    return tsc_hz;
}

uint64_t time_now_ns(void)
{
    return time_scale_delta(rdtsc() - boot_tsc, scale_mul, scale_shift);
}

void time_program(uint64_t deadline)
{
    uint64_t now = time_now_ns(), ticks;

    ticks = deadline > now ? (deadline - now) * lapic_ticks_per_ms / 1000000 : 1;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
}

void time_update_vcpu(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->domain->shared_info->vcpu_info[0].time;
    uint64_t tsc = rdtsc();

    t->version++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->tsc_timestamp = tsc;
    t->system_time = time_scale_delta(tsc - boot_tsc, scale_mul, scale_shift);
    t->tsc_to_system_mul = scale_mul;
    t->tsc_shift = scale_shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->version++;
}

void time_set_wallclock(struct domain *d)
{
    shared_info_t *s = d->shared_info;

    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_sec = (uint32_t)boot_wallclock_sec;
    s->xen_wc_sec_hi = (uint32_t)(boot_wallclock_sec >> 32);
    s->wc_nsec = 0;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_version++;
}

void time_interrupt(void)
{
    lapic_write(LAPIC_EOI, 0);
    sched_timer_tick(time_now_ns());
}
