// SPDX-License-Identifier: MIT
/*
 * first-light: the hypercalls Xenolith implements first (console_io,
 * xen_version, sched_op, update_va_mapping) with valid and invalid
 * arguments, plus numbers beyond the table. Runs as dom0 on Xen 4.17, whose
 * answers are the reference: every expected value here is Xen's.
 */
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <vmi/hypercall.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/test.h"
#include <common/array_size.h>

const char test_title[] = "first-light";

/* Three kinds of bad guest pointer: inside the hypervisor's reserved
 * range, non-canonical, and canonical in the guest half but unmapped (the
 * start-of-day region lives in the top 2 GiB, so the low half is empty). */
#define HOLE_VA     0xffff830000000000UL
#define NONCANON_VA 0x0000800000000000UL
#define UNMAPPED_VA 0x0000000000001000UL

/* x86 L1 entry bits (Xen's public headers do not export them). The guest
 * kernel runs in ring 3, so its mappings are user ones. */
#define PTE_FLAGS_RO 0x5UL /* present, user */
#define PTE_FLAGS_RW 0x7UL /* present, writable, user */
#define PTE_PCD      0x10UL
#define PTE_GLOBAL   0x100UL
#define PTE_AVAIL    0xe00UL /* bits 9-11, ignored by the MMU */
#define PTE_BIT52    (1UL << 52)
#define PTE_NX       (1UL << 63)

static const char console_msg[] = "first-light: a CONSOLEIO_write of a valid buffer\n";
/* Large enough for every XENVER_* output (capabilities is 1 KiB). */
static char out_buf[sizeof(xen_capabilities_info_t)] __attribute__((aligned(64)));
static xen_feature_info_t features;
static const unsigned long vcpu0_mask = 1;

/* How a case enters the hypervisor: through its hypercall page stub, or
 * with a bare syscall, for numbers the 128-stub page has no entry for. */
enum via { PAGE, RAW };

/* One hypercall and the exact answer Xen gives. */
struct hc_case {
    const char *name;
    enum via via;
    unsigned int nr;
    unsigned long a1, a2, a3;
    long expect;
};

#define CIO __HYPERVISOR_console_io
#define VER __HYPERVISOR_xen_version
#define SCH __HYPERVISOR_sched_op
#define BUF ((unsigned long)out_buf)

static const struct hc_case cases[] = {
    { "console_io write valid", PAGE, CIO, CONSOLEIO_write, sizeof(console_msg) - 1,
      (unsigned long)console_msg, 0 },
    { "console_io write hypervisor hole", PAGE, CIO, CONSOLEIO_write, 8, HOLE_VA, -XEN_EFAULT },
    { "console_io write non-canonical", PAGE, CIO, CONSOLEIO_write, 8, NONCANON_VA, -XEN_EFAULT },
    { "console_io write unmapped", PAGE, CIO, CONSOLEIO_write, 8, UNMAPPED_VA, -XEN_EFAULT },
    { "console_io write count 0", PAGE, CIO, CONSOLEIO_write, 0, 0, 0 },
    { "console_io unknown cmd 99", PAGE, CIO, 99, 0, 0, -XEN_ENOSYS },
    { "console_io read NULL count 0", PAGE, CIO, CONSOLEIO_read, 0, 0, 0 },
    /* cmd and count are 32-bit in the ABI: the upper register halves are
     * ignored, so these are a plain write of 0 bytes and a plain yield. */
    { "console_io write, cmd bit 32 set", PAGE, CIO, CONSOLEIO_write | (1UL << 32), 1UL << 32, 0,
      0 },

    { "xen_version extraversion valid", PAGE, VER, XENVER_extraversion, BUF, 0, 0 },
    { "xen_version extraversion hole", PAGE, VER, XENVER_extraversion, HOLE_VA, 0, -XEN_EFAULT },
    { "xen_version compile_info valid", PAGE, VER, XENVER_compile_info, BUF, 0, 0 },
    { "xen_version compile_info hole", PAGE, VER, XENVER_compile_info, HOLE_VA, 0, -XEN_EFAULT },
    { "xen_version changeset valid", PAGE, VER, XENVER_changeset, BUF, 0, 0 },
    { "xen_version changeset unmapped", PAGE, VER, XENVER_changeset, UNMAPPED_VA, 0, -XEN_EFAULT },
    { "xen_version guest_handle valid", PAGE, VER, XENVER_guest_handle, BUF, 0, 0 },
    { "xen_version guest_handle hole", PAGE, VER, XENVER_guest_handle, HOLE_VA, 0, -XEN_EFAULT },
    { "xen_version capabilities hole", PAGE, VER, XENVER_capabilities, HOLE_VA, 0, -XEN_EFAULT },
    { "xen_version platform_parameters hole", PAGE, VER, XENVER_platform_parameters, HOLE_VA, 0,
      -XEN_EFAULT },
    { "xen_version get_features hole", PAGE, VER, XENVER_get_features, HOLE_VA, 0, -XEN_EFAULT },
    /* Xen: "!guest_handle_is_null(arg) ? -EINVAL : PAGE_SIZE". */
    { "xen_version pagesize NULL", PAGE, VER, XENVER_pagesize, 0, 0, 4096 },
    { "xen_version pagesize non-NULL", PAGE, VER, XENVER_pagesize, BUF, 0, -XEN_EINVAL },
    { "xen_version pagesize, cmd bit 32 set", PAGE, VER, XENVER_pagesize | (1UL << 32), 0, 0,
      4096 },
    /* dom0 passes the privilege check, so the sub-op is found missing. */
    { "xen_version unknown cmd 0x7fff", PAGE, VER, 0x7fff, BUF, 0, -XEN_ENOSYS },

    { "sched_op yield", PAGE, SCH, SCHEDOP_yield, 0, 0, 0 },
    { "sched_op unknown cmd 100", PAGE, SCH, 100, 0, 0, -XEN_ENOSYS },
    { "sched_op yield, cmd bit 32 set", PAGE, SCH, SCHEDOP_yield | (1UL << 32), 0, 0, 0 },
    /* Must fail and leave the domain running: the next case proves it. */
    { "sched_op shutdown hole", PAGE, SCH, SCHEDOP_shutdown, HOLE_VA, 0, -XEN_EFAULT },
    { "sched_op shutdown unmapped", PAGE, SCH, SCHEDOP_shutdown, UNMAPPED_VA, 0, -XEN_EFAULT },
    { "sched_op yield after failed shutdowns", PAGE, SCH, SCHEDOP_yield, 0, 0, 0 },

    { "hypercall 64 (page stub)", PAGE, 64, 0, 0, 0, -XEN_ENOSYS },
    { "hypercall 100 (page stub)", PAGE, 100, 0, 0, 0, -XEN_ENOSYS },
    { "hypercall 64 (raw)", RAW, 64, 0, 0, 0, -XEN_ENOSYS },
    { "hypercall 1000 (raw)", RAW, 1000, 0, 0, 0, -XEN_ENOSYS },
    { "hypercall 0xffffffff (raw)", RAW, 0xffffffffu, 0, 0, 0, -XEN_ENOSYS },
};

