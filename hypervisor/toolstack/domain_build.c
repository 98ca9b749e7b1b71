// SPDX-License-Identifier: MIT
/*
 * Builds a PV domain's start-of-day state from a validated ELF image: guest
 * memory, the p2m list, start_info, the xenstore and console rings (served
 * inside Xenolith), read-only bootstrap page tables, the boot stack, the hypercall page and the shared_info frame, then the vCPU
 * registers the ABI promises (PV64-ABI.md, xen.h "start of day").
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "toolstack/builder_layout.h"
#include "toolstack/bzimage.h"
#include "console/log.h"
#include "backends/console_backend.h"
#include "backends/console_device.h"
#include "domain/domain.h"
#include "event/evtchn.h"
#include "grant/grant_table.h"
#include "toolstack/domain_build.h"
#include "toolstack/elf_image.h"
#include "pv/feature_set.h"
#include "pv/hypercall_page.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "toolstack/module_config.h"
#include "arch/x86/paging.h"
#include "arch/x86/pte.h"
#include "sched/sched.h"
#include "arch/x86/clock.h"
#include "backends/xenstore_backend.h"

/* A module string may ask for as many consoles as the ring and the
 * console devices serve, and name a domain as long as a domain's name. */
_Static_assert(MODULE_MAX_CONSOLES - 1 <= CONSDEV_PER_DOMAIN, "consoles beyond the devices");
_Static_assert(MODULE_NAME_MAX <= DOMAIN_NAME_MAX, "module names longer than domain names");

#define GUEST_TABLE_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A)
#define GUEST_PAGE_FLAGS  (PTE_P | PTE_RW | PTE_US | PTE_A)
#define INITIAL_RFLAGS    0x202ULL /* IF, and the always-one bit 1 */
#define FCW_DEFAULT       0x037f
#define MXCSR_DEFAULT     0x1f80

struct build {
    struct domain *d;
    struct elf_image img;
    struct module_config cfg;
    struct builder_layout lay;
    uint64_t *p2m;      /* Xenolith's copy: pfn -> mfn */
    uint64_t p2m_first; /* its frames, contiguous */
    uint64_t p2m_frames;
    uint64_t nr_pages;
    uint64_t next_pt; /* next free page of the table area */
    int store_port;   /* Xenolith-bound ports of the rings */
    int console_port;
};

static uint64_t va_to_pfn(const struct build *b, uint64_t va)
{
    return (va - b->lay.virt_base) >> PAGE_SHIFT;
}

/* Xenolith's view of a byte inside the guest's mapped range. */
static void *guest_va(const struct build *b, uint64_t va)
{
    return (uint8_t *)mfn_to_virt(b->p2m[va_to_pfn(b, va)]) + (va & (PAGE_SIZE - 1));
}

static int alloc_guest_memory(struct build *b)
{
    uint64_t bytes = b->nr_pages * sizeof(uint64_t);

    b->p2m_frames = (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
    b->p2m_first = frame_alloc_contig(&machine_frames, b->p2m_frames, 1);
    if (b->p2m_first == FRAME_NONE)
        return -XEN_ENOMEM;
    b->p2m = mfn_to_virt(b->p2m_first);
    for (uint64_t i = 0; i < b->p2m_frames; i++)
        mfn_to_page(b->p2m_first + i)->owner = DOMID_XEN;
    for (uint64_t pfn = 0; pfn < b->nr_pages; pfn++) {
        uint64_t mfn = domain_alloc_frame(b->d->domain_id);

        if (mfn == FRAME_NONE)
            return -XEN_ENOMEM;
        mfn_to_page(mfn)->flags |= PGF_RESERVATION;
        b->p2m[pfn] = mfn;
        m2p_set(mfn, pfn);
    }
    b->d->tot_pages = b->d->max_pages = b->nr_pages;
    return 0;
}

static void copy_to_guest_range(const struct build *b, uint64_t va, const uint8_t *src,
                                uint64_t len)
{
    while (len) {
        uint64_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));

        if (n > len)
            n = len;
        memcpy(guest_va(b, va), src, n);
        va += n;
        src += n;
        len -= n;
    }
}

/* Segments land at p_paddr + virt_offset, as Xen's libelf places them;
 * the rest of memsz stays zero from allocation. */
static void load_segments(const struct build *b)
{
    for (unsigned int i = 0; i < b->img.nr_segments; i++)
        copy_to_guest_range(b, b->img.seg[i].paddr + b->img.virt_offset,
                            elf_segment_bytes(&b->img, i), b->img.seg[i].filesz);
}

