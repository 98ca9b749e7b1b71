/* SPDX-License-Identifier: MIT */
/*
 * elf suite: elf_image_parse() on a valid image and on each way of breaking
 * one. Images come from test_image.c; every malformed case checks the
 * return code and the key words of the reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/features.h>

#include "toolstack/elf_image.h"
#include "test_image.h"
#include "unit.h"
#include "common/array_size.h"

static struct test_image ti;
static struct elf_image img;
static const char *why;

static int parse(void)
{
    why = "(not set)";
    unit_dump_input(ti.u.bytes, ti.size);
    return elf_image_parse(ti.u.bytes, ti.size, &img, &why);
}

/* Parse must fail with `rc` and a reason containing `words`. */
#define EXPECT_REFUSED(rc, words)    \
    do {                             \
        EXPECT_INT(parse(), (rc));   \
        EXPECT_SUBSTR(why, (words)); \
    } while (0)

static void test_valid_image(void)
{
    ti_init(&ti);
    ASSERT_INT(parse(), 0);
    EXPECT_TRUE(why == NULL);
    EXPECT_U64(img.size, TI_SIZE);
    EXPECT_U64(img.e_entry, TI_E_ENTRY);
    ASSERT_U64(img.nr_segments, 2);
    EXPECT_U64(img.seg[0].offset, 0x1000);
    EXPECT_U64(img.seg[0].paddr, 0x1000);
    EXPECT_U64(img.seg[0].vaddr, TI_VIRT_BASE + 0x1000);
    EXPECT_U64(img.seg[0].filesz, 0x2000);
    EXPECT_U64(img.seg[0].memsz, 0x2000);
    EXPECT_U64(img.seg[0].flags, PF_R | PF_X);
    EXPECT_U64(img.seg[1].paddr, 0x3000);
    EXPECT_U64(img.seg[1].filesz, 0x800);
    EXPECT_U64(img.seg[1].memsz, 0x2000);
    EXPECT_U64(img.seg[1].flags, PF_R | PF_W);
    EXPECT_TRUE(elf_segment_bytes(&img, 1) == ti.u.bytes + 0x3000);
    EXPECT_TRUE(img.has_xen_notes);
    EXPECT_STR(img.notes.guest_os, "Lithos");
    EXPECT_STR(img.notes.loader, "generic");
    EXPECT_STR(img.notes.xen_version, "xen-3.0");
    EXPECT_TRUE(img.notes.has_entry);
    EXPECT_U64(img.notes.entry, TI_ENTRY);
    EXPECT_TRUE(img.notes.has_phys32_entry);
    EXPECT_U64(img.notes.phys32_entry, 0x1000);
    EXPECT_U64(img.notes.features_supported[0],
               (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb));
    EXPECT_U64(img.notes.features_required[0], 1u << XENFEAT_writable_page_tables);
    EXPECT_U64(img.virt_base, TI_VIRT_BASE);
    EXPECT_U64(img.virt_offset, TI_VIRT_BASE);
    EXPECT_U64(img.virt_kstart, TI_VIRT_BASE + 0x1000);
    EXPECT_U64(img.virt_kend, TI_VIRT_BASE + 0x5000);
    EXPECT_U64(img.virt_entry, TI_ENTRY);
    EXPECT_U64(img.virt_hypercall, TI_HYPERCALL);
}

static void test_segments_sorted_by_paddr(void)
{
    struct elf64_phdr tmp;

    ti_init(&ti);
    tmp = ti.u.h.ph[0];
    ti.u.h.ph[0] = ti.u.h.ph[1];
    ti.u.h.ph[1] = tmp;
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.seg[0].paddr, 0x1000);
    EXPECT_U64(img.seg[1].paddr, 0x3000);
}

static void test_non_load_headers_ignored(void)
{
    ti_init(&ti);
    ti.u.h.eh.e_phnum = 4;
    ti.u.h.ph[3].p_type = 0x6474e551; /* PT_GNU_STACK: no range to check */
    ti.u.h.ph[3].p_offset = UINT64_MAX;
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.nr_segments, 2);
}