static void run_table(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct hc_case *c = &cases[i];
        long rc = c->via == RAW ? hypercall_raw(c->nr, c->a1, c->a2, c->a3)
                                : hypercall5(c->nr, c->a1, c->a2, c->a3, 0, 0);

        check_long(c->name, c->expect, rc);
    }
}

static long xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, (unsigned long)cmd, (unsigned long)arg);
}

/* The answers with content, beyond their return codes. */
static void test_xen_version_values(void)
{
    xen_platform_parameters_t pp = { 0 };
    long v = xen_version(XENVER_version, NULL);

    if (v <= 0 || (v >> 16) < 4)
        test_failure("xen_version version: expected > 0 with major >= 4, got %#lx", v);

    memset(out_buf, 0, sizeof(out_buf));
    if (check_long("xen_version capabilities valid", 0,
                   xen_version(XENVER_capabilities, out_buf)) &&
        strncmp(out_buf, "xen-3.0-x86_64", 14))
        test_failure("xen_version capabilities: expected \"xen-3.0-x86_64...\", got \"%.40s\"",
                     out_buf);

    if (check_long("xen_version platform_parameters valid", 0,
                   xen_version(XENVER_platform_parameters, &pp)))
        check_long("xen_version platform_parameters virt_start", (long)HYPERVISOR_VIRT_START,
                   (long)pp.virt_start);

    features = (xen_feature_info_t){ .submap_idx = 0 };
    if (check_long("xen_version get_features submap 0", 0,
                   xen_version(XENVER_get_features, &features)) &&
        !(features.submap & (1u << XENFEAT_dom0)))
        test_failure("xen_version get_features submap 0: expected XENFEAT_dom0 set, got %#x",
                     features.submap);
    /* XENFEAT_NR_SUBMAPS is 1: index 1 does not exist. */
    features = (xen_feature_info_t){ .submap_idx = 1 };
    check_long("xen_version get_features submap 1", -XEN_EINVAL,
               xen_version(XENVER_get_features, &features));
}

static long update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

/*
 * Two pages of start-of-day padding serve as scratch: the builder maps the
 * whole region down to the 4 MiB boundary (at least 512 KiB past the boot
 * stack), so their L1 tables exist, and nothing lives in them.
 */
