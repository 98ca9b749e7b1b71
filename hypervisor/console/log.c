// SPDX-License-Identifier: MIT
/* The hypervisor log: every line starts with "(xenolith) " and, below info,
 * its level, so test harnesses and people can grep for it. */
#include <stdio.h>
#include <string.h>
#include "console/log.h"
#include "console/serial.h"
#include "common/array_size.h"

static enum log_level log_threshold = LOG_INFO;

static const char *const level_names[] = {
    [LOG_ERR] = "error",
    [LOG_WARN] = "warning",
    [LOG_INFO] = "info",
    [LOG_DEBUG] = "debug",
};

void log_set_level(enum log_level lvl)
{
    log_threshold = lvl;
}

int log_level_from_name(const char *name)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(level_names); i++)
        if (strcmp(name, level_names[i]) == 0)
            return (int)i;
    return -1;
}

void console_puts(const char *s)
{
    serial_write(s, strlen(s));
}

void vprintk(enum log_level lvl, const char *fmt, va_list ap)
{
    char line[512];
    int n;

    if (lvl > log_threshold)
        return;
    if (lvl == LOG_INFO)
        n = snprintf(line, sizeof(line), "(xenolith) ");
    else
        n = snprintf(line, sizeof(line), "(xenolith) %s: ", level_names[lvl]);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    console_puts(line);
}

void printk(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(lvl, fmt, ap);
    va_end(ap);
}
