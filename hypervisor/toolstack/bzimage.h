/* SPDX-License-Identifier: MIT */
/*
 * A Linux bzImage (vmlinuz), as Xen accepts one in place of an ELF kernel
 * (xen/arch/x86/bzimage.c): the real-mode setup sectors with the boot
 * protocol's setup header, then the protected-mode payload, which is the
 * kernel's ELF image, compressed, with its uncompressed length in the
 * payload's last four bytes.
 */
#ifndef XENOLITH_TOOLSTACK_BZIMAGE_H
#define XENOLITH_TOOLSTACK_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

enum bzimage_format {
    BZ_ELF, /* the payload is the ELF image itself */
    BZ_LZ4, /* lz4 -l legacy frame (Debian 12's kernels) */
    BZ_GZIP,
    BZ_XZ,
    BZ_ZSTD,
    BZ_BZIP2,
    BZ_LZMA,
    BZ_LZO,
};

struct bzimage {
    enum bzimage_format format;
    const uint8_t *payload; /* inside the image given to bzimage_probe */
    size_t payload_len;     /* without the trailing length when compressed */
    uint32_t out_len;       /* the uncompressed length the payload states */
};

/* 1 and *bz when image is a bzImage whose setup header and payload check
 * (boot protocol 2.08 or later, "HdrS", a payload inside the file in a
 * format named by its magic); 0 when it is not a bzImage at all (no
 * "HdrS"); -XEN_EINVAL with *why for a bzImage that is refused. */
int bzimage_probe(const uint8_t *image, size_t size, struct bzimage *bz, const char **why);

/* "LZ4", "gzip", ... for log lines. */
const char *bzimage_format_name(enum bzimage_format f);

/* The payload decompressed into out[0, cap): the bytes written, which
 * equal bz->out_len, or -XEN_EINVAL (corrupt, or not the length the
 * payload states) or -XEN_EOPNOTSUPP (a format Xenolith does not decode). */
long bzimage_decompress(const struct bzimage *bz, uint8_t *out, size_t cap, const char **why);

#endif
