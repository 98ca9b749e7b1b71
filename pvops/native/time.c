// SPDX-License-Identifier: MIT
// Native time: the TSC is the clock, scaled by a frequency measured against
// PIT channel 2; the LAPIC timer, calibrated in the same window, is the
// one-shot timer; the CMOS RTC read at boot anchors the wall clock.
#include <pvops/native/native.h>
#include <drivers/lapic.h>
#include <drivers/pit8254.h>
#include <drivers/rtc_cmos.h>
#include <drivers/tsc.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>

/* 50 ms of PIT ticks: long enough for 0.1% at TCG's timer granularity. */
#define CALIBRATE_TICKS 59659u
#define NS_PER_SEC      1000000000ULL
/* Longest one-shot programmed at once; a later deadline just re-arms. */
#define MAX_ONESHOT_NS  (1ULL << 30)

static struct lapic lapic;
static volatile void *lapic_mmio;
static struct tsc_scale tsc_scale;
static uint64_t tsc_boot, tsc_hz, lapic_hz;
static uint64_t rtc_unix_ns, rtc_uptime_ns;

static uint64_t native_now_ns(void)
{
    return tsc_scale_delta(tsc_read() - tsc_boot, &tsc_scale);
}

/* Both counters over one PIT interval; the LAPIC timer counts down. */
static void calibrate(void)
{
    uint64_t t0, t1;
    uint32_t l0, l1;

    /* Would expire after a minute; if it did, the spurious vector is ignored. */
    lapic_timer_oneshot(&lapic, NATIVE_SPURIOUS_VECTOR, 0xffffffffu);
    pit8254_interval_start(&native_port_io, CALIBRATE_TICKS);
    t0 = tsc_read();
    l0 = lapic_timer_current(&lapic);
    while (!pit8254_interval_done(&native_port_io))
        ;
    t1 = tsc_read();
    l1 = lapic_timer_current(&lapic);
    lapic_timer_stop(&lapic);
    tsc_hz = (t1 - t0) * PIT8254_HZ / CALIBRATE_TICKS;
    lapic_hz = (uint64_t)(l0 - l1) * PIT8254_HZ / CALIBRATE_TICKS;
}

void native_time_init(volatile void *lapic_base)
{
    struct rtc_time t;

    lapic_mmio = lapic_base;
    lapic_init(&lapic, lapic_mmio, NATIVE_SPURIOUS_VECTOR);
    calibrate();
    tsc_scale = tsc_scale_for_hz(tsc_hz ? tsc_hz : 1);
    tsc_boot = tsc_read();
    if (rtc_cmos_read(&native_port_io, &t) == 0) {
        rtc_unix_ns = rtc_to_unix(&t) * NS_PER_SEC;
        rtc_uptime_ns = native_now_ns();
    }
}

int native_lapic_init(void)
{
    lapic_init(&lapic, lapic_mmio, NATIVE_SPURIOUS_VECTOR);
    /* The PICs' lines (COM1's IRQ 4) through LINT0. */
    lapic_lint0_extint(&lapic);
    return 0;
}

void native_timer_eoi(void)
{
    lapic_eoi(&lapic);
}

static int native_wallclock(uint64_t *unix_ns)
{
    if (!rtc_unix_ns)
        return -XEN_ENODEV;
    *unix_ns = rtc_unix_ns + native_now_ns() - rtc_uptime_ns;
    return 0;
}

static int native_timer_init(void)
{
    if (!tsc_hz || !lapic_hz)
        return -XEN_ENODEV;
    return 0;
}

static int native_timer_set(uint64_t deadline_ns)
{
    uint64_t now = native_now_ns();
    uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
    uint64_t count;

    if (delta > MAX_ONESHOT_NS)
        delta = MAX_ONESHOT_NS;
    count = delta * lapic_hz / NS_PER_SEC;
    lapic_timer_oneshot(&lapic, PV_VECTOR_TIMER,
                        count > 0xffffffffu ? 0xffffffffu : (uint32_t)count);
    return 0;
}

const struct pv_time_ops native_time_ops = {
    .now_ns = native_now_ns,
    .wallclock = native_wallclock,
    .timer_init = native_timer_init,
    .timer_set = native_timer_set,
};
