// SPDX-License-Identifier: GPL-2.0
/*
 * Which kernel path a code address belongs to: the table of the functions
 * that move an mm's RSS counters, each with the site it stands for,
 * resolved once at load into sorted address ranges.
 *
 * The ledger (ledger.c) names a counter change by the function that made
 * it; the fault probes (probes.c) tell a new anonymous page mapped by a
 * fault from one mapped by khugepaged, userfaultfd, swapoff, a fork or a
 * uprobe by the function that called the rmap. Both ask here, so both
 * draw the line between "fault" and "not a fault" in the same place: a
 * change is counted by exactly one of them.
 *
 * The names are those of both kernels (6.1 and 6.12); a name a kernel
 * does not have, or has inlined, is skipped: its code lies inside one of
 * the other functions listed (do_anonymous_page() in __handle_mm_fault()
 * on 6.1, wp_page_copy() in do_wp_page() on 6.12). The compiler's clones
 * of a name (NAME.isra.0, .constprop.0, .part.0) are looked up too. An
 * address in no listed function is FA_S_OTHER: counted by the ledger,
 * shown as "other".
 *
 * With per-CPU RSS counters (6.2 on), the size of a change is the amount
 * passed to percpu_counter_add_batch(), which ftrace cannot hook on
 * Debian's kernels and which every per-CPU counter of the kernel calls. So
 * the ledger probes its call sites instead, in the functions of this table
 * that are not the fault path's: found once at load by their call
 * instruction (e8 rel32 to percpu_counter_add_batch), each a kprobe that
 * register_kprobe() accepts only on an instruction boundary. Faults never
 * hit them; the kmod:rss_stat tracepoint pairs each with the change it
 * made (ledger.c).
 */

#include <linux/bsearch.h>
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/sort.h>
#include <linux/module.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "faultacct.h"

struct site_sym {
	const char *name;
	u8 site;
};

