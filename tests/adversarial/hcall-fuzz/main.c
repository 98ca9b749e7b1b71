// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz: a seeded stream of random hypercalls with hostile arguments
 * (gen.c), issued from a PV guest that keeps itself alive: its code, data,
 * stack and exchange pages (the safe region) are never targeted by
 * writable mappings, page-table updates or frees, so that every call it
 * makes is the generator's. Command line (start_info.cmd_line):
 *   seed=<n>      PRNG seed (default 1)
 *   calls=<n>     calls to make (default 100000)
 *   compare=<n>   length of the compared prefix (default 20000): calls
 *                 whose answers must not depend on the hypervisor's
 *                 addresses or timing; a checksum per 1000 is printed
 *   trace=<a>-<b> print calls a..b-1 one per line, symbolically
 *   pre=1         and print each of them before it is made, too
 *   safecheck=<n> check the safe region every n calls (default every 10^4)
 *   frames=1      list the pools' machine frames at the start
 * It prints progress every 10^4 calls, then one summary line, a histogram
 * of results per hypercall and its verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/vcpu.h>
#include <vmi/sched_op.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/own_frames.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "fuzz.h"
#include "tests/guest-lib/grant.h"

const char test_title[] = "hcall-fuzz";

/* --- The fuzzer's memory (all in the image: the same addresses on every
 * hypervisor) ------------------------------------------------------------ */
static uint8_t xp_area[NXP][2][PAGE] __attribute__((aligned(PAGE)));
static uint8_t ro_area[NXP][2][PAGE] __attribute__((aligned(PAGE)));
static uint8_t out_area[2][2][PAGE] __attribute__((aligned(PAGE)));
static uint8_t junk_area[2][PAGE] __attribute__((aligned(PAGE)));
static uint8_t mc_area[2][PAGE] __attribute__((aligned(PAGE)));
static uint8_t play_area[NPLAY][PAGE] __attribute__((aligned(PAGE)));
static uint8_t window[PAGE] __attribute__((aligned(PAGE)));
static uint8_t gnt_view[PAGE] __attribute__((aligned(PAGE)));
static uint8_t alias_view[PAGE] __attribute__((aligned(PAGE)));
static uint8_t mc_stack[2 * PAGE] __attribute__((aligned(PAGE)));
static uint8_t kernel_stack[4 * PAGE] __attribute__((aligned(PAGE)));

uint8_t *const xp_page[NXP] = {
    xp_area[0][0], xp_area[1][0], xp_area[2][0], xp_area[3][0],
    xp_area[4][0], xp_area[5][0], xp_area[6][0], xp_area[7][0],
};
uint8_t *const xp_ro[NXP] = {
    ro_area[0][0], ro_area[1][0], ro_area[2][0], ro_area[3][0],
    ro_area[4][0], ro_area[5][0], ro_area[6][0], ro_area[7][0],
};
uint8_t *const out_page[2] = { out_area[0][0], out_area[1][0] };
uint8_t *const junk_page = junk_area[0];
uint8_t *const mc_page = mc_area[0];
uint8_t (*const playground)[PAGE] = play_area;

struct layout lay;
grant_entry_v1_t *gnt_table = (grant_entry_v1_t *)gnt_view;
void pools_add_frame(uint64_t mfn, enum frame_role role);

/* --- PRNG ------------------------------------------------------------------ */
static uint64_t rng_state;

