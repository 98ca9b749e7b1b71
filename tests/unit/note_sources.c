/* SPDX-License-Identifier: MIT */
/*
 * note_sources suite: where the loader finds a kernel's Xen notes, as
 * Xen's libelf looks for them: PT_NOTE segments, else SHT_NOTE sections,
 * else the legacy __xen_guest string; and the notes Linux carries
 * (FEATURES without its NUL, a 16-byte L1_MFN_VALID, INIT_P2M, ...).
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

static struct test_image ti;
static struct elf_image img;
static const char *why;

static int parse(void)
{
    unit_dump_input(ti.u.bytes, ti.size);
    why = NULL;
    return elf_image_parse(ti.u.bytes, ti.size, &img, &why);
}

static void test_section_notes_when_no_segment_notes(void)
{
    ti_init(&ti);
    ti_notes_to_section(&ti);
    ASSERT_INT(parse(), 0);
    EXPECT_INT((int)img.nr_xen_notes, 9);
    EXPECT_STR(img.notes.loader, "generic");
    EXPECT_U64(img.virt_entry, TI_ENTRY);
    EXPECT_U64(img.virt_hypercall, TI_HYPERCALL);
}

static void test_segment_notes_win(void)
{
    /* A section's notes are not read when a PT_NOTE holds Xen notes. */
    uint8_t note[20] = { 4,   0,   0,   0, 6,   0,   0,   0,  XEN_ELFNOTE_GUEST_OS, 0, 0, 0,
                         'X', 'e', 'n', 0, 'l', 'i', 'n', 'u' };
    uint8_t bytes[24] = { 0 };

    memcpy(bytes, note, sizeof(note));
    bytes[20] = 'x';
    ti_init(&ti);
    ti_add_section_data(&ti, ".note.other", SHT_NOTE, bytes, sizeof(bytes));
    ASSERT_INT(parse(), 0);
    EXPECT_STR(img.notes.guest_os, "Lithos");

    /* Without them, that section is read (and without VIRT_BASE the
     * segments sit at their p_paddr). */
    ti_clear_notes(&ti);
    ti.u.h.eh.e_entry = 0x1010;
    ASSERT_INT(parse(), 0);
    EXPECT_STR(img.notes.guest_os, "linux");
}

static void test_bad_section_tables(void)
{
    ti_init(&ti);
    ti_notes_to_section(&ti);
    ti.u.h.eh.e_shentsize = 40;
    ASSERT_INT(parse(), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "smaller than an ELF64 section header");

    ti_init(&ti);
    ti_notes_to_section(&ti);
    ti.u.h.eh.e_shoff = TI_SIZE - 64;
    ASSERT_INT(parse(), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "section header table extends past the end of the image");

    ti_init(&ti);
    ti_notes_to_section(&ti);
    ((struct elf64_shdr *)(ti.u.bytes + TI_SHDR_OFF))[2].sh_size = TI_SIZE;
    ASSERT_INT(parse(), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "section 2 (SHT_NOTE) extends past the end of the image");

    /* Notes that overrun their section are named by section. */
    ti_init(&ti);
    ti_notes_to_section(&ti);
    ((struct elf64_shdr *)(ti.u.bytes + TI_SHDR_OFF))[2].sh_size -= 2;
    ASSERT_INT(parse(), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "section 2 (notes) has a note descriptor running past its end");
}

static void legacy_image(const char *guest)
{
    ti_init(&ti);
    ti_clear_notes(&ti);
    ti.u.h.ph[TI_NOTE_PHDR].p_type = 0;
    ti.u.h.eh.e_entry = 0x1010; /* no VIRT_BASE unless the string gives one */
    ti_add_section_data(&ti, "__xen_guest", 1 /* SHT_PROGBITS */, guest, strlen(guest) + 1);
}

static void test_legacy_guest_info(void)
{
    /* HYPERCALL_PAGE is a page number from VIRT_BASE; PADDR_OFFSET
     * defaults to VIRT_BASE, so segments sit at their p_paddr. */
    legacy_image("GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0x0,"
                 "VIRT_ENTRY=0x1010,HYPERCALL_PAGE=0x2,FEATURES=!writable_page_tables");
    ASSERT_INT(parse(), 0);
    EXPECT_TRUE(img.has_xen_notes && img.notes.from_guest_info);
    EXPECT_INT((int)img.nr_xen_notes, 0);
    EXPECT_STR(img.notes.guest_os, "linux");
    EXPECT_STR(img.notes.xen_version, "xen-3.0");
    EXPECT_U64(img.virt_base, 0);
    EXPECT_U64(img.virt_offset, 0);
    EXPECT_U64(img.virt_entry, 0x1010);
    EXPECT_U64(img.virt_hypercall, 0x2000);
    EXPECT_TRUE(xen_feature_test(img.notes.features_required, XENFEAT_writable_page_tables));
    EXPECT_INT(xen_notes_check(&img, (const uint32_t[XENFEAT_NR_SUBMAPS]){ ~0u }, NULL, NULL), 0);

    /* With VIRT_BASE, PADDR_OFFSET defaults to VIRT_BASE: p_paddr is then
     * read as a virtual address, as the kernels of that time wrote it. */
    legacy_image("LOADER=generic,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,"
                 "VIRT_ENTRY=0xffffffff80001010");
    ti.u.h.ph[0].p_paddr = TI_VIRT_BASE + 0x1000;
    ti.u.h.ph[1].p_paddr = TI_VIRT_BASE + 0x3000;
    ASSERT_INT(parse(), 0);
    EXPECT_U64(img.virt_offset, 0);
    EXPECT_U64(img.virt_kstart, TI_VIRT_BASE + 0x1000);
    EXPECT_U64(img.virt_entry, TI_ENTRY);
}

