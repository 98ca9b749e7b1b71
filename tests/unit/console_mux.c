/* SPDX-License-Identifier: MIT */
/*
 * console_mux suite: hypervisor/console/console_mux.c. Output: "(dN) " tags, two
 * domains' partial lines never interleaved, long lines split, CR and NUL
 * dropped. Input: routing to the focused domain only, Ctrl-A x3 cycling and
 * Ctrl-A x2 + another byte delivered, focus moving on from a removed domain,
 * full queues dropping and counting.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "console/console_mux.h"
#include "unit.h"

#define CTRL_A "\x01"

/* Everything emitted since the last reset, and how many emit calls. */
static char seen[8192];
static size_t seen_len;
static unsigned int nr_emits;
static bool emit_not_whole_line;

static void capture(const char *line, size_t len)
{
    nr_emits++;
    if (len == 0 || line[len - 1] != '\n' || memchr(line, '\n', len - 1))
        emit_not_whole_line = true;
    CU_ASSERT_FATAL(seen_len + len < sizeof(seen));
    memcpy(seen + seen_len, line, len);
    seen_len += len;
    seen[seen_len] = 0;
}

static void reset_seen(void)
{
    seen_len = 0;
    seen[0] = 0;
    nr_emits = 0;
    emit_not_whole_line = false;
}

static struct console_mux mux;

/* Domains 1 and 2, focus on d1, its notice already discarded. */
static void mux_two(void)
{
    console_mux_init(&mux, capture);
    ASSERT_INT(console_mux_add_domain(&mux, 1), 0);
    ASSERT_INT(console_mux_add_domain(&mux, 2), 0);
    reset_seen();
}

static void out(domid_t id, const char *s)
{
    EXPECT_INT(console_mux_output(&mux, id, s, strlen(s)), 0);
}

static void type(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_mux_input_byte(&mux, (uint8_t)s[i]);
}

/* Drains domain id's queue as a string. */
static const char *taken(domid_t id)
{
    static char buf[CONSOLE_MUX_INPUT * 2 + 1];
    int n = console_mux_take_input(&mux, id, buf, sizeof(buf) - 1);

    if (n < 0)
        snprintf(buf, sizeof(buf), "rc=%d", n);
    else
        buf[n] = 0;
    return buf;
}

static const char *notice(domid_t id)
{
    static char buf[96];

    snprintf(buf, sizeof(buf), "(xenolith) input to d%u (type Ctrl-A three times to switch)\n", id);
    return buf;
}

static void test_tag(void)
{
    mux_two();
    out(1, "hello\n");
    out(2, "world\n");
    EXPECT_STR(seen, "(d1) hello\n(d2) world\n");
    EXPECT_INT(nr_emits, 2);
    EXPECT_TRUE(!emit_not_whole_line);
    out(1, "\n");
    EXPECT_STR(seen, "(d1) hello\n(d2) world\n(d1) \n");
}

static void test_partial_lines_interleaved(void)
{
    mux_two();
    out(1, "one ");
    out(2, "two ");
    EXPECT_STR(seen, "");
    out(1, "three\nfou");
    out(2, "four\n");
    out(1, "r\n");
    EXPECT_STR(seen, "(d1) one three\n(d2) two four\n(d1) four\n");
    EXPECT_TRUE(!emit_not_whole_line);
}

static void test_long_line(void)
{
    char line[CONSOLE_MUX_LINE * 2 + 10], want[sizeof(line) + 32];

    mux_two();
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = 0;
    out(2, line);
    /* Exactly two full pieces so far; the 9 left wait for their newline. */
    EXPECT_INT(nr_emits, 2);
    EXPECT_U64(seen_len, 2 * (5 + CONSOLE_MUX_LINE + 1));
    out(2, "\n");
    snprintf(want, sizeof(want), "(d2) %.*s\n(d2) %.*s\n(d2) xxxxxxxxx\n", CONSOLE_MUX_LINE, line,
             CONSOLE_MUX_LINE, line);
    EXPECT_STR(seen, want);
    EXPECT_TRUE(!emit_not_whole_line);
}

