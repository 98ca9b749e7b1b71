/* SPDX-License-Identifier: MIT */
/*
 * The frames a test guest owns by its start-of-day p2m, sorted once so that
 * "is this frame mine" is a binary search. At most OWN_FRAMES_MAX frames: a
 * larger domain's later pfns are not listed.
 */
#ifndef TESTS_GUEST_LIB_OWN_FRAMES_H
#define TESTS_GUEST_LIB_OWN_FRAMES_H

#include <stdbool.h>

#define OWN_FRAMES_MAX (1 << 15)

/* Copies and sorts the p2m (shell sort: no allocator, no recursion). */
void own_frames_init(void);
/* True when mfn is in the p2m; shared_info and the grant table are not. */
bool own_frames_has(unsigned long mfn);

#endif