static void test_update_va_mapping(void)
{
    const start_info_t *si = test_start_info;
    const unsigned long *p2m = (const unsigned long *)si->mfn_list;
    unsigned long va = (test_entry_rsp + TEST_PAGE_SIZE - 1) & ~(TEST_PAGE_SIZE - 1UL);
    unsigned long va2 = va + TEST_PAGE_SIZE;
    uint64_t pt_mfn, ram_mfn;
    long rc;

    if (va <= si->pt_base || si->pt_base < TEST_VIRT_BASE) {
        test_error("update_va_mapping: entry rsp %#lx is not above pt_base %#lx", test_entry_rsp,
                   si->pt_base);
        return;
    }

    rc = update_va_mapping(va, si->shared_info | PTE_FLAGS_RW, UVMF_INVLPG);
    if (check_long("update_va_mapping shared_info", 0, rc)) {
        const volatile shared_info_t *shared = (const volatile shared_info_t *)va;

        check_long("shared_info vcpu_info[0].evtchn_upcall_mask", 1,
                   shared->vcpu_info[0].evtchn_upcall_mask);
    }

    /* Flags above the flush type are a pointer to a vCPU bitmap, which is
     * read after the update is made. */
    check_long("update_va_mapping INVLPG with a vCPU mask", 0,
               update_va_mapping(va, si->shared_info | PTE_FLAGS_RW,
                                 UVMF_INVLPG | (unsigned long)&vcpu0_mask));
    check_long("update_va_mapping INVLPG with a vCPU mask in the hole", -XEN_EFAULT,
               update_va_mapping(va, si->shared_info | PTE_FLAGS_RW, UVMF_INVLPG | HOLE_VA));

    check_long("update_va_mapping va in hypervisor hole", -XEN_EINVAL,
               update_va_mapping(HOLE_VA, si->shared_info | PTE_FLAGS_RW, UVMF_INVLPG));
    check_long("update_va_mapping non-canonical va", -XEN_EINVAL,
               update_va_mapping(NONCANON_VA, si->shared_info | PTE_FLAGS_RW, UVMF_INVLPG));
    check_long("update_va_mapping va without an L1", -XEN_EINVAL,
               update_va_mapping(UNMAPPED_VA, si->shared_info | PTE_FLAGS_RW, UVMF_INVLPG));

    /* The L4 is pt_base's frame; a guest may map it read-only, never
     * writable. Xen answers -EBUSY: the frame cannot take the writable type
     * while it is a (pinned) page table, get_page_from_l1e's could_not_pin. */
    pt_mfn = p2m[(si->pt_base - TEST_VIRT_BASE) / TEST_PAGE_SIZE];
    check_long("update_va_mapping L4 frame writable", -XEN_EBUSY,
               update_va_mapping(va2, (pt_mfn << 12) | PTE_FLAGS_RW, UVMF_INVLPG));
    check_long("update_va_mapping L4 frame read-only", 0,
               update_va_mapping(va2, (pt_mfn << 12) | PTE_FLAGS_RO, UVMF_INVLPG));
    check_long("update_va_mapping unmap", 0, update_va_mapping(va2, 0, UVMF_INVLPG));

    /*
     * L1 attribute bits on an ordinary RAM frame of ours, as Xen 4.17
     * answers them: global, NX, bits 9-11 and bit 52 (ignored by the MMU)
     * are accepted for any PV guest. PCD is accepted because dom0 holds
     * I/O memory rights: Xen's l1_disallow_mask() lets such a domain set
     * cache attributes, and refuses them (-EINVAL) to one without.
     */
    ram_mfn = p2m[((unsigned long)out_buf - TEST_VIRT_BASE) / TEST_PAGE_SIZE];
    check_long("update_va_mapping RAM frame, global bit", 0,
               update_va_mapping(va2, (ram_mfn << 12) | PTE_FLAGS_RW | PTE_GLOBAL, UVMF_INVLPG));
    check_long("update_va_mapping RAM frame, PCD bit", 0,
               update_va_mapping(va2, (ram_mfn << 12) | PTE_FLAGS_RW | PTE_PCD, UVMF_INVLPG));
    check_long("update_va_mapping RAM frame, bit 52 (software)", 0,
               update_va_mapping(va2, (ram_mfn << 12) | PTE_FLAGS_RW | PTE_BIT52, UVMF_INVLPG));
    check_long(
        "update_va_mapping RAM frame, NX and avail bits", 0,
        update_va_mapping(va2, (ram_mfn << 12) | PTE_FLAGS_RW | PTE_NX | PTE_AVAIL, UVMF_INVLPG));
    check_long("update_va_mapping unmap again", 0, update_va_mapping(va2, 0, UVMF_INVLPG));
}

void test_main(void)
{
    run_table();
    test_xen_version_values();
    test_update_va_mapping();
}