/* Table pages are written raw here; pinning the L4 afterwards validates
 * the whole tree and types every frame, exactly as a guest's own pin. */
static uint64_t take_table_page(struct build *b)
{
    if (b->next_pt == b->lay.nr_pt_frames)
        return FRAME_NONE;
    return b->p2m[va_to_pfn(b, b->lay.pt_start) + b->next_pt++];
}

static int map_guest_page(struct build *b, uint64_t l4_mfn, uint64_t va, uint64_t mfn,
                          uint64_t flags)
{
    uint64_t *table = mfn_to_virt(l4_mfn);

    for (unsigned int level = 4; level > 1; level--) {
        uint64_t *e = &table[pt_index(va, level)];

        if (!(*e & PTE_P)) {
            uint64_t t = take_table_page(b);
            if (t == FRAME_NONE)
                return -XEN_ENOMEM;
            *e = pte_make(t, GUEST_TABLE_FLAGS);
        }
        table = mfn_to_virt(pte_mfn(*e));
    }
    table[pt_index(va, 1)] = pte_make(mfn, flags);
    return 0;
}

/* Maps [virt_base, virt_end) onto pfns 0.., the table pages read-only. */
static int build_page_tables(struct build *b, uint64_t *l4_mfn)
{
    uint64_t pt_end = b->lay.pt_start + b->lay.nr_pt_frames * PAGE_SIZE;

    *l4_mfn = take_table_page(b);
    paging_install_hv_slots(mfn_to_virt(*l4_mfn));
    for (uint64_t va = b->lay.virt_base; va < b->lay.virt_end; va += PAGE_SIZE) {
        uint64_t flags = GUEST_PAGE_FLAGS;
        int rc;

        if (va >= b->lay.pt_start && va < pt_end)
            flags &= ~PTE_RW;
        rc = map_guest_page(b, *l4_mfn, va, b->p2m[va_to_pfn(b, va)], flags);
        if (rc)
            return rc;
    }
    return 0;
}

static void write_p2m_list(const struct build *b)
{
    copy_to_guest_range(b, b->lay.p2m_start, (const uint8_t *)b->p2m,
                        b->nr_pages * sizeof(uint64_t));
}

static void write_start_info(const struct build *b, uint64_t l4_mfn)
{
    start_info_t *si = guest_va(b, b->lay.start_info);

    snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
    si->nr_pages = b->nr_pages;
    si->shared_info = b->d->shared_info_mfn << PAGE_SHIFT;
    /* Privileged, but not Xen's initial domain: that one runs xenstored and
     * the console daemon and gets console.dom0, where d0 here has its rings
     * like every domain (docs/boot.md). */
    si->flags = b->d->is_privileged ? SIF_PRIVILEGED : 0;
    si->pt_base = b->lay.pt_start;
    si->nr_pt_frames = b->lay.nr_pt_frames;
    si->mfn_list = b->lay.p2m_start;
    /* Machine frames, as Xen gives them: the guest finds the pages in its
     * bootstrap range by the p2m. Every domain, d0 included, gets a ring
     * rather than Xen's console.dom0 (docs/boot.md). */
    si->store_mfn = b->p2m[va_to_pfn(b, b->lay.store_page)];
    si->store_evtchn = (uint32_t)b->store_port;
    si->console.domU.mfn = b->p2m[va_to_pfn(b, b->lay.console_page)];
    si->console.domU.evtchn = (uint32_t)b->console_port;
    snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", b->cfg.cmdline);
    (void)l4_mfn;
}

static int setup_shared_info(struct domain *d, uint64_t nr_pages)
{
    uint64_t mfn = domain_alloc_frame(d->domain_id);

    if (mfn == FRAME_NONE)
        return -XEN_ENOMEM;
    mfn_to_page(mfn)->flags |= PGF_LENT;
    d->shared_info_mfn = mfn;
    d->shared_info = mfn_to_virt(mfn);
    /* arch.max_pfn stays 0 until the guest sets it, as Xen's builder
     * leaves it; XENMEM_maximum_gpfn reads it. */
    d->shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
    time_set_wallclock(d->shared_info);
    evtchn_domain_init(d);
    return gnttab_domain_init(d);
}

