/* SPDX-License-Identifier: MIT */
/* The XENFEAT_* bits Xenolith implements: what a kernel's required
 * features are checked against, and what XENVER_get_features reports. */
#ifndef XENOLITH_FEATURE_SET_H
#define XENOLITH_FEATURE_SET_H

#include <stdint.h>
#include <xen/features.h>

struct domain;

/* Features offered to every PV guest, as a XENFEAT_NR_SUBMAPS bitmap. */
extern const uint32_t xenolith_features[XENFEAT_NR_SUBMAPS];

uint32_t features_for_domain(const struct domain *d, unsigned int submap_idx);

#endif
