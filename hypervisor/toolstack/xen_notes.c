/* SPDX-License-Identifier: MIT */
/*
 * The Xen ELF notes of a guest kernel (xen/elfnote.h): read into struct
 * xen_notes from its PT_NOTE segments, or when they hold no Xen note from
 * its SHT_NOTE sections, or failing both from the legacy __xen_guest
 * section (xen_guest_info.c); then checked against what the hypervisor
 * offers. Behaviour follows Xen's libelf (libelf-dominfo.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/features.h>

#include "toolstack/elf64.h"
#include "toolstack/elf_image.h"
#include "toolstack/elf_priv.h"
#include "common/array_size.h"

/* Names as written in a FEATURES note: XENFEAT_<name> in xen/features.h.
 * Xen's libelf knows only seven of these; knowing all of them changes
 * nothing for a guest Xen accepts, and lets "!dom0"-style requests for
 * the newer ones fail with "not offered" rather than "unknown". Number 12
 * (grant_map_identity) is withdrawn in features.h and stays unnamed. */
static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist] = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs] = "hvm_pirqs",
    [XENFEAT_dom0] = "dom0",
    [XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
    [XENFEAT_ARM_SMCCC_supported] = "ARM_SMCCC_supported",
    [XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
    [XENFEAT_not_direct_mapped] = "not_direct_mapped",
    [XENFEAT_direct_mapped] = "direct_mapped",
};
#define NR_FEATURE_NAMES (ARRAY_SIZE(feature_names))
_Static_assert(NR_FEATURE_NAMES <= 32 * XENFEAT_NR_SUBMAPS,
               "every named feature fits the XENFEAT bitmap");

const char *xen_feature_name(unsigned int feat)
{
    return feat < NR_FEATURE_NAMES ? feature_names[feat] : NULL;
}

/* How each Xen note's descriptor is read, and where the result goes. Types
 * missing here (INFO, BSD_SYMTAB) are skipped, as Xen skips the types it
 * does not know: Xenolith loads no BSD symbol table (docs/abi.md). */
enum note_kind {
    NOTE_SKIP,
    NOTE_STR,
    NOTE_NUM,
    NOTE_NUM32,
    NOTE_PRESENT, /* any size, as Xen reads it; only its presence is kept */
    NOTE_FEATURES,
    NOTE_SUPPORTED_FEATURES
};

struct note_desc {
    const char *name;
    uint8_t kind;
    uint16_t value; /* offsetof the char[] or uint64_t/uint32_t in xen_notes */
    uint16_t has;   /* offsetof its has_* flag (numbers only) */
};

#define NOTE_STRING(t, field) [t] = { #t, NOTE_STR, offsetof(struct xen_notes, field), 0 }
#define NOTE_NUMBER(t, kind, field) \
    [t] = { #t, kind, offsetof(struct xen_notes, field), offsetof(struct xen_notes, has_##field) }

static const struct note_desc note_table[] = {
    NOTE_NUMBER(XEN_ELFNOTE_ENTRY, NOTE_NUM, entry),
    NOTE_NUMBER(XEN_ELFNOTE_HYPERCALL_PAGE, NOTE_NUM, hypercall_page),
    NOTE_NUMBER(XEN_ELFNOTE_VIRT_BASE, NOTE_NUM, virt_base),
    NOTE_NUMBER(XEN_ELFNOTE_PADDR_OFFSET, NOTE_NUM, paddr_offset),
    NOTE_NUMBER(XEN_ELFNOTE_PHYS32_ENTRY, NOTE_NUM32, phys32_entry),
    NOTE_NUMBER(XEN_ELFNOTE_INIT_P2M, NOTE_NUM, init_p2m),
    NOTE_NUMBER(XEN_ELFNOTE_MOD_START_PFN, NOTE_NUM, mod_start_pfn),
    NOTE_NUMBER(XEN_ELFNOTE_HV_START_LOW, NOTE_NUM, hv_start_low),
    NOTE_NUMBER(XEN_ELFNOTE_SUSPEND_CANCEL, NOTE_NUM, suspend_cancel),
    [XEN_ELFNOTE_L1_MFN_VALID] = { "XEN_ELFNOTE_L1_MFN_VALID", NOTE_PRESENT, 0,
                                   offsetof(struct xen_notes, has_l1_mfn_valid) },
    NOTE_STRING(XEN_ELFNOTE_XEN_VERSION, xen_version),
    NOTE_STRING(XEN_ELFNOTE_GUEST_OS, guest_os),
    NOTE_STRING(XEN_ELFNOTE_GUEST_VERSION, guest_version),
    NOTE_STRING(XEN_ELFNOTE_PAE_MODE, pae_mode),
    NOTE_STRING(XEN_ELFNOTE_LOADER, loader),
    [XEN_ELFNOTE_FEATURES] = { "XEN_ELFNOTE_FEATURES", NOTE_FEATURES, 0, 0 },
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = { "XEN_ELFNOTE_SUPPORTED_FEATURES", NOTE_SUPPORTED_FEATURES,
                                         0, 0 },
};
#define NR_NOTE_TYPES (ARRAY_SIZE(note_table))

static void set_feature(uint32_t *map, unsigned int feat)
{
    map[feat / 32] |= 1U << (feat % 32);
}

static int find_feature(const char *name, size_t len)
{
    unsigned int i;

    for (i = 0; i < NR_FEATURE_NAMES; i++)
        if (feature_names[i] && strlen(feature_names[i]) == len &&
            !memcmp(feature_names[i], name, len))
            return (int)i;
    return -1;
}

/*
 * "a|!b|c": each name is supported, "!name" is also required. An unknown
 * optional name is ignored and an unknown required one refuses the image,
 * both as in Xen. Xen cuts each name at 63 characters and carries on with
 * the rest as a new name; a long name is simply unknown here.
 */
int xen_parse_features(struct elf_image *img, const char *s, size_t left, const char **why)
{
    struct xen_notes *n = &img->notes;

    while (left) {
        const char *bar = memchr(s, '|', left);
        size_t len = bar ? (size_t)(bar - s) : left;
        bool required = len && s[0] == '!';
        const char *name = s + required;
        size_t name_len = len - required;
        int feat = find_feature(name, name_len);

        if (feat >= 0) {
            set_feature(n->features_supported, (unsigned int)feat);
            if (required)
                set_feature(n->features_required, (unsigned int)feat);
        } else if (required) {
            char unknown[40];
            size_t copy = name_len < sizeof(unknown) - 1 ? name_len : sizeof(unknown) - 1;

            memcpy(unknown, name, copy);
            unknown[copy] = '\0';
            *why = elf_why(img, "FEATURES note requires unknown feature '%s'", unknown);
            return -XEN_EINVAL;
        }
        s += len + (bar != NULL);
        left -= len + (bar != NULL);
    }
    return 0;
}

/*
 * One note named "Xen". A string is sized by its descriptor, ending at the
 * descriptor's end or at a NUL inside it: Linux writes FEATURES with
 * .ascii, its NUL only in the padding (Xen reads on to the first NUL in
 * the image, which there is the same string). It is cut to
 * ELF_NOTE_STR_MAX - 1 characters, as Xen cuts it to its own field size.
 * A number must be 1, 2, 4 or 8 bytes and a SUPPORTED_FEATURES bitmap a
 * whole number of 32-bit words: Xen reads anything else as 0, which would
 * silently drop what the guest meant, so Xenolith refuses it.
 */
static int parse_xen_note(struct elf_image *img, uint32_t type, const uint8_t *desc,
                          uint32_t descsz, const char **why)
{
    const struct note_desc *d;
    uint8_t *notes = (uint8_t *)&img->notes;
    uint64_t val;
    uint32_t i;

    if (type >= NR_NOTE_TYPES || note_table[type].kind == NOTE_SKIP)
        return 0;
    d = &note_table[type];

    if (d->kind == NOTE_STR || d->kind == NOTE_FEATURES) {
        for (i = 0; i < descsz && desc[i]; i++)
            ;
        if (d->kind == NOTE_FEATURES)
            return xen_parse_features(img, (const char *)desc, i, why);
        notes_set_string((char *)notes + d->value, desc, i);
        return 0;
    }

    if (d->kind == NOTE_PRESENT) {
        notes[d->has] = true;
        return 0;
    }

    if (d->kind == NOTE_SUPPORTED_FEATURES) {
        if (descsz % 4) {
            *why = "Xen note XEN_ELFNOTE_SUPPORTED_FEATURES is not a whole number of 32-bit words";
            return -XEN_EINVAL;
        }
        for (i = 0; i < XENFEAT_NR_SUBMAPS && i < descsz / 4; i++)
            img->notes.features_supported[i] |= (uint32_t)load_le(desc + 4 * i, 4);
        return 0;
    }

    if (descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8) {
        *why = elf_why(img, "Xen note %s is not a 1, 2, 4 or 8-byte number", d->name);
        return -XEN_EINVAL;
    }
    val = load_le(desc, descsz);
    if (d->kind == NOTE_NUM32) {
        uint32_t v32 = (uint32_t)val;

        if (val > UINT32_MAX) {
            *why = elf_why(img, "Xen note %s does not fit in 32 bits", d->name);
            return -XEN_EINVAL;
        }
        memcpy(notes + d->value, &v32, sizeof(v32));
    } else
        memcpy(notes + d->value, &val, sizeof(val));
    notes[d->has] = true;
    return 0;
}

/* Walk the notes of [off, off + len), program header or section `where`
 * (`what` is "program header" or "section"). Names and descriptors are
 * padded to 4 bytes, and the padded sizes must fit in the range too. */
static int parse_notes(struct elf_image *img, const char *what, unsigned int where, uint64_t off,
                       uint64_t len, const char **why)
{
    uint64_t pos = off, end = off + len;

    while (pos < end) {
        struct elf64_nhdr nh;
        uint64_t name, desc;
        int rc;

        if (end - pos < sizeof(nh)) {
            *why = elf_why(img, "%s %u (notes) ends inside a note header", what, where);
            return -XEN_EINVAL;
        }
        memcpy(&nh, img->data + pos, sizeof(nh));
        name = pos + sizeof(nh);
        if (align4(nh.n_namesz) > end - name) {
            *why = elf_why(img, "%s %u (notes) has a note name running past its end", what, where);
            return -XEN_EINVAL;
        }
        desc = name + align4(nh.n_namesz);
        if (align4(nh.n_descsz) > end - desc) {
            *why = elf_why(img, "%s %u (notes) has a note descriptor running past its end", what,
                           where);
            return -XEN_EINVAL;
        }
        if (nh.n_namesz == 4 && !memcmp(img->data + name, "Xen", 4)) {
            img->has_xen_notes = true;
            img->nr_xen_notes++;
            rc = parse_xen_note(img, nh.n_type, img->data + desc, nh.n_descsz, why);
            if (rc)
                return rc;
        }
        pos = desc + align4(nh.n_descsz);
    }
    return 0;
}

/* Every PT_NOTE, in program header order so a later note wins, as in Xen;
 * when they hold no Xen note, every SHT_NOTE section; failing both, the
 * legacy __xen_guest section. */
int xen_notes_parse(struct elf_image *img, const struct elf64_ehdr *eh, const char **why)
{
    struct elf64_phdr ph;
    unsigned int i;
    int rc;

    for (i = 0; i < eh->e_phnum; i++) {
        read_phdr(img, eh, i, &ph);
        if (ph.p_type != PT_NOTE)
            continue;
        if (!in_file(ph.p_offset, ph.p_filesz, img->size)) {
            *why = elf_why(img,
                           "program header %u"
                           " (PT_NOTE) extends past the end of the image",
                           i);
            return -XEN_EINVAL;
        }
        /* Some binutils leave p_offset 0 in note segments; Xen skips them. */
        if (ph.p_offset == 0)
            continue;
        rc = parse_notes(img, "program header", i, ph.p_offset, ph.p_filesz, why);
        if (rc)
            return rc;
    }
    if (img->nr_xen_notes)
        return 0;
    rc = elf_sections_check(img, eh, why);
    if (rc)
        return rc;
    /* Section 0 is the null section, as Xen skips it. */
    for (i = 1; i < eh->e_shnum; i++) {
        struct elf64_shdr sh;

        read_shdr(img, eh, i, &sh);
        if (sh.sh_type != SHT_NOTE)
            continue;
        if (!in_file(sh.sh_offset, sh.sh_size, img->size)) {
            *why = elf_why(img, "section %u (SHT_NOTE) extends past the end of the image", i);
            return -XEN_EINVAL;
        }
        rc = parse_notes(img, "section", i, sh.sh_offset, sh.sh_size, why);
        if (rc)
            return rc;
    }
    if (img->nr_xen_notes)
        return 0;
    return xen_guest_info_parse(img, eh, why);
}

/*
 * elf_xen_note_check(): LOADER and GUEST_OS are compared by prefix, as Xen
 * does with strncmp(..., 7) and (..., 5), so "generic-x" is accepted like
 * on Xen. PVH-only images (PHYS32_ENTRY alone) are refused: Xenolith builds
 * PV domains only.
 */
int xen_notes_check(const struct elf_image *img, const uint32_t *offered, int *missing_feature,
                    const char **why)
{
    const struct xen_notes *n = &img->notes;
    const char *reason = NULL;
    int rc = -XEN_EINVAL;
    unsigned int i;

    if (missing_feature)
        *missing_feature = -1;

    if (!img->has_xen_notes)
        reason = "image has no Xen ELF notes: not a Xen PV kernel";
    else if (strncmp(n->loader, "generic", 7) && strncmp(n->guest_os, "linux", 5))
        reason = "image is built neither for the generic loader (XEN_ELFNOTE_LOADER) "
                 "nor as Linux (XEN_ELFNOTE_GUEST_OS)";
    else if (strncmp(n->xen_version, "xen-3.0", 7))
        reason = "image is not built for Xen 3.0 (XEN_ELFNOTE_XEN_VERSION)";
    else {
        for (i = 0; i < 32 * XENFEAT_NR_SUBMAPS; i++)
            if (xen_feature_test(n->features_required, i) && !xen_feature_test(offered, i)) {
                if (missing_feature)
                    *missing_feature = (int)i;
                reason = "image requires a feature this hypervisor does not offer";
                goto out;
            }
        rc = 0;
    }

out:
    if (why)
        *why = rc ? reason : NULL;
    return rc;
}