static void test_line_exactly_full(void)
{
    char line[CONSOLE_MUX_LINE + 2];

    mux_two();
    memset(line, 'y', CONSOLE_MUX_LINE);
    line[CONSOLE_MUX_LINE] = '\n';
    line[CONSOLE_MUX_LINE + 1] = 0;
    /* As console_io.c always did: the full buffer is printed, then the
     * newline ends an empty line. */
    out(1, line);
    EXPECT_INT(nr_emits, 2);
    EXPECT_STR(seen + seen_len - 6, "(d1) \n");
}

static void test_cr_nul_dropped(void)
{
    static const char s[] = "a\rb\0c\r\n";

    mux_two();
    EXPECT_INT(console_mux_output(&mux, 1, s, sizeof(s) - 1), 0);
    EXPECT_STR(seen, "(d1) abc\n");
}

/* The function console_io.c calls, over a domain-owned buffer. */
static void test_line_put_own_buffer(void)
{
    char buf[4];
    size_t len = 0;

    reset_seen();
    console_line_put(buf, sizeof(buf), &len, 7, "ab\r", 3, capture);
    EXPECT_U64(len, 2);
    console_line_put(buf, sizeof(buf), &len, 7, "cdef\n", 5, capture);
    EXPECT_STR(seen, "(d7) abcd\n(d7) ef\n");
    EXPECT_U64(len, 0);
}

/* A console device's lines carry its own tag. */
static void test_line_put_tagged(void)
{
    char buf[CONSOLE_MUX_LINE];
    size_t len = 0;

    reset_seen();
    console_line_put_tagged(buf, sizeof(buf), &len, "(d3.1) ", "one\ntw", 6, capture);
    console_line_put_tagged(buf, sizeof(buf), &len, "(d3.1) ", "o\n", 2, capture);
    EXPECT_STR(seen, "(d3.1) one\n(d3.1) two\n");
    EXPECT_U64(len, 0);
}

static void test_output_unknown_domain(void)
{
    mux_two();
    EXPECT_INT(console_mux_output(&mux, 3, "x\n", 2), -XEN_ESRCH);
    EXPECT_STR(seen, "");
}

static void test_first_domain_takes_focus(void)
{
    console_mux_init(&mux, capture);
    reset_seen();
    EXPECT_INT(console_mux_focus(&mux), DOMID_INVALID);
    ASSERT_INT(console_mux_add_domain(&mux, 4), 0);
    EXPECT_INT(console_mux_focus(&mux), 4);
    EXPECT_STR(seen, notice(4));
    ASSERT_INT(console_mux_add_domain(&mux, 5), 0);
    EXPECT_INT(console_mux_focus(&mux), 4);
    EXPECT_INT(nr_emits, 1);
    EXPECT_INT(console_mux_add_domain(&mux, 5), -XEN_EEXIST);
    EXPECT_INT(console_mux_add_domain(&mux, DOMID_INVALID), -XEN_EINVAL);
}

static void test_slots_full(void)
{
    console_mux_init(&mux, capture);
    for (domid_t id = 0; id < CONSOLE_MUX_SLOTS; id++)
        ASSERT_INT(console_mux_add_domain(&mux, id), 0);
    EXPECT_INT(console_mux_add_domain(&mux, 100), -XEN_ENOSPC);
    ASSERT_INT(console_mux_remove_domain(&mux, 3), 0);
    EXPECT_INT(console_mux_add_domain(&mux, 100), 0);
}

static void test_input_to_focus_only(void)
{
    mux_two();
    type("ls\n", 3);
    EXPECT_STR(taken(1), "ls\n");
    EXPECT_STR(taken(2), "");
    EXPECT_STR(taken(1), "");
    EXPECT_STR(taken(9), "rc=-3");
    EXPECT_STR(seen, "");
}

