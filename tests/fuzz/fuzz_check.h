/* SPDX-License-Identifier: MIT */
/*
 * The one assertion the harnesses use: a violated invariant prints what
 * was expected and what was found, then aborts, so libFuzzer keeps the
 * input as a crash artifact exactly as it does for an ASan report.
 */
#ifndef XENOLITH_TESTS_FUZZ_CHECK_H
#define XENOLITH_TESTS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                                              \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: invariant violated: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

#endif
