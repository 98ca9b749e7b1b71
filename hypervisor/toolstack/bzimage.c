/* SPDX-License-Identifier: MIT */
/*
 * bzImage probing and decompression (bzimage.h). Xen trusts the dom0
 * kernel it loads and checks only the magic and the version; Xenolith
 * takes a kernel from anyone who writes a config, so every offset and
 * length is checked against the file as well.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>

#include "lib/lz4.h"
#include "toolstack/bzimage.h"

/* The setup header's fields, by offset into the image (the boot protocol,
 * Documentation/x86/boot.rst). */
#define HDR_SETUP_SECTS    0x1f1
#define HDR_MAGIC          0x202 /* "HdrS" */
#define HDR_VERSION        0x206
#define HDR_PAYLOAD_OFFSET 0x248
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_END            0x250
#define MIN_VERSION        0x0208 /* the first with payload_offset, as Xen asks */

static uint32_t le(const uint8_t *p, unsigned int n)
{
    uint32_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

static const struct {
    enum bzimage_format format;
    const char *name;
    uint8_t len, magic[6];
} formats[] = {
    { BZ_ELF, "ELF", 4, { 0x7f, 'E', 'L', 'F' } },
    { BZ_LZ4, "LZ4", 4, { 0x02, 0x21, 0x4c, 0x18 } },
    { BZ_GZIP, "gzip", 2, { 0x1f, 0x8b } },
    { BZ_GZIP, "gzip", 2, { 0x1f, 0x9e } },
    { BZ_XZ, "xz", 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
    { BZ_ZSTD, "zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd } },
    { BZ_BZIP2, "bzip2", 3, { 'B', 'Z', 'h' } },
    { BZ_LZMA, "lzma", 3, { 0x5d, 0x00, 0x00 } },
    { BZ_LZO, "lzo", 4, { 0x89, 'L', 'Z', 'O' } },
};
#define NR_FORMATS (sizeof(formats) / sizeof(formats[0]))

const char *bzimage_format_name(enum bzimage_format f)
{
    for (size_t i = 0; i < NR_FORMATS; i++)
        if (formats[i].format == f)
            return formats[i].name;
    return "unknown";
}

int bzimage_probe(const uint8_t *image, size_t size, struct bzimage *bz, const char **why)
{
    uint32_t sects, off, len, version;
    uint64_t start;
    size_t i;

    if (size < HDR_END || memcmp(image + HDR_MAGIC, "HdrS", 4))
        return 0;
    version = le(image + HDR_VERSION, 2);
    if (version < MIN_VERSION) {
        *why = "bzImage boot protocol is older than 2.08 (no payload_offset)";
        return -XEN_EINVAL;
    }
    /* A setup_sects of 0 means 4 (the boot protocol's rule for old images). */
    sects = image[HDR_SETUP_SECTS] ? image[HDR_SETUP_SECTS] : 4;
    off = le(image + HDR_PAYLOAD_OFFSET, 4);
    len = le(image + HDR_PAYLOAD_LENGTH, 4);
    start = (uint64_t)(sects + 1) * 512 + off;
    if (start > size || len > size - start) {
        *why = "bzImage payload (payload_offset, payload_length) extends past the end of the file";
        return -XEN_EINVAL;
    }
    bz->payload = image + start;
    bz->payload_len = len;
    for (i = 0; i < NR_FORMATS; i++)
        if (len >= formats[i].len && !memcmp(bz->payload, formats[i].magic, formats[i].len))
            break;
    if (i == NR_FORMATS) {
        *why = "bzImage payload is neither an ELF image nor in a compressed format Linux uses";
        return -XEN_EINVAL;
    }
    bz->format = formats[i].format;
    bz->out_len = 0;
    if (bz->format != BZ_ELF) {
        /* The uncompressed length follows the compressed stream. */
        if (len < formats[i].len + 4u) {
            *why = "bzImage payload is too short for its format and length";
            return -XEN_EINVAL;
        }
        bz->payload_len = len - 4;
        bz->out_len = le(bz->payload + bz->payload_len, 4);
    }
    return 1;
}

long bzimage_decompress(const struct bzimage *bz, uint8_t *out, size_t cap, const char **why)
{
    long n;

    switch (bz->format) {
    case BZ_ELF:
        if (bz->payload_len > cap) {
            *why = "bzImage payload does not fit";
            return -XEN_EINVAL;
        }
        memcpy(out, bz->payload, bz->payload_len);
        return (long)bz->payload_len;
    case BZ_LZ4:
        if (bz->out_len > cap) {
            *why = "bzImage payload states more than fits";
            return -XEN_EINVAL;
        }
        n = lz4_legacy_decode(bz->payload, bz->payload_len, out, bz->out_len);
        if (n < 0 || (uint64_t)n != bz->out_len) {
            *why = n < 0 ? "bzImage LZ4 payload is corrupt"
                         : "bzImage LZ4 payload is shorter than the length it states";
            return -XEN_EINVAL;
        }
        return n;
    default:
        *why = "bzImage payload is compressed in a format Xenolith does not decode yet";
        return -XEN_EOPNOTSUPP;
    }
}
