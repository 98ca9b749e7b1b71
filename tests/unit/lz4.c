/* SPDX-License-Identifier: MIT */
/*
 * lz4 suite: hypervisor/lib/lz4.c against Debian's liblz4 (which
 * compresses every block here), and the ways a block or a legacy frame
 * can be corrupt; bzimage suite: the bzImage probe and decompression
 * (hypervisor/toolstack/bzimage.c) over synthetic images.
 */
#include <lz4.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "lib/lz4.h"
#include "toolstack/bzimage.h"
#include "unit.h"

#define N 20000

static uint8_t plain[N], packed[LZ4_COMPRESSBOUND(N) + 64], out[N + 64];

/* Text that compresses (repeats, overlapping matches), then noise. */
static void fill_plain(void)
{
    uint32_t x = 1;

    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        plain[i] = i < N / 2 ? (uint8_t)("abcabcabd-"[i % 10]) : (uint8_t)(x >> 24);
    }
}

static int compress_block(const uint8_t *src, int len, uint8_t *dst)
{
    return LZ4_compress_default((const char *)src, (char *)dst, len, LZ4_COMPRESSBOUND(N));
}

static void test_round_trip(void)
{
    static const int lens[] = { 0, 1, 5, 12, 13, 64, 4096, N };

    fill_plain();
    for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
        int c = compress_block(plain, lens[k], packed);

        ASSERT_TRUE(c > 0 || lens[k] == 0);
        EXPECT_INT((int)lz4_block_decode(packed, (size_t)c, out, N), lens[k]);
        EXPECT_TRUE(!memcmp(out, plain, (size_t)lens[k]));
        /* One byte too little room: refused, nothing written past it. */
        if (lens[k]) {
            out[lens[k] - 1] = 0x5a;
            EXPECT_INT((int)lz4_block_decode(packed, (size_t)c, out, (size_t)lens[k] - 1), -1);
        }
    }
}

static void test_corrupt_blocks(void)
{
    /* literal 'a', then a match of offset 0, 2 (before the start), a
     * truncated offset, a truncated length, and a block ending on a match. */
    static const uint8_t offset0[] = { 0x10, 'a', 0x00, 0x00, 0x00 };
    static const uint8_t before[] = { 0x10, 'a', 0x02, 0x00, 0x00 };
    static const uint8_t short_offset[] = { 0x10, 'a', 0x01 };
    static const uint8_t short_len[] = { 0xf0, 0xff };
    static const uint8_t ends_on_match[] = { 0x10, 'a', 0x01, 0x00 };
    static const uint8_t literals_past_end[] = { 0x50, 'a', 'b' };
    static const uint8_t overlap[] = { 0x1f, 'a', 0x01, 0x00, 0x05, 0x00 }; /* 'a' * 25 */

    EXPECT_INT((int)lz4_block_decode(offset0, sizeof(offset0), out, N), -1);
    EXPECT_INT((int)lz4_block_decode(before, sizeof(before), out, N), -1);
    EXPECT_INT((int)lz4_block_decode(short_offset, sizeof(short_offset), out, N), -1);
    EXPECT_INT((int)lz4_block_decode(short_len, sizeof(short_len), out, N), -1);
    EXPECT_INT((int)lz4_block_decode(ends_on_match, sizeof(ends_on_match), out, N), -1);
    EXPECT_INT((int)lz4_block_decode(literals_past_end, sizeof(literals_past_end), out, N), -1);
    /* An overlapping match repeats its byte; then the empty last sequence. */
    EXPECT_INT((int)lz4_block_decode(overlap, sizeof(overlap), out, N), 1 + 15 + 5 + 4);
    EXPECT_TRUE(out[0] == 'a' && out[24] == 'a');
}

static size_t put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return 4;
}

/* A legacy frame of two chunks, the magic repeated between them. */
static size_t make_frame(uint8_t *f)
{
    size_t at = put32(f, LZ4_LEGACY_MAGIC);
    int c;

    c = compress_block(plain, N / 2, f + at + 4);
    at += put32(f + at, (uint32_t)c) + (size_t)c;
    at += put32(f + at, LZ4_LEGACY_MAGIC);
    c = compress_block(plain + N / 2, N / 2, f + at + 4);
    at += put32(f + at, (uint32_t)c) + (size_t)c;
    return at;
}

static uint8_t frame[2 * LZ4_COMPRESSBOUND(N / 2) + 64];

static void test_legacy_frame(void)
{
    size_t len;

    fill_plain();
    len = make_frame(frame);
    EXPECT_INT((int)lz4_legacy_decode(frame, len, out, N), N);
    EXPECT_TRUE(!memcmp(out, plain, N));
    /* Trailing bytes that are not a whole chunk, a chunk running past the
     * input, a bad magic, and too little room are all refused. */
    EXPECT_INT((int)lz4_legacy_decode(frame, len + 3, out, N), -1);
    EXPECT_INT((int)lz4_legacy_decode(frame, len - 1, out, N), -1);
    EXPECT_INT((int)lz4_legacy_decode(frame, len, out, N - 1), -1);
    frame[0] ^= 1;
    EXPECT_INT((int)lz4_legacy_decode(frame, len, out, N), -1);
}

