/* SPDX-License-Identifier: MIT */
/* Xenolith's backends, registered at boot (backends.c). */
#ifndef XENOLITH_BACKENDS_H
#define XENOLITH_BACKENDS_H

void backends_init(void);

#endif
