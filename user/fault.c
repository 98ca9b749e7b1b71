// SPDX-License-Identifier: MIT
// A user program that writes to the kernel's image, which user mode can
// never reach: the kernel must kill it and carry on.
#include <stdio.h>

int main(void)
{
    printf("faulting user program: writing to the kernel\n");
    fflush(stdout);
    *(volatile int *)0xffffffff80100000UL = 1;
    printf("faulting user program: still alive\n");
    return 0;
}