static void test_legacy_chunk_limit(void)
{
    /* One chunk decoding to a byte more than the lz4 tool's 8 MiB. */
    size_t big = LZ4_LEGACY_CHUNK_MAX + 1, at;
    uint8_t *src = calloc(1, big), *dst = malloc(big), *f = malloc(LZ4_compressBound((int)big) + 8);
    int c;

    ASSERT_TRUE(src && dst && f);
    at = put32(f, LZ4_LEGACY_MAGIC);
    c = LZ4_compress_default((const char *)src, (char *)f + at + 4, (int)big,
                             LZ4_compressBound((int)big));
    ASSERT_TRUE(c > 0);
    at += put32(f + at, (uint32_t)c) + (size_t)c;
    EXPECT_INT((int)lz4_legacy_decode(f, at, dst, big), -1);
    free(src);
    free(dst);
    free(f);
}

/* --- bzImage ---------------------------------------------------------- */

static uint8_t bz[0x8000];

/* setup_sects 1: the payload starts at 1024 + payload_offset. */
static size_t make_bzimage(const uint8_t *payload, size_t len, uint32_t stated)
{
    memset(bz, 0, sizeof(bz));
    bz[0x1f1] = 1;
    memcpy(bz + 0x202, "HdrS", 4);
    bz[0x206] = 0x0f;
    bz[0x207] = 0x02; /* 2.15 */
    put32(bz + 0x248, 0x10);
    put32(bz + 0x24c, (uint32_t)len + 4);
    memcpy(bz + 1024 + 0x10, payload, len);
    put32(bz + 1024 + 0x10 + len, stated);
    return 1024 + 0x10 + len + 4;
}

static void test_bzimage_lz4(void)
{
    struct bzimage b;
    const char *why = NULL;
    size_t len, size;

    fill_plain();
    len = put32(frame, LZ4_LEGACY_MAGIC);
    {
        int c = compress_block(plain, 4096, frame + len + 4);

        len += put32(frame + len, (uint32_t)c) + (size_t)c;
    }
    size = make_bzimage(frame, len, 4096);
    ASSERT_INT(bzimage_probe(bz, size, &b, &why), 1);
    EXPECT_INT((int)b.format, BZ_LZ4);
    EXPECT_U64(b.payload_len, len);
    EXPECT_U64(b.out_len, 4096);
    EXPECT_INT((int)bzimage_decompress(&b, out, N, &why), 4096);
    EXPECT_TRUE(!memcmp(out, plain, 4096));

    /* A stated length the stream does not produce, or that does not fit. */
    size = make_bzimage(frame, len, 4097);
    ASSERT_INT(bzimage_probe(bz, size, &b, &why), 1);
    EXPECT_INT((int)bzimage_decompress(&b, out, N, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "shorter than the length it states");
    EXPECT_INT((int)bzimage_decompress(&b, out, 100, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "states more than fits");
    size = make_bzimage(frame, len, 4095);
    ASSERT_INT(bzimage_probe(bz, size, &b, &why), 1);
    EXPECT_INT((int)bzimage_decompress(&b, out, N, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "LZ4 payload is corrupt");
}

static void test_bzimage_refusals(void)
{
    static const uint8_t gzip[] = { 0x1f, 0x8b, 8, 0, 0, 0 }, junk[] = { 1, 2, 3, 4 };
    struct bzimage b;
    const char *why = NULL;
    size_t size;

    /* No "HdrS": not a bzImage, nothing said. */
    size = make_bzimage(junk, sizeof(junk), 0);
    bz[0x202] = 'X';
    EXPECT_INT(bzimage_probe(bz, size, &b, &why), 0);
    EXPECT_INT(bzimage_probe(bz, 0x100, &b, &why), 0);

    size = make_bzimage(junk, sizeof(junk), 0);
    bz[0x206] = 0x07;
    EXPECT_INT(bzimage_probe(bz, size, &b, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "older than 2.08");

    size = make_bzimage(junk, sizeof(junk), 0);
    put32(bz + 0x24c, 0xfffffff0u);
    EXPECT_INT(bzimage_probe(bz, size, &b, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "extends past the end of the file");

    size = make_bzimage(junk, sizeof(junk), 0);
    EXPECT_INT(bzimage_probe(bz, size, &b, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "neither an ELF image nor in a compressed format");

    /* setup_sects 0 means 4: the payload is then looked for at 2560. */
    size = make_bzimage(gzip, sizeof(gzip), 100);
    bz[0x1f1] = 0;
    EXPECT_INT(bzimage_probe(bz, size, &b, &why), -XEN_EINVAL);

    /* gzip is recognised but not decoded yet. */
    size = make_bzimage(gzip, sizeof(gzip), 100);
    ASSERT_INT(bzimage_probe(bz, size, &b, &why), 1);
    EXPECT_STR(bzimage_format_name(b.format), "gzip");
    EXPECT_INT((int)bzimage_decompress(&b, out, N, &why), -XEN_EOPNOTSUPP);
}

void register_lz4_tests(void)
{
    static const struct unit_test lz4_tests[] = {
        { "round_trip", test_round_trip },
        { "corrupt_blocks", test_corrupt_blocks },
        { "legacy_frame", test_legacy_frame },
        { "legacy_chunk_limit", test_legacy_chunk_limit },
    };
    static const struct unit_test bz_tests[] = {
        { "lz4", test_bzimage_lz4 },
        { "refusals", test_bzimage_refusals },
    };

    UNIT_SUITE("lz4", lz4_tests);
    UNIT_SUITE("bzimage", bz_tests);
}
