/* SPDX-License-Identifier: MIT */
/*
 * module suite: the boot module string "<path> [name=..] [mem=..] [-- cmdline]".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "toolstack/module_config.h"
#include "unit.h"
#include "common/array_size.h"

static struct module_config cfg;
static const char *why;

static int parse(const char *s)
{
    why = "(not set)";
    unit_dump_input(s, strlen(s));
    return module_config_parse(s, &cfg, &why);
}

static void test_defaults(void)
{
    static const char *const strings[] = { "lithos.elf", "", "   lithos.elf   " };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(strings); i++) {
        ASSERT_INT(parse(strings[i]), 0);
        EXPECT_TRUE(why == NULL);
        EXPECT_STR(cfg.name, "");
        EXPECT_U64(cfg.mem_bytes, MODULE_DEFAULT_MEM);
        EXPECT_STR(cfg.cmdline, "");
        EXPECT_INT(cfg.consoles, 1);
    }
}

static void test_consoles(void)
{
    for (unsigned int n = 1; n <= MODULE_MAX_CONSOLES; n++) {
        char s[32];

        snprintf(s, sizeof(s), "x consoles=%u", n);
        ASSERT_INT(parse(s), 0);
        EXPECT_INT(cfg.consoles, n);
    }
}

static void test_all_keys(void)
{
    ASSERT_INT(parse("build/lithos.elf name=web-1.a_b mem=64M -- console=hvc0 root=/dev/xvda"), 0);
    EXPECT_STR(cfg.name, "web-1.a_b");
    EXPECT_U64(cfg.mem_bytes, 64ULL << 20);
    EXPECT_STR(cfg.cmdline, "console=hvc0 root=/dev/xvda");

    ASSERT_INT(parse("x\tmem=8M   name=b"), 0); /* any order, runs of blanks */
    EXPECT_STR(cfg.name, "b");
    EXPECT_U64(cfg.mem_bytes, 8ULL << 20);
}

static void test_sizes(void)
{
    static const struct {
        const char *s;
        uint64_t bytes;
    } cases[] = {
        { "x mem=4M", 4ULL << 20 },       { "x mem=4096K", 4ULL << 20 },
        { "x mem=4194304", 4ULL << 20 },  { "x mem=1G", 1ULL << 30 },
        { "x mem=64G", 64ULL << 30 },     { "x mem=0004M", 4ULL << 20 },
        { "x mem=4100K", 4100ULL << 10 },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        EXPECT_INT(parse(cases[i].s), 0);
        EXPECT_U64(cfg.mem_bytes, cases[i].bytes);
    }
}

static void test_name_lengths(void)
{
    char s[64] = "x name=";

    memset(s + 7, 'n', 31);
    s[7 + 31] = '\0';
    ASSERT_INT(parse(s), 0);
    EXPECT_U64(strlen(cfg.name), 31);
    s[7 + 31] = 'n';
    s[7 + 32] = '\0';
    EXPECT_INT(parse(s), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "1 to 31 characters");
}

static void test_cmdline(void)
{
    static const struct {
        const char *s;
        const char *cmdline;
    } cases[] = {
        { "x --", "" },
        { "x -- ", "" },
        { "x --  two spaces", " two spaces" },     /* only one separator is eaten */
        { "x -- a -- b name=c", "a -- b name=c" }, /* nothing after -- is an option */
        { "x name=a -- mem=1", "mem=1" },
        { "x --\tc", "c" },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        EXPECT_INT(parse(cases[i].s), 0);
        EXPECT_STR(cfg.cmdline, cases[i].cmdline);
    }
}

static void test_cmdline_length(void)
{
    static char s[MODULE_CMDLINE_MAX + 16];

    strcpy(s, "x -- ");
    memset(s + 5, 'c', MODULE_CMDLINE_MAX - 1);
    s[5 + MODULE_CMDLINE_MAX - 1] = '\0';
    ASSERT_INT(parse(s), 0);
    EXPECT_U64(strlen(cfg.cmdline), MODULE_CMDLINE_MAX - 1);
    s[5 + MODULE_CMDLINE_MAX - 1] = 'c';
    s[5 + MODULE_CMDLINE_MAX] = '\0';
    EXPECT_INT(parse(s), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "longer than 1023");
}

