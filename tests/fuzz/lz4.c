/* SPDX-License-Identifier: MIT */
/*
 * The decompressor Xenolith runs on kernels anyone may hand it, over
 * arbitrary inputs. Byte 0 picks the mode and the output capacity; the
 * rest is the input:
 *   - a block, decoded by lz4_block_decode() and by liblz4's
 *     LZ4_decompress_safe(): whatever liblz4 accepts, ours must accept
 *     with the same bytes (ours may accept more: liblz4 also enforces the
 *     encoder's end-of-block margins, which a decoder need not), except a
 *     match of offset 0, which the format forbids and liblz4 1.9.4 still
 *     decodes;
 *   - the same bytes as a legacy frame, and as a bzImage (probe and
 *     decompress), where only the bounds are checked (ASan sees any
 *     access outside the buffers, every result is within its capacity).
 */
#include <lz4.h>
#include <xen/errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lz4.h"
#include "toolstack/bzimage.h"
#include "tests/fuzz/fuzz_check.h"

#define OUT_MAX (1u << 16)

static uint8_t ours[OUT_MAX], theirs[OUT_MAX];

/* Whether the block has a match of offset 0, which the LZ4 format forbids
 * and lz4_block_decode() refuses but liblz4 1.9.4 decodes (copying from
 * where it writes). Walks the sequences without decoding them. */
static bool has_zero_offset(const uint8_t *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t lit = p[i] >> 4, match = p[i] & 15;

        i++;
        if (lit == 15)
            do
                lit += i < n ? p[i] : 0;
            while (i < n && p[i++] == 255);
        if (lit > n - i)
            return false;
        i += lit;
        if (n - i < 2)
            return false;
        if (p[i] == 0 && p[i + 1] == 0)
            return true;
        i += 2;
        if (match == 15)
            while (i < n && p[i++] == 255)
                ;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap;
    long n;
    int m;

    if (size < 1 || size > (1u << 20))
        return 0;
    cap = ((size_t)data[0] << 8) % OUT_MAX + data[0]; /* 0 .. 65535 */
    data++;
    size--;

    n = lz4_block_decode(data, size, ours, cap);
    FUZZ_CHECK(n >= -1 && n <= (long)cap, "block: %ld for a capacity of %zu", n, cap);
    m = LZ4_decompress_safe((const char *)data, (char *)theirs, (int)size, (int)cap);
    if (m >= 0 && !(n < 0 && has_zero_offset(data, size))) {
        FUZZ_CHECK(n == m, "block: liblz4 decoded %d bytes, ours %ld", m, n);
        FUZZ_CHECK(!memcmp(ours, theirs, (size_t)m), "block: the bytes differ from liblz4's");
    }

    n = lz4_legacy_decode(data, size, ours, cap);
    FUZZ_CHECK(n >= -1 && n <= (long)cap, "frame: %ld for a capacity of %zu", n, cap);

    {
        struct bzimage bz;
        const char *why = NULL;
        int rc = bzimage_probe(data, size, &bz, &why);

        FUZZ_CHECK(rc >= -XEN_EINVAL && rc <= 1, "probe: %d", rc);
        if (rc < 0)
            FUZZ_CHECK(why && *why, "a refusal without a reason");
        if (rc == 1) {
            FUZZ_CHECK(bz.payload >= data && bz.payload_len <= size &&
                           (size_t)(bz.payload - data) <= size - bz.payload_len,
                       "payload outside the input");
            n = bzimage_decompress(&bz, ours, cap, &why);
            FUZZ_CHECK(n <= (long)cap, "decompressed %ld into %zu", n, cap);
            if (n >= 0 && bz.format != BZ_ELF)
                FUZZ_CHECK((uint64_t)n == bz.out_len, "decompressed %ld, stated %u", n, bz.out_len);
        }
    }
    return 0;
}