static void test_ctrl_a_cycles(void)
{
    char want[512];

    console_mux_init(&mux, capture);
    /* Added out of order: cycling follows domain ids, not slots. */
    ASSERT_INT(console_mux_add_domain(&mux, 2), 0);
    ASSERT_INT(console_mux_add_domain(&mux, 5), 0);
    ASSERT_INT(console_mux_add_domain(&mux, 1), 0);
    reset_seen();

    type(CTRL_A CTRL_A CTRL_A, 3);
    EXPECT_INT(console_mux_focus(&mux), 5);
    type(CTRL_A CTRL_A CTRL_A, 3);
    EXPECT_INT(console_mux_focus(&mux), 1);
    type(CTRL_A CTRL_A CTRL_A, 3);
    EXPECT_INT(console_mux_focus(&mux), 2);
    snprintf(want, sizeof(want), "%s", notice(5));
    snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s", notice(1));
    snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s", notice(2));
    EXPECT_STR(seen, want);
    EXPECT_TRUE(!emit_not_whole_line);
    /* The switch bytes are swallowed. */
    EXPECT_STR(taken(1), "");
    EXPECT_STR(taken(2), "");
    EXPECT_STR(taken(5), "");

    type("p", 1);
    EXPECT_STR(taken(2), "p");
}

static void test_ctrl_a_twice_then_byte(void)
{
    mux_two();
    type(CTRL_A CTRL_A "x", 3);
    EXPECT_INT(console_mux_focus(&mux), 1);
    EXPECT_STR(taken(1), CTRL_A CTRL_A "x");
    type(CTRL_A "y", 2);
    EXPECT_STR(taken(1), CTRL_A "y");
    /* The count starts again after a byte that is not Ctrl-A. */
    type(CTRL_A CTRL_A "z" CTRL_A, 4);
    EXPECT_INT(console_mux_focus(&mux), 1);
    EXPECT_STR(taken(1), CTRL_A CTRL_A "z");
    type(CTRL_A CTRL_A, 2);
    EXPECT_INT(console_mux_focus(&mux), 2);
    EXPECT_STR(taken(1), "");
    EXPECT_STR(taken(2), "");
    EXPECT_STR(seen, notice(2));
}

static void test_ctrl_a_six_times(void)
{
    mux_two();
    type(CTRL_A CTRL_A CTRL_A CTRL_A CTRL_A CTRL_A, 6);
    EXPECT_INT(console_mux_focus(&mux), 1);
    EXPECT_INT(nr_emits, 2);
    EXPECT_STR(taken(1), "");
}

static void test_remove_focused_moves_on(void)
{
    char want[256];

    console_mux_init(&mux, capture);
    ASSERT_INT(console_mux_add_domain(&mux, 1), 0);
    ASSERT_INT(console_mux_add_domain(&mux, 2), 0);
    ASSERT_INT(console_mux_add_domain(&mux, 3), 0);
    type(CTRL_A CTRL_A CTRL_A, 3);
    ASSERT_INT(console_mux_focus(&mux), 2);
    type("lost", 4);
    out(2, "last words");
    reset_seen();

    /* Removing another domain leaves the focus where it is. */
    EXPECT_INT(console_mux_remove_domain(&mux, 1), 0);
    EXPECT_INT(console_mux_focus(&mux), 2);
    EXPECT_STR(seen, "");

    EXPECT_INT(console_mux_remove_domain(&mux, 2), 0);
    EXPECT_INT(console_mux_focus(&mux), 3);
    snprintf(want, sizeof(want), "(d2) last words\n%s", notice(3));
    EXPECT_STR(seen, want);
    EXPECT_STR(taken(2), "rc=-3");
    EXPECT_INT(console_mux_remove_domain(&mux, 2), -XEN_ESRCH);

    /* The highest id wraps to the lowest. */
    ASSERT_INT(console_mux_add_domain(&mux, 1), 0);
    EXPECT_INT(console_mux_remove_domain(&mux, 3), 0);
    EXPECT_INT(console_mux_focus(&mux), 1);

    /* The last one leaves no focus, and input has nowhere to go. */
    reset_seen();
    EXPECT_INT(console_mux_remove_domain(&mux, 1), 0);
    EXPECT_INT(console_mux_focus(&mux), DOMID_INVALID);
    EXPECT_STR(seen, "");
    type("q" CTRL_A CTRL_A CTRL_A, 4);
    EXPECT_U64(mux.unfocused_dropped, 1);
    EXPECT_STR(seen, "");

    /* A re-added id starts clean: no stale line or input. */
    ASSERT_INT(console_mux_add_domain(&mux, 2), 0);
    EXPECT_STR(taken(2), "");
    out(2, "new\n");
    snprintf(want, sizeof(want), "%s(d2) new\n", notice(2));
    EXPECT_STR(seen, want);
}

