/* SPDX-License-Identifier: MIT */
/*
 * What the ELF loader (elf_image.c) and the Xen-notes reader (xen_notes.c)
 * share: bounds arithmetic on guest-supplied numbers, a program header's
 * copy, the reason buffer, and the notes pass the loader calls.
 */
#ifndef XENOLITH_DOMAIN_ELF_PRIV_H
#define XENOLITH_DOMAIN_ELF_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "toolstack/elf64.h"
#include "toolstack/elf_image.h"

/* Little-endian load of 1, 2, 4 or 8 bytes at any alignment. */
static inline uint64_t load_le(const uint8_t *p, unsigned int size)
{
    uint64_t v = 0;

    while (size--)
        v = (v << 8) | p[size];
    return v;
}

static inline bool add_overflows(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b;
}

/* [off, off + len) lies inside an image of `size` bytes. */
static inline bool in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

static inline uint64_t align4(uint64_t v)
{
    return (v + 3) & ~3ULL;
}

static inline void read_phdr(const struct elf_image *img, const struct elf64_ehdr *eh,
                             unsigned int i, struct elf64_phdr *ph)
{
    memcpy(ph, img->data + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

/* Formats a reason into img->why_buf and returns it. */
__attribute__((format(printf, 2, 3))) const char *elf_why(struct elf_image *img, const char *fmt,
                                                          ...);

/* Every PT_NOTE's Xen notes into img->notes (xen_notes.c). */
int xen_notes_parse(struct elf_image *img, const struct elf64_ehdr *eh, const char **why);

/* Section i's header; the table was checked by elf_sections_check(). */
static inline void read_shdr(const struct elf_image *img, const struct elf64_ehdr *eh,
                             unsigned int i, struct elf64_shdr *sh)
{
    memcpy(sh, img->data + eh->e_shoff + (uint64_t)i * eh->e_shentsize, sizeof(*sh));
}
/* Before the sections are read: the table lies inside the image with
 * entries of at least a section header's size (no sections is fine).
 * 0 or -XEN_EINVAL. */
int elf_sections_check(struct elf_image *img, const struct elf64_ehdr *eh, const char **why);
/* The legacy __xen_guest section ("GUEST_OS=linux,XEN_VER=xen-3.0,..."),
 * read as Xen's elf_xen_parse_guest_info reads it; 0 when there is none.
 * xen_guest_info.c. */
int xen_guest_info_parse(struct elf_image *img, const struct elf64_ehdr *eh, const char **why);
/* A note string field (ELF_NOTE_STR_MAX bytes) from len bytes, cut to
 * ELF_NOTE_STR_MAX - 1 as Xen cuts strings to its own field sizes. */
static inline void notes_set_string(char *field, const void *s, size_t len)
{
    if (len > ELF_NOTE_STR_MAX - 1)
        len = ELF_NOTE_STR_MAX - 1;
    memcpy(field, s, len);
    field[len] = '\0';
}
/* A FEATURES string of `len` bytes ("a|!b|c"), into img->notes. */
int xen_parse_features(struct elf_image *img, const char *s, size_t len, const char **why);

#endif
