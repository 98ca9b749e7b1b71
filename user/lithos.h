/* SPDX-License-Identifier: MIT */
/* Lithos calls without a POSIX name, for user programs. */
#ifndef USER_LITHOS_H
#define USER_LITHOS_H

#include <stdint.h>

void lithos_yield(void);
void lithos_sleep_ns(uint64_t ns);

#endif
