/* SPDX-License-Identifier: MIT */
/* Machine memory: the global frame allocator over the boot memory map, and
 * per-frame bookkeeping (owner and use) that mapping checks rely on. */
#ifndef XENOLITH_MEMORY_H
#define XENOLITH_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include "boot/boot_info.h"
#include "frame_alloc.h"

/* What a frame is used for. Only frames of type FRAME_PT_L* are page tables,
 * and those are never mapped writable by a guest. */
enum frame_type {
    FRAME_UNTYPED,
    FRAME_PT_L1, FRAME_PT_L2, FRAME_PT_L3, FRAME_PT_L4,
    FRAME_WRITABLE,
    FRAME_SEGDESC,
};

struct frame_info {
    domid_t  owner;      /* DOMID_INVALID when free, DOMID_XEN for Xenolith */
    uint8_t  type;       /* enum frame_type */
    uint8_t  pad;
};

extern struct frame_allocator machine_frames;
extern uint64_t max_mfn;             /* frames [0, max_mfn) are described */

/* Builds the allocator; reserves low memory, the image and the modules. */
void memory_init(const struct boot_info *bi);
/* Allocates the frame_info table once the direct map exists. */
void frame_info_init(void);

struct frame_info *frame_info(uint64_t mfn);     /* NULL when mfn >= max_mfn */

/* A zeroed frame owned by `owner`, or FRAME_NONE. */
uint64_t frame_alloc_owned(domid_t owner, enum frame_type type);
void frame_release(uint64_t mfn);

static inline bool frame_owned_by(uint64_t mfn, domid_t d)
{
    const struct frame_info *fi = frame_info(mfn);
    return fi && fi->owner == d;
}

#endif
