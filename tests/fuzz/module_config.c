/* SPDX-License-Identifier: MIT */
/*
 * module_config_parse() over arbitrary strings (the input up to its first
 * NUL). A refusal must give a reason. An accepted string must give a
 * config within docs/boot.md's grammar (a 1-31 character label, a size
 * that is a multiple of 4 KiB in 4 MiB .. 64 GiB, 1-4 consoles, a command
 * line under 1024 bytes that ends the input), the same config when parsed
 * again, and the same config from the canonical module string written
 * back from it, options in either order.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "toolstack/module_config.h"
#include "tests/fuzz/fuzz_check.h"

static bool is_label(const char *s)
{
    size_t len = strlen(s);

    return len >= 1 && len <= MODULE_NAME_MAX - 1 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == len;
}

static void check_config(const struct module_config *c, const char *input)
{
    size_t in_len = strlen(input), cmd_len;

    FUZZ_CHECK(memchr(c->name, '\0', sizeof(c->name)) != NULL, "name without its NUL");
    FUZZ_CHECK(c->name[0] == '\0' || is_label(c->name), "name '%s'", c->name);
    FUZZ_CHECK(c->mem_bytes % 4096 == 0 && c->mem_bytes >= MODULE_MIN_MEM &&
                   c->mem_bytes <= MODULE_MAX_MEM,
               "mem %llu", (unsigned long long)c->mem_bytes);
    FUZZ_CHECK(c->consoles >= 1 && c->consoles <= MODULE_MAX_CONSOLES, "consoles %u", c->consoles);
    FUZZ_CHECK(memchr(c->cmdline, '\0', sizeof(c->cmdline)) != NULL, "cmdline without its NUL");
    cmd_len = strlen(c->cmdline);
    FUZZ_CHECK(cmd_len <= in_len && !strcmp(input + in_len - cmd_len, c->cmdline),
               "cmdline '%s' is not the end of the input", c->cmdline);
}

/* The config as a module string, with the options in one of two orders. */
static void write_back(const struct module_config *c, bool reversed, char *buf, size_t len)
{
    char name[MODULE_NAME_MAX + 8] = "", mem[32], consoles[16];
    int n;

    if (c->name[0])
        snprintf(name, sizeof(name), " name=%s", c->name);
    snprintf(mem, sizeof(mem), " mem=%llu", (unsigned long long)c->mem_bytes);
    snprintf(consoles, sizeof(consoles), " consoles=%u", c->consoles);
    n = snprintf(buf, len, "path%s%s%s%s%s", reversed ? consoles : name, mem,
                 reversed ? name : consoles, c->cmdline[0] ? " -- " : "", c->cmdline);
    FUZZ_CHECK(n > 0 && (size_t)n < len, "write-back of %d bytes", n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct module_config cfg, again;
    static char back[2 * MODULE_CMDLINE_MAX];
    /* An exact-size copy: ASan sees any read past the terminator. */
    char *s = malloc(size + 1);
    const char *why = "(unset)";
    int rc;
    unsigned int order;

    FUZZ_CHECK(s != NULL, "malloc");
    memcpy(s, data, size);
    s[size] = '\0';

    rc = module_config_parse(s, &cfg, &why);
    FUZZ_CHECK(rc == 0 || rc == -XEN_EINVAL, "rc %d", rc);
    FUZZ_CHECK(module_config_parse(s, &again, NULL) == rc, "a second parse disagrees");
    if (rc) {
        FUZZ_CHECK(why != NULL && why[0] != '\0', "a refusal without a reason");
        goto out;
    }
    FUZZ_CHECK(why == NULL, "a reason on success");
    FUZZ_CHECK(!memcmp(&cfg, &again, sizeof(cfg)), "two parses give two configs");
    check_config(&cfg, s);

    for (order = 0; order < 2; order++) {
        write_back(&cfg, order, back, sizeof(back));
        FUZZ_CHECK(module_config_parse(back, &again, &why) == 0, "'%s' refused: %s", back, why);
        FUZZ_CHECK(!memcmp(&cfg, &again, sizeof(cfg)), "'%s' parses differently", back);
    }
out:
    free(s);
    return 0;
}