uint64_t rnd(void)
{
    uint64_t x = rng_state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* --- Our own clock: vcpu_time_info as it was at start, so a guest write
 * to shared_info (through a playground mapping) cannot stretch a wait. */
static uint64_t clk_stime, clk_tsc;
static uint32_t clk_mul;
static int8_t clk_shift;

uint64_t now_ns(void)
{
    uint64_t delta = rdtsc_now() - clk_tsc;

    delta = clk_shift < 0 ? delta >> -clk_shift : delta << clk_shift;
    return clk_stime + (uint64_t)(((unsigned __int128)delta * clk_mul) >> 32);
}

static void clock_init(void)
{
    const volatile struct vcpu_time_info *t = &shared->vcpu_info[0].time;
    uint32_t version;

    do {
        version = t->version;
        asm volatile("" ::: "memory");
        clk_stime = t->system_time;
        clk_tsc = t->tsc_timestamp;
        clk_mul = t->tsc_to_system_mul;
        clk_shift = t->tsc_shift;
        asm volatile("" ::: "memory");
    } while ((version & 1) || version != t->version);
}

/* --- Traps the random calls may cause ------------------------------------- */
static unsigned long nr_db, nr_nmi, nr_failsafe;

/* A #DB from a data breakpoint set_debugreg placed, or from TF after a
 * crafted iret: clear both and carry on. */
static bool on_debug(struct cpu_regs *regs)
{
    nr_db++;
    regs->rflags &= ~0x100UL;
    hcall(__HYPERVISOR_set_debugreg, 7, 0, 0, 0, 0);
    return true;
}

static bool on_nmi(struct cpu_regs *regs)
{
    (void)regs;
    nr_nmi++;
    return true;
}

/* A segment reload failed on the way back (set_gdt or a user %gs
 * selector): the registers are null now, which is all this guest uses. */
static bool on_failsafe(struct cpu_regs *regs)
{
    (void)regs;
    nr_failsafe++;
    return true;
}

static void restore_traps(void)
{
    struct callback_unregister nmi = { .type = CALLBACKTYPE_nmi };
    struct callback_register cb = { .type = CALLBACKTYPE_failsafe,
                                    .address = trap_entry(VEC_FAILSAFE) };

    hc_callback_op(CALLBACKOP_unregister, &nmi);
    traps_install();
    event_callback_register(true);
    hc_callback_op(CALLBACKOP_register, &cb);
    cb = (struct callback_register){ .type = CALLBACKTYPE_syscall,
                                     .flags = CALLBACKF_mask_events,
                                     .address = trap_entry(VEC_SYSCALL) };
    hc_callback_op(CALLBACKOP_register, &cb);
    hc_stack_switch(FLAT_KERNEL_SS, (unsigned long)kernel_stack + sizeof(kernel_stack));
}

/* --- The timer the blocking calls need ------------------------------------- */
/* What the upcall handler does, here and now: with upcalls masked all run,
 * pending bits pile up, and a selector bit left set (by us or by a random
 * write to shared_info) would swallow the timer's next event, which then
 * raises no upcall, and a block would never end. */
static void events_drain(void)
{
    vcpu_info_t *vi = vcpu0();
    unsigned long sel;

    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int w = (unsigned int)__builtin_ctzl(sel);

        sel &= sel - 1;
        __atomic_fetch_and(&shared->evtchn_pending[w], shared->evtchn_mask[w], __ATOMIC_SEQ_CST);
    }
}

static uint32_t timer_port;

/* Before a block or poll: VIRQ_TIMER bound (a random close or reset may
 * have taken it), events drained, the port clear and unmasked (with the
 * hypercall, which re-delivers a pending event), and a single-shot timer
 * 1 ms ahead, so the wait ends however the random calls left the
 * periodic timer. False when no port can be had; the caller yields. */
static bool arm_timer(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF, .port = timer_port };
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = now_ns() + 1000000 };

    if (hc_event_channel_op(EVTCHNOP_status, &st) || st.status != EVTCHNSTAT_virq ||
        st.u.virq != VIRQ_TIMER) {
        struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };

        if (hc_event_channel_op(EVTCHNOP_bind_virq, &b))
            return false;
        timer_port = b.port;
        track_add(&ports, timer_port);
        track_add(&virqs, timer_port);
    }
    events_drain();
    __atomic_fetch_and(&shared->evtchn_pending[timer_port / 64], ~(1UL << (timer_port % 64)),
                       __ATOMIC_SEQ_CST);
    if (hc_event_channel_op(EVTCHNOP_unmask, &timer_port))
        return false;
    return hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t) == 0;
}