static const struct site_sym site_syms[] = {
	/* the fault path */
	{ "handle_mm_fault", FA_S_FAULT },
	{ "__handle_mm_fault", FA_S_FAULT },
	{ "handle_pte_fault", FA_S_FAULT },
	{ "do_fault", FA_S_FAULT },
	{ "do_read_fault", FA_S_FAULT },
	{ "do_cow_fault", FA_S_FAULT },
	{ "do_shared_fault", FA_S_FAULT },
	{ "do_fault_around", FA_S_FAULT },
	{ "finish_fault", FA_S_FAULT },
	{ "do_set_pte", FA_S_FAULT },
	{ "set_pte_range", FA_S_FAULT },
	{ "filemap_map_pages", FA_S_FAULT },
	{ "filemap_map_folio_range", FA_S_FAULT },
	{ "filemap_map_order0_folio", FA_S_FAULT },
	{ "filemap_map_pmd", FA_S_FAULT },
	{ "do_anonymous_page", FA_S_FAULT },
	{ "do_wp_page", FA_S_FAULT },
	{ "wp_page_copy", FA_S_FAULT },
	{ "do_swap_page", FA_S_FAULT },
	{ "do_huge_pmd_anonymous_page", FA_S_FAULT },
	{ "__do_huge_pmd_anonymous_page", FA_S_FAULT },
	{ "do_huge_pmd_wp_page", FA_S_FAULT },
	/*
	 * 7.x: a fault's new anonymous folio is mapped by the _pf() helpers,
	 * which add to the counter, through the _nopf() ones, which
	 * collapse_huge_page() calls too (faultacct_fault_caller())
	 */
	{ "map_anon_folio_pte_pf", FA_S_FAULT },
	{ "map_anon_folio_pmd_pf", FA_S_FAULT },
	{ "map_anon_folio_pte_nopf", FA_S_ANON_MAP },
	{ "map_anon_folio_pmd_nopf", FA_S_ANON_MAP },
	/* 6.1: the per-task RSS cache, which only faults fill (see ledger.c) */
	{ "sync_mm_rss", FA_S_FAULT },
	{ "add_mm_counter_fast", FA_S_FAULT },
	{ "do_set_pmd", FA_S_PMD },
	/* fork */
	{ "copy_pte_range", FA_S_FORK },
	{ "copy_present_pte", FA_S_FORK },
	{ "copy_present_page", FA_S_FORK },
	{ "copy_nonpresent_pte", FA_S_FORK },
	{ "copy_huge_pmd", FA_S_FORK },
	{ "copy_huge_non_present_pmd", FA_S_FORK },	/* 7.x */
	/* unmap (exit, when the mm has no user left) */
	{ "zap_pte_range", FA_S_UNMAP },
	{ "zap_present_ptes", FA_S_UNMAP },
	{ "zap_nonpresent_ptes", FA_S_UNMAP },
	{ "zap_huge_pmd", FA_S_UNMAP },
	{ "zap_huge_pmd_folio", FA_S_UNMAP },		/* 7.x */
	{ "__split_huge_pmd_locked", FA_S_UNMAP },
	{ "__split_huge_pmd", FA_S_UNMAP },
	/*
	 * 6.12: __split_huge_pmd_locked() is inlined here, which zaps a file
	 * or shmem PMD outright (-512): called by __split_huge_pmd() (unmap,
	 * and a write fault on a read-only file PMD) and by the rmap walkers
	 * (reclaim, migration), so its caller says
	 */
	{ "split_huge_pmd_locked", FA_S_RMAP },
	/* exec */
	{ "acct_arg_size", FA_S_EXEC },
	{ "exec_mmap", FA_S_EXEC },
	/*
	 * rmap walks (see faultacct_site_up()): reclaim itself, or for
	 * whatever called it
	 */
	{ "try_to_unmap_one", FA_S_RMAP },
	/* 7.x: parts of try_to_unmap_one() */
	{ "ttu_anon_lazyfree_folio", FA_S_RMAP },
	{ "ttu_anon_swapbacked_folio", FA_S_RMAP },
	/* reclaim */
	{ "shrink_folio_list", FA_S_RECLAIM },
	{ "reclaim_folio_list", FA_S_RECLAIM },
	{ "reclaim_pages", FA_S_RECLAIM },
	{ "shrink_page_list", FA_S_RECLAIM },
	{ "__discard_anon_folio_pmd_locked", FA_S_RECLAIM },
	{ "unmap_huge_pmd_locked", FA_S_RECLAIM },
	/* migration */
	{ "try_to_migrate_one", FA_S_MIGRATE },
	{ "migrate_pages", FA_S_MIGRATE },
	{ "try_to_map_unused_to_zeropage", FA_S_MIGRATE },
	{ "remove_migration_pte", FA_S_MIGRATE },
	{ "remove_migration_pmd", FA_S_MIGRATE },
	{ "migrate_vma_insert_page", FA_S_MIGRATE },
	{ "migrate_vma_insert_huge_pmd_page", FA_S_MIGRATE },
	/* KSM */
	{ "replace_page", FA_S_KSM },
	{ "try_to_merge_one_page", FA_S_KSM },
	/* THP collapse */
	{ "collapse_huge_page", FA_S_COLLAPSE },
	{ "__collapse_huge_page_copy", FA_S_COLLAPSE },
	{ "__collapse_huge_page_copy_succeeded", FA_S_COLLAPSE },
	{ "collapse_pte_mapped_thp", FA_S_COLLAPSE },
	{ "try_collapse_pte_mapped_thp", FA_S_COLLAPSE },	/* 7.x names */
	{ "collapse_scan_file", FA_S_COLLAPSE },
	{ "set_huge_pmd", FA_S_COLLAPSE },
	{ "collapse_file", FA_S_COLLAPSE },
	{ "hpage_collapse_scan_file", FA_S_COLLAPSE },
	{ "madvise_collapse", FA_S_COLLAPSE },
	/* hardware poison */
	{ "memory_failure", FA_S_OTHER },
	{ "hwpoison_user_mappings", FA_S_OTHER },
	/* userfaultfd */
	{ "mfill_atomic_install_pte", FA_S_UFFD },
	{ "mcopy_atomic_install_pte", FA_S_UFFD },
	/* swapoff (unuse_pte() is inlined into its callers) */
	{ "unuse_pte", FA_S_SWAPOFF },
	{ "unuse_pte_range", FA_S_SWAPOFF },
	{ "unuse_pmd_range", FA_S_SWAPOFF },
	{ "unuse_pud_range", FA_S_SWAPOFF },
	{ "unuse_p4d_range", FA_S_SWAPOFF },
	{ "unuse_vma", FA_S_SWAPOFF },
	{ "unuse_mm", FA_S_SWAPOFF },
	{ "try_to_unuse", FA_S_SWAPOFF },
	/* driver and network mappings */
	{ "insert_page_into_pte_locked", FA_S_INSERT },
	{ "insert_page", FA_S_INSERT },
	{ "insert_pages", FA_S_INSERT },
	/* 6.1: all of the above inlined here */
	{ "vm_insert_page", FA_S_INSERT },
	{ "vm_insert_pages", FA_S_INSERT },
	/* exec: arguments copied into the new mm */
	{ "get_arg_page", FA_S_EXEC },
	{ "begin_new_exec", FA_S_EXEC },
	{ "free_bprm", FA_S_EXEC },
	/* uprobes */
	{ "__replace_page", FA_S_OTHER },
	{ "__uprobe_write", FA_S_OTHER },		/* 7.x */
	{ "uprobe_write", FA_S_OTHER },
	/* the rss_stat tracepoint, between a change and the ledger's probe */
	{ "mm_trace_rss_stat", FA_S_SKIP },
	{ "__traceiter_rss_stat", FA_S_SKIP },
	{ "__probestub_rss_stat", FA_S_SKIP },
	/* 6.12: zap_pte_range() and copy_pte_range() may be inlined here */
	{ "unmap_page_range", FA_S_UNMAP },
	{ "copy_page_range", FA_S_FORK },
	/*
	 * 7.x: zap_pte_range() and the rest of the walk down may be inlined
	 * into __zap_vma_range(), itself inlined into these
	 */
	{ "__zap_vma_range", FA_S_UNMAP },
	{ "unmap_vmas", FA_S_UNMAP },
	{ "zap_vma_range_batched", FA_S_UNMAP },
	{ "zap_vma_range", FA_S_UNMAP },
	{ "zap_special_vma_range", FA_S_UNMAP },
	{ "zap_vma_for_reaping", FA_S_UNMAP },
	/* 7.x: PMD-sized inserts (vmf_insert_folio_pmd(), DAX) */
	{ "insert_pmd", FA_S_INSERT },
};

