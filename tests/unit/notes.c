/* SPDX-License-Identifier: MIT */
/*
 * notes suite: xen_notes_check(), the PV64 loader's acceptance rules for the
 * Xen notes (LOADER or GUEST_OS, XEN_VERSION, required features).
 */
#include <stdint.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/features.h>

#include "toolstack/elf_image.h"
#include "test_image.h"
#include "unit.h"

static struct test_image ti;
static struct elf_image img;
static const uint32_t offer_all[XENFEAT_NR_SUBMAPS] = { ~0u };
static const uint32_t offer_wpt[XENFEAT_NR_SUBMAPS] = { 1u << XENFEAT_writable_page_tables };

/* Build the default image minus the `skip` notes plus `extra` notes, parse it. */
static void build(uint32_t skip)
{
    const char *why;

    ti_init(&ti);
    ti_clear_notes(&ti);
    ti_add_default_notes(&ti, skip);
    ASSERT_INT(elf_image_parse(ti.u.bytes, ti.size, &img, &why), 0);
}

static int check(const uint32_t *offered, int *missing, const char **why)
{
    *missing = 1234;
    *why = "(not set)";
    return xen_notes_check(&img, offered, missing, why);
}

static void test_accepts_default(void)
{
    const char *why;
    int missing;

    build(0);
    EXPECT_INT(check(offer_wpt, &missing, &why), 0);
    EXPECT_INT(missing, -1);
    EXPECT_TRUE(why == NULL);
}

static void test_linux_without_loader(void)
{
    const char *why;
    int missing;

    build(1u << XEN_ELFNOTE_LOADER);
    ti_add_xen_str(&ti, XEN_ELFNOTE_GUEST_OS, "linux");
    ASSERT_INT(elf_image_parse(ti.u.bytes, ti.size, &img, &why), 0);
    EXPECT_INT(check(offer_all, &missing, &why), 0);
}

static void test_neither_loader_nor_linux(void)
{
    const char *why;
    int missing;

    build(1u << XEN_ELFNOTE_LOADER); /* GUEST_OS is "Lithos" */
    EXPECT_INT(check(offer_all, &missing, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "neither for the generic loader");

    build(1u << XEN_ELFNOTE_LOADER);
    ti_add_xen_str(&ti, XEN_ELFNOTE_LOADER, "elf");
    ASSERT_INT(elf_image_parse(ti.u.bytes, ti.size, &img, &why), 0);
    EXPECT_INT(check(offer_all, &missing, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "neither for the generic loader");
}

/* Xen compares by prefix (strncmp with the literal's length); so do we. */
static void test_prefix_match_as_xen(void)
{
    const char *why;
    int missing;

    build(1u << XEN_ELFNOTE_LOADER | 1u << XEN_ELFNOTE_XEN_VERSION);
    ti_add_xen_str(&ti, XEN_ELFNOTE_LOADER, "generic-x");
    ti_add_xen_str(&ti, XEN_ELFNOTE_XEN_VERSION, "xen-3.0.4");
    ASSERT_INT(elf_image_parse(ti.u.bytes, ti.size, &img, &why), 0);
    EXPECT_INT(check(offer_all, &missing, &why), 0);
}

static void test_xen_version(void)
{
    const char *why;
    int missing;

    build(1u << XEN_ELFNOTE_XEN_VERSION);
    EXPECT_INT(check(offer_all, &missing, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "not built for Xen 3.0");

    build(1u << XEN_ELFNOTE_XEN_VERSION);
    ti_add_xen_str(&ti, XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
    ASSERT_INT(elf_image_parse(ti.u.bytes, ti.size, &img, &why), 0);
    EXPECT_INT(check(offer_all, &missing, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "not built for Xen 3.0");
}

static void test_missing_required_feature(void)
{
    static const uint32_t offer_none[XENFEAT_NR_SUBMAPS] = { 0 };
    static const uint32_t offer_other[XENFEAT_NR_SUBMAPS] = { ~(1u
                                                                << XENFEAT_writable_page_tables) };
    const char *why;
    int missing;

    build(0); /* requires writable_page_tables */
    EXPECT_INT(check(offer_none, &missing, &why), -XEN_EINVAL);
    EXPECT_INT(missing, XENFEAT_writable_page_tables);
    EXPECT_SUBSTR(why, "requires a feature this hypervisor does not offer");

    EXPECT_INT(check(offer_other, &missing, &why), -XEN_EINVAL);
    EXPECT_INT(missing, XENFEAT_writable_page_tables);

    /* Merely supported features need not be offered. */
    build(1u << XEN_ELFNOTE_FEATURES);
    ti_add_xen_str(&ti, XEN_ELFNOTE_FEATURES, "dom0|!pae_pgdir_above_4gb");
    ASSERT_INT(elf_image_parse(ti.u.bytes, ti.size, &img, &why), 0);
    EXPECT_INT(check(offer_wpt, &missing, &why), -XEN_EINVAL);
    EXPECT_INT(missing, XENFEAT_pae_pgdir_above_4gb);
    {
        const uint32_t offer[XENFEAT_NR_SUBMAPS] = { 1u << XENFEAT_pae_pgdir_above_4gb };

        EXPECT_INT(check(offer, &missing, &why), 0);
        EXPECT_INT(missing, -1);
    }
}

static void test_no_xen_notes(void)
{
    const char *why;
    int missing;

    ti_init(&ti);
    ti_clear_notes(&ti);
    ti.u.h.eh.e_entry = 0x1800;
    ASSERT_INT(elf_image_parse(ti.u.bytes, ti.size, &img, &why), 0);
    EXPECT_INT(check(offer_all, &missing, &why), -XEN_EINVAL);
    EXPECT_SUBSTR(why, "no Xen ELF notes");
}

static void test_null_outputs(void)
{
    build(0);
    EXPECT_INT(xen_notes_check(&img, offer_all, NULL, NULL), 0);
    EXPECT_INT(xen_notes_check(&img, (const uint32_t[XENFEAT_NR_SUBMAPS]){ 0 }, NULL, NULL),
               -XEN_EINVAL);
}

void register_notes_tests(void)
{
    static const struct unit_test tests[] = {
        { "accepts_default", test_accepts_default },
        { "linux_without_loader", test_linux_without_loader },
        { "neither_loader_nor_linux", test_neither_loader_nor_linux },
        { "prefix_match_as_xen", test_prefix_match_as_xen },
        { "xen_version", test_xen_version },
        { "missing_required_feature", test_missing_required_feature },
        { "no_xen_notes", test_no_xen_notes },
        { "null_outputs", test_null_outputs },
    };

    UNIT_SUITE("notes", tests);
}
