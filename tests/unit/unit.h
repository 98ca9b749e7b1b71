/* SPDX-License-Identifier: MIT */
/*
 * Shared by the host unit tests: suite registration, and assertions that
 * record "expected X, got Y" in CUnit's failure list (CU_ASSERT_EQUAL only
 * records the expression).
 */
#ifndef XENOLITH_TESTS_UNIT_H
#define XENOLITH_TESTS_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <CUnit/CUnit.h>
#include "common/array_size.h"

struct unit_test {
    const char *name;
    CU_TestFunc fn;
};

/* Adds suite `name` with the tests in tests[0..n). */
void unit_add_suite(const char *name, const struct unit_test *tests, unsigned int n);
#define UNIT_SUITE(name, table) unit_add_suite(name, table, ARRAY_SIZE(table))
/* Suites or tests that could not be registered: the run must not pass. */
unsigned int unit_setup_errors(void);

/* With UNIT_DUMP_DIR set, writes bytes a test hands to a parser to
 * $UNIT_DUMP_DIR/<suite>.<test>.<n>: seeds for tests/fuzz/ (its seeds.sh).
 * Does nothing otherwise. */
void unit_dump_input(const void *bytes, size_t len);

/* One per tests/unit/<suite>.c, called in order by main.c. */
void register_elf_tests(void);
void register_notes_tests(void);
void register_note_sources_tests(void);
void register_lz4_tests(void);
void register_layout_tests(void);
void register_hypercall_tests(void);
void register_frame_tests(void);
void register_module_tests(void);
void register_page_type_tests(void);
void register_page_type_preempt_tests(void);
void register_page_type_model_tests(void);
void register_x86_decode_tests(void);
void register_evtchn_tests(void);
void register_evtchn_xen_port_tests(void);
void register_evtchn_model_tests(void);
void register_xenstore_tests(void);
void register_xenstore_model_tests(void);
void register_xenstore_share_tests(void);
void register_ring_tests(void);
void register_ring_thread_tests(void);
void register_ring_console_tests(void);
void register_console_mux_tests(void);
void register_xenbus_state_tests(void);
void register_console_txq_tests(void);

bool unit_check_u64(const char *file, unsigned int line, const char *what, uint64_t got,
                    uint64_t want, bool fatal);
bool unit_check_int(const char *file, unsigned int line, const char *what, long long got,
                    long long want, bool fatal);
bool unit_check_str(const char *file, unsigned int line, const char *what, const char *got,
                    const char *want, bool fatal);
/* `got` must contain `want` (reasons are checked by their key words). */
bool unit_check_substr(const char *file, unsigned int line, const char *what, const char *got,
                       const char *want, bool fatal);
bool unit_check_true(const char *file, unsigned int line, const char *what, bool cond,
                     const char *detail, bool fatal);

#define EXPECT_U64(got, want)    unit_check_u64(__FILE__, __LINE__, #got, (got), (want), false)
#define ASSERT_U64(got, want)    unit_check_u64(__FILE__, __LINE__, #got, (got), (want), true)
#define EXPECT_INT(got, want)    unit_check_int(__FILE__, __LINE__, #got, (got), (want), false)
#define ASSERT_INT(got, want)    unit_check_int(__FILE__, __LINE__, #got, (got), (want), true)
#define EXPECT_STR(got, want)    unit_check_str(__FILE__, __LINE__, #got, (got), (want), false)
#define EXPECT_SUBSTR(got, want) unit_check_substr(__FILE__, __LINE__, #got, (got), (want), false)
#define EXPECT_TRUE(cond)        unit_check_true(__FILE__, __LINE__, #cond, (cond), NULL, false)
#define ASSERT_TRUE(cond)        unit_check_true(__FILE__, __LINE__, #cond, (cond), NULL, true)
/* With a case label, for table-driven tests. */
#define EXPECT_TRUE_CASE(cond, label) \
    unit_check_true(__FILE__, __LINE__, #cond, (cond), (label), false)

#endif
