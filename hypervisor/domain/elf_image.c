/* SPDX-License-Identifier: MIT */
/*
 * ELF64 guest kernel parser and validator, and the Xen ELF notes. Behaviour
 * follows Xen's libelf (libelf-dominfo.c) except where a comment below says
 * why Xenolith is stricter. Every offset and address sum is checked before
 * it is used, because the image is guest-controlled input.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/features.h>

#include "domain/elf64.h"
#include "domain/elf_image.h"

#define PAGE_SIZE_4K 4096ULL

/* Names as written in a FEATURES note: XENFEAT_<name> in xen/features.h.
 * Xen's libelf knows only seven of these; knowing all of them changes
 * nothing for a guest Xen accepts, and lets "!dom0"-style requests for
 * the newer ones fail with "not offered" rather than "unknown". Number 12
 * (grant_map_identity) is withdrawn in features.h and stays unnamed. */
static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables]       = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap]    = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel]     = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb]        = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad]  = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist]             = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits]      = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector]        = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock]           = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs]                  = "hvm_pirqs",
    [XENFEAT_dom0]                       = "dom0",
    [XENFEAT_memory_op_vnode_supported]  = "memory_op_vnode_supported",
    [XENFEAT_ARM_SMCCC_supported]        = "ARM_SMCCC_supported",
    [XENFEAT_linux_rsdp_unrestricted]    = "linux_rsdp_unrestricted",
    [XENFEAT_not_direct_mapped]          = "not_direct_mapped",
    [XENFEAT_direct_mapped]              = "direct_mapped",
};
#define NR_FEATURE_NAMES (sizeof(feature_names) / sizeof(feature_names[0]))
_Static_assert(NR_FEATURE_NAMES <= 32 * XENFEAT_NR_SUBMAPS,
               "every named feature fits the XENFEAT bitmap");

const char *xen_feature_name(unsigned int feat)
{
    return feat < NR_FEATURE_NAMES ? feature_names[feat] : NULL;
}

/* How each Xen note's descriptor is read, and where the result goes. Types
 * missing here (INFO, GUEST_VERSION, PAE_MODE, BSD_SYMTAB, HV_START_LOW,
 * L1_MFN_VALID, SUSPEND_CANCEL, INIT_P2M, MOD_START_PFN) mean nothing to a
 * 64-bit PV loader that places the p2m itself, so they are skipped, as Xen
 * skips unknown types. */
enum note_kind { NOTE_SKIP, NOTE_STR, NOTE_NUM, NOTE_NUM32, NOTE_FEATURES,
                 NOTE_SUPPORTED_FEATURES };

struct note_desc {
    const char *name;
    uint8_t     kind;
    uint16_t    value;   /* offsetof the char[] or uint64_t/uint32_t in xen_notes */
    uint16_t    has;     /* offsetof its has_* flag (numbers only) */
};