#define NR_SYMS ARRAY_SIZE(site_syms)

struct site_range {
	unsigned long start, end;
	u8 site;
};

/*
 * Each name as it is, and as the compiler's clones of it, which take calls
 * in its place (6.12: insert_page_into_pte_locked.isra.0 holds
 * vm_insert_page()'s charge): a function in no range is a fault's on
 * 6.12, so a clone left out would leave its changes unexplained.
 */
static const char *const clone_suffixes[] = {
	"", ".isra.0", ".constprop.0", ".part.0",
};
#define NR_NAMES	(NR_SYMS * ARRAY_SIZE(clone_suffixes))
#define NAME_LEN	64

static struct site_range ranges[NR_NAMES];
static unsigned int nr_ranges;

#ifdef FAULTACCT_RSS_PERCPU
#define MAX_CALLS	96
struct rss_call {
	struct kprobe kp;
	u8 site;
};
static struct rss_call calls[MAX_CALLS];
static unsigned int nr_calls;

/*
 * At a call of percpu_counter_add_batch(fbc, amount, batch) in a site,
 * which runs in a task (an int3 handler itself counts as NMI context, so
 * in_task() cannot say; the pairing compares the task anyway).
 */
static int rss_call_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct rss_call *c = container_of(kp, struct rss_call, kp);

	if (!READ_ONCE(faultacct_enabled))
		return 0;
	faultacct_rss_add((struct percpu_counter *)
			  regs_get_kernel_argument(regs, 0),
			  (s64)regs_get_kernel_argument(regs, 1),
			  c->site == FA_S_RMAP ? faultacct_site_up() : c->site);
	return 0;
}
NOKPROBE_SYMBOL(rss_call_pre);

