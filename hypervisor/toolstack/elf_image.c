/* SPDX-License-Identifier: MIT */
/*
 * ELF64 guest kernel parser and validator: the ELF header, the program
 * headers and the placement of the loadable segments; the Xen notes are
 * read by xen_notes.c. Behaviour follows Xen's libelf except where a
 * comment below says why Xenolith is stricter. Every offset and address
 * sum is checked before it is used, because the image is guest-controlled
 * input.
 */
#include <stdarg.h>
#include <stdio.h>
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

#define PAGE_SIZE_4K 4096ULL

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* Reasons that name a program header or note are built in img->why_buf,
 * so they stay valid as long as the image does and two domains can be
 * built at once. */
const char *elf_why(struct elf_image *img, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(img->why_buf, ELF_IMAGE_WHY_MAX, fmt, ap);
    va_end(ap);
    return img->why_buf;
}

static int check_ehdr(struct elf_image *img, struct elf64_ehdr *eh, const char **why)
{
    static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

    if (img->size < sizeof(*eh)) {
        *why = "image is smaller than an ELF64 header";
        return -XEN_ENOEXEC;
    }
    memcpy(eh, img->data, sizeof(*eh));
    if (memcmp(eh->e_ident, magic, sizeof(magic)))
        *why = "image has no ELF magic";
    else if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        *why = "image is not ELFCLASS64";
    else if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        *why = "image is not little-endian (ELFDATA2LSB)";
    else if (eh->e_ident[EI_VERSION] != EV_CURRENT)
        *why = "image's ELF version is not EV_CURRENT";
    else if (eh->e_machine != EM_X86_64)
        *why = "image is not for x86-64 (e_machine != EM_X86_64)";
    else if (eh->e_type != ET_EXEC)
        *why = "image is not an executable (e_type != ET_EXEC)";
    else
        return 0;
    return -XEN_ENOEXEC;
}

static int check_phdr_table(const struct elf_image *img, const struct elf64_ehdr *eh,
                            const char **why)
{
    if (eh->e_phentsize != sizeof(struct elf64_phdr))
        *why = "e_phentsize is not the size of an ELF64 program header";
    else if (eh->e_phnum == 0)
        *why = "image has no program headers";
    /* phnum <= 0xffff and phentsize == 56, so the product cannot wrap. */
    else if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * eh->e_phentsize, img->size))
        *why = "program header table extends past the end of the image";
    else
        return 0;
    return -XEN_EINVAL;
}

/* Where segment `s` lands: p_paddr + virt_offset, with virt_offset =
 * virt_base - paddr_offset taken as a signed distance, so the sum is
 * computed without ever relying on wrap-around. */
static bool place_segment(const struct elf_segment *s, uint64_t virt_base, uint64_t paddr_offset,
                          uint64_t *load)
{
    uint64_t rel;

    if (s->paddr < paddr_offset)
        return false;
    rel = s->paddr - paddr_offset;
    if (add_overflows(virt_base, rel) || add_overflows(virt_base + rel, s->memsz))
        return false;
    *load = virt_base + rel;
    return true;
}

static int load_segments(struct elf_image *img, const struct elf64_ehdr *eh, const char **why)
{
    unsigned int phdr_index[ELF_IMAGE_MAX_SEGMENTS];
    struct elf64_phdr ph;
    unsigned int i, j, n = 0;

    for (i = 0; i < eh->e_phnum; i++) {
        struct elf_segment *s;

        read_phdr(img, eh, i, &ph);
        if (ph.p_type != PT_LOAD)
            continue;
        if (n == ELF_IMAGE_MAX_SEGMENTS) {
            *why = "image has more PT_LOAD segments than ELF_IMAGE_MAX_SEGMENTS";
            return -XEN_EINVAL;
        }
        if (ph.p_filesz > ph.p_memsz)
            *why = elf_why(img, "program header %u has p_filesz > p_memsz", i);
        else if (!in_file(ph.p_offset, ph.p_filesz, img->size))
            *why = elf_why(img, "program header %u extends past the end of the image", i);
        else if (add_overflows(ph.p_paddr, ph.p_memsz))
            *why = elf_why(img, "program header %u wraps the physical address space", i);
        else if (add_overflows(ph.p_vaddr, ph.p_memsz))
            *why = elf_why(img, "program header %u wraps the virtual address space", i);
        else
            *why = NULL;
        if (*why)
            return -XEN_EINVAL;

        s = &img->seg[n];
        s->offset = ph.p_offset;
        s->vaddr = ph.p_vaddr;
        s->paddr = ph.p_paddr;
        s->filesz = ph.p_filesz;
        s->memsz = ph.p_memsz;
        s->flags = ph.p_flags;
        for (j = 0; j < n; j++) {
            if (ranges_overlap(s->paddr, s->memsz, img->seg[j].paddr, img->seg[j].memsz)) {
                *why = elf_why(img,
                               "program header %u"
                               " overlaps an earlier PT_LOAD by p_paddr",
                               i);
                return -XEN_EINVAL;
            }
            if (ranges_overlap(s->vaddr, s->memsz, img->seg[j].vaddr, img->seg[j].memsz)) {
                *why = elf_why(img,
                               "program header %u"
                               " overlaps an earlier PT_LOAD by p_vaddr",
                               i);
                return -XEN_EINVAL;
            }
        }
        phdr_index[n++] = i;
    }
    if (n == 0) {
        *why = "image has no PT_LOAD segment";
        return -XEN_EINVAL;
    }
    img->nr_segments = n;

    /* Insertion sort by paddr: at most 16 entries, and already sorted in
     * every linker output seen so far. */
    for (i = 1; i < n; i++) {
        struct elf_segment s = img->seg[i];
        unsigned int idx = phdr_index[i];

        for (j = i; j && img->seg[j - 1].paddr > s.paddr; j--) {
            img->seg[j] = img->seg[j - 1];
            phdr_index[j] = phdr_index[j - 1];
        }
        img->seg[j] = s;
        phdr_index[j] = idx;
    }
    return 0;
}

