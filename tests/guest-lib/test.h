/* SPDX-License-Identifier: MIT */
/*
 * The test-guest framework, XTF-style: a test defines test_title and
 * test_main(); the framework boots it, prints the title, runs it and ends
 * with exactly one "Test result: SUCCESS|SKIP|ERROR|FAILURE" line.
 */
#ifndef TESTS_COMMON_TEST_H
#define TESTS_COMMON_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

/* Defined by each test. */
extern const char test_title[];
void test_main(void);

/* As handed over at entry. The entry rsp is the top of the boot stack, so
 * the page at it is the first page of the start-of-day padding. */
extern const start_info_t *test_start_info;
extern unsigned long test_entry_rsp;

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Verdicts. The worst one reported wins (SKIP < ERROR < FAILURE), as in
 * XTF; a test that reports nothing succeeds. ERROR: the test itself is
 * broken or its environment is not what it assumes. FAILURE: the system
 * under test answered wrongly.
 */
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ends the test now: the result line, then shutdown. For fatal traps;
 * test_main() returning does the same. */
void test_finish(void) __attribute__((noreturn));

/* FAILURE with "<name>: expected X, got Y" unless equal. Values that are
 * Xen errnos print by name, e.g. "-EFAULT (-14)". */
bool check_long(const char *name, long expected, long got);

/* The value of "key=value" in start_info->cmd_line, copied to buf, or
 * NULL when the key is absent. */
const char *test_cmdline_value(const char *key, char *buf, size_t size);

/*
 * A hypercall by number without the hypercall page, which has stubs only
 * for numbers below 128: the same instruction sequence as a stub, inline.
 */
static inline long hypercall_raw(unsigned long nr, unsigned long a1, unsigned long a2,
                                 unsigned long a3)
{
    register unsigned long rdi asm("rdi") = a1;
    register unsigned long rsi asm("rsi") = a2;
    register unsigned long rdx asm("rdx") = a3;
    register unsigned long r10 asm("r10") = 0;
    register unsigned long r8 asm("r8") = 0;
    long rax = (long)nr;

    asm volatile("syscall"
                 : "+a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
                 :
                 : "memory", "rcx", "r11", "r9");
    return rax;
}

#endif