static void setup_vcpu(const struct build *b, uint64_t l4_mfn)
{
    struct vcpu *v = &b->d->vcpu0;
    struct cpu_user_regs *r = &v->regs;

    memset(r, 0, sizeof(*r));
    r->rip = b->img.virt_entry;
    r->rsp = b->lay.stack_start + PAGE_SIZE;
    r->rsi = b->lay.start_info;
    r->rflags = INITIAL_RFLAGS;
    r->cs = FLAT_KERNEL_CS64;
    r->ss = FLAT_KERNEL_SS64;
    /* Xen starts every vCPU with a 10 ms periodic timer. */
    v->periodic_period = 10ULL * 1000 * 1000;
    v->periodic_next = time_now_ns() + v->periodic_period;
    memset(v->fpu, 0, sizeof(v->fpu));
    *(uint16_t *)&v->fpu[0] = FCW_DEFAULT;
    *(uint32_t *)&v->fpu[24] = MXCSR_DEFAULT;
}

static int construct(struct build *b, const char **why)
{
    uint64_t l4_mfn;
    int rc;

    rc = alloc_guest_memory(b);
    if (rc) {
        *why = "not enough machine memory for the guest";
        return rc;
    }
    load_segments(b);
    write_p2m_list(b);
    rc = setup_shared_info(b->d, b->nr_pages);
    if (rc) {
        *why = "not enough machine memory for shared_info or the grant table";
        return rc;
    }
    /* The rings' ports are bound before the guest runs, so it can never
     * have closed one and had the number reused (docs/events.md). */
    b->store_port = xsb_connect(b->d, b->p2m[va_to_pfn(b, b->lay.store_page)]);
    if (b->store_port < 0) {
        *why = "could not connect the xenstore ring";
        return b->store_port;
    }
    b->console_port = consb_connect(b->d, b->p2m[va_to_pfn(b, b->lay.console_page)]);
    if (b->console_port < 0) {
        *why = "could not connect the console ring";
        return b->console_port;
    }
    rc = consdev_add(b->d, b->cfg.consoles);
    if (rc) {
        *why = "could not add the console devices";
        return rc;
    }
    rc = build_page_tables(b, &l4_mfn);
    if (rc) {
        *why = "bootstrap page tables overflowed their area";
        return rc;
    }
    /* Like Xen's builder: the initial L4 is pinned, and the vCPU's base
     * pointer holds its own reference. */
    rc = pt_pin(l4_mfn, PGT_L4, &b->d->pt, false, NULL);
    if (!rc)
        rc = page_get_and_type(l4_mfn, PGT_L4, &b->d->pt);
    if (!rc)
        b->d->vcpu0.guest_table = l4_mfn;
    if (rc) {
        *why = "the bootstrap page tables failed validation";
        return rc;
    }
    write_start_info(b, l4_mfn);
    if (b->img.virt_hypercall)
        hypercall_page_fill(guest_va(b, b->img.virt_hypercall));
    setup_vcpu(b, l4_mfn);
    return 0;
}

static int reject(unsigned int index, const char *why, int rc)
{
    log_err("module %u: rejected: %s\n", index, why);
    return rc;
}

/* The most a bzImage may say it decompresses to (Debian's kernels: about
 * 53 MiB). */
#define UNPACKED_MAX (512ULL << 20)

/* A bzImage's kernel, decompressed into contiguous frames of the machine's
 * taken for the build (they stay outside the frame table: no domain ever
 * owns them) and given back when it ends. */
struct unpacked {
    uint64_t first, nr;
};

static void unpacked_release(struct unpacked *u)
{
    for (uint64_t i = 0; i < u->nr; i++)
        (void)frame_free(&machine_frames, u->first + i);
    u->nr = 0;
}

/* *data and *size: the module, or the ELF image of a bzImage module (its
 * payload, or that decompressed). 0, or a negative errno with *why. */
static int unpack_kernel(unsigned int index, const uint8_t **data, size_t *size, struct unpacked *u,
                         const char **why)
{
    struct bzimage bz;
    long n;
    int rc = bzimage_probe(*data, *size, &bz, why);

    if (rc <= 0)
        return rc; /* not a bzImage: the module is the ELF image */
    if (bz.format == BZ_ELF) {
        *data = bz.payload;
        *size = bz.payload_len;
        return 0;
    }
    if (bz.out_len == 0 || bz.out_len > UNPACKED_MAX) {
        *why = "bzImage states an uncompressed length of 0 or over 512 MiB";
        return -XEN_EINVAL;
    }
    u->nr = ((uint64_t)bz.out_len + PAGE_SIZE - 1) >> PAGE_SHIFT;
    u->first = frame_alloc_contig(&machine_frames, u->nr, 1);
    if (u->first == FRAME_NONE) {
        u->nr = 0;
        *why = "no room to decompress the bzImage";
        return -XEN_ENOMEM;
    }
    n = bzimage_decompress(&bz, mfn_to_virt(u->first), u->nr << PAGE_SHIFT, why);
    if (n < 0) {
        unpacked_release(u);
        return (int)n;
    }
    log_info("module %u: bzImage, %s payload of %zu bytes, %ld bytes decompressed\n", index,
             bzimage_format_name(bz.format), bz.payload_len, n);
    *data = mfn_to_virt(u->first);
    *size = (size_t)n;
    return 0;
}