static void test_errors(void)
{
    static const struct {
        const char *s;
        const char *words;
    } cases[] = {
        { "x foo=1", "unknown option key" },
        { "x Name=a", "unknown option key" },
        { "x =a", "unknown option key" },
        { "x verbose", "not key=value" },
        { "x -", "not key=value" },
        { "x ---", "not key=value" },
        { "x name=", "1 to 31 characters" },
        { "x name=a/b", "may only hold" },
        { "x name=a=b", "may only hold" },
        { "x name=a name=b", "name= is given twice" },
        { "x mem=8M mem=8M", "mem= is given twice" },
        { "x mem=", "decimal size" },
        { "x mem=M", "decimal size" },
        { "x mem=12X", "decimal size" },
        { "x mem=8m", "decimal size" },
        { "x mem=-8M", "decimal size" },
        { "x mem=8MM", "decimal size" },
        { "x mem= 8M", "decimal size" },
        { "x mem=0x800000", "decimal size" },
        { "x mem=4097", "not a multiple of 4 KiB" },
        { "x mem=1023K", "not a multiple of 4 KiB" },
        { "x mem=0", "below the 4 MiB minimum" },
        { "x mem=4092K", "below the 4 MiB minimum" },
        { "x mem=65G", "above the 64 GiB maximum" },
        { "x mem=18446744073709547520", "above the 64 GiB maximum" },
        { "x mem=18446744073709551616", "overflows 64 bits" },
        { "x mem=99999999999999999999999", "overflows 64 bits" },
        { "x mem=17179869184G", "overflows 64 bits" },
        { "x mem=18014398509481984K", "overflows 64 bits" },
        { "x consoles=0", "count from 1 to 4" },
        { "x consoles=5", "count from 1 to 4" },
        { "x consoles=", "count from 1 to 4" },
        { "x consoles=02", "count from 1 to 4" },
        { "x consoles=-1", "count from 1 to 4" },
        { "x consoles=a", "count from 1 to 4" },
        { "x consoles=2 consoles=2", "consoles= is given twice" },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        EXPECT_TRUE_CASE(parse(cases[i].s) == -XEN_EINVAL, cases[i].s);
        EXPECT_SUBSTR(why, cases[i].words);
    }
}

static void test_null_why(void)
{
    EXPECT_INT(module_config_parse("x bad", &cfg, NULL), -XEN_EINVAL);
    EXPECT_INT(module_config_parse("x name=ok", &cfg, NULL), 0);
}

/* GRUB 2 passes a module's arguments without its path. */
static void test_without_path(void)
{
    ASSERT_INT(parse("name=a mem=8M -- quiet"), 0);
    EXPECT_STR(cfg.name, "a");
    EXPECT_U64(cfg.mem_bytes, 8ULL << 20);
    EXPECT_STR(cfg.cmdline, "quiet");

    ASSERT_INT(parse("-- quiet"), 0);
    EXPECT_STR(cfg.name, "");
    EXPECT_STR(cfg.cmdline, "quiet");

    ASSERT_INT(parse("--x name=b"), 0); /* a path that starts with "--" */
    EXPECT_STR(cfg.name, "b");
}

void register_module_tests(void)
{
    static const struct unit_test tests[] = {
        { "defaults", test_defaults },
        { "all_keys", test_all_keys },
        { "sizes", test_sizes },
        { "name_lengths", test_name_lengths },
        { "cmdline", test_cmdline },
        { "cmdline_length", test_cmdline_length },
        { "errors", test_errors },
        { "null_why", test_null_why },
        { "without_path", test_without_path },
        { "consoles", test_consoles },
    };

    UNIT_SUITE("module", tests);
}