static void test_queue_full(void)
{
    char buf[CONSOLE_MUX_INPUT + 8];
    int n;

    mux_two();
    for (unsigned int i = 0; i < CONSOLE_MUX_INPUT + 5; i++)
        console_mux_input_byte(&mux, (uint8_t)('a' + i % 26));
    EXPECT_U64(console_mux_input_dropped(&mux, 1), 5);
    EXPECT_U64(console_mux_input_dropped(&mux, 2), 0);
    /* Taken in part, oldest first; the freed space takes new bytes. */
    n = console_mux_take_input(&mux, 1, buf, 3);
    ASSERT_INT(n, 3);
    EXPECT_TRUE(memcmp(buf, "abc", 3) == 0);
    type("XYZW", 4);
    EXPECT_U64(console_mux_input_dropped(&mux, 1), 6);
    n = console_mux_take_input(&mux, 1, buf, sizeof(buf));
    ASSERT_INT(n, CONSOLE_MUX_INPUT);
    EXPECT_INT(buf[0], 'd');
    EXPECT_INT(buf[CONSOLE_MUX_INPUT - 4], 'a' + (CONSOLE_MUX_INPUT - 1) % 26);
    EXPECT_TRUE(memcmp(buf + CONSOLE_MUX_INPUT - 3, "XYZ", 3) == 0);
    /* Ctrl-As held before a full queue are dropped and counted too. */
    for (unsigned int i = 0; i < CONSOLE_MUX_INPUT - 1; i++)
        console_mux_input_byte(&mux, 'k');
    type(CTRL_A CTRL_A "m", 3);
    EXPECT_U64(console_mux_input_dropped(&mux, 1), 8);
}

static const struct unit_test tests[] = {
    { "tag", test_tag },
    { "partial_lines_interleaved", test_partial_lines_interleaved },
    { "long_line", test_long_line },
    { "line_exactly_full", test_line_exactly_full },
    { "cr_nul_dropped", test_cr_nul_dropped },
    { "line_put_own_buffer", test_line_put_own_buffer },
    { "line_put_tagged", test_line_put_tagged },
    { "output_unknown_domain", test_output_unknown_domain },
    { "first_domain_takes_focus", test_first_domain_takes_focus },
    { "slots_full", test_slots_full },
    { "input_to_focus_only", test_input_to_focus_only },
    { "ctrl_a_cycles", test_ctrl_a_cycles },
    { "ctrl_a_twice_then_byte", test_ctrl_a_twice_then_byte },
    { "ctrl_a_six_times", test_ctrl_a_six_times },
    { "remove_focused_moves_on", test_remove_focused_moves_on },
    { "queue_full", test_queue_full },
};

void register_console_mux_tests(void)
{
    UNIT_SUITE("console_mux", tests);
}