/*
 * elf_xen_addr_calc_check(): with ELF notes, PADDR_OFFSET defaults to 0,
 * with the legacy __xen_guest section to VIRT_BASE, so each segment lands
 * at virt_base + p_paddr - paddr_offset. An INIT_P2M address must lie
 * outside the image, as in Xen. Xen only asks
 * that the entry lie in [kstart, kend]; Xenolith wants it inside an
 * executable segment, where a jump there can actually run.
 */
static int place_image(struct elf_image *img, const char **why)
{
    const struct xen_notes *n = &img->notes;
    uint64_t paddr_offset = n->has_paddr_offset  ? n->paddr_offset
                            : n->from_guest_info ? (n->has_virt_base ? n->virt_base : 0)
                                                 : 0;
    uint64_t kstart = UINT64_MAX, kend = 0, load;
    bool entry_ok = false;
    unsigned int i;

    if (n->has_paddr_offset && !n->has_virt_base) {
        *why = "Xen note XEN_ELFNOTE_PADDR_OFFSET is given without XEN_ELFNOTE_VIRT_BASE";
        return -XEN_EINVAL;
    }
    /* Xen asks only that virt_base <= virt_kstart, its kstart unrounded.
     * Xenolith rounds kstart down to a page, so an unaligned VIRT_BASE
     * could end up above it, and the builder maps whole pages from
     * VIRT_BASE anyway: refuse it here, where the reason names the note. */
    if (n->has_virt_base && (n->virt_base & (PAGE_SIZE_4K - 1))) {
        *why = "Xen note XEN_ELFNOTE_VIRT_BASE is not page aligned";
        return -XEN_EINVAL;
    }
    img->virt_base = n->has_virt_base ? n->virt_base : 0;
    img->virt_offset = img->virt_base - paddr_offset;
    img->virt_entry = n->has_entry ? n->entry : img->e_entry;

    for (i = 0; i < img->nr_segments; i++) {
        const struct elf_segment *s = &img->seg[i];

        if (!place_segment(s, img->virt_base, paddr_offset, &load)) {
            *why = elf_why(img,
                           "PT_LOAD segment %u"
                           " (by p_paddr) lies outside [VIRT_BASE, 2^64) once placed",
                           i);
            return -XEN_EINVAL;
        }
        if (load < kstart)
            kstart = load;
        if (load + s->memsz > kend)
            kend = load + s->memsz;
        if ((s->flags & PF_X) && img->virt_entry >= load && img->virt_entry - load < s->memsz)
            entry_ok = true;
    }
    if (add_overflows(kend, PAGE_SIZE_4K - 1)) {
        *why = "image ends in the last page of the address space";
        return -XEN_EINVAL;
    }
    img->virt_kstart = kstart & ~(PAGE_SIZE_4K - 1);
    img->virt_kend = (kend + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);

    if (n->has_init_p2m && n->init_p2m >= img->virt_kstart && n->init_p2m < img->virt_kend) {
        *why = "p2m address (XEN_ELFNOTE_INIT_P2M) is inside the loaded image";
        return -XEN_EINVAL;
    }

    if (!entry_ok) {
        *why = n->has_entry
                   ? "entry point (XEN_ELFNOTE_ENTRY) is not inside an executable PT_LOAD segment"
                   : "entry point (e_entry) is not inside an executable PT_LOAD segment";
        return -XEN_EINVAL;
    }

    img->virt_hypercall = n->has_hypercall_page ? n->hypercall_page : 0;
    if (n->has_hypercall_page) {
        if (n->hypercall_page & (PAGE_SIZE_4K - 1))
            *why = "hypercall page (XEN_ELFNOTE_HYPERCALL_PAGE) is not page aligned";
        else if (n->hypercall_page < img->virt_kstart || n->hypercall_page >= img->virt_kend)
            *why = "hypercall page (XEN_ELFNOTE_HYPERCALL_PAGE) is outside the loaded image";
        else
            return 0;
        return -XEN_EINVAL;
    }
    return 0;
}

int elf_image_parse(const void *data, size_t size, struct elf_image *img, const char **why)
{
    struct elf64_ehdr eh;
    const char *reason = NULL;
    int rc;

    memset(img, 0, sizeof(*img));
    img->data = data;
    img->size = size;

    rc = check_ehdr(img, &eh, &reason);
    if (rc)
        goto out;
    img->e_entry = eh.e_entry;
    rc = check_phdr_table(img, &eh, &reason);
    if (rc)
        goto out;
    rc = load_segments(img, &eh, &reason);
    if (rc)
        goto out;
    rc = xen_notes_parse(img, &eh, &reason);
    if (rc)
        goto out;
    rc = place_image(img, &reason);

out:
    if (why)
        *why = rc ? reason : NULL;
    return rc;
}
