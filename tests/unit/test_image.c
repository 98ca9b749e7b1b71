/* SPDX-License-Identifier: MIT */
/*
 * In-memory ELF64 images for the elf and notes suites (see test_image.h).
 */
#include <stdint.h>
#include <string.h>
#include <xen/elfnote.h>

#include "test_image.h"

static void set_phdr(struct elf64_phdr *ph, uint32_t type, uint32_t flags, uint64_t off,
                     uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    ph->p_type = type;
    ph->p_flags = flags;
    ph->p_offset = off;
    ph->p_vaddr = TI_VIRT_BASE + paddr;
    ph->p_paddr = paddr;
    ph->p_filesz = filesz;
    ph->p_memsz = memsz;
    ph->p_align = 0x1000;
}

void ti_clear_notes(struct test_image *t)
{
    memset(t->u.bytes + TI_NOTES_OFF, 0, TI_NOTES_MAX);
    t->notes_len = 0;
    t->u.h.ph[TI_NOTE_PHDR].p_filesz = 0;
}

void ti_add_note(struct test_image *t, const char *name, uint32_t namesz, uint32_t type,
                 const void *desc, uint32_t descsz)
{
    struct elf64_nhdr nh = { namesz, descsz, type };
    uint8_t *p = t->u.bytes + TI_NOTES_OFF + t->notes_len;
    size_t name_len = (namesz + 3) & ~3u, desc_len = (descsz + 3) & ~3u;

    memcpy(p, &nh, sizeof(nh));
    if (name)
        memcpy(p + sizeof(nh), name, namesz);
    if (desc)
        memcpy(p + sizeof(nh) + name_len, desc, descsz);
    t->notes_len += sizeof(nh) + name_len + desc_len;
    t->u.h.ph[TI_NOTE_PHDR].p_filesz = t->notes_len;
}

void ti_add_xen_str(struct test_image *t, uint32_t type, const char *s)
{
    ti_add_note(t, "Xen", 4, type, s, (uint32_t)strlen(s) + 1);
}

void ti_add_xen_u64(struct test_image *t, uint32_t type, uint64_t v)
{
    ti_add_note(t, "Xen", 4, type, &v, sizeof(v));
}

void ti_add_xen_u32(struct test_image *t, uint32_t type, uint32_t v)
{
    ti_add_note(t, "Xen", 4, type, &v, sizeof(v));
}