/* Without VIRT_BASE and PADDR_OFFSET both default to 0: segments land at p_paddr. */
static void test_default_virt_base(void)
{
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, (1u << XEN_ELFNOTE_VIRT_BASE) | (1u << XEN_ELFNOTE_PADDR_OFFSET) |
                                  (1u << XEN_ELFNOTE_ENTRY) | (1u << XEN_ELFNOTE_HYPERCALL_PAGE));
    ti.u.h.eh.e_entry = 0x1800;
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.virt_base, 0);
    EXPECT_U64(img.virt_offset, 0);
    EXPECT_U64(img.virt_kstart, 0x1000);
    EXPECT_U64(img.virt_kend, 0x5000);
    EXPECT_U64(img.virt_entry, 0x1800);
    EXPECT_U64(img.virt_hypercall, 0);
}

/* Xen's rule for note-based images: VIRT_BASE alone leaves PADDR_OFFSET 0. */
static void test_virt_base_without_paddr_offset(void)
{
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, 1u << XEN_ELFNOTE_PADDR_OFFSET);
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.virt_offset, TI_VIRT_BASE);
    EXPECT_U64(img.virt_kstart, TI_VIRT_BASE + 0x1000);
}

static void test_paddr_offset_moves_image(void)
{
    ti_init(&ti);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_PADDR_OFFSET, 0x1000); /* later note wins */
    ti_add_xen_u64(&ti, XEN_ELFNOTE_ENTRY, TI_VIRT_BASE + 0x10);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_HYPERCALL_PAGE, TI_VIRT_BASE + 0x1000);
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.virt_offset, TI_VIRT_BASE - 0x1000);
    EXPECT_U64(img.virt_kstart, TI_VIRT_BASE);
    EXPECT_U64(img.virt_kend, TI_VIRT_BASE + 0x4000);
    EXPECT_U64(img.virt_entry, TI_VIRT_BASE + 0x10);
}

static void test_paddr_offset_without_virt_base(void)
{
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, 1u << XEN_ELFNOTE_VIRT_BASE);
    EXPECT_REFUSED(-XEN_EINVAL, "PADDR_OFFSET is given without XEN_ELFNOTE_VIRT_BASE");
}

/*
 * Found by the elf_image fuzz harness (tests/fuzz/corpus/elf_image/
 * regress-unaligned-virt-base is this image): an unaligned VIRT_BASE with
 * the text segment in its first page gave virt_kstart, rounded down to the
 * page, below virt_base, against the layout's precondition.
 */
static void test_unaligned_virt_base(void)
{
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, (1u << XEN_ELFNOTE_VIRT_BASE) | (1u << XEN_ELFNOTE_PADDR_OFFSET));
    ti_add_xen_u64(&ti, XEN_ELFNOTE_VIRT_BASE, TI_VIRT_BASE + 7);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_PADDR_OFFSET, 0x1000);
    EXPECT_REFUSED(-XEN_EINVAL, "XEN_ELFNOTE_VIRT_BASE is not page aligned");
}

static void test_segment_below_virt_base(void)
{
    ti_init(&ti);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_PADDR_OFFSET, 0x2000); /* above text's p_paddr */
    EXPECT_REFUSED(-XEN_EINVAL, "PT_LOAD segment 0");
}

static void test_entry_from_e_entry(void)
{
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, 1u << XEN_ELFNOTE_ENTRY);
    ASSERT_INT(parse(), 0);
    EXPECT_TRUE(!img.notes.has_entry);
    EXPECT_U64(img.virt_entry, TI_E_ENTRY);
}

/* Cut the image at each interesting point; each cut names what broke. */
static void test_truncated(void)
{
    static const struct {
        size_t size;
        int rc;
        const char *words;
    } cases[] = {
        { 0, -XEN_ENOEXEC, "smaller than an ELF64 header" },
        { 4, -XEN_ENOEXEC, "smaller than an ELF64 header" },
        { 63, -XEN_ENOEXEC, "smaller than an ELF64 header" },
        { 64, -XEN_EINVAL, "program header table extends past the end" },
        { 64 + 56 * 3 - 1, -XEN_EINVAL, "program header table extends past the end" },
        { 64 + 56 * 3, -XEN_EINVAL, "program header 0 extends past the end" },
        { TI_NOTES_OFF + 8, -XEN_EINVAL, "program header 0 extends past the end" },
        { 0x2fff, -XEN_EINVAL, "program header 0 extends past the end" },
        { 0x3000, -XEN_EINVAL, "program header 1 extends past the end" },
        { 0x37ff, -XEN_EINVAL, "program header 1 extends past the end" },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        ti_init(&ti);
        ti.size = cases[i].size;
        EXPECT_INT(parse(), cases[i].rc);
        EXPECT_SUBSTR(why, cases[i].words);
    }
    /* Exactly the end of the last segment's file bytes is enough. */
    ti_init(&ti);
    ti.size = 0x3800;
    EXPECT_INT(parse(), 0);
}

