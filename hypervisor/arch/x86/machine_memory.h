/* SPDX-License-Identifier: MIT */
/* The machine's RAM: the free-frame bitmap built from the boot memory map
 * (low memory, the image and the modules reserved). Its frames carry no
 * owner here; the frame table (frames/frame_table.h) records that. */
#ifndef XENOLITH_MACHINE_MEMORY_H
#define XENOLITH_MACHINE_MEMORY_H

#include <stdint.h>
#include "arch/x86/boot_info.h"
#include "lib/frame_alloc.h"

extern struct frame_allocator machine_frames;
extern uint64_t max_mfn; /* frames [0, max_mfn) are described */

/* Builds the allocator; reserves low memory, the image and the modules. */
void memory_init(const struct boot_info *bi);

#endif
