/* SPDX-License-Identifier: MIT */
/* Xenolith's log, with levels chosen by the "loglvl=" boot option, and the
 * per-domain line buffering of guest console output. */
#ifndef XENOLITH_CONSOLE_H
#define XENOLITH_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level lvl);
/* Parses "error|warning|info|debug"; returns -1 for anything else. */
int log_level_from_name(const char *name);

void printk(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vprintk(enum log_level lvl, const char *fmt, va_list ap);

/* Raw text, no prefix: panic dumps and multi-part lines. */
void console_puts(const char *s);

#define log_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define log_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define log_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

#endif