static void test_note_segment_truncated(void)
{
    ti_init(&ti);
    ti.u.h.ph[TI_NOTE_PHDR].p_filesz = TI_SIZE - TI_NOTES_OFF + 1;
    EXPECT_REFUSED(-XEN_EINVAL, "program header 2 (PT_NOTE) extends past the end");
}

static void test_bad_ident(void)
{
    static const struct {
        unsigned int byte;
        uint8_t value;
        const char *words;
    } cases[] = {
        { 0, 0x7e, "no ELF magic" },         { 3, 'f', "no ELF magic" },
        { EI_CLASS, 1, "not ELFCLASS64" },   { EI_DATA, 2, "not little-endian" },
        { EI_VERSION, 0, "not EV_CURRENT" },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        ti_init(&ti);
        ti.u.h.eh.e_ident[cases[i].byte] = cases[i].value;
        EXPECT_INT(parse(), -XEN_ENOEXEC);
        EXPECT_SUBSTR(why, cases[i].words);
    }
}

static void test_bad_machine(void)
{
    ti_init(&ti);
    ti.u.h.eh.e_machine = 3; /* EM_386 */
    EXPECT_REFUSED(-XEN_ENOEXEC, "e_machine");
}

static void test_bad_type(void)
{
    ti_init(&ti);
    ti.u.h.eh.e_type = 3; /* ET_DYN */
    EXPECT_REFUSED(-XEN_ENOEXEC, "e_type");
}

static void test_phdr_table_out_of_range(void)
{
    static const uint64_t offsets[] = { TI_SIZE - 56 * 3 + 1, TI_SIZE, TI_SIZE + 1, UINT64_MAX - 8,
                                        UINT64_MAX };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(offsets); i++) {
        ti_init(&ti);
        ti.u.h.eh.e_phoff = offsets[i];
        EXPECT_REFUSED(-XEN_EINVAL, "program header table extends past the end");
    }
}

static void test_phnum_overflow(void)
{
    ti_init(&ti);
    ti.u.h.eh.e_phnum = 0xffff;
    EXPECT_REFUSED(-XEN_EINVAL, "program header table extends past the end");
    ti_init(&ti);
    ti.u.h.eh.e_phnum = 0;
    EXPECT_REFUSED(-XEN_EINVAL, "no program headers");
    ti_init(&ti);
    ti.u.h.eh.e_phentsize = 32;
    EXPECT_REFUSED(-XEN_EINVAL, "e_phentsize");
}

static void test_segment_past_eof(void)
{
    static const struct {
        uint64_t offset, filesz;
    } cases[] = {
        { 0x3000, 0x1001 }, /* one byte past the end */
        { TI_SIZE + 1, 0 }, /* starts past the end */
        { UINT64_MAX, 2 },  /* offset + filesz wraps */
        { 0x10, UINT64_MAX },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        ti_init(&ti);
        ti.u.h.ph[1].p_offset = cases[i].offset;
        ti.u.h.ph[1].p_filesz = cases[i].filesz;
        ti.u.h.ph[1].p_memsz = cases[i].filesz > 0x2000 ? cases[i].filesz : 0x2000;
        EXPECT_REFUSED(-XEN_EINVAL, "program header 1 extends past the end of the image");
    }
}

static void test_filesz_exceeds_memsz(void)
{
    ti_init(&ti);
    ti.u.h.ph[1].p_memsz = 0x7ff;
    EXPECT_REFUSED(-XEN_EINVAL, "program header 1 has p_filesz > p_memsz");
}

