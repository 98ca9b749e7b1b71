/* SPDX-License-Identifier: MIT */
/*
 * LZ4 decoding for the kernels Xenolith is given compressed: the block
 * format, and the legacy frame `lz4 -l` writes and a Linux bzImage carries
 * (Debian 12's kernels). Bounded by its input and output sizes, reading
 * and writing nothing outside them; a corrupt stream is an error, never a
 * fault. Pure: the host tests and the fuzz harness run it as it is.
 */
#ifndef XENOLITH_LIB_LZ4_H
#define XENOLITH_LIB_LZ4_H

#include <stddef.h>
#include <stdint.h>

/* The legacy frame's magic (little-endian), and the most a chunk of it
 * decompresses to (the lz4 tool's fixed chunk size). */
#define LZ4_LEGACY_MAGIC     0x184c2102u
#define LZ4_LEGACY_CHUNK_MAX (8u << 20)

/* One block, src[0, src_len), into dst[0, dst_cap): the bytes written, or
 * -1 when the block is corrupt or does not fit. */
long lz4_block_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_cap);

/* A legacy frame: the magic, then chunks of a little-endian 32-bit size
 * and a block, the magic allowed again between chunks, up to the exact end
 * of src (as Linux's unlz4 reads it). The bytes written, or -1 when the
 * frame is corrupt, a chunk decodes to more than LZ4_LEGACY_CHUNK_MAX, or
 * the output does not fit in dst_cap. */
long lz4_legacy_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_cap);

#endif