/* --- Results: checksums and the histogram ---------------------------------- */
#define FNV_PRIME 0x100000001b3ULL
static uint64_t fnv(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (i * 8)) & 0xff;
        h *= FNV_PRIME;
    }
    return h;
}

#define HIST_VALUES 10
struct hist {
    long val[HIST_VALUES];
    uint64_t cnt[HIST_VALUES];
    unsigned int n;
    uint64_t other, total;
};
static struct hist hist[65]; /* [64]: every number from 64 up */

/* Values a hypervisor chose (an iret's rax, a machine frame) fall in one
 * bucket: the histogram is of answers, not of data. */
#define HIST_BIG 0x7fffffffffffffffL

static void hist_add(uint64_t nr, long rc)
{
    struct hist *h = &hist[nr < 64 ? nr : 64];

    if (rc < -4095 || rc > 0xfffff)
        rc = HIST_BIG;
    h->total++;
    for (unsigned int i = 0; i < h->n; i++)
        if (h->val[i] == rc) {
            h->cnt[i]++;
            return;
        }
    if (h->n < HIST_VALUES) {
        h->val[h->n] = rc;
        h->cnt[h->n++] = 1;
        return;
    }
    h->other++;
}

static const struct {
    long value;
    const char *name;
} xen_errnos[] = {
#define XEN_ERRNO(name, value) { value, #name },
#include <xen/errno.h>
#include <common/array_size.h>
};

static const char *rc_str(char *buf, size_t size, long rc)
{
    if (rc < 0)
        for (size_t i = 0; i < ARRAY_SIZE(xen_errnos); i++)
            if (-rc == xen_errnos[i].value) {
                snprintf(buf, size, "-%s", xen_errnos[i].name);
                return buf;
            }
    snprintf(buf, size, rc < 0 || rc < 4096 ? "%ld" : "%#lx", rc);
    return buf;
}

static const char *const hc_names[64] = {
    "set_trap_table",
    "mmu_update",
    "set_gdt",
    "stack_switch",
    "set_callbacks",
    "fpu_taskswitch",
    "sched_op_compat",
    "platform_op",
    "set_debugreg",
    "get_debugreg",
    "update_descriptor",
    "nr11",
    "memory_op",
    "multicall",
    "update_va_mapping",
    "set_timer_op",
    "event_channel_op_compat",
    "xen_version",
    "console_io",
    "physdev_op_compat",
    "grant_table_op",
    "vm_assist",
    "update_va_mapping_otherdomain",
    "iret",
    "vcpu_op",
    "set_segment_base",
    "mmuext_op",
    "xsm_op",
    "nmi_op",
    "sched_op",
    "callback_op",
    "xenoprof_op",
    "event_channel_op",
    "physdev_op",
    "hvm_op",
    "sysctl",
    "domctl",
    "kexec_op",
    "tmem_op",
    "argo_op",
    "xenpmu_op",
    "dm_op",
};

/* One line per hypercall, "hcfuzz: hist <nr> <name> <calls>: <value>=<count>
 * ...", continued on further lines rather than cut by the 159-byte lines
 * of Xenolith's console. */
static void hist_print(void)
{
    for (unsigned int nr = 0; nr <= 64; nr++) {
        const struct hist *h = &hist[nr];
        char line[160], head[48], v[32];
        int n;

        if (!h->total)
            continue;
        if (nr == 64)
            snprintf(head, sizeof(head), "hcfuzz: hist >=64");
        else
            snprintf(head, sizeof(head), "hcfuzz: hist %u %s", nr,
                     hc_names[nr] ? hc_names[nr] : "-");
        n = snprintf(line, sizeof(line), "%s %lu:", head, (unsigned long)h->total);
        for (unsigned int i = 0; i <= h->n; i++) {
            char item[48];

            if (i == h->n && !h->other)
                break;
            if (i == h->n)
                snprintf(item, sizeof(item), " other=%lu", (unsigned long)h->other);
            else if (h->val[i] == HIST_BIG)
                snprintf(item, sizeof(item), " big=%lu", (unsigned long)h->cnt[i]);
            else
                snprintf(item, sizeof(item), " %s=%lu", rc_str(v, sizeof(v), h->val[i]),
                         (unsigned long)h->cnt[i]);
            if (n + (int)strlen(item) > 140) {
                printk("%s\n", line);
                n = snprintf(line, sizeof(line), "%s ...:", head);
            }
            n += snprintf(line + n, sizeof(line) - n, "%s", item);
        }
        printk("%s\n", line);
    }
}

