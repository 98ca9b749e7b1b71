/* SPDX-License-Identifier: MIT */
/* The MC146818-style CMOS real-time clock: the wall clock, to the second. */
#ifndef DRIVERS_RTC_CMOS_H
#define DRIVERS_RTC_CMOS_H

#include "env.h"

struct rtc_time {
    unsigned int year, month, day, hour, minute, second;
};

/* A consistent reading (no update in between), in binary 24-hour form;
 * 0, or -1 if the clock kept updating. */
int rtc_cmos_read(const struct port_io *io, struct rtc_time *t);
/* Seconds since 1970-01-01 00:00:00 UTC, taking the RTC to keep UTC. */
uint64_t rtc_to_unix(const struct rtc_time *t);

#endif
