/* SPDX-License-Identifier: MIT */
/*
 * LZ4 decoding (lz4.h). A block is a run of sequences: a token whose high
 * nibble counts literals and low nibble the match length minus 4 (15 in
 * either means more length bytes follow, each added, until one is not
 * 255), the literals, then a 16-bit little-endian offset back into the
 * output; the last sequence is literals only and ends the block exactly.
 * Every length is checked against what is left of the input and the
 * output before anything is copied.
 */
#include <stddef.h>
#include <stdint.h>
#include "lib/lz4.h"

#define MIN_MATCH 4

/* A length nibble of 15 continues in the following bytes. False when the
 * input ends inside it or the sum would pass `limit`. */
static int read_length(const uint8_t **ip, const uint8_t *end, size_t *len, size_t limit)
{
    uint8_t b;

    if (*len != 15)
        return 1;
    do {
        if (*ip == end)
            return 0;
        b = *(*ip)++;
        *len += b;
        if (*len > limit)
            return 0;
    } while (b == 255);
    return 1;
}

long lz4_block_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_cap)
{
    const uint8_t *ip = src, *iend = src + src_len;
    size_t op = 0;

    while (ip < iend) {
        uint8_t token = *ip++;
        size_t lit = token >> 4, match = token & 15, offset;

        /* No length can pass the whole input or output, so the sums below
         * never wrap. */
        if (!read_length(&ip, iend, &lit, src_len) || lit > (size_t)(iend - ip) ||
            lit > dst_cap - op)
            return -1;
        for (size_t i = 0; i < lit; i++)
            dst[op + i] = ip[i];
        ip += lit;
        op += lit;
        if (ip == iend)
            return (long)op; /* the last sequence: literals only */
        if (iend - ip < 2)
            return -1;
        offset = (size_t)ip[0] | (size_t)ip[1] << 8;
        ip += 2;
        if (offset == 0 || offset > op)
            return -1;
        if (!read_length(&ip, iend, &match, dst_cap))
            return -1;
        match += MIN_MATCH;
        if (match > dst_cap - op)
            return -1;
        /* Byte by byte: a match may overlap what it copies (offset < length). */
        for (size_t i = 0; i < match; i++)
            dst[op + i] = dst[op + i - offset];
        op += match;
    }
    /* An empty block, or one whose last sequence had a match. */
    return src_len == 0 ? 0 : -1;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

long lz4_legacy_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_cap)
{
    size_t pos = 4, op = 0;

    if (src_len < 4 || le32(src) != LZ4_LEGACY_MAGIC)
        return -1;
    while (pos < src_len) {
        size_t left = src_len - pos, chunk, cap;
        long n;

        if (left < 4)
            return -1;
        chunk = le32(src + pos);
        pos += 4;
        if (chunk == LZ4_LEGACY_MAGIC)
            continue;
        if (chunk > src_len - pos)
            return -1;
        cap = dst_cap - op < LZ4_LEGACY_CHUNK_MAX ? dst_cap - op : LZ4_LEGACY_CHUNK_MAX;
        n = lz4_block_decode(src + pos, chunk, dst + op, cap);
        if (n < 0)
            return -1;
        op += (size_t)n;
        pos += chunk;
    }
    return (long)op;
}
