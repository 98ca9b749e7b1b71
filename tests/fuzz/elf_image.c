/* SPDX-License-Identifier: MIT */
/*
 * The guest image loader as domain_build() drives it: elf_image_parse() on
 * the input; for an accepted image, xen_notes_check() and then
 * builder_compute_layout() at the domain sizes a module string can ask for,
 * checking everything the builder relies on when it copies segments and
 * lays out the start-of-day pages.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>

#include "toolstack/builder_layout.h"
#include "toolstack/elf64.h"
#include "toolstack/elf_image.h"
#include "toolstack/module_config.h"
#include "tests/fuzz/fuzz_check.h"
#include "common/array_size.h"

#define PAGE              4096ULL
#define CANONICAL_LOW_END 0x0000800000000000ULL

/* What module_config lets a domain have: mem_bytes >> 12 pages. */
static const uint64_t domain_pages[] = {
    MODULE_MIN_MEM >> 12,
    MODULE_DEFAULT_MEM >> 12,
    MODULE_MAX_MEM >> 12,
};

static volatile uint8_t sink;

static void check_reason(const char *why, size_t max)
{
    FUZZ_CHECK(why != NULL, "a refusal without a reason");
    FUZZ_CHECK(why[0] != '\0', "an empty reason");
    FUZZ_CHECK(strnlen(why, max) < max, "a reason of %zu bytes or more", max);
}

/* [a, a + alen) inside [lo, hi), computed without wrapping. */
static bool inside(uint64_t a, uint64_t alen, uint64_t lo, uint64_t hi)
{
    return a >= lo && a <= hi && alen <= hi - a;
}

static void check_segments(const struct elf_image *img, const uint8_t *data, size_t size)
{
    unsigned int i, j;

    FUZZ_CHECK(img->nr_segments >= 1 && img->nr_segments <= ELF_IMAGE_MAX_SEGMENTS,
               "nr_segments %u", img->nr_segments);
    for (i = 0; i < img->nr_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        /* domain_build's load_segments(): the destination wraps as it does. */
        uint64_t dest = s->paddr + img->virt_offset;

        FUZZ_CHECK(s->filesz <= s->memsz, "segment %u: filesz %#llx > memsz %#llx", i,
                   (unsigned long long)s->filesz, (unsigned long long)s->memsz);
        FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset,
                   "segment %u: file bytes [%#llx, +%#llx) outside %zu bytes", i,
                   (unsigned long long)s->offset, (unsigned long long)s->filesz, size);
        FUZZ_CHECK(inside(dest, s->memsz, img->virt_kstart, img->virt_kend),
                   "segment %u lands at %#llx+%#llx, outside the kernel [%#llx, %#llx)", i,
                   (unsigned long long)dest, (unsigned long long)s->memsz,
                   (unsigned long long)img->virt_kstart, (unsigned long long)img->virt_kend);
        if (i)
            FUZZ_CHECK(img->seg[i - 1].paddr <= s->paddr, "segment %u not sorted by paddr", i);
        for (j = 0; j < i; j++) {
            const struct elf_segment *t = &img->seg[j];

            if (!s->memsz || !t->memsz)
                continue;
            FUZZ_CHECK(s->paddr >= t->paddr + t->memsz || t->paddr >= s->paddr + s->memsz,
                       "segments %u and %u overlap by paddr", j, i);
            FUZZ_CHECK(s->vaddr >= t->vaddr + t->memsz || t->vaddr >= s->vaddr + s->memsz,
                       "segments %u and %u overlap by vaddr", j, i);
        }
        /* The bytes the builder copies: ASan sees any read past the input. */
        if (s->filesz)
            sink = elf_segment_bytes(img, i)[0] ^ elf_segment_bytes(img, i)[s->filesz - 1];
        FUZZ_CHECK(elf_segment_bytes(img, i) == data + s->offset, "segment %u bytes", i);
    }
}

