/* SPDX-License-Identifier: MIT */
/* What the boot loader told us, copied out of the Multiboot structures
 * before the boot identity map that reaches them goes away. */
#ifndef XENOLITH_BOOT_INFO_H
#define XENOLITH_BOOT_INFO_H

#include <stdint.h>

#define BOOT_MAX_RAM_RANGES 64
#define BOOT_MAX_MODULES    16
#define BOOT_STRING_MAX     1100 /* a module string: path, options, guest cmdline */

struct boot_range {
    uint64_t start, end; /* physical, [start, end) */
};

/* One entry of the firmware's memory map, as given (e820 types). */
struct boot_e820 {
    uint64_t addr, size;
    uint32_t type;
};

struct boot_module {
    uint64_t start, end; /* physical, [start, end) */
    char string[BOOT_STRING_MAX];
};

struct boot_info {
    char cmdline[256];
    unsigned int nr_ram;
    struct boot_range ram[BOOT_MAX_RAM_RANGES];
    unsigned int nr_e820;
    struct boot_e820 e820[BOOT_MAX_RAM_RANGES];
    unsigned int nr_modules;
    struct boot_module module[BOOT_MAX_MODULES];
};

/* What start_xenolith() read at boot. */
extern struct boot_info boot_info;

/* Reads the Multiboot 1 information at physical address mbi (below 1 GiB,
 * reached through the boot mapping). Returns 0 or -1 when it is unusable. */
int multiboot_parse(uint32_t mbi, struct boot_info *bi);

#endif