/* The calls of percpu_counter_add_batch() in @r, each a kprobe. */
static void probe_calls(const struct site_range *r)
{
	unsigned long target = (unsigned long)percpu_counter_add_batch;
	unsigned long a;
	s32 rel;

	for (a = r->start; a + 5 <= r->end && nr_calls < MAX_CALLS; a++) {
		if (*(const u8 *)a != 0xe8)
			continue;
		memcpy(&rel, (const void *)(a + 1), sizeof(rel));
		if (a + 5 + rel != target)
			continue;
		memset(&calls[nr_calls], 0, sizeof(calls[nr_calls]));
		calls[nr_calls].kp.addr = (kprobe_opcode_t *)a;
		calls[nr_calls].kp.pre_handler = rss_call_pre;
		calls[nr_calls].site = r->site;
		if (!register_kprobe(&calls[nr_calls].kp))
			nr_calls++;
	}
}

static void probe_all_calls(void)
{
	unsigned int i;

	for (i = 0; i < nr_ranges; i++) {
		u8 site = ranges[i].site;

		if ((site < FA_NR_SITE && site != FA_S_FORK) ||
		    site == FA_S_PMD || site == FA_S_RMAP)
			probe_calls(&ranges[i]);
	}
	pr_info("%u call sites of percpu_counter_add_batch() probed\n",
		nr_calls);
}

void faultacct_sites_exit(void)
{
	struct kprobe *kps[MAX_CALLS];
	unsigned int i;

	for (i = 0; i < nr_calls; i++)
		kps[i] = &calls[i].kp;
	if (nr_calls)
		unregister_kprobes(kps, nr_calls);
	nr_calls = 0;
}

unsigned int faultacct_sites_calls(void)
{
	return nr_calls;
}
#else
/*
 * 6.1: vm_insert_page() and vm_insert_pages() charge a page of the task's
 * own mm to the task's RSS cache (add_mm_counter_fast(), inlined), which
 * only sync_mm_rss() brings to the mm later: the ledger takes the fold
 * for a fault's, and the tracepoint says nothing at the insert. So their
 * return counts what they inserted. (A page of another mm is charged to
 * the mm at once, with the tracepoint called from here: the ledger's.)
 * On x86 vm_insert_pages() does not go through vm_insert_page().
 */
struct insert_ctx {
	struct mm_struct *mm;
	struct page *page;		/* vm_insert_page() */
	struct page **pages;		/* vm_insert_pages() */
	unsigned long *num, want;
};

/* Either's entry: (vma, addr, page) or (vma, addr, pages, num) */
static __always_inline int insert_entry(struct kretprobe_instance *ri,
					struct pt_regs *regs, bool many)
{
	struct insert_ctx *ic = (struct insert_ctx *)ri->data;
	struct vm_area_struct *vma =
		(struct vm_area_struct *)regs_get_kernel_argument(regs, 0);

	if (!READ_ONCE(faultacct_enabled) || vma->vm_mm != current->mm)
		return 1;	/* no return probe */
	ic->mm = vma->vm_mm;
	if (many) {
		ic->pages = (struct page **)regs_get_kernel_argument(regs, 2);
		ic->num = (unsigned long *)regs_get_kernel_argument(regs, 3);
		ic->want = *ic->num;
	} else {
		ic->page = (struct page *)regs_get_kernel_argument(regs, 2);
	}
	return 0;
}

static int insert_page_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	return insert_entry(ri, regs, false);
}
NOKPROBE_SYMBOL(insert_page_entry);

