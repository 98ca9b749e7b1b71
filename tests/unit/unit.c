/* SPDX-License-Identifier: MIT */
/*
 * Assertion helpers for the unit tests. CUnit copies the condition text of
 * a failure, so the "expected X, got Y" message can live on the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "unit.h"

static unsigned int setup_errors;

unsigned int unit_setup_errors(void)
{
    return setup_errors;
}

void unit_add_suite(const char *name, const struct unit_test *tests, unsigned int n)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);
    unsigned int i;

    if (!s) {
        fprintf(stderr, "unit-tests: cannot add suite %s: %s\n", name, CU_get_error_msg());
        setup_errors++;
        return;
    }
    for (i = 0; i < n; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn)) {
            fprintf(stderr, "unit-tests: cannot add %s/%s: %s\n", name, tests[i].name,
                    CU_get_error_msg());
            setup_errors++;
        }
}

static bool report(bool ok, const char *file, unsigned int line, const char *msg, bool fatal)
{
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "",
                            fatal ? CU_TRUE : CU_FALSE);
    return ok;
}

bool unit_check_u64(const char *file, unsigned int line, const char *what, uint64_t got,
                    uint64_t want, bool fatal)
{
    char msg[512];

    snprintf(msg, sizeof(msg), "%s: expected %#llx (%llu), got %#llx (%llu)", what,
             (unsigned long long)want, (unsigned long long)want, (unsigned long long)got,
             (unsigned long long)got);
    return report(got == want, file, line, msg, fatal);
}

bool unit_check_int(const char *file, unsigned int line, const char *what, long long got,
                    long long want, bool fatal)
{
    char msg[512];

    snprintf(msg, sizeof(msg), "%s: expected %lld, got %lld", what, want, got);
    return report(got == want, file, line, msg, fatal);
}

bool unit_check_str(const char *file, unsigned int line, const char *what, const char *got,
                    const char *want, bool fatal)
{
    char msg[512];
    bool ok = got && want ? !strcmp(got, want) : got == want;

    snprintf(msg, sizeof(msg), "%s: expected \"%s\", got \"%s\"", what, want ? want : "(null)",
             got ? got : "(null)");
    return report(ok, file, line, msg, fatal);
}

bool unit_check_substr(const char *file, unsigned int line, const char *what, const char *got,
                       const char *want, bool fatal)
{
    char msg[512];
    bool ok = got && strstr(got, want);

    snprintf(msg, sizeof(msg), "%s: expected a string containing \"%s\", got \"%s\"", what, want,
             got ? got : "(null)");
    return report(ok, file, line, msg, fatal);
}

bool unit_check_true(const char *file, unsigned int line, const char *what, bool cond,
                     const char *detail, bool fatal)
{
    char msg[512];

    snprintf(msg, sizeof(msg), "%s%s%s: expected true, got false", detail ? detail : "",
             detail ? ": " : "", what);
    return report(cond, file, line, msg, fatal);
}

void unit_dump_input(const void *bytes, size_t len)
{
    static unsigned int serial;
    const char *dir = getenv("UNIT_DUMP_DIR");
    CU_pTest test = CU_get_current_test();
    CU_pSuite suite = CU_get_current_suite();
    char path[512];
    FILE *f;

    if (!dir || !test || !suite)
        return;
    snprintf(path, sizeof(path), "%s/%s.%s.%u", dir, suite->pName, test->pName, serial++);
    f = fopen(path, "wb");
    if (!f)
        return;
    if (fwrite(bytes, 1, len, f) != len)
        fprintf(stderr, "unit-tests: short write to %s\n", path);
    fclose(f);
}
