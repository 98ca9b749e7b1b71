// SPDX-License-Identifier: MIT
/* The machine's RAM as the boot memory map describes it: one bitmap of
 * free frames, from which Xenolith's page tables, the frame table and
 * every guest frame are taken. */
#include <stdint.h>
#include "console/log.h"
#include "arch/x86/machine_memory.h"
#include "arch/x86/memlayout.h"

/* 64 GiB of RAM: a static bitmap keeps boot simple; frames above are
 * left unused and reported. */
#define MAX_FRAMES (64ULL << 30 >> FRAME_SHIFT)
#define LOW_MEMORY (1ULL << 20) /* BIOS and real-mode structures */

static uint64_t frame_bitmap[MAX_FRAMES / 64];
struct frame_allocator machine_frames;
uint64_t max_mfn;

extern char __image_start[], __image_end[];

static uint64_t pfn_up(uint64_t addr)
{
    return (addr + FRAME_SIZE - 1) >> FRAME_SHIFT;
}
static uint64_t pfn_down(uint64_t addr)
{
    return addr >> FRAME_SHIFT;
}

void memory_init(const struct boot_info *bi)
{
    uint64_t top = 0;

    for (unsigned int i = 0; i < bi->nr_ram; i++)
        if (bi->ram[i].end > top)
            top = bi->ram[i].end;
    max_mfn = pfn_down(top);
    if (max_mfn > MAX_FRAMES) {
        log_warn("memory: using the first %llu GiB of %llu MiB\n", MAX_FRAMES >> (30 - FRAME_SHIFT),
                 (unsigned long long)(top >> 20));
        max_mfn = MAX_FRAMES;
    }
    frame_allocator_init(&machine_frames, frame_bitmap, max_mfn);

    for (unsigned int i = 0; i < bi->nr_ram; i++) {
        uint64_t first = pfn_up(bi->ram[i].start), end = pfn_down(bi->ram[i].end);
        if (end > first)
            frame_range_free(&machine_frames, first, end - first);
    }
    frame_range_reserve(&machine_frames, 0, pfn_up(LOW_MEMORY));
    frame_range_reserve(&machine_frames, pfn_down(image_virt_to_maddr(__image_start)),
                        pfn_up(image_virt_to_maddr(__image_end)) -
                            pfn_down(image_virt_to_maddr(__image_start)));
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        frame_range_reserve(&machine_frames, pfn_down(bi->module[i].start),
                            pfn_up(bi->module[i].end) - pfn_down(bi->module[i].start));
    log_info("memory: %llu MiB free of %llu MiB\n",
             (unsigned long long)(machine_frames.nr_free >> (20 - FRAME_SHIFT)),
             (unsigned long long)(top >> 20));
}