static void test_overlapping_segments(void)
{
    ti_init(&ti);
    ti.u.h.ph[1].p_paddr = 0x2fff; /* last byte of text */
    EXPECT_REFUSED(-XEN_EINVAL, "program header 1 overlaps an earlier PT_LOAD by p_paddr");

    ti_init(&ti);
    ti.u.h.ph[1].p_vaddr = TI_VIRT_BASE + 0x1000;
    EXPECT_REFUSED(-XEN_EINVAL, "program header 1 overlaps an earlier PT_LOAD by p_vaddr");

    ti_init(&ti); /* touching is fine */
    ti.u.h.ph[0].p_memsz = 0x2000;
    EXPECT_INT(parse(), 0);

    ti_init(&ti); /* so is an empty segment inside another */
    ti.u.h.ph[1].p_paddr = 0x1800;
    ti.u.h.ph[1].p_vaddr = TI_VIRT_BASE + 0x1800;
    ti.u.h.ph[1].p_filesz = ti.u.h.ph[1].p_memsz = 0;
    EXPECT_INT(parse(), 0);
}

static void test_address_wrap(void)
{
    ti_init(&ti);
    ti.u.h.ph[1].p_paddr = UINT64_MAX - 0x1000;
    EXPECT_REFUSED(-XEN_EINVAL, "program header 1 wraps the physical address space");

    ti_init(&ti);
    ti.u.h.ph[1].p_vaddr = UINT64_MAX - 0x1000;
    EXPECT_REFUSED(-XEN_EINVAL, "program header 1 wraps the virtual address space");

    /* Fine on its own, but VIRT_BASE + p_paddr + p_memsz passes 2^64. */
    ti_init(&ti);
    ti.u.h.ph[1].p_paddr = 0x80000000;
    ti.u.h.ph[1].p_vaddr = 0x3000;
    EXPECT_REFUSED(-XEN_EINVAL, "PT_LOAD segment 1 (by p_paddr) lies outside");

    /* Ends at 2^64 - 1: the page-rounded end is not representable. */
    ti_init(&ti);
    ti.u.h.ph[1].p_paddr = 0x7fffe000; /* placed at 2^64 - 0x2000 */
    ti.u.h.ph[1].p_memsz = 0x1fff;
    ti.u.h.ph[1].p_vaddr = 0x3000;
    EXPECT_REFUSED(-XEN_EINVAL, "last page of the address space");
}

static void test_segment_count(void)
{
    unsigned int i;

    ti_init(&ti);
    ti.u.h.eh.e_phnum = ELF_IMAGE_MAX_SEGMENTS + 2; /* 2 + 15 more PT_LOADs + PT_NOTE */
    for (i = 3; i < ELF_IMAGE_MAX_SEGMENTS + 2u; i++) {
        ti.u.h.ph[i] = ti.u.h.ph[1];
        ti.u.h.ph[i].p_paddr = 0x10000 + i * 0x1000;
        ti.u.h.ph[i].p_vaddr = TI_VIRT_BASE + 0x10000 + i * 0x1000;
        ti.u.h.ph[i].p_memsz = 0x1000;
    }
    EXPECT_INT(parse(), -XEN_EINVAL); /* 17 PT_LOADs */
    EXPECT_SUBSTR(why, "more PT_LOAD segments than ELF_IMAGE_MAX_SEGMENTS");

    ti.u.h.eh.e_phnum--; /* 16 */
    EXPECT_INT(parse(), 0);
    EXPECT_U64(img.nr_segments, ELF_IMAGE_MAX_SEGMENTS);
    EXPECT_U64(img.seg[ELF_IMAGE_MAX_SEGMENTS - 1].paddr, 0x10000 + 16 * 0x1000);
}

static void test_no_load_segment(void)
{
    ti_init(&ti);
    ti.u.h.ph[0].p_type = 0;
    ti.u.h.ph[1].p_type = 0;
    EXPECT_REFUSED(-XEN_EINVAL, "no PT_LOAD segment");
}

