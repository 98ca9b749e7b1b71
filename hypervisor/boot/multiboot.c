// SPDX-License-Identifier: MIT
/* Multiboot 1 information: command line, memory map and modules. The
 * loader's structures are trusted only as far as their own sizes say. */
#include <stddef.h>
#include <string.h>
#include "arch/x86/boot_info.h"
#include "console/log.h"
#include "arch/x86/memlayout.h"

#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MODS    (1u << 3)
#define MBI_FLAG_MMAP    (1u << 6)
#define MMAP_TYPE_RAM    1
#define BOOT_MAP_LIMIT   (1ULL << 30) /* the boot page tables cover 1 GiB */

struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb1_module {
    uint32_t mod_start, mod_end, string, reserved;
} __attribute__((packed));

struct mb1_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

/* Before the direct map exists, low physical memory is reachable at
 * XEN_VIRT_START + paddr (see boot/head.S). */
static const void *boot_phys(uint64_t paddr, uint64_t len)
{
    if (paddr >= BOOT_MAP_LIMIT || len > BOOT_MAP_LIMIT - paddr)
        return NULL;
    return (const void *)(XEN_VIRT_START + paddr);
}

static void copy_string(char *dst, size_t size, uint32_t paddr)
{
    const char *src = boot_phys(paddr, 1);
    size_t i = 0;

    if (src)
        for (; i + 1 < size && paddr + i < BOOT_MAP_LIMIT && src[i]; i++)
            dst[i] = src[i];
    dst[i] = '\0';
}

static void parse_mmap(const struct mb1_info *mbi, struct boot_info *bi)
{
    const uint8_t *p = boot_phys(mbi->mmap_addr, mbi->mmap_length);
    uint32_t off = 0;

    if (!p)
        return;
    while (off + sizeof(struct mb1_mmap_entry) <= mbi->mmap_length) {
        const struct mb1_mmap_entry *e = (const void *)(p + off);

        if (bi->nr_e820 < BOOT_MAX_RAM_RANGES)
            bi->e820[bi->nr_e820++] = (struct boot_e820){ e->addr, e->len, e->type };
        if (e->type == MMAP_TYPE_RAM && e->len && bi->nr_ram < BOOT_MAX_RAM_RANGES &&
            e->addr + e->len > e->addr) {
            bi->ram[bi->nr_ram].start = e->addr;
            bi->ram[bi->nr_ram].end = e->addr + e->len;
            bi->nr_ram++;
        }
        off += e->size + sizeof(e->size);
    }
}

int multiboot_parse(uint32_t mbi_paddr, struct boot_info *bi)
{
    const struct mb1_info *mbi = boot_phys(mbi_paddr, sizeof(*mbi));

    memset(bi, 0, sizeof(*bi));
    if (!mbi)
        return -1;
    if (mbi->flags & MBI_FLAG_CMDLINE)
        copy_string(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline);
    if (!(mbi->flags & MBI_FLAG_MMAP))
        return -1;
    parse_mmap(mbi, bi);

    if (mbi->flags & MBI_FLAG_MODS) {
        const struct mb1_module *m = boot_phys(mbi->mods_addr,
                                               (uint64_t)mbi->mods_count * sizeof(*m));

        for (uint32_t i = 0; m && i < mbi->mods_count; i++) {
            struct boot_module *bm;

            if (bi->nr_modules == BOOT_MAX_MODULES) {
                log_warn("boot: more than %d modules, ignoring the rest\n", BOOT_MAX_MODULES);
                break;
            }
            bm = &bi->module[bi->nr_modules++];
            bm->start = m[i].mod_start;
            bm->end = m[i].mod_end > m[i].mod_start ? m[i].mod_end : m[i].mod_start;
            copy_string(bm->string, sizeof(bm->string), m[i].string);
        }
    }
    return 0;
}
