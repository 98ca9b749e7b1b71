/* SPDX-License-Identifier: MIT */
/*
 * Validated view of a guest kernel: an ELF64 image held in memory (a boot
 * module), its PT_LOAD segments and its Xen ELF notes (xen/elfnote.h).
 * Pure code over a byte buffer: it builds for the hypervisor and the host tests.
 */
#ifndef XENOLITH_ELF_IMAGE_H
#define XENOLITH_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/features.h>

#define ELF_IMAGE_MAX_SEGMENTS 16
#define ELF_NOTE_STR_MAX       64
#define ELF_IMAGE_WHY_MAX      96

struct elf_segment {
    uint64_t offset; /* in the image */
    uint64_t vaddr;  /* p_vaddr as linked */
    uint64_t paddr;  /* p_paddr: Xen places segments by this plus virt_offset */
    uint64_t filesz;
    uint64_t memsz;
    uint32_t flags; /* PF_R | PF_W | PF_X */
};

/* The Xen notes, with Xen's defaults applied where a note is absent. */
struct xen_notes {
    char guest_os[ELF_NOTE_STR_MAX];      /* XEN_ELFNOTE_GUEST_OS, "" if absent */
    char loader[ELF_NOTE_STR_MAX];        /* XEN_ELFNOTE_LOADER */
    char xen_version[ELF_NOTE_STR_MAX];   /* XEN_ELFNOTE_XEN_VERSION */
    char guest_version[ELF_NOTE_STR_MAX]; /* XEN_ELFNOTE_GUEST_VERSION */
    char pae_mode[ELF_NOTE_STR_MAX];      /* XEN_ELFNOTE_PAE_MODE ("yes" for 64-bit) */
    bool has_entry;
    uint64_t entry; /* XEN_ELFNOTE_ENTRY */
    bool has_hypercall_page;
    uint64_t hypercall_page; /* XEN_ELFNOTE_HYPERCALL_PAGE */
    bool has_virt_base;
    uint64_t virt_base; /* XEN_ELFNOTE_VIRT_BASE */
    bool has_paddr_offset;
    uint64_t paddr_offset; /* XEN_ELFNOTE_PADDR_OFFSET */
    bool has_phys32_entry;
    uint32_t phys32_entry; /* XEN_ELFNOTE_PHYS32_ENTRY */
    /* Where the guest wants its p2m list mapped, outside the image
     * (XEN_ELFNOTE_INIT_P2M); else it follows start_info as Xen places it. */
    bool has_init_p2m;
    uint64_t init_p2m;
    /* XEN_ELFNOTE_MOD_START_PFN non-zero: start_info's mod_start is a frame
     * number and the module is not mapped in the bootstrap range. */
    bool has_mod_start_pfn;
    uint64_t mod_start_pfn;
    /* XEN_ELFNOTE_HV_START_LOW: where a 32-bit guest's hypervisor hole
     * starts; a 64-bit guest's hole is fixed, so it is recorded only. */
    bool has_hv_start_low;
    uint64_t hv_start_low;
    /* XEN_ELFNOTE_SUSPEND_CANCEL: the guest handles a cancelled suspend. */
    bool has_suspend_cancel;
    uint64_t suspend_cancel;
    /* XEN_ELFNOTE_L1_MFN_VALID: a (mask, value) pair of any size, as Xen
     * reads it; meaningful to 32-bit PAE guests only, so recorded only. */
    bool has_l1_mfn_valid;
    /* The notes came from the legacy __xen_guest section (no ELF note was
     * found): PADDR_OFFSET then defaults to VIRT_BASE, as in Xen. */
    bool from_guest_info;
    /* XENFEAT_* bitmaps from XEN_ELFNOTE_FEATURES ("!name" = required) and
     * XEN_ELFNOTE_SUPPORTED_FEATURES. Required features are also supported. */
    uint32_t features_supported[XENFEAT_NR_SUBMAPS];
    uint32_t features_required[XENFEAT_NR_SUBMAPS];
};

struct elf_image {
    const uint8_t *data;
    size_t size;
    uint64_t e_entry;
    unsigned int nr_segments; /* PT_LOAD segments, sorted by paddr */
    struct elf_segment seg[ELF_IMAGE_MAX_SEGMENTS];
    struct xen_notes notes;
    bool has_xen_notes;        /* "Xen" notes, or a __xen_guest section, were found */
    unsigned int nr_xen_notes; /* "Xen" notes read, from PT_NOTE or else SHT_NOTE */

    /* Guest virtual addresses, computed as Xen's libelf does for an image
     * with ELF notes: virt_base defaults to 0, paddr_offset to 0 (Xen's
     * default of virt_base applies only to the legacy __xen_guest section),
     * virt_offset = virt_base - paddr_offset, and each segment lands at
     * paddr + virt_offset. */
    uint64_t virt_base;
    uint64_t virt_offset;
    uint64_t virt_kstart;    /* lowest segment start, rounded down to a page */
    uint64_t virt_kend;      /* highest segment end, rounded up to a page */
    uint64_t virt_entry;     /* ENTRY note, else e_entry */
    uint64_t virt_hypercall; /* HYPERCALL_PAGE note, or 0 (UNSET) */

    /* Holds *why when the reason names a program header or note. */
    char why_buf[ELF_IMAGE_WHY_MAX];
};

/*
 * Parse and validate an ELF64 x86-64 executable. Every header, program
 * header and note must lie inside [data, data + size); segments must not
 * overlap; filesz <= memsz; no address arithmetic may wrap; VIRT_BASE must
 * be page aligned; the entry point (and the hypercall page, when given) must
 * lie inside a loaded segment.
 * Returns 0, or -XEN_EINVAL / -XEN_ENOEXEC with *why set to a
 * human-readable reason for the log line: a static string, or img->why_buf
 * (valid as long as *img) when it names a program header or note.
 * -XEN_ENOEXEC means "not an x86-64 ELF executable at all".
 */
int elf_image_parse(const void *data, size_t size, struct elf_image *img, const char **why);

/* The bytes of segment i that come from the file (filesz of them). */
static inline const uint8_t *elf_segment_bytes(const struct elf_image *img, unsigned int i)
{
    return img->data + img->seg[i].offset;
}

static inline bool xen_feature_test(const uint32_t *map, unsigned int feat)
{
    return feat < 32 * XENFEAT_NR_SUBMAPS && (map[feat / 32] >> (feat % 32)) & 1;
}

/*
 * Check the notes against what a PV64 loader requires (PV64-ABI.md): LOADER
 * "generic" or GUEST_OS "linux", XEN_VERSION "xen-3.0", and every required
 * feature present in `offered` (the hypervisor's XENFEAT bitmap).
 * Returns 0 or -XEN_EINVAL with *why naming the problem; for a missing
 * feature, *missing_feature is set to its XENFEAT_ number (else -1).
 */
int xen_notes_check(const struct elf_image *img, const uint32_t *offered, int *missing_feature,
                    const char **why);

/* Name of XENFEAT_ number `feat` as written in a FEATURES note, or NULL. */
const char *xen_feature_name(unsigned int feat);

#endif
