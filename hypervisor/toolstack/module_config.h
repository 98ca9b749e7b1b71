/* SPDX-License-Identifier: MIT */
/*
 * The boot module string: "<path> [key=value ...] [-- <guest command line>]"
 * (grammar in docs/boot.md). Keys: name=<label>, mem=<size>[K|M|G],
 * consoles=<1-4>.
 */
#ifndef XENOLITH_MODULE_CONFIG_H
#define XENOLITH_MODULE_CONFIG_H

#include <stdint.h>

#define MODULE_NAME_MAX     32
#define MODULE_CMDLINE_MAX  1024 /* MAX_GUEST_CMDLINE in xen.h */
#define MODULE_DEFAULT_MEM  (32ULL << 20)
#define MODULE_MIN_MEM      (4ULL << 20)
#define MODULE_MAX_MEM      (64ULL << 30)
/* The start_info console plus device/console/1..3. */
#define MODULE_MAX_CONSOLES 4

struct module_config {
    char name[MODULE_NAME_MAX];       /* "" when not given */
    uint64_t mem_bytes;               /* MODULE_DEFAULT_MEM when not given */
    unsigned int consoles;            /* 1 (start_info's only) when not given */
    char cmdline[MODULE_CMDLINE_MAX]; /* after "--", NUL terminated */
};

/*
 * Parse `s` (NUL terminated). The first word is the module's path and is
 * skipped. Returns 0, or -XEN_EINVAL with *why set for an unknown key, a
 * malformed or out-of-range size, an over-long name or command line.
 */
int module_config_parse(const char *s, struct module_config *cfg, const char **why);

#endif
