/* SPDX-License-Identifier: MIT */
/*
 * mkbzimage <kernel.elf> <out>: wraps an ELF kernel the way a Linux
 * bzImage carries its own, so that the loader's bzImage path can be booted
 * with a kernel of the tree: one boot sector and one setup sector holding
 * the boot protocol 2.15 setup header, then the payload: the ELF image as
 * an `lz4 -l` legacy frame (chunks of 8 MiB, each compressed by Debian's
 * liblz4), followed by its uncompressed length.
 */
#include <lz4.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETUP_SECTS 1
#define CHUNK       (8u << 20)

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int main(int argc, char **argv)
{
    uint8_t setup[(SETUP_SECTS + 1) * 512] = { 0 }, word[4];
    FILE *in, *out;
    uint8_t *elf, *packed;
    long size;
    size_t used = 0, at;

    if (argc != 3 || !(in = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: mkbzimage <kernel.elf> <out>\n");
        return 2;
    }
    fseek(in, 0, SEEK_END);
    size = ftell(in);
    rewind(in);
    elf = malloc((size_t)size);
    if (!elf || fread(elf, 1, (size_t)size, in) != (size_t)size)
        return 1;
    fclose(in);

    /* Every chunk compressed once, into one buffer: then the payload's
     * size is known for the header. */
    packed = malloc(((size_t)size / CHUNK + 1) * ((size_t)LZ4_compressBound(CHUNK) + 4));
    if (!packed)
        return 1;
    for (at = 0; at < (size_t)size; at += CHUNK) {
        int n = (size_t)size - at < CHUNK ? (int)((size_t)size - at) : (int)CHUNK;
        int c = LZ4_compress_default((const char *)elf + at, (char *)packed + used + 4, n,
                                     LZ4_compressBound(CHUNK));

        if (c <= 0)
            return 1;
        put32(packed + used, (uint32_t)c);
        used += 4 + (size_t)c;
    }

    setup[0x1f1] = SETUP_SECTS;
    memcpy(setup + 0x202, "HdrS", 4);
    setup[0x206] = 0x0f;
    setup[0x207] = 0x02;
    put32(setup + 0x248, 0);
    put32(setup + 0x24c, (uint32_t)(4 + used + 4)); /* magic, chunks, length */
    setup[0x1fe] = 0x55;
    setup[0x1ff] = 0xaa;

    if (!(out = fopen(argv[2], "wb")))
        return 1;
    fwrite(setup, 1, sizeof(setup), out);
    put32(word, 0x184c2102u);
    fwrite(word, 1, 4, out);
    fwrite(packed, 1, used, out);
    put32(word, (uint32_t)size);
    fwrite(word, 1, 4, out);
    free(elf);
    free(packed);
    return fclose(out) ? 1 : 0;
}
