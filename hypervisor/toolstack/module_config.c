/* SPDX-License-Identifier: MIT */
/*
 * Parser for the boot module string "<path> [key=value ...] [-- <cmdline>]".
 * Strict: a typo in a key or size must stop that guest with a clear reason
 * rather than boot it with a default the user did not ask for.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>

#include "toolstack/module_config.h"
#include "common/array_size.h"

#define PAGE_4K 4096ULL

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

static int parse_name(const char *v, size_t len, struct module_config *cfg, const char **why)
{
    size_t i;

    if (len == 0 || len > MODULE_NAME_MAX - 1) {
        *why = "module: name= must be 1 to 31 characters";
        return -XEN_EINVAL;
    }
    for (i = 0; i < len; i++)
        if (!is_label_char(v[i])) {
            *why = "module: name= may only hold letters, digits, '_', '.' and '-'";
            return -XEN_EINVAL;
        }
    memcpy(cfg->name, v, len);
    cfg->name[len] = '\0';
    return 0;
}

/* Size suffixes as shifts; no suffix means bytes. */
static const struct {
    char suffix;
    unsigned int shift;
} size_units[] = {
    { 'K', 10 },
    { 'M', 20 },
    { 'G', 30 },
};

static int parse_mem(const char *v, size_t len, struct module_config *cfg, const char **why)
{
    uint64_t n = 0;
    unsigned int shift = 0;
    size_t i, digits = len;

    if (len && !(v[len - 1] >= '0' && v[len - 1] <= '9')) {
        for (i = 0; i < ARRAY_SIZE(size_units); i++)
            if (v[len - 1] == size_units[i].suffix)
                break;
        if (i == ARRAY_SIZE(size_units)) {
            *why = "module: mem= takes a decimal size with an optional K, M or G";
            return -XEN_EINVAL;
        }
        shift = size_units[i].shift;
        digits = len - 1;
    }
    if (digits == 0) {
        *why = "module: mem= takes a decimal size with an optional K, M or G";
        return -XEN_EINVAL;
    }
    for (i = 0; i < digits; i++) {
        unsigned int d = (unsigned int)(v[i] - '0');

        if (v[i] < '0' || v[i] > '9') {
            *why = "module: mem= takes a decimal size with an optional K, M or G";
            return -XEN_EINVAL;
        }
        if (n > (UINT64_MAX - d) / 10) {
            *why = "module: mem= overflows 64 bits";
            return -XEN_EINVAL;
        }
        n = n * 10 + d;
    }
    if (n > UINT64_MAX >> shift) {
        *why = "module: mem= overflows 64 bits";
        return -XEN_EINVAL;
    }
    n <<= shift;
    if (n % PAGE_4K)
        *why = "module: mem= is not a multiple of 4 KiB";
    else if (n < MODULE_MIN_MEM)
        *why = "module: mem= is below the 4 MiB minimum";
    else if (n > MODULE_MAX_MEM)
        *why = "module: mem= is above the 64 GiB maximum";
    else {
        cfg->mem_bytes = n;
        return 0;
    }
    return -XEN_EINVAL;
}

static int parse_consoles(const char *v, size_t len, struct module_config *cfg, const char **why)
{
    if (len != 1 || v[0] < '1' || v[0] > '0' + MODULE_MAX_CONSOLES) {
        *why = "module: consoles= takes a count from 1 to 4";
        return -XEN_EINVAL;
    }
    cfg->consoles = (unsigned int)(v[0] - '0');
    return 0;
}

/* First '=' in tok[0, len), or NULL: memchr is not in the hypervisor's libc subset. */
static const char *find_eq(const char *tok, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (tok[i] == '=')
            return tok + i;
    return NULL;
}

static const struct {
    const char *key;
    int (*parse)(const char *v, size_t len, struct module_config *cfg, const char **why);
    const char *twice;
} module_keys[] = {
    { "name", parse_name, "module: name= is given twice" },
    { "mem", parse_mem, "module: mem= is given twice" },
    { "consoles", parse_consoles, "module: consoles= is given twice" },
};
#define NR_MODULE_KEYS (ARRAY_SIZE(module_keys))

int module_config_parse(const char *s, struct module_config *cfg, const char **why)
{
    bool seen[NR_MODULE_KEYS] = { false };
    const char *reason = NULL;
    int rc = 0;

    memset(cfg, 0, sizeof(*cfg));
    cfg->mem_bytes = MODULE_DEFAULT_MEM;
    cfg->consoles = 1;

    /* The path is skipped unread. QEMU and GRUB legacy put it first; GRUB 2
     * passes only the arguments, so a first word that is an option or "--"
     * is kept. An empty string gets every default. */
    while (is_space(*s))
        s++;
    {
        const char *w = s;

        while (*w && !is_space(*w) && *w != '=')
            w++;
        if (*w != '=' && !(s[0] == '-' && s[1] == '-' && (!s[2] || is_space(s[2]))))
            s = w;
    }

    for (;;) {
        const char *tok, *eq;
        size_t len, klen, i;

        while (is_space(*s))
            s++;
        if (!*s)
            break;
        tok = s;
        while (*s && !is_space(*s))
            s++;
        len = (size_t)(s - tok);

        if (len == 2 && tok[0] == '-' && tok[1] == '-') {
            /* One separator is eaten; anything else belongs to the guest. */
            if (*s)
                s++;
            if (strlen(s) > MODULE_CMDLINE_MAX - 1) {
                reason = "module: the guest command line is longer than 1023 characters";
                rc = -XEN_EINVAL;
                goto out;
            }
            memcpy(cfg->cmdline, s, strlen(s) + 1);
            break;
        }

        eq = find_eq(tok, len);
        if (!eq) {
            reason = "module: option is not key=value (use -- before the guest command line)";
            rc = -XEN_EINVAL;
            goto out;
        }
        klen = (size_t)(eq - tok);
        for (i = 0; i < NR_MODULE_KEYS; i++)
            if (strlen(module_keys[i].key) == klen && !strncmp(module_keys[i].key, tok, klen))
                break;
        if (i == NR_MODULE_KEYS) {
            reason = "module: unknown option key (known: name, mem, consoles)";
            rc = -XEN_EINVAL;
            goto out;
        }
        if (seen[i]) {
            reason = module_keys[i].twice;
            rc = -XEN_EINVAL;
            goto out;
        }
        seen[i] = true;
        rc = module_keys[i].parse(eq + 1, len - klen - 1, cfg, &reason);
        if (rc)
            goto out;
    }

out:
    if (why)
        *why = rc ? reason : NULL;
    return rc;
}