/* One build at a time, at boot: too large for the stack. */
static struct build building;

static int build(unsigned int index, const uint8_t *kernel, size_t kernel_size);

int domain_build(const struct boot_module *m, unsigned int index)
{
    const uint8_t *kernel = maddr_to_virt(m->start);
    size_t size = m->end - m->start;
    struct unpacked u = { 0, 0 };
    const char *why = NULL;
    int rc;

    memset(&building, 0, sizeof(building));
    /* The module string first: it is cheap, and a bzImage is not. */
    rc = module_config_parse(m->string, &building.cfg, &why);
    if (rc)
        return reject(index, why, rc);
    rc = unpack_kernel(index, &kernel, &size, &u, &why);
    if (rc)
        return reject(index, why, rc);
    /* The segments are copied into the domain's frames during the build. */
    rc = build(index, kernel, size);
    unpacked_release(&u);
    return rc;
}

static int build(unsigned int index, const uint8_t *kernel, size_t kernel_size)
{
    const char *why = NULL;
    int missing = -1;
    int rc;

    rc = elf_image_parse(kernel, kernel_size, &building.img, &why);
    if (rc)
        return reject(index, why, rc);
    rc = xen_notes_check(&building.img, xenolith_features, &missing, &why);
    if (rc) {
        if (missing >= 0) {
            char msg[96];
            const char *name = xen_feature_name((unsigned int)missing);
            snprintf(msg, sizeof(msg), "the kernel requires feature %s, which Xenolith lacks",
                     name ? name : "(unnamed)");
            return reject(index, msg, rc);
        }
        return reject(index, why, rc);
    }
    building.nr_pages = building.cfg.mem_bytes >> PAGE_SHIFT;
    rc = builder_compute_layout(building.img.virt_base, building.img.virt_kstart,
                                building.img.virt_kend, building.nr_pages, &building.lay, &why);
    if (rc)
        return reject(index, why, rc);

    building.d = domain_alloc(building.cfg.name[0] ? building.cfg.name : "guest");
    if (!building.d)
        return reject(index, "too many domains", -XEN_ENOMEM);
    building.d->is_privileged = building.d->domain_id == 0;
    /* The privileged domain stands in for Xen's dom0, which holds I/O
     * capabilities and so may choose cache attributes. */
    building.d->pt = (struct pt_owner){ .id = building.d->domain_id,
                                        .io_caps = building.d->is_privileged,
                                        .hv_l4 = paging_hv_l4() };
    rc = construct(&building, &why);
    if (building.p2m_first != FRAME_NONE && building.p2m)
        for (uint64_t i = 0; i < building.p2m_frames; i++)
            xen_free_frame(building.p2m_first + i);
    if (rc) {
        domain_destroy(building.d);
        return reject(index, why, rc);
    }
    log_info("d%u (%s): %llu MiB, kernel %#llx-%#llx, entry %#llx\n", building.d->domain_id,
             building.d->name, (unsigned long long)(building.nr_pages >> (20 - PAGE_SHIFT)),
             (unsigned long long)building.img.virt_kstart,
             (unsigned long long)building.img.virt_kend,
             (unsigned long long)building.img.virt_entry);
    log_debug(
        "d%u: p2m %#llx, start_info %#llx, xenstore %#llx (port %d), "
        "console %#llx (port %d), page tables %#llx (%llu frames), "
        "stack %#llx, mapped up to %#llx\n",
        building.d->domain_id, (unsigned long long)building.lay.p2m_start,
        (unsigned long long)building.lay.start_info, (unsigned long long)building.lay.store_page,
        building.store_port, (unsigned long long)building.lay.console_page, building.console_port,
        (unsigned long long)building.lay.pt_start, (unsigned long long)building.lay.nr_pt_frames,
        (unsigned long long)building.lay.stack_start, (unsigned long long)building.lay.virt_end);
    sched_add_vcpu(&building.d->vcpu0);
    return 0;
}
