// SPDX-License-Identifier: MIT
/*
 * Timekeeping over the shared drivers (drivers/): the TSC calibrated
 * against PIT channel 2, the local APIC timer in one-shot mode, the CMOS
 * wall clock, and publishing vcpu_time_info.
 */
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include "drivers/lapic.h"
#include "drivers/pit8254.h"
#include "drivers/rtc_cmos.h"
#include "drivers/tsc.h"
#include "console/log.h"
#include "arch/x86/paging.h"
#include "arch/x86/clock.h"
#include "arch/x86/port_io.h"
#include "arch/x86/x86.h"

#define CALIBRATE_MS     20
#define APIC_BASE_ENABLE (1ULL << 11)

static struct lapic lapic;
static struct tsc_scale scale; /* TSC to ns, published to guests */
static uint64_t tsc_hz, boot_tsc;
static uint64_t lapic_ticks_per_ms;
static uint64_t boot_wallclock_sec;

uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    struct tsc_scale s = { .mul = mul, .shift = shift };

    return tsc_scale_delta(delta, &s);
}

void time_compute_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
    struct tsc_scale s = tsc_scale_for_hz(hz);

    *mul = s.mul;
    *shift = s.shift;
}

static void calibrate_tsc(void)
{
    uint64_t t0;

    pit8254_interval_start(&x86_port_io, (uint16_t)(PIT8254_HZ * CALIBRATE_MS / 1000));
    t0 = tsc_read();
    while (!pit8254_interval_done(&x86_port_io))
        cpu_relax();
    tsc_hz = (tsc_read() - t0) * (1000 / CALIBRATE_MS);
    scale = tsc_scale_for_hz(tsc_hz);
    boot_tsc = tsc_read();
}

/* A read of the APIC timer's count and the TSC at it: the middle of the
 * TSC readings around it, retried while they are far apart. Under QEMU
 * TCG a device read can wait milliseconds for the emulator's lock, and
 * counting that wait once misjudged the rate by two thirds, so that every
 * timer fired 7 ms late in 10. */
#define COUNT_READ_TRIES 100

static uint32_t lapic_count_at(uint64_t *tsc)
{
    uint64_t before, after;
    uint32_t count;

    for (unsigned int i = 0;; i++) {
        before = tsc_read();
        count = lapic_timer_current(&lapic);
        after = tsc_read();
        if (after - before < tsc_hz / 100000 || i == COUNT_READ_TRIES) /* 10 us */
            break;
    }
    *tsc = before + (after - before) / 2;
    return count;
}

/* How fast the APIC timer counts, measured with the TSC over 10 ms. */
static void calibrate_lapic(void)
{
    uint64_t t0, t1;
    uint32_t c0, c1;

    wrmsr(LAPIC_MSR_APIC_BASE, rdmsr(LAPIC_MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic_init(&lapic, paging_map_mmio(LAPIC_DEFAULT_BASE), SPURIOUS_VECTOR);
    lapic_timer_oneshot(&lapic, TIMER_VECTOR, 0xffffffffu);
    c0 = lapic_count_at(&t0);
    while (tsc_read() - t0 < tsc_hz / 100)
        cpu_relax();
    c1 = lapic_count_at(&t1);
    lapic_timer_stop(&lapic);
    /* At most 2^32 ticks times tsc_hz / 1000 (below 2^25): no overflow. */
    lapic_ticks_per_ms = (uint64_t)(c0 - c1) * (tsc_hz / 1000) / (t1 - t0);
    if (!lapic_ticks_per_ms)
        lapic_ticks_per_ms = 1;
}

void time_init(void)
{
    struct rtc_time rtc;

    calibrate_tsc();
    /* Interrupts are off: the calibration run's expiry stays pending in
     * the APIC and only makes the first guest tick early. */
    calibrate_lapic();
    if (rtc_cmos_read(&x86_port_io, &rtc) == 0)
        boot_wallclock_sec = rtc_to_unix(&rtc);
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
    return tsc_scale_delta(tsc_read() - boot_tsc, &scale);
}

void time_program(uint64_t deadline)
{
    uint64_t now = time_now_ns(), ticks;

    ticks = deadline > now ? (deadline - now) * lapic_ticks_per_ms / 1000000 : 1;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    lapic_timer_oneshot(&lapic, TIMER_VECTOR, (uint32_t)ticks);
}

/* In whole seconds and the rest, so that no product overflows 64 bits
 * (tsc_hz below 18 GHz) and no 128-bit divide is needed. */
uint64_t time_tsc_at(uint64_t ns)
{
    const uint64_t s = 1000000000ULL;

    return boot_tsc + ns / s * tsc_hz + ns % s * tsc_hz / s;
}

void time_publish(struct vcpu_time_info *t)
{
    uint64_t tsc = tsc_read();

    t->version++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->tsc_timestamp = tsc;
    t->system_time = tsc_scale_delta(tsc - boot_tsc, &scale);
    t->tsc_to_system_mul = scale.mul;
    t->tsc_shift = scale.shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->version++;
}

void time_set_wallclock(shared_info_t *s)
{
    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_sec = (uint32_t)boot_wallclock_sec;
    s->xen_wc_sec_hi = (uint32_t)(boot_wallclock_sec >> 32);
    s->wc_nsec = 0;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_version++;
}

uint64_t time_interrupt(void)
{
    lapic_eoi(&lapic);
    return time_now_ns();
}