/* --- Safe-region check: the image's code and read-only data --------------- */
extern const char __stop_ex_table[];

static uint64_t safe_sum(void)
{
    const uint64_t *p = (const uint64_t *)(TEST_VIRT_BASE + TEST_LOAD_PHYS);
    const uint64_t *end = (const uint64_t *)((uint64_t)__stop_ex_table & ~7UL);
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; p < end; p++)
        h = (h ^ *p) * FNV_PRIME;
    return h;
}

/* --- Setup ------------------------------------------------------------------ */
/* Ours: the p2m's frames, and shared_info and the grant table, which are
 * the domain's without being in it. */
static bool is_own(unsigned long mfn)
{
    return mfn == lay.shared_info_mfn || mfn == lay.grant_mfn || own_frames_has(mfn);
}

static bool map_at(void *va, uint64_t mfn, uint64_t flags)
{
    long rc = hc_update_va_mapping((unsigned long)va, mfn ? mfn_pte(mfn, flags) : 0, UVMF_INVLPG);

    if (rc)
        test_error("hcfuzz: setup: map %p -> %#lx: %ld", va, (unsigned long)mfn, rc);
    return rc == 0;
}

static uint64_t free_mfn[NFREE];

unsigned int nr_spares(void)
{
    unsigned long n = test_start_info->nr_pages - mapped_pages();

    return n > NFREE ? (unsigned int)(n - NFREE) : 0;
}

uint64_t spare_mfn(unsigned int i)
{
    return pfn_to_mfn(unmapped_pfn(NFREE + i));
}

/* Fills a frame we do not map through the window, then unmaps it. */
static bool window_write(uint64_t mfn, const uint64_t *entries, unsigned int n)
{
    if (!map_at(window, mfn, PTE_RW_FLAGS))
        return false;
    memset(window, 0, PAGE);
    memcpy(window, entries, n * 8);
    return map_at(window, 0, 0);
}

static uint64_t m2p_first(void)
{
    static xen_pfn_t mfns[4];
    struct xen_machphys_mfn_list l = { .max_extents = 4 };

    set_xen_guest_handle(l.extent_start, mfns);
    if (hc_memory_op(XENMEM_machphys_mfn_list, &l) || !l.nr_extents)
        return 0;
    return mfns[0];
}