static int insert_page_return(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct insert_ctx *ic = (struct insert_ctx *)ri->data;

	if (!(int)regs_return_value(regs))
		faultacct_ledger_direct(ic->mm, mm_counter_file(ic->page), 1,
					FA_S_INSERT);
	return 0;
}
NOKPROBE_SYMBOL(insert_page_return);

static int insert_pages_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	return insert_entry(ri, regs, true);
}
NOKPROBE_SYMBOL(insert_pages_entry);

/* *num is what is left: the first want - *num pages went in, error or not */
static int insert_pages_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct insert_ctx *ic = (struct insert_ctx *)ri->data;
	unsigned long i, done = ic->want - min(*ic->num, ic->want);

	for (i = 0; i < done; i++)
		faultacct_ledger_direct(ic->mm, mm_counter_file(ic->pages[i]),
					1, FA_S_INSERT);
	return 0;
}
NOKPROBE_SYMBOL(insert_pages_return);

static struct kretprobe insert_probes[] = {
	{
		.kp.symbol_name = "vm_insert_page",
		.entry_handler = insert_page_entry,
		.handler = insert_page_return,
		.data_size = sizeof(struct insert_ctx),
	},
	{
		.kp.symbol_name = "vm_insert_pages",
		.entry_handler = insert_pages_entry,
		.handler = insert_pages_return,
		.data_size = sizeof(struct insert_ctx),
	},
};
static unsigned int insert_armed;

static void probe_all_calls(void)
{
	unsigned int i;

	insert_armed = 0;
	for (i = 0; i < ARRAY_SIZE(insert_probes); i++) {
		struct kretprobe *rp = &insert_probes[i];
		const char *name = rp->kp.symbol_name;

		memset(&rp->kp, 0, sizeof(rp->kp));
		rp->kp.symbol_name = name;
		rp->nmissed = 0;
		/* both may sleep (page table allocation) */
		rp->maxactive = faultacct_kretprobe_maxactive();
		if (register_kretprobe(rp)) {
			pr_warn("no kretprobe on %s(): its pages are unexplained\n",
				name);
			continue;
		}
		insert_armed |= 1U << i;
	}
}

void faultacct_sites_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(insert_probes); i++) {
		struct kretprobe *rp = &insert_probes[i];

		if (!(insert_armed & (1U << i)))
			continue;
		unregister_kretprobe(rp);
		if (rp->nmissed)
			pr_warn("%s(): %d calls missed: their pages were unexplained\n",
				rp->kp.symbol_name, rp->nmissed);
	}
	insert_armed = 0;
}

unsigned int faultacct_sites_calls(void)
{
	return 0;
}
#endif
/*
 * The addresses last asked about on this CPU and their sites, direct
 * mapped: a fault asks about two or three call sites, the same ones each
 * time.
 */
#define HIT_BITS	3
struct site_hit {
	unsigned long ip;
	u8 site;
};
static DEFINE_PER_CPU(struct site_hit [1 << HIT_BITS], last_hit);

