/* SPDX-License-Identifier: MIT */
/*
 * Runs every CUnit suite and prints one "PASS <suite>/<test>" or
 * "FAIL <suite>/<test>: <file>:<line> <condition>" line per test, then
 * "unit-tests: done", the format tests/run parses. Exit status 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <CUnit/CUnit.h>
#include <CUnit/TestRun.h>

#include "unit.h"
#include "common/array_size.h"

static void (*const suites[])(void) = {
    register_elf_tests,
    register_notes_tests,
    register_note_sources_tests,
    register_lz4_tests,
    register_layout_tests,
    register_hypercall_tests,
    register_frame_tests,
    register_module_tests,
    register_page_type_tests,
    register_page_type_preempt_tests,
    register_page_type_model_tests,
    register_x86_decode_tests,
    register_evtchn_tests,
    register_evtchn_xen_port_tests,
    register_evtchn_model_tests,
    register_xenstore_tests,
    register_xenstore_model_tests,
    register_xenstore_share_tests,
    register_ring_tests,
    register_ring_thread_tests,
    register_ring_console_tests,
    register_console_mux_tests,
    register_xenbus_state_tests,
    register_console_txq_tests,
};

static unsigned int nr_failed;

/* The first failure names the test's problem; later ones are often fallout,
 * so they are only counted on the same line. */
static void test_complete(const CU_pTest test, const CU_pSuite suite,
                          const CU_pFailureRecord failure)
{
    unsigned int more = 0;
    CU_pFailureRecord f;

    if (!failure) {
        printf("PASS %s/%s\n", suite->pName, test->pName);
        return;
    }
    nr_failed++;
    for (f = failure->pNext; f; f = f->pNext)
        more++;
    printf("FAIL %s/%s: %s:%u %s", suite->pName, test->pName,
           failure->strFileName ? failure->strFileName : "?", failure->uiLineNumber,
           failure->strCondition ? failure->strCondition : "?");
    if (more)
        printf(" (and %u more)", more);
    printf("\n");
}

static void suite_init_failed(const CU_pSuite suite)
{
    nr_failed++;
    printf("FAIL %s/init: suite initialisation failed\n", suite->pName);
}

int main(void)
{
    unsigned int i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "unit-tests: %s\n", CU_get_error_msg());
        return 2;
    }
    for (i = 0; i < ARRAY_SIZE(suites); i++)
        suites[i]();

    CU_set_test_complete_handler(test_complete);
    CU_set_suite_init_failure_handler(suite_init_failed);
    if (CU_run_all_tests() != CUE_SUCCESS) {
        fprintf(stderr, "unit-tests: %s\n", CU_get_error_msg());
        nr_failed++;
    }
    if (unit_setup_errors()) {
        printf("FAIL unit/registry: %u suites or tests could not be registered\n",
               unit_setup_errors());
        nr_failed++;
    }
    printf("unit-tests: done\n");
    CU_cleanup_registry();
    return nr_failed ? 1 : 0;
}