static void test_bad_note_sizes(void)
{
    uint8_t desc[8] = { 0 };
    struct elf64_nhdr nh;

    /* namesz runs past the segment, also when aligning it up would wrap 32 bits. */
    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_ENTRY, desc, 8);
    nh.n_namesz = 0xfffffffd;
    memcpy(ti.u.bytes + TI_NOTES_OFF + ti.notes_len - 24, &nh.n_namesz, 4);
    EXPECT_REFUSED(-XEN_EINVAL, "program header 2 (notes) has a note name running past its end");

    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_ENTRY, desc, 8);
    nh.n_descsz = 0xffffffff;
    memcpy(ti.u.bytes + TI_NOTES_OFF + ti.notes_len - 20, &nh.n_descsz, 4);
    EXPECT_REFUSED(-XEN_EINVAL, "note descriptor running past its end");

    /* descsz 9 pads to 12, one word more than the segment holds. */
    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_ENTRY, desc, 8);
    nh.n_descsz = 9;
    memcpy(ti.u.bytes + TI_NOTES_OFF + ti.notes_len - 20, &nh.n_descsz, 4);
    EXPECT_REFUSED(-XEN_EINVAL, "note descriptor running past its end");

    /* A segment that ends inside a note header. */
    ti_init(&ti);
    ti.u.h.ph[TI_NOTE_PHDR].p_filesz += 8;
    EXPECT_REFUSED(-XEN_EINVAL, "program header 2 (notes) ends inside a note header");
}

static void test_odd_notes(void)
{
    static const uint8_t three[3] = { 1, 2, 3 };
    static const uint8_t six[6] = { 1, 0, 0, 0, 0, 0 };
    static const char unterminated[4] = { 'x', 'e', 'n', '-' };

    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_ENTRY, three, 3);
    EXPECT_REFUSED(-XEN_EINVAL, "XEN_ELFNOTE_ENTRY is not a 1, 2, 4 or 8-byte number");

    /* A string is sized by its descriptor: the NUL is optional, and an
     * empty descriptor is an empty string. */
    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, unterminated, 4);
    ASSERT_INT(parse(), 0);
    EXPECT_STR(img.notes.xen_version, "xen-");

    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_LOADER, NULL, 0);
    ASSERT_INT(parse(), 0);
    EXPECT_STR(img.notes.loader, "");

    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_SUPPORTED_FEATURES, six, 6);
    EXPECT_REFUSED(-XEN_EINVAL, "SUPPORTED_FEATURES is not a whole number of 32-bit words");

    ti_init(&ti);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_PHYS32_ENTRY, 0x100000000ULL);
    EXPECT_REFUSED(-XEN_EINVAL, "XEN_ELFNOTE_PHYS32_ENTRY does not fit in 32 bits");

    /* Short numbers are zero-extended, as Xen reads them. */
    ti_init(&ti);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, three, 2);
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.notes.phys32_entry, 0x0201);
}

static void test_notes_skipped(void)
{
    static const uint8_t desc[4] = { 0xff, 0xff, 0xff, 0xff };

    ti_init(&ti);
    /* Unknown Xen types, BSD_SYMTAB (no symbol table is loaded), other
     * owners, and "Xen" without its NUL change nothing. */
    ti_add_note(&ti, "Xen", 4, 99, desc, 4);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_BSD_SYMTAB, "yes", 4);
    ti_add_note(&ti, "Linux", 6, XEN_ELFNOTE_ENTRY, desc, 4);
    ti_add_note(&ti, "Xen", 3, XEN_ELFNOTE_ENTRY, desc, 4);
    ti_add_note(&ti, NULL, 0, XEN_ELFNOTE_ENTRY, desc, 4);
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.virt_entry, TI_ENTRY);

    /* A PT_NOTE at offset 0 is a binutils quirk Xen skips, and so do we. */
    ti_init(&ti);
    ti.u.h.ph[TI_NOTE_PHDR].p_offset = 0;
    ti.u.h.eh.e_entry = 0x1800; /* no VIRT_BASE either, then */
    ASSERT_INT(parse(), 0);
    EXPECT_TRUE(!img.has_xen_notes);
}

static void test_missing_notes(void)
{
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti.u.h.eh.e_phnum = 2;      /* no PT_NOTE at all */
    ti.u.h.eh.e_entry = 0x1800; /* no VIRT_BASE: segments sit at p_paddr */
    ASSERT_INT(parse(), 0);
    EXPECT_TRUE(!img.has_xen_notes);
    EXPECT_STR(img.notes.loader, "");
    EXPECT_TRUE(!img.notes.has_entry && !img.notes.has_hypercall_page);
    EXPECT_U64(img.virt_base, 0);
    EXPECT_U64(img.virt_entry, 0x1800);
}