#define NOTE_STRING(t, field) \
    [t] = { #t, NOTE_STR, offsetof(struct xen_notes, field), 0 }
#define NOTE_NUMBER(t, kind, field) \
    [t] = { #t, kind, offsetof(struct xen_notes, field), \
            offsetof(struct xen_notes, has_##field) }

static const struct note_desc note_table[] = {
    NOTE_NUMBER(XEN_ELFNOTE_ENTRY,          NOTE_NUM,   entry),
    NOTE_NUMBER(XEN_ELFNOTE_HYPERCALL_PAGE, NOTE_NUM,   hypercall_page),
    NOTE_NUMBER(XEN_ELFNOTE_VIRT_BASE,      NOTE_NUM,   virt_base),
    NOTE_NUMBER(XEN_ELFNOTE_PADDR_OFFSET,   NOTE_NUM,   paddr_offset),
    NOTE_NUMBER(XEN_ELFNOTE_PHYS32_ENTRY,   NOTE_NUM32, phys32_entry),
    NOTE_STRING(XEN_ELFNOTE_XEN_VERSION, xen_version),
    NOTE_STRING(XEN_ELFNOTE_GUEST_OS,    guest_os),
    NOTE_STRING(XEN_ELFNOTE_LOADER,      loader),
    [XEN_ELFNOTE_FEATURES] = { "XEN_ELFNOTE_FEATURES", NOTE_FEATURES, 0, 0 },
    [XEN_ELFNOTE_SUPPORTED_FEATURES] =
        { "XEN_ELFNOTE_SUPPORTED_FEATURES", NOTE_SUPPORTED_FEATURES, 0, 0 },
};
#define NR_NOTE_TYPES (sizeof(note_table) / sizeof(note_table[0]))

/*
 * Reasons that name a program header or note are built in img->why_buf,
 * so they stay valid as long as the image does and two domains can be
 * built at once. There is no snprintf in the hypervisor.
 */
struct why_writer {
    char  *buf;
    size_t len;
};

static void why_str(struct why_writer *w, const char *s)
{
    while ( *s && w->len + 1 < ELF_IMAGE_WHY_MAX )
        w->buf[w->len++] = *s++;
    w->buf[w->len] = '\0';
}

static void why_uint(struct why_writer *w, uint64_t v)
{
    char digits[21];
    unsigned int n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while ( v );
    while ( n && w->len + 1 < ELF_IMAGE_WHY_MAX )
        w->buf[w->len++] = digits[--n];
    w->buf[w->len] = '\0';
}

/* "<a><n><b>", e.g. "program header 2 extends past the end of the image". */
static const char *why_indexed(struct elf_image *img, const char *a,
                               uint64_t n, const char *b)
{
    struct why_writer w = { img->why_buf, 0 };

    why_str(&w, a);
    why_uint(&w, n);
    why_str(&w, b);
    return img->why_buf;
}

static const char *why_named(struct elf_image *img, const char *a,
                             const char *name, const char *b)
{
    struct why_writer w = { img->why_buf, 0 };

    why_str(&w, a);
    why_str(&w, name);
    why_str(&w, b);
    return img->why_buf;
}

/* Little-endian load of 1, 2, 4 or 8 bytes at any alignment. */
static uint64_t load_le(const uint8_t *p, unsigned int size)
{
    uint64_t v = 0;

    while ( size-- )
        v = (v << 8) | p[size];
    return v;
}

static bool add_overflows(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b;
}

/* [off, off + len) lies inside an image of `size` bytes. */
static bool in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

static uint64_t align4(uint64_t v)
{
    return (v + 3) & ~3ULL;
}

static void set_feature(uint32_t *map, unsigned int feat)
{
    map[feat / 32] |= 1U << (feat % 32);
}

static int find_feature(const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < NR_FEATURE_NAMES; i++ )
        if ( feature_names[i] && strlen(feature_names[i]) == len &&
             !memcmp(feature_names[i], name, len) )
            return (int)i;
    return -1;
}

/*
 * "a|!b|c": each name is supported, "!name" is also required. An unknown
 * optional name is ignored and an unknown required one refuses the image,
 * both as in Xen. Xen cuts each name at 63 characters and carries on with
 * the rest as a new name; a long name is simply unknown here.
 */
static int parse_features(struct elf_image *img, const char *s, const char **why)
{
    struct xen_notes *n = &img->notes;

    while ( *s )
    {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        bool required = len && s[0] == '!';
        const char *name = s + required;
        size_t name_len = len - required;
        int feat = find_feature(name, name_len);

        if ( feat >= 0 )
        {
            set_feature(n->features_supported, (unsigned int)feat);
            if ( required )
                set_feature(n->features_required, (unsigned int)feat);
        }
        else if ( required )
        {
            char unknown[40];
            size_t copy = name_len < sizeof(unknown) - 1 ? name_len : sizeof(unknown) - 1;

            memcpy(unknown, name, copy);
            unknown[copy] = '\0';
            *why = why_named(img, "FEATURES note requires unknown feature '",
                             unknown, "'");
            return -XEN_EINVAL;
        }
        s += len + (bar != NULL);
    }
    return 0;
}

/*
 * One note named "Xen". A string must be NUL-terminated inside its
 * descriptor (Xen only asks for a NUL somewhere in the image) and is cut to
 * ELF_NOTE_STR_MAX - 1 characters, as Xen cuts it to its own field size.
 * A number must be 1, 2, 4 or 8 bytes and a SUPPORTED_FEATURES bitmap a
 * whole number of 32-bit words: Xen reads anything else as 0, which would
 * silently drop what the guest meant, so Xenolith refuses it.
 */
static int parse_xen_note(struct elf_image *img, uint32_t type,
                          const uint8_t *desc, uint32_t descsz, const char **why)
{
    const struct note_desc *d;
    uint8_t *notes = (uint8_t *)&img->notes;
    uint64_t val;
    uint32_t i;

    if ( type >= NR_NOTE_TYPES || note_table[type].kind == NOTE_SKIP )
        return 0;
    d = &note_table[type];

    if ( d->kind == NOTE_STR || d->kind == NOTE_FEATURES )
    {
        for ( i = 0; i < descsz && desc[i]; i++ )
            ;
        if ( i == descsz )
        {
            *why = why_named(img, "Xen note ", d->name,
                             " is not a NUL-terminated string");
            return -XEN_EINVAL;
        }
        if ( d->kind == NOTE_FEATURES )
            return parse_features(img, (const char *)desc, why);
        if ( i > ELF_NOTE_STR_MAX - 1 )
            i = ELF_NOTE_STR_MAX - 1;
        memcpy(notes + d->value, desc, i);
        notes[d->value + i] = '\0';
        return 0;
    }

    if ( d->kind == NOTE_SUPPORTED_FEATURES )
    {
        if ( descsz % 4 )
        {
            *why = "Xen note XEN_ELFNOTE_SUPPORTED_FEATURES is not a whole number of 32-bit words";
            return -XEN_EINVAL;
        }
        for ( i = 0; i < XENFEAT_NR_SUBMAPS && i < descsz / 4; i++ )
            img->notes.features_supported[i] |= (uint32_t)load_le(desc + 4 * i, 4);
        return 0;
    }

    if ( descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8 )
    {
        *why = why_named(img, "Xen note ", d->name,
                         " is not a 1, 2, 4 or 8-byte number");
        return -XEN_EINVAL;
    }
    val = load_le(desc, descsz);
    if ( d->kind == NOTE_NUM32 )
    {
        uint32_t v32 = (uint32_t)val;

        if ( val > UINT32_MAX )
        {
            *why = why_named(img, "Xen note ", d->name, " does not fit in 32 bits");
            return -XEN_EINVAL;
        }
        memcpy(notes + d->value, &v32, sizeof(v32));
    }
    else
        memcpy(notes + d->value, &val, sizeof(val));
    notes[d->has] = true;
    return 0;
}

/* Walk the notes of program header `ph`. Names and descriptors are padded
 * to 4 bytes, and the padded sizes must fit in the segment too. */
static int parse_note_segment(struct elf_image *img, unsigned int ph,
                              uint64_t off, uint64_t len, const char **why)
{
    uint64_t pos = off, end = off + len;

    while ( pos < end )
    {
        struct elf64_nhdr nh;
        uint64_t name, desc;
        int rc;

        if ( end - pos < sizeof(nh) )
        {
            *why = why_indexed(img, "program header ", ph,
                               " (PT_NOTE) ends inside a note header");
            return -XEN_EINVAL;
        }
        memcpy(&nh, img->data + pos, sizeof(nh));
        name = pos + sizeof(nh);
        if ( align4(nh.n_namesz) > end - name )
        {
            *why = why_indexed(img, "program header ", ph,
                               " (PT_NOTE) has a note name running past the segment");
            return -XEN_EINVAL;
        }
        desc = name + align4(nh.n_namesz);
        if ( align4(nh.n_descsz) > end - desc )
        {
            *why = why_indexed(img, "program header ", ph,
                               " (PT_NOTE) has a note descriptor running past the segment");
            return -XEN_EINVAL;
        }
        if ( nh.n_namesz == 4 && !memcmp(img->data + name, "Xen", 4) )
        {
            img->has_xen_notes = true;
            rc = parse_xen_note(img, nh.n_type, img->data + desc, nh.n_descsz, why);
            if ( rc )
                return rc;
        }
        pos = desc + align4(nh.n_descsz);
    }
    return 0;
}

static int check_ehdr(struct elf_image *img, struct elf64_ehdr *eh, const char **why)
{
    static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

    if ( img->size < sizeof(*eh) )
    {
        *why = "image is smaller than an ELF64 header";
        return -XEN_ENOEXEC;
    }
    memcpy(eh, img->data, sizeof(*eh));
    if ( memcmp(eh->e_ident, magic, sizeof(magic)) )
        *why = "image has no ELF magic";
    else if ( eh->e_ident[EI_CLASS] != ELFCLASS64 )
        *why = "image is not ELFCLASS64";
    else if ( eh->e_ident[EI_DATA] != ELFDATA2LSB )
        *why = "image is not little-endian (ELFDATA2LSB)";
    else if ( eh->e_ident[EI_VERSION] != EV_CURRENT )
        *why = "image's ELF version is not EV_CURRENT";
    else if ( eh->e_machine != EM_X86_64 )
        *why = "image is not for x86-64 (e_machine != EM_X86_64)";
    else if ( eh->e_type != ET_EXEC )
        *why = "image is not an executable (e_type != ET_EXEC)";
    else
        return 0;
    return -XEN_ENOEXEC;
}

static int check_phdr_table(const struct elf_image *img, const struct elf64_ehdr *eh,
                            const char **why)
{
    if ( eh->e_phentsize != sizeof(struct elf64_phdr) )
        *why = "e_phentsize is not the size of an ELF64 program header";
    else if ( eh->e_phnum == 0 )
        *why = "image has no program headers";
    /* phnum <= 0xffff and phentsize == 56, so the product cannot wrap. */
    else if ( !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * eh->e_phentsize, img->size) )
        *why = "program header table extends past the end of the image";
    else
        return 0;
    return -XEN_EINVAL;
}

static void read_phdr(const struct elf_image *img, const struct elf64_ehdr *eh,
                      unsigned int i, struct elf64_phdr *ph)
{
    memcpy(ph, img->data + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

/* Every PT_NOTE, in program header order so a later note wins, as in Xen.
 * Xen also falls back to SHT_NOTE sections and the legacy __xen_guest
 * section; 64-bit kernels that need either predate PT_NOTE by a decade. */
static int parse_notes(struct elf_image *img, const struct elf64_ehdr *eh,
                       const char **why)
{
    struct elf64_phdr ph;
    unsigned int i;
    int rc;

    for ( i = 0; i < eh->e_phnum; i++ )
    {
        read_phdr(img, eh, i, &ph);
        if ( ph.p_type != PT_NOTE )
            continue;
        if ( !in_file(ph.p_offset, ph.p_filesz, img->size) )
        {
            *why = why_indexed(img, "program header ", i,
                               " (PT_NOTE) extends past the end of the image");
            return -XEN_EINVAL;
        }
        /* Some binutils leave p_offset 0 in note segments; Xen skips them. */
        if ( ph.p_offset == 0 )
            continue;
        rc = parse_note_segment(img, i, ph.p_offset, ph.p_filesz, why);
        if ( rc )
            return rc;
    }
    return 0;
}

/* Where segment `s` lands: p_paddr + virt_offset, with virt_offset =
 * virt_base - paddr_offset taken as a signed distance, so the sum is
 * computed without ever relying on wrap-around. */
static bool place_segment(const struct elf_segment *s, uint64_t virt_base,
                          uint64_t paddr_offset, uint64_t *load)
{
    uint64_t rel;

    if ( s->paddr < paddr_offset )
        return false;
    rel = s->paddr - paddr_offset;
    if ( add_overflows(virt_base, rel) || add_overflows(virt_base + rel, s->memsz) )
        return false;
    *load = virt_base + rel;
    return true;
}

static int load_segments(struct elf_image *img, const struct elf64_ehdr *eh,
                         const char **why)
{
    unsigned int phdr_index[ELF_IMAGE_MAX_SEGMENTS];
    struct elf64_phdr ph;
    unsigned int i, j, n = 0;

    for ( i = 0; i < eh->e_phnum; i++ )
    {
        struct elf_segment *s;

        read_phdr(img, eh, i, &ph);
        if ( ph.p_type != PT_LOAD )
            continue;
        if ( n == ELF_IMAGE_MAX_SEGMENTS )
        {
            *why = "image has more PT_LOAD segments than ELF_IMAGE_MAX_SEGMENTS";
            return -XEN_EINVAL;
        }
        if ( ph.p_filesz > ph.p_memsz )
            *why = why_indexed(img, "program header ", i, " has p_filesz > p_memsz");
        else if ( !in_file(ph.p_offset, ph.p_filesz, img->size) )
            *why = why_indexed(img, "program header ", i,
                               " extends past the end of the image");
        else if ( add_overflows(ph.p_paddr, ph.p_memsz) )
            *why = why_indexed(img, "program header ", i,
                               " wraps the physical address space");
        else if ( add_overflows(ph.p_vaddr, ph.p_memsz) )
            *why = why_indexed(img, "program header ", i,
                               " wraps the virtual address space");
        else
            *why = NULL;
        if ( *why )
            return -XEN_EINVAL;

        s = &img->seg[n];
        s->offset = ph.p_offset;
        s->vaddr  = ph.p_vaddr;
        s->paddr  = ph.p_paddr;
        s->filesz = ph.p_filesz;
        s->memsz  = ph.p_memsz;
        s->flags  = ph.p_flags;
        for ( j = 0; j < n; j++ )
        {
            if ( ranges_overlap(s->paddr, s->memsz, img->seg[j].paddr, img->seg[j].memsz) )
            {
                *why = why_indexed(img, "program header ", i,
                                   " overlaps an earlier PT_LOAD by p_paddr");
                return -XEN_EINVAL;
            }
            if ( ranges_overlap(s->vaddr, s->memsz, img->seg[j].vaddr, img->seg[j].memsz) )
            {
                *why = why_indexed(img, "program header ", i,
                                   " overlaps an earlier PT_LOAD by p_vaddr");
                return -XEN_EINVAL;
            }
        }
        phdr_index[n++] = i;
    }
    if ( n == 0 )
    {
        *why = "image has no PT_LOAD segment";
        return -XEN_EINVAL;
    }
    img->nr_segments = n;

    /* Insertion sort by paddr: at most 16 entries, and already sorted in
     * every linker output seen so far. */
    for ( i = 1; i < n; i++ )
    {
        struct elf_segment s = img->seg[i];
        unsigned int idx = phdr_index[i];

        for ( j = i; j && img->seg[j - 1].paddr > s.paddr; j-- )
        {
            img->seg[j] = img->seg[j - 1];
            phdr_index[j] = phdr_index[j - 1];
        }
        img->seg[j] = s;
        phdr_index[j] = idx;
    }
    return 0;
}

/*
 * elf_xen_addr_calc_check(): with ELF notes, PADDR_OFFSET defaults to 0
 * (the virt_base default is only for the legacy __xen_guest section), so
 * each segment lands at virt_base + p_paddr - paddr_offset. Xen only asks
 * that the entry lie in [kstart, kend]; Xenolith wants it inside an
 * executable segment, where a jump there can actually run.
 */
static int place_image(struct elf_image *img, const char **why)
{
    const struct xen_notes *n = &img->notes;
    uint64_t paddr_offset = n->has_paddr_offset ? n->paddr_offset : 0;
    uint64_t kstart = UINT64_MAX, kend = 0, load;
    bool entry_ok = false;
    unsigned int i;

    if ( n->has_paddr_offset && !n->has_virt_base )
    {
        *why = "Xen note XEN_ELFNOTE_PADDR_OFFSET is given without XEN_ELFNOTE_VIRT_BASE";
        return -XEN_EINVAL;
    }
    /* Xen asks only that virt_base <= virt_kstart, its kstart unrounded.
     * Xenolith rounds kstart down to a page, so an unaligned VIRT_BASE
     * could end up above it, and the builder maps whole pages from
     * VIRT_BASE anyway: refuse it here, where the reason names the note. */
    if ( n->has_virt_base && (n->virt_base & (PAGE_SIZE_4K - 1)) )
    {
        *why = "Xen note XEN_ELFNOTE_VIRT_BASE is not page aligned";
        return -XEN_EINVAL;
    }
    img->virt_base   = n->has_virt_base ? n->virt_base : 0;
    img->virt_offset = img->virt_base - paddr_offset;
    img->virt_entry  = n->has_entry ? n->entry : img->e_entry;

    for ( i = 0; i < img->nr_segments; i++ )
    {
        const struct elf_segment *s = &img->seg[i];

        if ( !place_segment(s, img->virt_base, paddr_offset, &load) )
        {
            *why = why_indexed(img, "PT_LOAD segment ", i,
                               " (by p_paddr) lies outside [VIRT_BASE, 2^64) once placed");
            return -XEN_EINVAL;
        }
        if ( load < kstart )
            kstart = load;
        if ( load + s->memsz > kend )
            kend = load + s->memsz;
        if ( (s->flags & PF_X) && img->virt_entry >= load &&
             img->virt_entry - load < s->memsz )
            entry_ok = true;
    }
    if ( add_overflows(kend, PAGE_SIZE_4K - 1) )
    {
        *why = "image ends in the last page of the address space";
        return -XEN_EINVAL;
    }
    img->virt_kstart = kstart & ~(PAGE_SIZE_4K - 1);
    img->virt_kend   = (kend + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);

    if ( !entry_ok )
    {
        *why = n->has_entry
            ? "entry point (XEN_ELFNOTE_ENTRY) is not inside an executable PT_LOAD segment"
            : "entry point (e_entry) is not inside an executable PT_LOAD segment";
        return -XEN_EINVAL;
    }

    img->virt_hypercall = n->has_hypercall_page ? n->hypercall_page : 0;
    if ( n->has_hypercall_page )
    {
        if ( n->hypercall_page & (PAGE_SIZE_4K - 1) )
            *why = "hypercall page (XEN_ELFNOTE_HYPERCALL_PAGE) is not page aligned";
        else if ( n->hypercall_page < img->virt_kstart ||
                  n->hypercall_page >= img->virt_kend )
            *why = "hypercall page (XEN_ELFNOTE_HYPERCALL_PAGE) is outside the loaded image";
        else
            return 0;
        return -XEN_EINVAL;
    }
    return 0;
}

int elf_image_parse(const void *data, size_t size, struct elf_image *img,
                    const char **why)
{
    struct elf64_ehdr eh;
    const char *reason = NULL;
    int rc;

    memset(img, 0, sizeof(*img));
    img->data = data;
    img->size = size;

    rc = check_ehdr(img, &eh, &reason);
    if ( rc )
        goto out;
    img->e_entry = eh.e_entry;
    rc = check_phdr_table(img, &eh, &reason);
    if ( rc )
        goto out;
    rc = load_segments(img, &eh, &reason);
    if ( rc )
        goto out;
    rc = parse_notes(img, &eh, &reason);
    if ( rc )
        goto out;
    rc = place_image(img, &reason);

 out:
    if ( why )
        *why = rc ? reason : NULL;
    return rc;
}

/*
 * elf_xen_note_check(): LOADER and GUEST_OS are compared by prefix, as Xen
 * does with strncmp(..., 7) and (..., 5), so "generic-x" is accepted like
 * on Xen. PVH-only images (PHYS32_ENTRY alone) are refused: Xenolith builds
 * PV domains only.
 */
int xen_notes_check(const struct elf_image *img, const uint32_t *offered,
                    int *missing_feature, const char **why)
{
    const struct xen_notes *n = &img->notes;
    const char *reason = NULL;
    int rc = -XEN_EINVAL;
    unsigned int i;

    if ( missing_feature )
        *missing_feature = -1;

    if ( !img->has_xen_notes )
        reason = "image has no Xen ELF notes: not a Xen PV kernel";
    else if ( strncmp(n->loader, "generic", 7) && strncmp(n->guest_os, "linux", 5) )
        reason = "image is built neither for the generic loader (XEN_ELFNOTE_LOADER) "
                 "nor as Linux (XEN_ELFNOTE_GUEST_OS)";
    else if ( strncmp(n->xen_version, "xen-3.0", 7) )
        reason = "image is not built for Xen 3.0 (XEN_ELFNOTE_XEN_VERSION)";
    else
    {
        for ( i = 0; i < 32 * XENFEAT_NR_SUBMAPS; i++ )
            if ( xen_feature_test(n->features_required, i) &&
                 !xen_feature_test(offered, i) )
            {
                if ( missing_feature )
                    *missing_feature = (int)i;
                reason = "image requires a feature this hypervisor does not offer";
                goto out;
            }
        rc = 0;
    }

 out:
    if ( why )
        *why = rc ? reason : NULL;
    return rc;
}
