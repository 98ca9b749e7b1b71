/* SPDX-License-Identifier: MIT */
/* The number of elements of an array (not of a pointer: sizeof would lie). */
#ifndef XENOLITH_LIB_ARRAY_SIZE_H
#define XENOLITH_LIB_ARRAY_SIZE_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