static void test_later_note_wins(void)
{
    ti_init(&ti);
    ti_add_xen_str(&ti, XEN_ELFNOTE_GUEST_OS, "linux");
    ti_add_xen_u64(&ti, XEN_ELFNOTE_ENTRY, TI_VIRT_BASE + 0x2ff0);
    ASSERT_INT(parse(), 0);
    EXPECT_STR(img.notes.guest_os, "linux");
    EXPECT_U64(img.virt_entry, TI_VIRT_BASE + 0x2ff0);
}

static void test_long_string_truncated(void)
{
    char longer[100];

    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    ti_init(&ti);
    ti_add_xen_str(&ti, XEN_ELFNOTE_GUEST_OS, longer);
    ASSERT_INT(parse(), 0);
    EXPECT_U64(strlen(img.notes.guest_os), ELF_NOTE_STR_MAX - 1);
}

static void test_entry_outside_image(void)
{
    static const uint64_t entries[] = {
        TI_VIRT_BASE + 0xfff,   /* just below text */
        TI_VIRT_BASE + 0x3000,  /* in data: not executable */
        TI_VIRT_BASE + 0x10000, /* past the image */
        0,
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(entries); i++) {
        ti_init(&ti);
        ti_add_xen_u64(&ti, XEN_ELFNOTE_ENTRY, entries[i]);
        EXPECT_REFUSED(-XEN_EINVAL, "entry point (XEN_ELFNOTE_ENTRY) is not inside an executable");
    }
    ti_init(&ti);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_ENTRY, TI_VIRT_BASE + 0x2fff); /* last text byte */
    EXPECT_INT(parse(), 0);

    /* Without an ENTRY note, e_entry is checked the same way. */
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, 1u << XEN_ELFNOTE_ENTRY);
    ti.u.h.eh.e_entry = TI_VIRT_BASE + 0x3000;
    EXPECT_REFUSED(-XEN_EINVAL, "entry point (e_entry) is not inside an executable");
}

static void test_hypercall_page_outside_image(void)
{
    static const struct {
        uint64_t va;
        const char *words;
    } cases[] = {
        { TI_VIRT_BASE, "outside the loaded image" },
        { TI_VIRT_BASE + 0x5000, "outside the loaded image" },
        { TI_VIRT_BASE + 0x2010, "not page aligned" },
        { UINT64_MAX & ~0xfffULL, "outside the loaded image" },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        ti_init(&ti);
        ti_add_xen_u64(&ti, XEN_ELFNOTE_HYPERCALL_PAGE, cases[i].va);
        EXPECT_REFUSED(-XEN_EINVAL, cases[i].words);
    }
    ti_init(&ti); /* the last page of the image (bss) is fine */
    ti_add_xen_u64(&ti, XEN_ELFNOTE_HYPERCALL_PAGE, TI_VIRT_BASE + 0x4000);
    EXPECT_INT(parse(), 0);
}

static void test_required_unknown_feature(void)
{
    ti_init(&ti);
    ti_add_xen_str(&ti, XEN_ELFNOTE_FEATURES, "pae_pgdir_above_4gb|!frobnicate");
    EXPECT_REFUSED(-XEN_EINVAL, "requires unknown feature 'frobnicate'");

    ti_init(&ti);
    ti_add_xen_str(&ti, XEN_ELFNOTE_FEATURES, "!");
    EXPECT_REFUSED(-XEN_EINVAL, "requires unknown feature ''");

    /* A prefix of a known name is not that name. */
    ti_init(&ti);
    ti_add_xen_str(&ti, XEN_ELFNOTE_FEATURES, "!writable_page");
    EXPECT_REFUSED(-XEN_EINVAL, "requires unknown feature 'writable_page'");
}