void ti_add_default_notes(struct test_image *t, uint32_t skip)
{
    static const uint8_t gnu_desc[16] = { 1, 2, 3, 4 };

#define WANT(type) (!(skip & (1u << (type))))
    ti_add_note(t, "GNU", 4, 3 /* NT_GNU_BUILD_ID */, gnu_desc, sizeof(gnu_desc));
    if (WANT(XEN_ELFNOTE_GUEST_OS))
        ti_add_xen_str(t, XEN_ELFNOTE_GUEST_OS, "Lithos");
    if (WANT(XEN_ELFNOTE_LOADER))
        ti_add_xen_str(t, XEN_ELFNOTE_LOADER, "generic");
    if (WANT(XEN_ELFNOTE_XEN_VERSION))
        ti_add_xen_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    if (WANT(XEN_ELFNOTE_VIRT_BASE))
        ti_add_xen_u64(t, XEN_ELFNOTE_VIRT_BASE, TI_VIRT_BASE);
    if (WANT(XEN_ELFNOTE_PADDR_OFFSET))
        ti_add_xen_u64(t, XEN_ELFNOTE_PADDR_OFFSET, 0);
    if (WANT(XEN_ELFNOTE_ENTRY))
        ti_add_xen_u64(t, XEN_ELFNOTE_ENTRY, TI_ENTRY);
    if (WANT(XEN_ELFNOTE_HYPERCALL_PAGE))
        ti_add_xen_u64(t, XEN_ELFNOTE_HYPERCALL_PAGE, TI_HYPERCALL);
    if (WANT(XEN_ELFNOTE_PHYS32_ENTRY))
        ti_add_xen_u32(t, XEN_ELFNOTE_PHYS32_ENTRY, 0x1000);
    if (WANT(XEN_ELFNOTE_FEATURES))
        ti_add_xen_str(t, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
#undef WANT
}

static struct elf64_shdr *shdr(struct test_image *t, unsigned int i)
{
    return (struct elf64_shdr *)(t->u.bytes + TI_SHDR_OFF) + i;
}

static uint32_t add_name(struct test_image *t, const char *name)
{
    uint32_t at = (uint32_t)t->shstr_len;
    size_t n = strlen(name) + 1;

    memcpy(t->u.bytes + TI_SHSTR_OFF + at, name, n);
    t->shstr_len += n;
    shdr(t, 1)->sh_size = t->shstr_len;
    return at;
}

unsigned int ti_add_section(struct test_image *t, const char *name, uint32_t type, uint64_t off,
                            uint64_t size)
{
    struct elf64_ehdr *eh = &t->u.h.eh;
    struct elf64_shdr *sh;

    if (eh->e_shnum == 0) {
        /* The null section, then the section names (type SHT_STRTAB, 3). */
        eh->e_shoff = TI_SHDR_OFF;
        eh->e_shentsize = sizeof(struct elf64_shdr);
        eh->e_shnum = 2;
        eh->e_shstrndx = 1;
        memset(shdr(t, 0), 0, 2 * sizeof(struct elf64_shdr));
        shdr(t, 1)->sh_type = 3;
        shdr(t, 1)->sh_offset = TI_SHSTR_OFF;
        t->shstr_len = 1; /* offset 0 is the empty name */
        shdr(t, 1)->sh_name = add_name(t, ".shstrtab");
    }
    sh = shdr(t, eh->e_shnum);
    memset(sh, 0, sizeof(*sh));
    sh->sh_name = add_name(t, name);
    sh->sh_type = type;
    sh->sh_offset = off;
    sh->sh_size = size;
    sh->sh_addralign = 4;
    return eh->e_shnum++;
}

unsigned int ti_add_section_data(struct test_image *t, const char *name, uint32_t type,
                                 const void *data, size_t len)
{
    uint64_t off = TI_SECDATA_OFF + t->secdata_len;

    memcpy(t->u.bytes + off, data, len);
    t->secdata_len += (len + 3) & ~(size_t)3;
    return ti_add_section(t, name, type, off, len);
}

void ti_notes_to_section(struct test_image *t)
{
    ti_add_section(t, ".notes", SHT_NOTE, TI_NOTES_OFF, t->notes_len);
    t->u.h.ph[TI_NOTE_PHDR].p_type = 0; /* PT_NULL */
}

void ti_init(struct test_image *t)
{
    struct elf64_ehdr *eh = &t->u.h.eh;
    unsigned int i;

    memset(t, 0, sizeof(*t));
    t->size = TI_SIZE;
    memcpy(eh->e_ident,
           "\x7f"
           "ELF",
           4);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_entry = TI_E_ENTRY;
    eh->e_phoff = sizeof(*eh);
    eh->e_ehsize = sizeof(*eh);
    eh->e_phentsize = sizeof(struct elf64_phdr);
    eh->e_phnum = 3;

    set_phdr(&t->u.h.ph[0], PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x2000, 0x2000);
    set_phdr(&t->u.h.ph[1], PT_LOAD, PF_R | PF_W, 0x3000, 0x3000, 0x800, 0x2000);
    set_phdr(&t->u.h.ph[TI_NOTE_PHDR], PT_NOTE, PF_R, TI_NOTES_OFF, 0, 0, 0);
    t->u.h.ph[TI_NOTE_PHDR].p_vaddr = 0;
    t->u.h.ph[TI_NOTE_PHDR].p_align = 4;

    /* Recognisable segment contents, so tests can check elf_segment_bytes(). */
    for (i = 0x1000; i < TI_SIZE; i++)
        t->u.bytes[i] = (uint8_t)(i >> 4);
    ti_add_default_notes(t, 0);
}
