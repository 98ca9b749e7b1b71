// SPDX-License-Identifier: MIT
// The demo user program: a fixed sequence of lines the boot tests expect,
// exercising printf (stdio buffering, sbrk), malloc, yield and sleep.
#include "lithos.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE 20000

/* FNV-1a: a checksum anyone can recompute. */
static uint32_t fnv1a(const uint8_t *p, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void)
{
    uint8_t *buf = malloc(BUF_SIZE);
    uint32_t sum;

    printf("hello from user pid %d\n", (int)getpid());
    if (!buf) {
        printf("user: malloc failed\n");
        return 1;
    }
    for (size_t i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    lithos_yield();
    lithos_sleep_ns(5000000);
    sum = fnv1a(buf, BUF_SIZE, 2166136261u);
    printf("user checksum %#010x\n", (unsigned int)sum);
    free(buf);
    printf("user exiting with 0\n");
    return 0;
}