static int cmp_range(const void *a, const void *b)
{
	const struct site_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int find_range(const void *key, const void *elt)
{
	unsigned long ip = *(const unsigned long *)key;
	const struct site_range *r = elt;

	if (ip < r->start)
		return -1;
	return ip >= r->end;
}

u8 faultacct_site_of(unsigned long ip)
{
	struct site_hit *h = this_cpu_ptr(&last_hit[hash_long(ip, HIT_BITS)]);
	const struct site_range *r;

	if (likely(h->ip == ip))
		return h->site;
	r = bsearch(&ip, ranges, nr_ranges, sizeof(*r), find_range);
	h->ip = ip;
	h->site = r ? r->site : FA_S_OTHER;
	return h->site;
}
NOKPROBE_SYMBOL(faultacct_site_of);

/*
 * An rmap walker's change (try_to_unmap_one()): reclaim if the task is
 * reclaiming (PF_MEMALLOC: kswapd, direct and memcg reclaim), else the
 * site of the first caller up the stack that has one (khugepaged's
 * collapse_file(), MADV_PAGEOUT's reclaim_pages(), memory_failure()...).
 * Only the paths outside faults that go through an rmap walk pay for the
 * walk of the stack.
 */
u8 faultacct_site_up(void)
{
	unsigned long entries[24];
	unsigned int i, n;
	u8 site;

	if (current->flags & PF_MEMALLOC)
		return FA_S_RECLAIM;
	n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	for (i = 0; i < n; i++) {
		if (within_module(entries[i], THIS_MODULE))
			continue;
		site = faultacct_site_of(entries[i]);
		if (site < FA_NR_SITE && site != FA_S_OTHER)
			return site;
	}
	return FA_S_OTHER;
}
NOKPROBE_SYMBOL(faultacct_site_up);

/* Some function of the kernel's is at @site (set up at load). */
bool faultacct_site_present(u8 site)
{
	unsigned int i;

	for (i = 0; i < nr_ranges; i++)
		if (ranges[i].site == site)
			return true;
	return false;
}

/*
 * @ip is in the fault path (do_set_pmd() counts as one; 7.x's
 * map_anon_folio_*_nopf() do unless collapse_huge_page() called them).
 */
bool faultacct_fault_caller(unsigned long ip)
{
	u8 site = faultacct_site_of(ip);

	if (site == FA_S_ANON_MAP)
		return !faultacct_collapsing();
	return site == FA_S_FAULT || site == FA_S_PMD;
}
NOKPROBE_SYMBOL(faultacct_fault_caller);

/*
 * The start and size of the function at @addr, from kallsyms ("name+off/
 * size"): kallsyms_lookup_size_offset() is not exported.
 */
static bool symbol_range(unsigned long addr, unsigned long *start,
			 unsigned long *size)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *plus;

	sprint_symbol(buf, addr);
	plus = strrchr(buf, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", &off, size) != 2 || !*size)
		return false;
	*start = addr - off;
	return true;
}

/*
 * Addresses come from kprobes registered disarmed on each name, removed
 * together (one grace period): kallsyms_lookup_name() is not exported.
 */
int faultacct_sites_init(void)
{
	static struct kprobe kps[NR_NAMES];
	static char names[NR_NAMES][NAME_LEN];
	static struct kprobe *regd[NR_NAMES];
	unsigned int i, n = 0;
	unsigned long start, size;

	nr_ranges = 0;
	for (i = 0; i < NR_NAMES; i++) {
		const struct site_sym *sym = &site_syms[i / ARRAY_SIZE(clone_suffixes)];
		const char *suffix = clone_suffixes[i % ARRAY_SIZE(clone_suffixes)];

		if (snprintf(names[i], NAME_LEN, "%s%s", sym->name, suffix) >= NAME_LEN)
			continue;
		memset(&kps[i], 0, sizeof(kps[i]));
		kps[i].symbol_name = names[i];
		kps[i].flags = KPROBE_FLAG_DISABLED;
		if (register_kprobe(&kps[i]))
			continue;
		regd[n++] = &kps[i];
		if (!symbol_range((unsigned long)kps[i].addr, &start, &size))
			continue;
		ranges[nr_ranges].start = start;
		ranges[nr_ranges].end = start + size;
		ranges[nr_ranges].site = sym->site;
		nr_ranges++;
	}
	if (n)
		unregister_kprobes(regd, n);
	sort(ranges, nr_ranges, sizeof(ranges[0]), cmp_range, NULL);
	pr_debug("%u site functions found (%zu names)\n", nr_ranges, NR_SYMS);
	/* without the fault path's own functions nothing can be told apart */
	for (i = 0; i < nr_ranges; i++)
		if (ranges[i].site == FA_S_FAULT)
			return 0;
	pr_err("cannot find the fault path's functions in kallsyms\n");
	return -ENOENT;
}

/*
 * The probes of the sites' own calls, once the process table is there
 * (6.1's count into it) and before the fault probes, so that no tracked
 * process changes a counter unseen; faultacct_sites_exit() takes them
 * away before the table goes.
 */
void faultacct_sites_arm(void)
{
	probe_all_calls();
}