static void check_image(const struct elf_image *img, const uint8_t *data, size_t size)
{
    const struct xen_notes *n = &img->notes;
    bool entry_ok = false;
    unsigned int i;

    FUZZ_CHECK(img->data == data && img->size == size, "the image is not the input");
    check_segments(img, data, size);
    FUZZ_CHECK(!(img->virt_kstart & (PAGE - 1)) && !(img->virt_kend & (PAGE - 1)),
               "kernel bounds %#llx-%#llx not page aligned", (unsigned long long)img->virt_kstart,
               (unsigned long long)img->virt_kend);
    FUZZ_CHECK(img->virt_kstart < img->virt_kend, "empty kernel");
    FUZZ_CHECK(img->virt_base == (n->has_virt_base ? n->virt_base : 0), "virt_base");
    FUZZ_CHECK(img->virt_kstart >= img->virt_base, "kernel below VIRT_BASE");
    for (i = 0; i < img->nr_segments; i++) {
        uint64_t dest = img->seg[i].paddr + img->virt_offset;

        if ((img->seg[i].flags & PF_X) && img->virt_entry >= dest &&
            img->virt_entry - dest < img->seg[i].memsz)
            entry_ok = true;
    }
    FUZZ_CHECK(entry_ok, "entry %#llx outside every executable segment",
               (unsigned long long)img->virt_entry);
    if (n->has_hypercall_page)
        FUZZ_CHECK(!(img->virt_hypercall & (PAGE - 1)) && img->virt_hypercall >= img->virt_kstart &&
                       img->virt_hypercall < img->virt_kend,
                   "hypercall page %#llx", (unsigned long long)img->virt_hypercall);
    else
        FUZZ_CHECK(img->virt_hypercall == 0, "hypercall page without its note");
    FUZZ_CHECK(strnlen(n->guest_os, ELF_NOTE_STR_MAX) < ELF_NOTE_STR_MAX &&
                   strnlen(n->loader, ELF_NOTE_STR_MAX) < ELF_NOTE_STR_MAX &&
                   strnlen(n->xen_version, ELF_NOTE_STR_MAX) < ELF_NOTE_STR_MAX &&
                   strnlen(n->guest_version, ELF_NOTE_STR_MAX) < ELF_NOTE_STR_MAX &&
                   strnlen(n->pae_mode, ELF_NOTE_STR_MAX) < ELF_NOTE_STR_MAX,
               "a note string without its NUL");
    if (n->has_init_p2m)
        FUZZ_CHECK(n->init_p2m < img->virt_kstart || n->init_p2m >= img->virt_kend,
                   "p2m address %#llx inside the image", (unsigned long long)n->init_p2m);
    /* The notes came from exactly one place: notes, or else the legacy
     * string; and the legacy string only where no Xen note was read. */
    FUZZ_CHECK(!(n->from_guest_info && img->nr_xen_notes), "legacy string beside Xen notes");
    FUZZ_CHECK(img->has_xen_notes == (img->nr_xen_notes > 0 || n->from_guest_info),
               "has_xen_notes %d with %u notes", img->has_xen_notes, img->nr_xen_notes);
    for (i = 0; i < XENFEAT_NR_SUBMAPS; i++)
        FUZZ_CHECK(!(n->features_required[i] & ~n->features_supported[i]),
                   "submap %u: required %#x, supported %#x", i, n->features_required[i],
                   n->features_supported[i]);
}

/* Offering every feature can only fail on the notes themselves; offering
 * none fails on exactly the first required feature. */
