/* SPDX-License-Identifier: MIT */
/*
 * The environment hypervisor/frames/page_type.c runs over in the host tests:
 * FAKE_FRAMES frames, each a struct page_info and 512 entries; frames at
 * and above FAKE_FRAMES are untracked (MMIO). Releases are recorded.
 */
#ifndef XENOLITH_TESTS_PAGE_TYPE_FAKE_H
#define XENOLITH_TESTS_PAGE_TYPE_FAKE_H

#include <stdint.h>
#include <xen/xen.h>

#include "frames/page_type.h"

#define FAKE_FRAMES 64

extern struct page_info fake_page[FAKE_FRAMES];
extern uint64_t fake_mem[FAKE_FRAMES][512];
extern unsigned int fake_released[FAKE_FRAMES]; /* page_release_frame calls */
extern uint64_t fake_hv_l4[512];                /* Xenolith's L4 (slots 256..271) */
/* Every n-th page_type_preempt_check() says stop (0: never); fake_reset
 * sets 0. */
extern unsigned int fake_preempt_every;

/* Every frame free; nothing released yet. */
void fake_reset(void);
/* Frame `mfn` allocated to `dom` (count 1, PGF_ALLOCATED), contents zeroed. */
void fake_alloc(uint64_t mfn, domid_t dom);

#endif