static bool setup_tree(void)
{
    static uint64_t e[512];
    const uint64_t *bl4 = (const uint64_t *)mfn_to_va(lay.l4_mfn);
    long rc;

    /* Tree L1 (pages 0-63 of the tree): the playground (page NPLAY-1 is
     * a hole), free frames read-only (32-47), the exchange pages (48-55),
     * shared_info and the grant frame writable, the code and the boot L4
     * read-only (56-59). */
    memset(e, 0, sizeof(e));
    for (unsigned int i = 0; i < NPLAY - 1; i++)
        e[i] = mfn_pte(va_to_mfn((unsigned long)play_area[i]), PTE_RW_FLAGS);
    for (unsigned int i = 0; i < 16; i++)
        e[32 + i] = mfn_pte(free_mfn[16 + i], PTE_RO_FLAGS);
    for (unsigned int i = 0; i < NXP; i++)
        e[48 + i] = mfn_pte(va_to_mfn((unsigned long)xp_page[i]), PTE_RW_FLAGS);
    e[56] = mfn_pte(lay.shared_info_mfn, PTE_RW_FLAGS);
    e[57] = mfn_pte(lay.grant_mfn, PTE_RW_FLAGS);
    e[58] = mfn_pte(va_to_mfn(TEST_VIRT_BASE + TEST_LOAD_PHYS), PTE_RO_FLAGS);
    e[59] = mfn_pte(lay.l4_mfn, PTE_RO_FLAGS);
    if (!window_write(lay.tree_mfn[2], e, 64) || !window_write(lay.tree_mfn[3], e, 0))
        return false;
    e[0] = mfn_pte(lay.tree_mfn[2], PTE_TABLE_FLAGS);
    e[1] = mfn_pte(lay.tree_mfn[3], PTE_TABLE_FLAGS);
    if (!window_write(lay.tree_mfn[1], e, 2))
        return false;
    e[0] = mfn_pte(lay.tree_mfn[1], PTE_TABLE_FLAGS);
    if (!window_write(lay.tree_mfn[0], e, 1))
        return false;
    rc = mmu_update_one((lay.l4_mfn << 12) + 8, mfn_pte(lay.tree_mfn[0], PTE_TABLE_FLAGS), NULL);
    if (rc) {
        test_error("hcfuzz: setup: link the tree: %ld", rc);
        return false;
    }
    /* The alias: a copy of the boot L4 with the tree in it. */
    for (unsigned int i = 0; i < 512; i++)
        e[i] = bl4[i];
    if (!window_write(lay.alias_mfn, e, 512) || !map_at(alias_view, lay.alias_mfn, PTE_RO_FLAGS))
        return false;
    lay.alias_view = (const volatile uint64_t *)alias_view;
    lay.kernel_l4e = bl4[511];
    return true;
}

static void setup_grants(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame = 0;

    set_xen_guest_handle(st.frame_list, &frame);
    if (hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (unsigned long)&st, 1) ||
        st.status != GNTST_okay) {
        test_error("hcfuzz: setup: grant table: status %d", st.status);
        return;
    }
    lay.grant_mfn = frame;
    map_at(gnt_view, frame, PTE_RW_FLAGS);
}

static void setup_pools(void)
{
    /* HUGE_CMP first: the local APIC and beyond the address width, which
     * both refuse; then the first MiB and MMIO, I/O memory to Xen's dom0. */
    static const uint64_t huge[] = {
        0xfee00, 0xfffffffffUL, 0xffffffffffUL, 0xffffffff0UL, 0, 0xa0, 0xfec00, 0x100000,
    };
    unsigned long code = TEST_VIRT_BASE + TEST_LOAD_PHYS;
    uint64_t m2p = m2p_first();
    unsigned int nf = 0;

    for (unsigned int i = 0; i < NPLAY; i++)
        pools_add_frame(va_to_mfn((unsigned long)play_area[i]), R_PLAY);
    for (unsigned int i = 5; i < NFREE; i++)
        pools_add_frame(free_mfn[i], R_FREE);
    for (unsigned int i = 0; i < 4; i++)
        pools_add_frame(lay.tree_mfn[i], R_TREE);
    pools_add_frame(lay.alias_mfn, R_ALIAS);
    for (unsigned int i = 0; i < NXP; i++)
        pools_add_frame(va_to_mfn((unsigned long)xp_page[i]), R_XP);
    pools_add_frame(lay.shared_info_mfn, R_SHARED);
    if (lay.grant_mfn)
        pools_add_frame(lay.grant_mfn, R_SHARED);
    pools_add_frame(va_to_mfn(code), R_SAFE);
    pools_add_frame(va_to_mfn((unsigned long)&lay), R_SAFE);
    pools_add_frame(va_to_mfn((unsigned long)kernel_stack), R_SAFE);
    pools_add_frame(va_to_mfn((unsigned long)test_start_info), R_SAFE);
    pools_add_frame(va_to_mfn(test_start_info->mfn_list), R_SAFE);
    pools_add_frame(lay.l4_mfn, R_BOOTPT); /* index 0: NEW_BASEPTR reloads it */
    pools_add_frame(lay.kernel_l3_mfn, R_BOOTPT);
    pools_add_frame(lay.kernel_l2_mfn, R_BOOTPT);
    pools_add_frame(pte_maddr(code, 1) >> 12, R_BOOTPT);
    pools_add_frame(pte_maddr((unsigned long)play_area[0], 1) >> 12, R_BOOTPT);
    for (unsigned long mfn = 0x100; nf < 16 && mfn < 0x100000; mfn++)
        if (!is_own(mfn)) {
            pools_add_frame(mfn, R_FOREIGN);
            nf++;
        }
    for (unsigned int i = 0; i < ARRAY_SIZE(huge); i++)
        pools_add_frame(huge[i], R_HUGE);
    if (m2p)
        pools_add_frame(m2p, R_M2P);
}