static void check_notes(const struct elf_image *img)
{
    static const uint32_t all[XENFEAT_NR_SUBMAPS] = { [0 ... XENFEAT_NR_SUBMAPS - 1] = ~0u };
    static const uint32_t none[XENFEAT_NR_SUBMAPS];
    const char *why_all, *why_none;
    int miss_all, miss_none;
    int rc_all = xen_notes_check(img, all, &miss_all, &why_all);
    int rc_none = xen_notes_check(img, none, &miss_none, &why_none);
    bool required = false;
    unsigned int i;

    for (i = 0; i < XENFEAT_NR_SUBMAPS; i++)
        required |= img->notes.features_required[i] != 0;
    FUZZ_CHECK(rc_all == 0 || rc_all == -XEN_EINVAL, "rc %d", rc_all);
    FUZZ_CHECK(rc_all == 0 || miss_all == -1, "feature %d missing from all", miss_all);
    if (rc_all)
        check_reason(why_all, 256);
    if (rc_all == 0) {
        FUZZ_CHECK(!rc_none == !required, "rc %d with none offered, required %d", rc_none,
                   required);
        FUZZ_CHECK(rc_none == 0 || (miss_none >= 0 && xen_feature_test(img->notes.features_required,
                                                                       (unsigned int)miss_none)),
                   "missing feature %d is not required", miss_none);
    }
}

/* Page-table pages of span 2^shift covering [start, end): independent of
 * layout_count_tables(), which the layout itself uses. */
