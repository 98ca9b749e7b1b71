/* SPDX-License-Identifier: MIT */
/*
 * Builds small ELF64 guest images in memory for the elf and notes suites:
 * a valid Linux-like image by default, which each test then breaks in one
 * specific way.
 */
#ifndef XENOLITH_TESTS_TEST_IMAGE_H
#define XENOLITH_TESTS_TEST_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "toolstack/elf64.h"

/*
 * Default image (TI_SIZE bytes):
 *   0x0000 ELF header       0x0040 program headers (room for TI_MAX_PHDRS)
 *   0x0600 notes            (PT_NOTE, program header 2)
 *   0x1000 text  PT_LOAD 0, R|X, paddr 0x1000, 0x2000 bytes
 *   0x3000 data  PT_LOAD 1, R|W, paddr 0x3000, filesz 0x800, memsz 0x2000
 * Notes: a GNU note, then Xen GUEST_OS "Lithos", LOADER "generic",
 * XEN_VERSION "xen-3.0", VIRT_BASE TI_VIRT_BASE, PADDR_OFFSET 0,
 * ENTRY TI_ENTRY, HYPERCALL_PAGE TI_HYPERCALL, PHYS32_ENTRY 0x1000 (4 bytes),
 * FEATURES "!writable_page_tables|pae_pgdir_above_4gb".
 */
#define TI_SIZE      0x4000
#define TI_MAX_PHDRS 20
#define TI_NOTES_OFF 0x600
#define TI_NOTES_MAX (0x1000 - TI_NOTES_OFF)
#define TI_NOTE_PHDR 2
#define TI_VIRT_BASE 0xffffffff80000000ULL
#define TI_E_ENTRY   (TI_VIRT_BASE + 0x1000)
#define TI_ENTRY     (TI_VIRT_BASE + 0x1010)
#define TI_HYPERCALL (TI_VIRT_BASE + 0x2000)

/* Section headers, when a test adds any: the table, then the section
 * names, then section contents, in the file's last 2 KiB (after the
 * data segment's file bytes). */
#define TI_SHDR_OFF     0x3800
#define TI_MAX_SECTIONS 8
#define TI_SHSTR_OFF    0x3a00
#define TI_SHSTR_MAX    0x100
#define TI_SECDATA_OFF  0x3b00

struct test_image {
    union {
        _Alignas(8) uint8_t bytes[TI_SIZE];
        struct {
            struct elf64_ehdr eh;
            struct elf64_phdr ph[TI_MAX_PHDRS];
        } h;
    } u;
    size_t size; /* what is handed to elf_image_parse */
    size_t notes_len;
    size_t shstr_len, secdata_len;
};

/* The default image above. */
void ti_init(struct test_image *t);
/* Drop every note (the PT_NOTE stays, empty). */
void ti_clear_notes(struct test_image *t);
/* Append a note; name may be NULL for namesz 0. namesz is given
 * explicitly so tests can lie about it. */
void ti_add_note(struct test_image *t, const char *name, uint32_t namesz, uint32_t type,
                 const void *desc, uint32_t descsz);
void ti_add_xen_str(struct test_image *t, uint32_t type, const char *s);
void ti_add_xen_u64(struct test_image *t, uint32_t type, uint64_t v);
void ti_add_xen_u32(struct test_image *t, uint32_t type, uint32_t v);
/* Append a section header (creating the null section and the section
 * name table on first use) for [off, off + size) of the file; returns its
 * index. */
unsigned int ti_add_section(struct test_image *t, const char *name, uint32_t type, uint64_t off,
                            uint64_t size);
/* Append a section holding a copy of data (in the section data area). */
unsigned int ti_add_section_data(struct test_image *t, const char *name, uint32_t type,
                                 const void *data, size_t len);
/* Move the notes from the PT_NOTE program header into one SHT_NOTE
 * section named ".notes" (the PT_NOTE is dropped). */
void ti_notes_to_section(struct test_image *t);

/* The standard notes, leaving out those types whose bit is set in `skip`. */
void ti_add_default_notes(struct test_image *t, uint32_t skip);

#endif
