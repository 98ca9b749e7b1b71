// SPDX-License-Identifier: MIT
// The self-checks that need interrupts: the timer and clock (a 200 ms
// sleep measured by uptime and by the wall clock), preemption of threads
// that never yield, and user mode (a demo program, a faulting one). Where
// the platform refused a hypercall they need, each prints "skipped".
#include <guest-kernel/selfcheck.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/process.h>
#include <guest-kernel/thread.h>
#include <pvops/pvops.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <common/array_size.h>

#define SLEEP_NS      200000000ULL
#define TOLERANCE_PCT 20
#define SPIN_NS       100000000ULL
#define NR_SPINNERS   3

extern const char user_hello_elf[], user_hello_elf_end[];
extern const char user_fault_elf[], user_fault_elf_end[];

/* |measured - expected| in tenths of a percent of expected. */
static unsigned long error_permille(uint64_t measured, uint64_t expected)
{
    uint64_t d = measured > expected ? measured - expected : expected - measured;

    return (unsigned long)(d * 1000 / expected);
}

static int check_timer(char *why, size_t len)
{
    uint64_t t0, t1, w0 = 0, w1 = 0;
    unsigned long e_up, e_wall;
    int wall = pv_time_wallclock(&w0) == 0;

    t0 = pv_time_now_ns();
    thread_sleep_ns(SLEEP_NS);
    t1 = pv_time_now_ns();
    if (wall)
        wall = pv_time_wallclock(&w1) == 0;
    e_up = error_permille(t1 - t0, SLEEP_NS);
    e_wall = wall ? error_permille(w1 - w0, SLEEP_NS) : 0;
    kprintf("self-check: sleep 200 ms: uptime %llu us (error %lu.%lu%%), wall clock %llu us\n",
            (unsigned long long)(t1 - t0) / 1000, e_up / 10, e_up % 10,
            (unsigned long long)(wall ? (w1 - w0) / 1000 : 0));
    if (e_up > TOLERANCE_PCT * 10 || t1 - t0 < SLEEP_NS || e_wall > TOLERANCE_PCT * 10) {
        snprintf(why, len,
                 "timer: sleep 200 ms: expected within %d%%, got uptime %llu us, "
                 "wall %llu us",
                 TOLERANCE_PCT, (unsigned long long)(t1 - t0) / 1000,
                 (unsigned long long)(w1 - w0) / 1000);
        return -XEN_EINVAL;
    }
    kprintf("self-check: timer ok (tolerance %d%%)\n", TOLERANCE_PCT);
    return 0;
}

static int check_wallclock(char *why, size_t len)
{
    uint64_t ns;
    time_t sec;
    struct tm tm;
    char buf[32];

    if (pv_time_wallclock(&ns) < 0) {
        kprintf("self-check: wall clock skipped (no wall clock)\n");
        return 0;
    }
    sec = (time_t)(ns / 1000000000ULL);
    gmtime_r(&sec, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
    if (tm.tm_year + 1900 < 2020) {
        snprintf(why, len, "wall clock: expected a year from 2020 on, got %s", buf);
        return -XEN_EINVAL;
    }
    kprintf("self-check: wall clock ok (%s UTC)\n", buf);
    return 0;
}

struct spinner {
    uint64_t deadline;
    unsigned long count;
};

/* Never yields: only preemption lets the others run before the deadline. */
static void spin(void *arg)
{
    struct spinner *s = arg;

    while (pv_time_now_ns() < s->deadline)
        s->count++;
}

static int check_threads(char *why, size_t len)
{
    struct spinner s[NR_SPINNERS];
    struct thread *t[NR_SPINNERS];
    uint64_t deadline = pv_time_now_ns() + SPIN_NS;
    unsigned long before = sched_switches();
    int rc;

    for (int i = 0; i < NR_SPINNERS; i++) {
        s[i] = (struct spinner){ .deadline = deadline };
        rc = thread_create(spin, &s[i], NULL, &t[i]);
        if (rc < 0) {
            snprintf(why, len, "threads: create %d: expected 0, got %d", i, rc);
            return rc;
        }
    }
    for (int i = 0; i < NR_SPINNERS; i++)
        thread_join(t[i]);
    for (int i = 0; i < NR_SPINNERS; i++) {
        if (s[i].count == 0) {
            snprintf(why, len,
                     "threads: spinner %d never ran before the deadline "
                     "(no preemption?)",
                     i);
            return -XEN_EINVAL;
        }
    }
    kprintf("self-check: threads ok (%d spinning threads preempted, %lu switches)\n", NR_SPINNERS,
            sched_switches() - before);
    return 0;
}

static int run_user(const char *start, const char *end, int *status, int *killed, char *why,
                    size_t len)
{
    struct process *p;
    int rc = process_spawn(start, (size_t)(end - start), &p);

    if (rc < 0) {
        snprintf(why, len, "user: spawn: expected 0, got %d", rc);
        return rc;
    }
    process_wait(p, status, killed);
    return 0;
}

static int check_user(char *why, size_t len)
{
    int status, killed,
        rc = run_user(user_hello_elf, user_hello_elf_end, &status, &killed, why, len);

    if (rc < 0)
        return rc;
    if (killed || status != 0) {
        snprintf(why, len, "user program: expected exit 0, got %d%s", status,
                 killed ? " (killed)" : "");
        return -XEN_EINVAL;
    }
    kprintf("self-check: user program ok\n");
    return 0;
}

static int check_user_fault(char *why, size_t len)
{
    int status, killed,
        rc = run_user(user_fault_elf, user_fault_elf_end, &status, &killed, why, len);

    if (rc < 0)
        return rc;
    if (!killed) {
        snprintf(why, len, "faulting user program: expected killed, got exit %d", status);
        return -XEN_EINVAL;
    }
    kprintf("self-check: faulting user program killed\n");
    return 0;
}

static const struct {
    const char *name;
    int (*check)(char *why, size_t len);
} checks[] = {
    { "timer", check_timer },
    { "wall clock", check_wallclock },
    { "threads", check_threads },
    { "user program", check_user },
    { "faulting user program", check_user_fault },
};

int selfcheck_sched_run(int init_rc, char *why, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
        int rc;

        if (init_rc < 0) {
            kprintf("self-check: %s skipped (%s)\n", checks[i].name,
                    pv_info.missing[0] ? pv_info.missing : "no timer");
            continue;
        }
        rc = checks[i].check(why, len);
        if (rc < 0)
            return rc;
    }
    return 0;
}
