/* SPDX-License-Identifier: MIT */
/* The number of elements of an array (not of a pointer: sizeof would lie).
 * Freestanding, for every kernel and test: it includes nothing. */
#ifndef COMMON_ARRAY_SIZE_H
#define COMMON_ARRAY_SIZE_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
