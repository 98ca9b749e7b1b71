/* SPDX-License-Identifier: MIT */
/*
 * The legacy way a PV kernel described itself before ELF notes: a section
 * named __xen_guest holding "NAME=VALUE,NAME=VALUE,...". Xen's libelf
 * still reads it when an image has no Xen note (elf_xen_parse_guest_info),
 * and so does Xenolith, the same way: a name is cut at 31 characters and a
 * value at 127, and what follows a cut is read as the next name; numbers
 * are read as strtoull reads them (base 0); HYPERCALL_PAGE is a page
 * number, relative to VIRT_BASE; PADDR_OFFSET then defaults to VIRT_BASE.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "toolstack/elf64.h"
#include "toolstack/elf_image.h"
#include "toolstack/elf_priv.h"

#define NAME_MAX_LEN  31  /* Xen's name[32] */
#define VALUE_MAX_LEN 127 /* Xen's value[128] */

int elf_sections_check(struct elf_image *img, const struct elf64_ehdr *eh, const char **why)
{
    if (eh->e_shnum == 0)
        return 0;
    if (eh->e_shentsize < sizeof(struct elf64_shdr)) {
        *why = "section headers (e_shentsize) are smaller than an ELF64 section header";
        return -XEN_EINVAL;
    }
    if (!in_file(eh->e_shoff, (uint64_t)eh->e_shnum * eh->e_shentsize, img->size)) {
        *why = "section header table extends past the end of the image";
        return -XEN_EINVAL;
    }
    return 0;
}

/* The index of the section named `name`, or 0 when there is none (or no
 * readable section name table). */
static unsigned int section_by_name(struct elf_image *img, const struct elf64_ehdr *eh,
                                    const char *name, const char **why, int *rc)
{
    size_t want = strlen(name) + 1;
    struct elf64_shdr names, sh;

    *rc = 0;
    if (eh->e_shstrndx == 0 || eh->e_shstrndx >= eh->e_shnum)
        return 0;
    read_shdr(img, eh, eh->e_shstrndx, &names);
    if (!in_file(names.sh_offset, names.sh_size, img->size)) {
        *why = elf_why(img, "section %u (the section names) extends past the end of the image",
                       eh->e_shstrndx);
        *rc = -XEN_EINVAL;
        return 0;
    }
    for (unsigned int i = 1; i < eh->e_shnum; i++) {
        read_shdr(img, eh, i, &sh);
        if (sh.sh_name < names.sh_size && names.sh_size - sh.sh_name >= want &&
            !memcmp(img->data + names.sh_offset + sh.sh_name, name, want))
            return i;
    }
    return 0;
}

/* One NAME=VALUE pair, both NUL-terminated. */
static int apply(struct elf_image *img, const char *name, const char *value, const char **why)
{
    struct xen_notes *n = &img->notes;
    uint64_t num = strtoull(value, NULL, 0);

    if (!strcmp(name, "LOADER"))
        notes_set_string(n->loader, value, strlen(value));
    else if (!strcmp(name, "GUEST_OS"))
        notes_set_string(n->guest_os, value, strlen(value));
    else if (!strcmp(name, "GUEST_VER"))
        notes_set_string(n->guest_version, value, strlen(value));
    else if (!strcmp(name, "XEN_VER"))
        notes_set_string(n->xen_version, value, strlen(value));
    else if (!strcmp(name, "PAE"))
        notes_set_string(n->pae_mode, value, strlen(value));
    else if (!strcmp(name, "VIRT_BASE")) {
        n->virt_base = num;
        n->has_virt_base = true;
    } else if (!strcmp(name, "VIRT_ENTRY")) {
        n->entry = num;
        n->has_entry = true;
    } else if (!strcmp(name, "ELF_PADDR_OFFSET")) {
        n->paddr_offset = num;
        n->has_paddr_offset = true;
    } else if (!strcmp(name, "HYPERCALL_PAGE")) {
        n->hypercall_page = num << 12;
        n->has_hypercall_page = true;
    } else if (!strcmp(name, "FEATURES"))
        return xen_parse_features(img, value, strlen(value), why);
    /* BSD_SYMTAB and names Xen does not know change nothing here. */
    return 0;
}

int xen_guest_info_parse(struct elf_image *img, const struct elf64_ehdr *eh, const char **why)
{
    char name[NAME_MAX_LEN + 1], value[VALUE_MAX_LEN + 1];
    struct elf64_shdr sh;
    const uint8_t *p;
    size_t pos = 0, end;
    unsigned int i;
    int rc;

    i = section_by_name(img, eh, "__xen_guest", why, &rc);
    if (!i)
        return rc;
    read_shdr(img, eh, i, &sh);
    if (!in_file(sh.sh_offset, sh.sh_size, img->size)) {
        *why = elf_why(img, "section %u (__xen_guest) extends past the end of the image", i);
        return -XEN_EINVAL;
    }
    p = img->data + sh.sh_offset;
    /* The string ends at its NUL, or at the section's end. */
    for (end = 0; end < sh.sh_size && p[end]; end++)
        ;
    img->has_xen_notes = true;
    img->notes.from_guest_info = true;
    while (pos < end) {
        size_t len = 0;

        memset(name, 0, sizeof(name));
        memset(value, 0, sizeof(value));
        while (len < NAME_MAX_LEN && pos < end) {
            if (p[pos] == ',') {
                pos++;
                break;
            }
            if (p[pos] == '=') {
                pos++;
                for (size_t v = 0; v < VALUE_MAX_LEN && pos < end; v++) {
                    if (p[pos] == ',') {
                        pos++;
                        break;
                    }
                    value[v] = (char)p[pos++];
                }
                break;
            }
            name[len++] = (char)p[pos++];
        }
        rc = apply(img, name, value, why);
        if (rc)
            return rc;
    }
    if (img->notes.has_virt_base && img->notes.has_hypercall_page)
        img->notes.hypercall_page += img->notes.virt_base;
    return 0;
}
