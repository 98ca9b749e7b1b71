/* SPDX-License-Identifier: MIT */
/*
 * Timer lateness, for the preemption tests: a one-shot VIRQ_TIMER re-armed
 * from the event upcall every period records, per wakeup, its deadline and
 * how late (Xen system time) the upcall ran; the worst and 99th-percentile
 * lateness of the wakeups whose deadline falls in a window. Also the phase
 * board an attacker grants to a victim to say when each attack ran.
 */
#ifndef TESTS_COMMON_LATENESS_H
#define TESTS_COMMON_LATENESS_H

#include <stdint.h>

#define LATE_MAX_SAMPLES 16384

struct late_sample {
    uint64_t deadline; /* ns of system time */
    uint64_t late;     /* ns after it that the upcall ran; 0 if early */
};

struct late_stats {
    unsigned long n;   /* wakeups whose deadline is in the window */
    uint64_t max, p99; /* ns */
};

/*
 * Binds VIRQ_TIMER, stops the default periodic timer, takes over the event
 * callback (other ports are counted in port_hits) and arms the first
 * deadline one period ahead. shared_info must be mapped and the event
 * callback registered; the caller unmasks upcalls. 0 or an errno.
 */
long late_timer_start(uint64_t period_ns);
/* Disarms the timer; samples are kept. */
void late_timer_stop(void);
unsigned long late_count(void);
/* Wakeups not recorded because the buffer was full. */
unsigned long late_dropped(void);
/* The stats of the samples with deadline in [from, to]. */
void late_window(uint64_t from, uint64_t to, struct late_stats *st);

/*
 * The phase board: one page the attacker grants (ref BOARD_GREF, writable)
 * to the victim. The attacker fills a phase's name and start before its
 * hypercall and its end after; done says every phase is over. The victim
 * sets victim_ready once it has mapped the page, and victim_done once it
 * has copied the board at the end: the attacker ends only then, since its
 * teardown takes the page from the victim. Times are system time, which
 * both domains read from the same clock.
 */
#define BOARD_GREF   9
#define BOARD_MAGIC  0x64726f6270656572ULL /* "reepbord" */
#define BOARD_PHASES 24
#define BOARD_NAME   24

struct board_phase {
    char name[BOARD_NAME];
    uint64_t start, end;
};

struct phase_board {
    uint64_t magic;
    volatile uint32_t victim_ready;
    volatile uint32_t done;
    volatile uint32_t nr_phases;
    volatile uint32_t victim_done;
    struct board_phase phase[BOARD_PHASES];
};

#endif