static uint64_t tables_over(uint64_t start, uint64_t end, unsigned int shift)
{
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

struct region {
    const char *name;
    uint64_t start, pages;
};

static void check_layout(const struct builder_layout *l, const struct elf_image *img,
                         uint64_t nr_pages)
{
    const struct region r[] = {
        { "kernel", l->kern_start, (l->kern_end - l->kern_start) / PAGE },
        { "p2m", l->p2m_start, l->nr_p2m_pages },
        { "start_info", l->start_info, 1 },
        { "xenstore ring", l->store_page, 1 },
        { "console ring", l->console_page, 1 },
        { "page tables", l->pt_start, l->nr_pt_frames },
        { "boot stack", l->stack_start, 1 },
    };
    const unsigned int nr = ARRAY_SIZE(r);
    uint64_t stack_end = l->stack_start + PAGE;
    unsigned int i, j;

    FUZZ_CHECK(l->virt_base == img->virt_base && l->kern_start == img->virt_kstart &&
                   l->kern_end == img->virt_kend,
               "the layout moved the kernel");
    FUZZ_CHECK(l->virt_base < l->virt_end && !(l->virt_base & (PAGE - 1)), "range");
    for (i = 0; i < nr; i++) {
        FUZZ_CHECK(!(r[i].start & (PAGE - 1)), "%s at %#llx not page aligned", r[i].name,
                   (unsigned long long)r[i].start);
        FUZZ_CHECK(r[i].pages <= (l->virt_end - l->virt_base) / PAGE &&
                       inside(r[i].start, r[i].pages * PAGE, l->virt_base, l->virt_end),
                   "%s [%#llx, +%llu pages) outside [%#llx, %#llx)", r[i].name,
                   (unsigned long long)r[i].start, (unsigned long long)r[i].pages,
                   (unsigned long long)l->virt_base, (unsigned long long)l->virt_end);
        for (j = 0; j < i; j++)
            FUZZ_CHECK(r[i].start >= r[j].start + r[j].pages * PAGE ||
                           r[j].start >= r[i].start + r[i].pages * PAGE,
                       "%s overlaps %s", r[i].name, r[j].name);
    }
    FUZZ_CHECK(l->nr_p2m_pages * PAGE >= nr_pages * 8, "the p2m cannot hold %llu pages",
               (unsigned long long)nr_pages);
    /* The range ends on the first 4 MiB boundary leaving 512 KiB after the stack. */
    FUZZ_CHECK(!(l->virt_end & (LAYOUT_ALIGN - 1)), "end %#llx not 4 MiB aligned",
               (unsigned long long)l->virt_end);
    FUZZ_CHECK(l->virt_end - stack_end >= LAYOUT_PADDING &&
                   l->virt_end - stack_end < LAYOUT_PADDING + LAYOUT_ALIGN,
               "end %#llx, stack ends %#llx", (unsigned long long)l->virt_end,
               (unsigned long long)stack_end);
    FUZZ_CHECK(l->nr_mapped_pages == (l->virt_end - l->virt_base) / PAGE &&
                   l->nr_mapped_pages <= nr_pages,
               "mapped %llu of %llu pages", (unsigned long long)l->nr_mapped_pages,
               (unsigned long long)nr_pages);
    /* The bootstrap tables map the whole range, themselves included. */
    FUZZ_CHECK(l->nr_l4 == 1 && l->nr_l3 == tables_over(l->virt_base, l->virt_end, 39) &&
                   l->nr_l2 == tables_over(l->virt_base, l->virt_end, 30) &&
                   l->nr_l1 == tables_over(l->virt_base, l->virt_end, 21) &&
                   l->nr_pt_frames >= l->nr_l4 + l->nr_l3 + l->nr_l2 + l->nr_l1,
               "%llu table frames for l3 %llu l2 %llu l1 %llu", (unsigned long long)l->nr_pt_frames,
               (unsigned long long)l->nr_l3, (unsigned long long)l->nr_l2,
               (unsigned long long)l->nr_l1);
    FUZZ_CHECK(l->virt_end <= CANONICAL_LOW_END || l->virt_base >= HYPERVISOR_VIRT_END,
               "range [%#llx, %#llx) touches the hole or non-canonical addresses",
               (unsigned long long)l->virt_base, (unsigned long long)l->virt_end);
    /* domain_build's guest_va() indexes the p2m by (va - virt_base) >> 12:
     * the hypercall page must be one of the mapped pfns. */
    if (img->virt_hypercall)
        FUZZ_CHECK(inside(img->virt_hypercall, PAGE, l->virt_base, l->virt_end),
                   "hypercall page outside the range");
}

static int layout_at(const struct elf_image *img, uint64_t nr_pages, struct builder_layout *l)
{
    struct builder_layout again;
    const char *why = "(unset)";
    int rc = builder_compute_layout(img->virt_base, img->virt_kstart, img->virt_kend, nr_pages, l,
                                    &why);

    FUZZ_CHECK(rc == 0 || rc == -XEN_EINVAL || rc == -XEN_ENOMEM, "layout rc %d", rc);
    if (rc) {
        check_reason(why, 256);
        return rc;
    }
    FUZZ_CHECK(why == NULL, "a reason on success");
    check_layout(l, img, nr_pages);
    FUZZ_CHECK(builder_compute_layout(img->virt_base, img->virt_kstart, img->virt_kend, nr_pages,
                                      &again, NULL) == 0 &&
                   !memcmp(&again, l, sizeof(again)),
               "the layout is not deterministic");
    return 0;
}

static void check_layouts(const struct elf_image *img)
{
    struct builder_layout l, fit;
    unsigned int i;
    int rc = -1;

    for (i = 0; i < ARRAY_SIZE(domain_pages); i++)
        rc = layout_at(img, domain_pages[i], &l);
    if (rc)
        return;
    /* A domain exactly as large as the range it needs fits: fewer pages
     * only shrink the p2m, so the range cannot grow. */
    FUZZ_CHECK(layout_at(img, l.nr_mapped_pages, &fit) == 0,
               "%llu pages are mapped at 64 GiB but do not fit as the domain's size",
               (unsigned long long)l.nr_mapped_pages);
    FUZZ_CHECK(fit.nr_mapped_pages <= l.nr_mapped_pages, "a smaller domain needs more");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct elf_image img;
    const char *why = "(unset)";
    int rc = elf_image_parse(data, size, &img, &why);

    FUZZ_CHECK(rc == 0 || rc == -XEN_EINVAL || rc == -XEN_ENOEXEC, "parse rc %d", rc);
    if (rc) {
        check_reason(why, why == img.why_buf ? ELF_IMAGE_WHY_MAX : 256);
        return 0;
    }
    FUZZ_CHECK(why == NULL, "a reason on success");
    check_image(&img, data, size);
    check_notes(&img);
    check_layouts(&img);
    return 0;
}