static void fill_pattern(uint8_t *page, uint64_t seed)
{
    uint64_t *w = (uint64_t *)page;

    for (unsigned int i = 0; i < PAGE / 8; i++)
        w[i] = ((seed + i) * 0x9e3779b97f4a7c15ULL) & ~1UL;
}

static void setup_grant_entries(uint64_t seed);

static bool setup(uint64_t seed)
{
    unsigned long code = TEST_VIRT_BASE + TEST_LOAD_PHYS;
    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };

    if (traps_install() || !shared_info_map() || events_install()) {
        test_error("hcfuzz: setup: traps, shared_info or events refused");
        return false;
    }
    trap_set_handler(X86_DB, on_debug);
    trap_set_handler(X86_NMI, on_nmi);
    trap_set_handler(VEC_FAILSAFE, on_failsafe);
    restore_traps();
    vcpu0()->evtchn_upcall_mask = 1;
    clock_init();
    if (hc_event_channel_op(EVTCHNOP_bind_virq, &b)) {
        test_error("hcfuzz: setup: bind VIRQ_TIMER refused");
        return false;
    }
    timer_port = b.port;
    track_add(&ports, timer_port);
    track_add(&virqs, timer_port);

    lay.self = 0;
    lay.l4_mfn = l4_mfn();
    lay.kernel_l3_mfn = pte_mfn(pte_read(code, 4));
    lay.kernel_l2_mfn = pte_mfn(pte_read(code, 3));
    lay.shared_info_mfn = test_start_info->shared_info >> 12;
    for (unsigned int i = 0; i < NPLAY; i++)
        lay.play_l1e_maddr[i] = pte_maddr((unsigned long)play_area[i], 1);
    own_frames_init();
    setup_grants();

    /* Guards after every guarded page, the read-only aliases, the hole. */
    for (unsigned int i = 0; i < NXP; i++)
        if (!map_at(xp_area[i][1], 0, 0) || !map_at(ro_area[i][1], 0, 0) ||
            !map_at(ro_area[i][0], va_to_mfn((unsigned long)xp_area[i][0]), PTE_RO_FLAGS))
            return false;
    for (unsigned int i = 0; i < 2; i++)
        if (!map_at(out_area[i][1], 0, 0))
            return false;
    if (!map_at(junk_area[1], 0, 0) || !map_at(mc_area[1], 0, 0))
        return false;
    for (unsigned int i = 0; i < 120; i++)
        junk_area[0][PAGE - 120 + i] = "hcfuzz-junk~"[i % 12];
    for (unsigned int i = 0; i < NPLAY - 1; i++)
        fill_pattern(play_area[i], seed + i);
    if (!map_at(play_area[NPLAY - 1], 0, 0) || !map_at(window, 0, 0))
        return false;

    /* Free frames: zeroed, unmapped. */
    for (unsigned int i = 0; i < NFREE; i++) {
        unsigned long pfn = unmapped_pfn(i);

        if (!pfn) {
            test_error("hcfuzz: setup: only %u pfns beyond the mapping", i);
            return false;
        }
        free_mfn[i] = pfn_to_mfn(pfn);
        if (!window_write(free_mfn[i], NULL, 0))
            return false;
    }
    for (unsigned int i = 0; i < 4; i++)
        lay.tree_mfn[i] = free_mfn[i];
    lay.alias_mfn = free_mfn[4];
    if (!setup_tree())
        return false;
    setup_pools();
    setup_grant_entries(seed);
    return true;
}

