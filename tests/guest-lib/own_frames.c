/* SPDX-License-Identifier: MIT */
/* The guest's own frames, sorted (own_frames.h). */
#include "tests/guest-lib/own_frames.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"

static unsigned long own[OWN_FRAMES_MAX];
static unsigned long nr_own;

void own_frames_init(void)
{
    unsigned long n = test_start_info->nr_pages;

    if (n > OWN_FRAMES_MAX)
        n = OWN_FRAMES_MAX;
    for (unsigned long i = 0; i < n; i++)
        own[i] = pfn_to_mfn(i);
    for (unsigned long gap = n / 2; gap; gap /= 2)
        for (unsigned long i = gap; i < n; i++)
            for (unsigned long j = i; j >= gap && own[j - gap] > own[j]; j -= gap) {
                unsigned long t = own[j];

                own[j] = own[j - gap];
                own[j - gap] = t;
            }
    nr_own = n;
}

bool own_frames_has(unsigned long mfn)
{
    unsigned long lo = 0, hi = nr_own;

    while (lo < hi) {
        unsigned long mid = (lo + hi) / 2;

        if (own[mid] == mfn)
            return true;
        if (own[mid] < mfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}
