// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz argument pools: frames by role, pointers by use, and the
 * boundary values of every other kind of argument. Each pick also leaves
 * a symbolic name in pick_sym, so that traces name roles ("free7|rw"),
 * not machine frames, and two hypervisors' traces can be diffed.
 *
 * Which roles each use may draw from is what keeps the fuzzer alive: the
 * safe region (R_SAFE, R_BOOTPT) is never mapped writable, written as
 * plain memory, freed or loaded as a root by a random call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/xen.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "fuzz.h"

bool cmp_mode;
char pick_sym[64];
/* The level of the table slot pick_mmu_ptr() chose, 0 when unknown. */
int pick_level;
bool pick_as_table;

static void sym(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sym(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(pick_sym, sizeof(pick_sym), fmt, ap);
    va_end(ap);
}

/* --- Frames ---------------------------------------------------------------- */
#define MAX_FRAMES 160
static struct frame frames[MAX_FRAMES];
static unsigned int nr_frames;
static unsigned int by_role[NR_ROLES][64];
static unsigned int nr_by_role[NR_ROLES];

/* What each frame holds, as far as the compared prefix cares (T_*). */
static uint8_t taint[MAX_FRAMES];

static const char *const role_names[NR_ROLES] = {
    [R_PLAY] = "play",       [R_FREE] = "free",     [R_TREE] = "tree", [R_ALIAS] = "alias",
    [R_XP] = "xp",           [R_SHARED] = "shared", [R_SAFE] = "safe", [R_BOOTPT] = "bootpt",
    [R_FOREIGN] = "foreign", [R_HUGE] = "huge",     [R_M2P] = "m2p",
};

void pools_add_frame(uint64_t mfn, enum frame_role role);
void pools_add_frame(uint64_t mfn, enum frame_role role)
{
    struct frame *f;

    if (nr_frames == MAX_FRAMES || nr_by_role[role] == 64)
        return;
    f = &frames[nr_frames];
    *f = (struct frame){ .mfn = mfn,
                         .role = role,
                         .name = role_names[role],
                         .index = nr_by_role[role] };
    /* Zeroed frames hold nothing; the tables hold machine frame numbers;
     * the code is the same bytes on both; everything else (the p2m,
     * start_info, shared_info, the grant table, other owners' frames)
     * holds values of the hypervisor's own. */
    taint[nr_frames] = role == R_PLAY || role == R_FREE                        ? 0
                       : role == R_TREE || role == R_BOOTPT || role == R_ALIAS ? T_MFN
                       : role == R_XP || (role == R_SAFE && nr_by_role[R_SAFE] == 0)
                           ? T_JUNK
                           : T_MFN | T_JUNK;
    by_role[role][nr_by_role[role]++] = nr_frames++;
}

unsigned int role_count(enum frame_role role)
{
    return nr_by_role[role];
}

const struct frame *role_frame(enum frame_role role, unsigned int i)
{
    if (!nr_by_role[role])
        return &frames[by_role[R_HUGE][0]];
    return &frames[by_role[role][i % nr_by_role[role]]];
}

/*
 * Roles each use may draw from, with weights. A weight of 0 keeps a role
 * out: see the file comment. Page tables of the tree may be written (they
 * are fair game); the alias L4 and the boot tables only through the slots
 * pick_mmu_ptr() offers, never slot 511: the alias may be loaded as the
 * root in the same batch that would have written it, after the fuzzer
 * checked its kernel slot.
 */
static const uint8_t use_weights[NR_USES][NR_ROLES] = {
    /*             play free tree alias xp shared safe bootpt foreign huge m2p */
    [U_PTE_RW] = { 30, 20, 6, 0, 8, 4, 0, 3, 10, 8, 3 },
    [U_PTE_RO] = { 20, 20, 8, 3, 6, 4, 8, 8, 10, 8, 3 },
    [U_TABLE] = { 10, 30, 20, 5, 4, 2, 4, 0, 8, 8, 2 },
    [U_PIN] = { 10, 30, 15, 8, 4, 2, 4, 10, 8, 6, 2 },
    [U_BASEPTR] = { 0, 0, 0, 40, 0, 0, 10, 25, 10, 10, 5 },
    [U_WRITE] = { 30, 25, 6, 0, 10, 4, 0, 0, 10, 8, 3 },
    [U_READ] = { 20, 20, 8, 4, 10, 4, 10, 0, 10, 8, 3 },
    [U_GDT] = { 15, 35, 5, 2, 5, 2, 4, 4, 8, 8, 2 },
    [U_M2P] = { 15, 15, 5, 2, 5, 5, 10, 5, 15, 15, 5 },
    [U_L4] = { 0, 0, 0, 40, 4, 2, 10, 20, 10, 10, 4 },
};

/*
 * A validated L4 holds the hypervisor's own entries in slots 256-271,
 * different on each hypervisor, and keeps them after it stops being one.
 * So in the compared prefix only the alias and the boot L4 become L4s
 * (U_L4), and neither is ever read as anything else: no copy source,
 * lower-level table, GDT frame or pin at another level.
 */
static bool holds_hv_slots(const struct frame *f)
{
    return f->role == R_ALIAS || (f->role == R_BOOTPT && f->index == 0);
}

/*
 * A frame whose contents the hypervisor copies elsewhere (a copy source,
 * a granted frame): in the compared prefix only frames whose contents
 * are the same on both, i.e. built from roles, not machine numbers: not
 * the M2P, the p2m, start_info, the stack, shared_info, the grant table
 * or the exchange pages (the hypervisor writes answers there).
 */
const struct frame *clean_source(const struct frame *f)
{
    switch (f->role) {
    case R_PLAY:
    case R_FREE:
    case R_TREE:
    case R_FOREIGN:
    case R_HUGE:
        return f;
    case R_SAFE:
        return role_frame(R_SAFE, 0); /* the code */
    default:
        return role_frame(R_PLAY, f->index);
    }
}

static int frame_index(uint64_t mfn)
{
    for (unsigned int i = 0; i < nr_frames; i++)
        if (frames[i].mfn == mfn)
            return (int)i;
    return -1;
}

void taint_add(uint64_t mfn, unsigned int bits)
{
    int i = frame_index(mfn);

    if (i >= 0)
        taint[i] |= (uint8_t)bits;
}

void taint_copy(uint64_t dst_mfn, uint64_t src_mfn)
{
    int s = frame_index(src_mfn);

    taint_add(dst_mfn, s >= 0 ? taint[s] : T_MFN | T_JUNK);
}

/* Frames of ours whose contents a hypervisor reads as tables or
 * descriptors (others' frames and absurd ones are refused unread). */
static bool content_read(const struct frame *f)
{
    return f->role != R_FOREIGN && f->role != R_HUGE && f->role != R_M2P;
}

const struct frame *pick_frame(enum frame_use use)
{
    unsigned int total = 0, r;
    uint64_t x;
    const struct frame *f;

    for (r = 0; r < NR_ROLES; r++)
        total += nr_by_role[r] ? use_weights[use][r] : 0;
    x = rnd_below(total);
    for (r = 0; r < NR_ROLES; r++) {
        unsigned int w = nr_by_role[r] ? use_weights[use][r] : 0;

        if (x < w)
            break;
        x -= w;
    }
    if (r == NR_ROLES)
        r = R_HUGE;
    /* NEW_BASEPTR of the alias only while its kernel slot is intact:
     * anything else could load a root without the fuzzer's code. */
    if (use == U_BASEPTR && r == R_ALIAS && lay.alias_view[511] != lay.kernel_l4e)
        r = R_BOOTPT;
    if (r == R_HUGE) {
        /* The first HUGE_CMP are refused alike everywhere; the rest are
         * I/O memory to Xen's dom0 (docs/abi.md, "no I/O memory"). */
        f = role_frame(R_HUGE, (unsigned int)rnd_below(cmp_mode ? HUGE_CMP : nr_by_role[R_HUGE]));
    } else {
        f = role_frame((enum frame_role)r, (unsigned int)rnd_below(nr_by_role[r]));
    }
    /* Pins may take the boot L3, L2 and L1s instead; nothing else may
     * name a boot table (it would alias the fuzzer's own mappings). */
    if (cmp_mode && holds_hv_slots(f) && use == U_PIN)
        f = role_frame(R_BOOTPT, 1 + (unsigned int)rnd_below(role_count(R_BOOTPT) - 1));
    else if (cmp_mode && holds_hv_slots(f) && (use == U_READ || use == U_TABLE || use == U_GDT))
        f = role_frame(R_PLAY, f->index);
    if (cmp_mode && use == U_READ)
        f = clean_source(f);
    /* Contents that read differently on the two hypervisors: bytes that
     * are not entries naming pool frames, read as page-table entries
     * (their frame numbers name different frames on each); or machine
     * frame numbers, read as descriptors; and shared_info or the grant
     * table, read by the hypervisor as its own, written at all. Such a
     * use takes a frame beyond RAM instead, refused alike. */
    if (cmp_mode && content_read(f)) {
        unsigned int t = taint[f - frames];
        bool as_table = use == U_TABLE || use == U_PIN || use == U_L4 || use == U_BASEPTR ||
                        (pick_as_table && (use == U_PTE_RW || use == U_PTE_RO));

        if ((as_table && (t & T_JUNK)) || (use == U_GDT && (t & T_MFN)))
            f = role_frame(R_HUGE, 0);
        else if (use == U_WRITE && f->role == R_SHARED)
            f = role_frame(R_PLAY, f->index);
    }
    if (f->role == R_HUGE)
        sym("huge:%#lx", (unsigned long)f->mfn);
    else
        sym("%s%u", f->name, f->index);
    return f;
}

/* --- Pointers ----------------------------------------------------------- */
static const uint64_t hostile_vas[] = {
    0,
    8,
    0x1000,
    0x7ffffffff000UL,
    0x00007ffffffffff8UL, /* unmapped, canonical edge */
    0x0000800000000000UL,
    0x8000000000000000UL,
    0xdeadbeefdeadbeefUL, /* non-canonical */
    0xffff7ffffffffff8UL, /* straddles into the hole */
    0xffff800000000000UL,
    0xffff804000000000UL, /* the M2P, read-only and rw */
    0xffff82d040100000UL,
    0xffff830000000000UL, /* hypervisor image, direct map */
    0xffff87fffffffff8UL,
    0xffff880000000000UL, /* the hole's end, just after */
    0xffffffffc0000000UL,
    0xfffffffffffffff8UL,
    ~0UL, /* unmapped kernel half, wrap */
};

uint64_t pick_hostile_va(void)
{
    uint64_t va = PICK(hostile_vas);

    sym("%#lx", (unsigned long)va);
    return va;
}

static const uint64_t unreadable_vas[] = {
    0x0000800000000000UL, 0x8000000000000000UL, 0xdeadbeefdeadbeefUL, 0xffff7ffffffffff8UL,
    0xffff82d040100000UL, 0xffff830000000000UL, 0xffff87fffffffff8UL,
};

uint64_t pick_unreadable_va(void)
{
    uint64_t va = PICK(unreadable_vas);

    sym("%#lx", (unsigned long)va);
    return va;
}

/* A playground or tree address: its contents may differ between the two
 * hypervisors (they hold what earlier calls wrote), so the compared
 * prefix only lets the hypervisor write there. */
static uint64_t play_addr(void)
{
    unsigned int i;

    if (chance(60)) {
        i = (unsigned int)rnd_below(NPLAY);
        sym("play+%#x", i * 4096);
        return (uint64_t)playground[i];
    }
    i = (unsigned int)rnd_below(64); /* the tree's first 64 pages: mapped ones */
    sym("tree+%#x", i * 4096);
    return TREE_VA + i * PAGE;
}

uint64_t pick_ptr(enum ptr_use use, size_t size)
{
    uint64_t x = rnd_below(100), base, off;
    char s[64];

    if (x < 15)
        return pick_hostile_va();
    if (x < 25) {
        /* Straddling a page end into a guard (or, for the tree, the next page). */
        unsigned int back = (unsigned int)(1 + rnd_below(size ? size : 8));

        if (use == P_IN || cmp_mode) {
            base = (uint64_t)xp_alloc(PAGE, PAGE);
            snprintf(s, sizeof(s), "%s", pick_sym);
            sym("%s+end-%u", s, back);
            return base + PAGE - back;
        }
        base = play_addr();
        snprintf(s, sizeof(s), "%s", pick_sym);
        sym("%s+end-%u", s, back);
        return base + PAGE - back;
    }
    if (use != P_IN && x < 35) {
        base = (uint64_t)xp_ro[rnd_below(NXP)];
        sym("xp_ro");
        return base + (rnd_below(PAGE / 8) * 8);
    }
    if (use == P_OUT && (cmp_mode || x < 70)) {
        unsigned int p = (unsigned int)rnd_below(2);

        off = size >= PAGE ? 0 : rnd_below((PAGE - size) / 8 + 1) * 8;
        sym("out%u+%#lx", p, (unsigned long)off);
        return (uint64_t)out_page[p] + off;
    }
    if (cmp_mode || use == P_IN || x < 60)
        return (uint64_t)xp_alloc(size ? size : 8, 8); /* filler contents */
    base = play_addr();
    off = size >= PAGE ? 0 : rnd_below((PAGE - size) / 8 + 1) * 8;
    snprintf(s, sizeof(s), "%s", pick_sym);
    sym("%s+%#lx", s, (unsigned long)off);
    return base + off;
}

uint64_t pick_play_va(void)
{
    uint64_t x = rnd_below(100);

    if (x < 45) {
        unsigned int i = (unsigned int)rnd_below(NPLAY);
        sym("play%u", i);
        return (uint64_t)playground[i];
    }
    if (x < 80) {
        unsigned int i = (unsigned int)rnd_below(TREE_PAGES);
        sym("tree%u", i);
        return TREE_VA + i * PAGE;
    }
    if (x < 88) {
        /* Tree addresses with no L1 (2 MiB steps) or no L2 (1 GiB). */
        uint64_t va = TREE_VA +
                      (rnd_below(2) ? (2 + rnd_below(510)) << 21 : (1 + rnd_below(511)) << 30);
        sym("tree-nol1:%#lx", (unsigned long)va);
        return va;
    }
    if (x < 92) {
        unsigned int i = (unsigned int)rnd_below(NPLAY);
        uint64_t off = 1 + rnd_below(PAGE - 1);
        sym("play%u+%#lx", i, (unsigned long)off);
        return (uint64_t)playground[i] + off;
    }
    return pick_hostile_va();
}

uint64_t pick_l1_slot(void)
{
    uint64_t x = rnd_below(100), ma;

    if (x < 40) {
        unsigned int i = (unsigned int)rnd_below(NPLAY);
        sym("bootl1[play%u]", i);
        pick_level = 1;
        ma = lay.play_l1e_maddr[i];
    } else {
        unsigned int t = 2 + (unsigned int)rnd_below(2), s = (unsigned int)rnd_below(512);
        /* Mostly the mapped part of the first tree L1. */
        if (t == 2 && chance(60))
            s = (unsigned int)rnd_below(64);
        sym("treel1.%u[%u]", t - 2, s);
        pick_level = 1;
        ma = (lay.tree_mfn[t] << 12) + s * 8;
    }
    if (chance(3)) {
        unsigned int mis = 1 + (unsigned int)rnd_below(7);
        char s[64];
        snprintf(s, sizeof(s), "%s", pick_sym);
        sym("%s+%u", s, mis);
        ma += mis;
    }
    return ma;
}

uint64_t pick_mmu_ptr(void)
{
    uint64_t x = rnd_below(100);
    unsigned int s;
    const struct frame *f;
    char name[64];

    if (x < 40)
        return pick_l1_slot();
    if (x < 55) {
        unsigned int t = (unsigned int)rnd_below(2); /* tree L3, L2 */
        s = (unsigned int)(chance(50) ? rnd_below(4) : rnd_below(512));
        sym("tree%s[%u]", t ? "l2" : "l3", s);
        pick_level = t ? 2 : 3;
        return (lay.tree_mfn[t] << 12) + s * 8;
    }
    if (x < 70) {
        /* Boot L4 or alias L4: any slot but the kernel's 511. */
        bool alias = chance(40);
        s = (unsigned int)(chance(40) ? 1 + rnd_below(3) : rnd_below(511));
        sym("%s[%u]", alias ? "aliasl4" : "bootl4", s);
        pick_level = 4;
        return ((alias ? lay.alias_mfn : lay.l4_mfn) << 12) + s * 8;
    }
    f = pick_frame(U_WRITE);
    snprintf(name, sizeof(name), "%s", pick_sym);
    s = (unsigned int)rnd_below(512);
    sym("%s[%u]", name, s);
    return (f->mfn << 12) + s * 8;
}

/* PTE flag noise: everything a guest may try in an entry. */
static uint64_t pte_noise(void)
{
    static const uint64_t bits[] = {
        PTE_A, PTE_D, PTE_G,  PTE_PWT,   PTE_PCD,   PTE_PSE,      PTE_AVAIL, 0x200,
        0x400, 0x800, PTE_NX, 1UL << 52, 1UL << 62, 0x7fUL << 52, 1UL << 51, 1UL << 40,
    };
    uint64_t v = 0;

    while (chance(30))
        v |= PICK(bits);
    return v;
}

uint64_t pick_pte(int level)
{
    uint64_t x = rnd_below(100), flags, v;
    const struct frame *f;
    char name[64];

    if (x < 6) {
        sym("zero");
        return 0;
    }
    if (x < 12) {
        /* Not present: any other bits are the guest's. */
        v = rnd() & ~1UL;
        sym("np:%#lx", (unsigned long)v);
        return v;
    }
    if (x < 16 && !cmp_mode) {
        v = rnd() | 1;
        sym("garbage:%#lx", (unsigned long)v);
        return v;
    }
    if (level > 1) {
        f = pick_frame(U_TABLE);
        flags = chance(85) ? PTE_TABLE_FLAGS : PTE_P | (rnd() & 0xfff);
        if (chance(15))
            flags &= ~PTE_RW;
    } else if (chance(55)) {
        f = pick_frame(U_PTE_RW);
        flags = chance(80) ? PTE_RW_FLAGS : PTE_P | PTE_RW | (rnd() & 0xffc);
    } else {
        f = pick_frame(U_PTE_RO);
        flags = (chance(80) ? PTE_RO_FLAGS : PTE_P | (rnd() & 0xffc)) & ~PTE_RW;
    }
    flags |= pte_noise();
    /* Never writable: the safe region and the boot tables (the fuzzer's
     * life), and absurd frames, which include I/O memory Xen's dom0 may
     * map: writes there could take Xen's interrupts or timer away. */
    if (level == 1 && f->role != R_PLAY && f->role != R_FREE && f->role != R_XP &&
        f->role != R_SHARED && f->role != R_FOREIGN && f->role != R_TREE && f->role != R_ALIAS &&
        f->role != R_M2P)
        flags &= ~PTE_RW;
    if (level > 1 && (f->role == R_SAFE || f->role == R_BOOTPT))
        flags &= ~PTE_RW;
    snprintf(name, sizeof(name), "%s", pick_sym);
    sym("%s|%#lx", name, (unsigned long)flags);
    return mfn_pte(f->mfn, 0) | flags;
}

uint64_t pick_count(void)
{
    static const uint64_t counts[] = {
        0,
        1,
        2,
        3,
        7,
        16,
        64,
        255,
        256,
        512,
        4096,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0x100000000UL,
        0x100000001UL,
        ~0UL,
        1UL << 63,
    };
    uint64_t c = chance(20) ? rnd_below(32) : PICK(counts);

    sym("%#lx", (unsigned long)c);
    return c;
}

uint64_t pick_domid(void)
{
    static const uint64_t cmp_ids[] = {
        DOMID_SELF, DOMID_SELF,    0,          0,      7,      42,     0x7fef,  DOMID_IO, DOMID_XEN,
        DOMID_COW,  DOMID_INVALID, DOMID_IDLE, 0x7ff5, 0x8000, 0xffff, 0x10000, 0x17ff0,  ~0UL,
    };
    uint64_t d;

    /* Beyond the prefix also the victim (Xenolith's d1) and a d2. */
    if (!cmp_mode && chance(15))
        d = 1 + rnd_below(2);
    else
        d = PICK(cmp_ids);
    sym("dom%#lx", (unsigned long)d);
    return d;
}

uint32_t pick_port(void)
{
    static const uint32_t odd[] = { 0, 4095, 4096, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff };
    uint64_t x = rnd_below(100);
    uint32_t p;

    if (x < 60 && ports.n) {
        unsigned int i = (unsigned int)rnd_below(ports.n);
        sym("port#%u", i);
        return ports.v[i];
    }
    if (!cmp_mode && x < 85) {
        p = (uint32_t)(chance(70) ? rnd_below(64) : rnd_below(4096));
        sym("port%u", p);
        return p;
    }
    p = PICK(odd);
    sym("port%#x", p);
    return p;
}

uint32_t pick_poll_port(void)
{
    uint32_t p = pick_port();

    for (unsigned int i = 0; cmp_mode && i < virqs.n; i++)
        if (virqs.v[i] == p) {
            sym("port0x7fffffff");
            return 0x7fffffff;
        }
    return p;
}

uint32_t pick_gref(void)
{
    static const uint32_t odd[] = { 511, 512, 32767, 32768, 0x10000, 0x7fffffff, 0xffffffff };
    uint64_t x = rnd_below(100);
    uint32_t r;

    if (x < 70)
        r = (uint32_t)rnd_below(16);
    else if (x < 80)
        r = (uint32_t)(16 + rnd_below(496));
    else
        r = PICK(odd);
    sym("gref%u", r);
    return r;
}

uint32_t pick_handle(void)
{
    static const uint32_t odd[] = { 512, 1024, 0x10000, 0x7fffffff, 0xffffffff };
    uint64_t x = rnd_below(100);
    uint32_t h;

    if (x < 60 && handles.n) {
        unsigned int i = (unsigned int)rnd_below(handles.n);
        sym("handle#%u/%u=%u", i, handles.n, handles.v[i]);
        return handles.v[i];
    }
    if (!cmp_mode && x < 85) {
        h = (uint32_t)rnd_below(16);
        sym("handle%u", h);
        return h;
    }
    h = PICK(odd);
    sym("handle%#x", h);
    return h;
}

uint64_t pick_vcpu(void)
{
    static const uint64_t odd[] = { 1, 31, 0x7fffffff, 0xffffffff, 0x100000000UL, ~0UL };
    uint64_t v = chance(75) ? 0 : PICK(odd);

    sym("vcpu%#lx", (unsigned long)v);
    return v;
}

/* --- Tracked values ------------------------------------------------------- */
struct track ports, handles, virqs;

void track_add(struct track *t, uint32_t v)
{
    for (unsigned int i = 0; i < t->n; i++)
        if (t->v[i] == v)
            return;
    if (t->n < MAX_TRACK)
        t->v[t->n++] = v;
}

void track_del(struct track *t, uint32_t v)
{
    for (unsigned int i = 0; i < t->n; i++)
        if (t->v[i] == v) {
            t->v[i] = t->v[--t->n];
            return;
        }
}

/* --- Exchange pages -------------------------------------------------------- */
bool xp_force_end;
static unsigned int xp_cur;
static size_t xp_off;
static bool xp_filled[NXP];
static uint64_t xp_fill_seed;

/* Deterministic contents for a page before inputs are built in it, with
 * bit 0 of every word clear: read as page-table entries they are not
 * present, read as multicall ops they are never iret (23). */
static void xp_fill(unsigned int p)
{
    uint64_t *w = (uint64_t *)xp_page[p];
    uint64_t s = xp_fill_seed ^ ((uint64_t)p << 56);

    for (unsigned int i = 0; i < PAGE / 8; i++)
        w[i] = ((s + i) * 0x9e3779b97f4a7c15UL) & ~1UL;
    xp_filled[p] = true;
}

void xp_reset(void)
{
    xp_cur = 0;
    xp_off = 0;
    xp_fill_seed = rnd();
    for (unsigned int p = 0; p < NXP; p++)
        xp_filled[p] = false;
}

/* Every call sees fresh filler: what earlier calls left there would be
 * objects naming the fuzzer's own addresses (an iret frame's rip and rsp,
 * a playground address), which garbage must never do. */
static void xp_touch(unsigned int p)
{
    if (!xp_filled[p])
        xp_fill(p);
}

void *xp_alloc(size_t size, size_t align)
{
    size_t off;

    if (size > PAGE)
        size = PAGE;
    if (align < 1)
        align = 1;
    /* A tenth of the time the object ends at the page end, so that
     * reading past it faults in the guard page. */
    if (chance(10) || xp_force_end) {
        unsigned int p = (xp_cur + (xp_off ? 1 : 0)) % NXP;

        xp_force_end = false; /* for the one array only */

        xp_cur = p;
        xp_touch(p);
        off = (PAGE - size) & ~(align - 1);
        xp_off = PAGE;
        sym("xp%u+%#lx", p, (unsigned long)off);
        return xp_page[p] + off;
    }
    off = (xp_off + align - 1) & ~(align - 1);
    if (off + size > PAGE) {
        xp_cur = (xp_cur + 1) % NXP;
        off = 0;
    }
    xp_touch(xp_cur);
    xp_off = off + size;
    sym("xp%u+%#lx", xp_cur, (unsigned long)off);
    return xp_page[xp_cur] + off;
}

uint64_t xp_arg(const void *obj, enum ptr_use use)
{
    uint64_t a = (uint64_t)obj;

    for (unsigned int p = 0; p < NXP; p++)
        if (a >= (uint64_t)xp_page[p] && a < (uint64_t)xp_page[p] + PAGE && chance(4)) {
            sym("xp_ro%u+%#lx", p, (unsigned long)(a - (uint64_t)xp_page[p]));
            return (uint64_t)xp_ro[p] + (a - (uint64_t)xp_page[p]);
        }
    (void)use;
    return a;
}