static void test_legacy_guest_info_cuts(void)
{
    /* A name of 31 characters is cut; the rest is read as the next name,
     * and a value of 127 likewise: as Xen reads it. */
    char s[400];

    snprintf(s, sizeof(s), "GUEST_OS=linux,XEN_VER=xen-3.0,%s=1,LOADER=generic",
             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    legacy_image(s);
    ASSERT_INT(parse(), 0);
    EXPECT_STR(img.notes.loader, "generic");

    /* An unknown required feature refuses the image. */
    legacy_image("GUEST_OS=linux,XEN_VER=xen-3.0,FEATURES=!no_such_feature");
    ASSERT_INT(parse(), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "requires unknown feature 'no_such_feature'");

    /* No name table, or no such section: no notes at all. */
    legacy_image("GUEST_OS=linux");
    ti.u.h.eh.e_shstrndx = 0;
    ASSERT_INT(parse(), 0);
    EXPECT_TRUE(!img.has_xen_notes);
}

static void test_linux_notes(void)
{
    /* As Debian 12's kernels write them (readelf -n vmlinux). */
    static const char features[] = "!writable_page_tables|pae_pgdir_above_4gb";
    static const uint64_t l1_mfn_valid[2] = { 1, 1 };
    static const uint32_t supported = 0x8801, one = 1;

    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, 1u << XEN_ELFNOTE_FEATURES);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_FEATURES, features, sizeof(features) - 1);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_SUPPORTED_FEATURES, &supported, 4);
    ti_add_xen_str(&ti, XEN_ELFNOTE_PAE_MODE, "yes");
    ti_add_xen_str(&ti, XEN_ELFNOTE_GUEST_VERSION, "2.6");
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_L1_MFN_VALID, l1_mfn_valid, sizeof(l1_mfn_valid));
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_SUSPEND_CANCEL, &one, 4);
    ti_add_note(&ti, "Xen", 4, XEN_ELFNOTE_MOD_START_PFN, &one, 4);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_INIT_P2M, 0x8000000000ULL);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_HV_START_LOW, 0xffff800000000000ULL);
    ASSERT_INT(parse(), 0);
    EXPECT_TRUE(xen_feature_test(img.notes.features_required, XENFEAT_writable_page_tables));
    EXPECT_TRUE(xen_feature_test(img.notes.features_supported, XENFEAT_pae_pgdir_above_4gb));
    EXPECT_TRUE(xen_feature_test(img.notes.features_supported, XENFEAT_dom0));
    EXPECT_STR(img.notes.pae_mode, "yes");
    EXPECT_STR(img.notes.guest_version, "2.6");
    EXPECT_TRUE(img.notes.has_l1_mfn_valid);
    EXPECT_TRUE(img.notes.has_suspend_cancel && img.notes.suspend_cancel == 1);
    EXPECT_TRUE(img.notes.has_mod_start_pfn && img.notes.mod_start_pfn == 1);
    EXPECT_TRUE(img.notes.has_init_p2m);
    EXPECT_U64(img.notes.init_p2m, 0x8000000000ULL);
    EXPECT_U64(img.notes.hv_start_low, 0xffff800000000000ULL);
}

static void test_init_p2m_inside_image(void)
{
    ti_init(&ti);
    ti_add_xen_u64(&ti, XEN_ELFNOTE_INIT_P2M, TI_VIRT_BASE + 0x2000);
    ASSERT_INT(parse(), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "XEN_ELFNOTE_INIT_P2M) is inside the loaded image");
}

void register_note_sources_tests(void)
{
    static const struct unit_test tests[] = {
        { "section_notes_when_no_segment_notes", test_section_notes_when_no_segment_notes },
        { "segment_notes_win", test_segment_notes_win },
        { "bad_section_tables", test_bad_section_tables },
        { "legacy_guest_info", test_legacy_guest_info },
        { "legacy_guest_info_cuts", test_legacy_guest_info_cuts },
        { "linux_notes", test_linux_notes },
        { "init_p2m_inside_image", test_init_p2m_inside_image },
    };

    UNIT_SUITE("note_sources", tests);
}