static void test_features_parsed(void)
{
    uint32_t bitmap = (1u << XENFEAT_hvm_callback_vector) | (1u << 31);

    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, 1u << XEN_ELFNOTE_FEATURES);
    /* Unknown optional names and empty fields are ignored, as in Xen. */
    ti_add_xen_str(&ti, XEN_ELFNOTE_FEATURES,
                   "frobnicate||!dom0|writable_descriptor_tables|!auto_translated_physmap|");
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_SUPPORTED_FEATURES, &bitmap, 4);
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.notes.features_required[0],
               (1u << XENFEAT_dom0) | (1u << XENFEAT_auto_translated_physmap));
    EXPECT_U64(img.notes.features_supported[0],
               (1u << XENFEAT_dom0) | (1u << XENFEAT_auto_translated_physmap) |
                   (1u << XENFEAT_writable_descriptor_tables) |
                   (1u << XENFEAT_hvm_callback_vector) | (1u << 31));
}

static void test_feature_names(void)
{
    unsigned int i;

    EXPECT_STR(xen_feature_name(XENFEAT_writable_page_tables), "writable_page_tables");
    EXPECT_STR(xen_feature_name(XENFEAT_pae_pgdir_above_4gb), "pae_pgdir_above_4gb");
    EXPECT_STR(xen_feature_name(XENFEAT_dom0), "dom0");
    EXPECT_STR(xen_feature_name(XENFEAT_direct_mapped), "direct_mapped");
    EXPECT_TRUE(xen_feature_name(12) == NULL); /* withdrawn grant_map_identity */
    EXPECT_TRUE(xen_feature_name(XENFEAT_direct_mapped + 1) == NULL);
    EXPECT_TRUE(xen_feature_name(~0u) == NULL);
    /* Every name parses back to its own number. */
    for (i = 0; i < 32; i++) {
        const char *name = xen_feature_name(i);
        char features[64];

        if (!name)
            continue;
        snprintf(features, sizeof(features), "!%s", name);
        ti_init(&ti);
        ti_clear_notes(&ti);
        ti_add_default_notes(&ti, 1u << XEN_ELFNOTE_FEATURES);
        ti_add_xen_str(&ti, XEN_ELFNOTE_FEATURES, features);
        EXPECT_INT(parse(), 0);
        EXPECT_U64(img.notes.features_required[0], 1u << i);
    }
}

void register_elf_tests(void)
{
    static const struct unit_test tests[] = {
        { "valid_image", test_valid_image },
        { "segments_sorted_by_paddr", test_segments_sorted_by_paddr },
        { "non_load_headers_ignored", test_non_load_headers_ignored },
        { "default_virt_base", test_default_virt_base },
        { "virt_base_without_paddr_offset", test_virt_base_without_paddr_offset },
        { "paddr_offset_moves_image", test_paddr_offset_moves_image },
        { "paddr_offset_without_virt_base", test_paddr_offset_without_virt_base },
        { "segment_below_virt_base", test_segment_below_virt_base },
        { "unaligned_virt_base", test_unaligned_virt_base },
        { "entry_from_e_entry", test_entry_from_e_entry },
        { "truncated", test_truncated },
        { "note_segment_truncated", test_note_segment_truncated },
        { "bad_ident", test_bad_ident },
        { "bad_machine", test_bad_machine },
        { "bad_type", test_bad_type },
        { "phdr_table_out_of_range", test_phdr_table_out_of_range },
        { "phnum_overflow", test_phnum_overflow },
        { "segment_past_eof", test_segment_past_eof },
        { "filesz_exceeds_memsz", test_filesz_exceeds_memsz },
        { "overlapping_segments", test_overlapping_segments },
        { "address_wrap", test_address_wrap },
        { "segment_count", test_segment_count },
        { "no_load_segment", test_no_load_segment },
        { "bad_note_sizes", test_bad_note_sizes },
        { "odd_notes", test_odd_notes },
        { "notes_skipped", test_notes_skipped },
        { "missing_notes", test_missing_notes },
        { "later_note_wins", test_later_note_wins },
        { "long_string_truncated", test_long_string_truncated },
        { "entry_outside_image", test_entry_outside_image },
        { "hypercall_page_outside_image", test_hypercall_page_outside_image },
        { "required_unknown_feature", test_required_unknown_feature },
        { "features_parsed", test_features_parsed },
        { "feature_names", test_feature_names },
    };

    UNIT_SUITE("elf", tests);
}
