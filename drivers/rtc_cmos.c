// SPDX-License-Identifier: MIT
// CMOS RTC: waits out update-in-progress and reads until two readings
// agree, since a read may straddle the once-a-second update.
#include "rtc_cmos.h"

enum {
    CMOS_INDEX = 0x70,
    CMOS_DATA = 0x71,
    NMI_DISABLE = 0x80, /* keep NMIs masked as firmware left them */
    REG_SECONDS = 0x00,
    REG_MINUTES = 0x02,
    REG_HOURS = 0x04,
    REG_DAY = 0x07,
    REG_MONTH = 0x08,
    REG_YEAR = 0x09,
    REG_STATUS_A = 0x0a,
    REG_STATUS_B = 0x0b,
    REG_CENTURY = 0x32,
    STATUS_A_UIP = 0x80,
    STATUS_B_24H = 0x02,
    STATUS_B_BINARY = 0x04,
    HOUR_PM = 0x80,
    MAX_TRIES = 1000,
};

static uint8_t cmos_read(const struct port_io *io, uint8_t reg)
{
    io->outb(CMOS_INDEX, NMI_DISABLE | reg);
    return io->inb(CMOS_DATA);
}

static const uint8_t regs[] = { REG_SECONDS, REG_MINUTES, REG_HOURS,  REG_DAY,
                                REG_MONTH,   REG_YEAR,    REG_CENTURY };
#define NR_REGS (sizeof(regs) / sizeof(regs[0]))

static void read_all(const struct port_io *io, uint8_t *v)
{
    while (cmos_read(io, REG_STATUS_A) & STATUS_A_UIP)
        ;
    for (unsigned int i = 0; i < NR_REGS; i++)
        v[i] = cmos_read(io, regs[i]);
}

static unsigned int from_bcd(uint8_t v, int binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

int rtc_cmos_read(const struct port_io *io, struct rtc_time *t)
{
    uint8_t a[NR_REGS], b[NR_REGS];
    uint8_t status_b = cmos_read(io, REG_STATUS_B);
    int binary = (status_b & STATUS_B_BINARY) != 0;
    unsigned int tries = 0, century;

    read_all(io, b);
    do {
        for (unsigned int i = 0; i < NR_REGS; i++)
            a[i] = b[i];
        read_all(io, b);
        if (++tries == MAX_TRIES)
            return -1;
    } while (__builtin_memcmp(a, b, NR_REGS) != 0);

    t->second = from_bcd(b[0], binary);
    t->minute = from_bcd(b[1], binary);
    t->hour = from_bcd(b[2] & ~HOUR_PM, binary);
    if (!(status_b & STATUS_B_24H) && (b[2] & HOUR_PM))
        t->hour = (t->hour % 12) + 12;
    else if (!(status_b & STATUS_B_24H) && t->hour == 12)
        t->hour = 0;
    t->day = from_bcd(b[3], binary);
    t->month = from_bcd(b[4], binary);
    century = from_bcd(b[6], binary);
    /* Without a century register, assume the 2000s. */
    if (century < 19 || century > 21)
        century = 20;
    t->year = century * 100 + from_bcd(b[5], binary);
    return 0;
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, no tables. */
uint64_t rtc_to_unix(const struct rtc_time *t)
{
    int64_t y = (int64_t)t->year - (t->month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t m = t->month;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + t->day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;

    return (uint64_t)(days * 86400 + t->hour * 3600 + t->minute * 60 + t->second);
}