/* The first 16 grant entries: to ourselves, of frames random calls may
 * touch (read-only ones may name any frame). The generator rewrites them
 * as it goes. */
void grant_randomize(unsigned int ref);
static void setup_grant_entries(uint64_t seed)
{
    (void)seed;
    if (!lay.grant_mfn)
        return;
    for (unsigned int r = 0; r < 16; r++)
        grant_randomize(r);
}

/* --- The loop ---------------------------------------------------------------- */
static unsigned long arg_ul(const char *key, unsigned long dflt)
{
    char buf[32];

    return test_cmdline_value(key, buf, sizeof(buf)) ? strtoul(buf, NULL, 0) : dflt;
}

static long issue(struct call *c)
{
    struct iret_ctx *ctx;

    switch (c->kind) {
    case K_IRET:
        return fz_iret(&c->iret);
    case K_MC_IRET:
        /* Events are delivered on this stack: leave room below. */
        ctx = (struct iret_ctx *)(mc_stack + sizeof(mc_stack) - sizeof(*ctx) - 64);
        *ctx = c->iret;
        return fz_mc_iret(c->a[0], c->a[1], ctx);
    default:
        return hcall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
    }
}

void test_main(void)
{
    unsigned long seed = arg_ul("seed", 1), ncalls = arg_ul("calls", 100000);
    unsigned long ncmp = arg_ul("compare", 20000), tlo = 0, thi = 0;
    bool pre = arg_ul("pre", 0) != 0;
    unsigned long safe_every = arg_ul("safecheck", 0);
    uint64_t sum = 0xcbf29ce484222325ULL, csum = sum, bsum = sum, safe0;
    /* To find the call a block's difference starts at: the running
     * sum every 10 calls, in block fine-1, or in all with fine=-1. */
    unsigned long fine_block = arg_ul("fine", 0);
    char buf[48];
    struct call c;

    if (test_cmdline_value("trace", buf, sizeof(buf))) {
        char *end;

        tlo = strtoul(buf, &end, 0);
        thi = *end == '-' ? strtoul(end + 1, NULL, 0) : tlo + 1000;
    }
    if (ncmp > ncalls)
        ncmp = ncalls;
    rng_state = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
    if (!rng_state)
        rng_state = 1;
    if (!setup(seed))
        return;
    safe0 = safe_sum();
    for (unsigned int r = 0; arg_ul("frames", 0) && r < NR_ROLES; r++)
        for (unsigned int k = 0; k < role_count(r); k++)
            printk("hcfuzz: frame %u.%u %#lx\n", r, k,
                   (unsigned long)role_frame((enum frame_role)r, k)->mfn);
    printk("hcfuzz: seed %lu, %lu calls, compared prefix %lu; %lu pages, %lu mapped, "
           "foreign %u, m2p %u\n",
           seed, ncalls, ncmp, test_start_info->nr_pages, mapped_pages(), role_count(R_FOREIGN),
           role_count(R_M2P));

    for (unsigned long i = 0; i < ncalls; i++) {
        char rcs[32];
        long rc;

        cmp_mode = i < ncmp;
        memset(&c, 0, sizeof(c));
        xp_reset();
        gen_call(&c);
        if ((c.fixup & FIX_BLOCK) && !arm_timer()) {
            /* No timer port to be had: a wait could be forever. */
            c = (struct call){ .nr = __HYPERVISOR_sched_op, .a = { SCHEDOP_yield } };
            describe(&c, "sched_op yield (no timer)");
        }
        if (pre && i >= tlo && i < thi)
            for (size_t o = 0; o < strlen(c.desc); o += 120)
                printk("hcfuzz: > %lu %.120s\n", i, c.desc + o);
        rc = issue(&c);
        vcpu0()->evtchn_upcall_mask = 1;
        if (c.fixup & FIX_CONSOLE)
            printk("\n");
        if (c.fixup & FIX_TRAPS)
            restore_traps();
        post_sum = 0;
        post_desc[0] = 0;
        if (c.post)
            c.post(&c, rc);
        /* A multicall's entries, in order, with their own results: an
         * entry the batch never reached keeps the poison result gen.c
         * wrote, which no read-back takes for success. */
        for (unsigned int k = 0; k < c.nr_subs; k++) {
            struct call sub = { .post_arg = c.subs[k].post_arg,
                                .post_count = c.subs[k].post_count };
            long r = (long)*c.subs[k].result;

            post_sum = fnv(post_sum, c.subs[k].masked ? 0x6d61736b : (uint64_t)r);
            if (c.subs[k].post)
                c.subs[k].post(&sub, r);
        }

        hist_add(c.kind == K_IRET ? __HYPERVISOR_iret : c.nr, rc);
        sum = fnv(fnv(fnv(sum, i), c.nr), (uint64_t)rc);
        if (cmp_mode) {
            bsum = fnv(fnv(fnv(fnv(bsum, i), c.nr), c.masked ? 0x6d61736b : (uint64_t)rc),
                       post_sum);
            if (fine_block && (fine_block == ~0UL || i / 1000 == fine_block - 1) && i % 10 == 9)
                printk("hcfuzz: fine %lu %016lx\n", i, (unsigned long)bsum);
            if (i % 1000 == 999 || i == ncmp - 1) {
                printk("hcfuzz: block %lu %016lx\n", i / 1000, (unsigned long)bsum);
                csum = fnv(csum, bsum);
                bsum = 0xcbf29ce484222325ULL;
            }
        }
        /* Result first: Xenolith splits lines after 159 bytes. */
        if (i >= tlo && i < thi) {
            char dn[80] = "";

            if (c.done)
                snprintf(dn, sizeof(dn), "/%u", *c.done);
            if (post_desc[0])
                snprintf(dn + strlen(dn), sizeof(dn) - strlen(dn), "/[%s]", post_desc);
            if (c.nr_subs)
                snprintf(dn + strlen(dn), sizeof(dn) - strlen(dn), "/s%04x",
                         (unsigned int)(post_sum ^ (post_sum >> 16) ^ (post_sum >> 32) ^
                                        (post_sum >> 48)) &
                             0xffff);
            printk("hcfuzz: t %lu %s%s%s: %.105s\n", i, rc_str(rcs, sizeof(rcs), rc), dn,
                   c.masked ? "(masked)" : "", c.desc);
            for (size_t k = 105; k < strlen(c.desc); k += 120)
                printk("hcfuzz: t+ %lu %.120s\n", i, c.desc + k);
            for (unsigned int k = 0; k < c.nr_subs; k++)
                printk("hcfuzz: t- %lu entry %u: %s\n", i, k,
                       rc_str(rcs, sizeof(rcs), (long)*c.subs[k].result));
        }
        if (safe_every && i % safe_every == safe_every - 1 && safe_sum() != safe0) {
            printk("hcfuzz: the safe region changed by call %lu\n", i);
            test_failure("hcfuzz: the code or read-only data changed under call %lu", i);
            return;
        }
        if (i % 10000 == 9999) {
            bool intact = safe_sum() == safe0;

            printk("hcfuzz: %lu calls, checksum %016lx, safe region %s\n", i + 1,
                   (unsigned long)sum, intact ? "intact" : "CHANGED");
            if (!intact) {
                test_failure("hcfuzz: the code or read-only data changed under call %lu", i);
                return;
            }
        }
    }

    hist_print();
    if (safe_sum() != safe0)
        test_failure("hcfuzz: the code or read-only data changed");
    printk("hcfuzz: traps: %lu #DB, %lu NMI, %lu failsafe\n", nr_db, nr_nmi, nr_failsafe);
    printk("hcfuzz: done: %lu calls, seed %lu, checksum %016lx, compared %lu, checksum %016lx\n",
           ncalls, seed, (unsigned long)sum, ncmp, (unsigned long)csum);
}
