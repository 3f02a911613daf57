// SPDX-License-Identifier: GPL-2.0
/*
 * The probes on the fault path: the hot path of faultacct.
 *
 * The pages are counted where the kernel charges the mm's RSS counters,
 * one probe per charging site, mirroring the kernel's own classification:
 *
 *   new anonymous page   folio_add_new_anon_rmap / page_add_new_anon_rmap:
 *                        zero-fill, THP, COW (do_wp_page: from the zero
 *                        page, a file page or an anon page; do_cow_fault),
 *                        a swap-in that made a new page
 *   swap-in              folio_add_anon_rmap_ptes / page_add_anon_rmap,
 *                        inside do_swap_page only, for a real swap entry
 *                        (not a migration, device or uffd-wp marker one)
 *   file, shmem ptes     set_pte_range / do_set_pte (fault-around too)
 *   file, shmem pmd      do_set_pmd, when it returns 0
 *
 * Kretprobes on do_wp_page and do_swap_page say which of those a new
 * anonymous page is in; their instances hold the state across the sleeps
 * inside them (the page a COW copies), found through the task's own list
 * of kretprobe instances. Only write-protect faults and swap-ins pay them.
 *
 * Two ways to count, chosen per fault:
 *
 * - By default (FAULTACCT_CONFIG_F_OUTCOMES and _LATENCY off) no probe
 *   brackets the fault: a charge goes straight to the process that owns
 *   the mm charged (direct_proc()). The fault it belongs to is told apart
 *   by (task, task's min_flt + maj_flt), which mm_account_fault() only
 *   changes as a fault ends: the first charge of a fault counts its cause
 *   (and remote, for GUP), the next ones only add pages, also those made
 *   after it slept and woke on another CPU (counted[]). Minor
 *   and major faults are the kernel's own per-task counters (table.c).
 *
 * - With outcomes or latency on, a kretprobe on handle_mm_fault() brackets
 *   every fault. Its entry finds the process that owns the faulting mm and
 *   keeps the fault's state in the kretprobe instance; the charges of the
 *   fault go into that state, and its return counts retry and error, the
 *   cause of every fault (also those that charged nothing) and the
 *   latency. A fault that began before it was armed has no state and is
 *   counted directly; one in flight as it is disarmed still returns
 *   through it.
 *
 * A new anonymous page or a huge page mapped outside a fault (khugepaged,
 * userfaultfd, swapoff, a fork copying a pinned page, a uprobe) is not
 * the fault probes' to count: the ledger (ledger.c) counts every change
 * of the counters outside the fault path, by site. Which is which, the
 * caller's address says (sites.c), the same way for both.
 *
 * The process charged is the one that owns the mm charged (mm->owner):
 * for GUP on another process's memory, and for a vfork() child that
 * faults on its parent's memory before exec; both count as remote.
 *
 * Tracepoints follow forks (for FILTER_TREE and FILTER_ALL) and exits; a
 * probe on mm_update_next_owner(), called by each exiting thread as it lets
 * the mm go, keeps the mm's final RSS counters for the exit record.
 *
 * The probes at a function's entry are ftrace_ops callbacks, called
 * straight from the function's ftrace trampoline: ~35 emulated instructions
 * a hit against ~170 for a kprobe, which ftrace places too but reaches
 * through its own bookkeeping and a full pt_regs. A function that ftrace
 * cannot trace, or the kprobes=1 module parameter, gets a kprobe instead.
 * The one that fault-around calls per folio (set_pte_range, do_set_pte) is
 * an ftrace direct call instead, with no trampoline at all (2 instructions
 * a hit), into a fast path in assembly (direct=0: a callback there too).
 *
 * While accounting is off (faultacct_set_enabled()), the probes a fault
 * hits are disarmed: a disabled module costs the fault path nothing.
 *
 * No handler sleeps, allocates or prints.
 */

#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/huge_mm.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/swap.h>
#include FAULTACCT_SWAP_HEADER
#include <linux/timekeeping.h>
#include <asm/ibt.h>
#include <asm/linkage.h>
#include <linux/tracepoint.h>

#include <linux/rmap.h>

#include "faultacct.h"

/*
 * The handlers read these functions' arguments from registers, by
 * position (the direct calls' assembly too): a prototype that changes, as
 * a stable backport may change one, must fail the build, not misread them.
 */
#define ASSERT_PROTO(fn, type) \
	static_assert(__same_type(&(fn), type), #fn "() changed its prototype")
ASSERT_PROTO(handle_mm_fault,
	     vm_fault_t (*)(struct vm_area_struct *, unsigned long,
			    unsigned int, struct pt_regs *));
/* do_set_pmd(vmf, page), or (vmf, folio, page) on 7.x: see compat.h */
static_assert(__same_type(&do_set_pmd,
			  vm_fault_t (*)(struct vm_fault *, struct page *)) ||
	      FAULTACCT_SET_PMD_FOLIO, "do_set_pmd() changed its prototype");
ASSERT_PROTO(mm_update_next_owner, void (*)(struct mm_struct *));
ASSERT_PROTO(percpu_counter_add_batch,
	     void (*)(struct percpu_counter *, s64, s32));
#ifdef FAULTACCT_FOLIO_FAULT_PATH
ASSERT_PROTO(set_pte_range,
	     void (*)(struct vm_fault *, struct folio *, struct page *,
		      unsigned int, unsigned long));
ASSERT_PROTO(folio_add_new_anon_rmap,
	     void (*)(struct folio *, struct vm_area_struct *, unsigned long,
		      rmap_t));
ASSERT_PROTO(folio_add_anon_rmap_ptes,
	     void (*)(struct folio *, struct page *, int,
		      struct vm_area_struct *, unsigned long, rmap_t));
#else
ASSERT_PROTO(do_set_pte,
	     void (*)(struct vm_fault *, struct page *, unsigned long));
ASSERT_PROTO(page_add_new_anon_rmap,
	     void (*)(struct page *, struct vm_area_struct *, unsigned long));
ASSERT_PROTO(page_add_anon_rmap,
	     void (*)(struct page *, struct vm_area_struct *, unsigned long,
		      rmap_t));
#endif

/* What the fault has been through, so far. */
enum fault_phase {
	PH_NONE,
	PH_WP,		/* do_wp_page() */
	PH_SWAP,	/* do_swap_page() */
};

/* Per fault, in the handle_mm_fault() kretprobe instance. */
struct fault_ctx {
	struct faultacct_proc *proc;
	u64 start;			/* ns, 0 if not timed */
	u32 gen;			/* proc->gen when the fault began */
	u32 flags;			/* FAULT_FLAG_* */
	u8 phase;
	u8 cause;			/* enum faultacct_cause, FA_NR_CAUSE: none */
	u8 anon;			/* the vma is anonymous */
	/* charged so far, added to the process when the fault returns */
	u32 pages[FA_NR_RSS];
	u32 uncharged[FA_NR_RSS];
};

/* Per do_wp_page() call: a new anon page inside it is a copy of vmf->page. */
struct wp_ctx {
	struct vm_fault *vmf;
};

/* Per do_swap_page() call. */
struct swap_ctx {
	bool collapse;			/* khugepaged's swap-in, not a fault */
};

/* Per do_set_pmd() call. */
struct pmd_ctx {
	struct fault_ctx *fault;
	struct mm_struct *mm;
	struct page *page;
	bool collapse;			/* called by khugepaged, not a fault */
};

/*
 * Per CPU, for direct charges: the fault the last one belonged to, and its
 * process (NULL: not tracked), so that the next charges of the same fault
 * (fault-around maps 16 folios) neither count it again nor look it up, nor
 * do the next faults of the same process.
 */
struct last_fault {
	struct task_struct *task;
	u64 task_start;			/* task->start_time: not a reused one */
	unsigned long seq;		/* task's min_flt + maj_flt */
	struct mm_struct *mm;
	struct faultacct_proc *proc;
	u32 gen;			/* proc's; if NULL, faultacct_lookup_gen's */
	bool foreign;			/* task's mm is another process's: remote */
	/*
	 * The last file_pte() direct charge's vm_fault, and where its next
	 * folios go while *vmf_gen is gen: proc's counter, or sink if proc
	 * is NULL (vmf_gen is &gen then). A lookup, which changes proc and
	 * gen, resets vmf to NULL.
	 */
	struct vm_fault *vmf;
	atomic64_t *vmf_ctr;
	const u32 *vmf_gen;
	atomic64_t sink;
};
static DEFINE_PER_CPU(struct last_fault, last_fault);

enum probe_id {
	P_FORK,
	P_EXIT,
	P_EXIT_MM,
	P_COLLAPSE,
	P_WP,
	P_SWAP,
	P_NEW_ANON,
	P_SWAP_ANON,
	P_FILE_PTE,
	P_FILE_PMD,
	P_RSS,
	P_FAULT,
	P_NR
};

struct probe_alt {
	const char *symbol;
	ftrace_func_t ftrace;		/* entry probes: the callback */
	void *direct;			/* or a direct call's target */
	kprobe_pre_handler_t pre;	/* the same, as a kprobe */
	void *tp_fn;			/* tracepoints */
};

struct probe {
	u32 kind;			/* enum faultacct_probe_kind */
	const struct probe_alt *alts;	/* tried in order; NULL-terminated */
	const struct probe_alt *alt;	/* the one registered */
	bool optional;			/* none of alts found: left out */
	struct kprobe kp;
	struct kretprobe rp;
	struct ftrace_ops ops;
	bool ops_armed;			/* ops or tracepoint registered; arm_lock */
	bool direct;			/* ops is a direct call to alt->direct */
	unsigned long ip;		/* where ftrace hooks the function */
	struct tracepoint *tp;
};

static DEFINE_PER_CPU(u64 [P_NR], probe_hits);
/* ftrace callbacks skipped: hit in an interrupt */
static DEFINE_PER_CPU(u64 [P_NR], probe_missed);
static struct probe probes[P_NR];

/* The probes from P_FAULT_FIRST on are hit by faults. */
#define P_FAULT_FIRST	P_WP

/* Serializes arming and disarming with registration. */
static DEFINE_MUTEX(arm_lock);
static bool registered;		/* under arm_lock */
static bool bracket;		/* the handle_mm_fault() kretprobe is wanted */

static __always_inline void hit(enum probe_id id)
{
	this_cpu_inc(probe_hits[id]);
}

static __always_inline unsigned long arg(struct pt_regs *regs, unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}

/*
 * The two ways into an entry probe's handler @fn(regs, ret_ip), @regs
 * holding the arguments and @ret_ip the caller's return address: fn_ftrace,
 * an ftrace_ops callback, and fn_pre, a kprobe's pre-handler.
 *
 * The callback keeps preemption off while @fn runs, as a kprobe does. It
 * needs no more than that against recursion (ftrace_test_recursion_trylock()
 * would cost it a third more): no handler calls any of the functions
 * probed, nor can fault, so the only way into a handler already running
 * on a CPU is an interrupt, and the functions probed run in tasks only. A
 * hit from an interrupt, were there one, is skipped and counted missed.
 */
#define ENTRY_PROBE(fn, id)						\
static void notrace fn##_ftrace(unsigned long ip,			\
				unsigned long parent_ip,		\
				struct ftrace_ops *op,			\
				struct ftrace_regs *fregs)		\
{									\
	if (unlikely(!in_task())) {					\
		this_cpu_inc(probe_missed[id]);				\
		return;							\
	}								\
	preempt_disable_notrace();					\
	hit(id);							\
	fn(faultacct_ftrace_regs(fregs), parent_ip);			\
	preempt_enable_notrace();					\
}									\
NOKPROBE_SYMBOL(fn##_ftrace);						\
static int fn##_pre(struct kprobe *kp, struct pt_regs *regs)		\
{									\
	hit(id);							\
	fn(regs, regs_get_kernel_stack_nth(regs, 0));			\
	return 0;							\
}									\
NOKPROBE_SYMBOL(fn##_pre)

#define ENTRY_ALT(sym, name) \
	{ .symbol = sym, .ftrace = name##_ftrace, .pre = name##_pre }

/* The state of the tracked fault the current task is in, if any. */
static __always_inline struct fault_ctx *current_fault(void)
{
	return faultacct_kretprobe_data(&probes[P_FAULT].rp);
}

/* Where the current task is: the innermost of each of these, if any. */
struct inflight {
	struct fault_ctx *fault;	/* handle_mm_fault(), bracketed */
	struct wp_ctx *wp;		/* do_wp_page() */
	bool swap;			/* do_swap_page() */
	bool swap_collapse;		/* ... called by a collapse */
};

/* One walk of the task's instances: none at all outside bracketed faults. */
static __always_inline void current_inflight(struct inflight *in)
{
	struct llist_node *node;
	void *data;

	in->fault = NULL;
	in->wp = NULL;
	in->swap = false;
	in->swap_collapse = false;
	for (node = faultacct_instances(); node; node = node->next) {
		data = faultacct_instance_data(node, &probes[P_FAULT].rp);
		if (data) {
			in->fault = in->fault ?: data;
			continue;
		}
		data = faultacct_instance_data(node, &probes[P_WP].rp);
		if (data) {
			in->wp = in->wp ?: data;
			continue;
		}
		data = faultacct_instance_data(node, &probes[P_SWAP].rp);
		if (data) {
			in->swap = true;
			in->swap_collapse = ((struct swap_ctx *)data)->collapse;
		}
	}
}

/*
 * The fault's process, unless its slot was let go since the fault began.
 * Under RCU: a slot is reused only after a grace period that follows the
 * change of its gen.
 */
static __always_inline struct faultacct_proc *fault_proc(struct fault_ctx *ctx)
{
	struct faultacct_proc *p = ctx->proc;

	return READ_ONCE(p->gen) == ctx->gen ? p : NULL;
}

/* mm_counter_file(): swap-backed pages are shmem, the rest file pages. */
static __always_inline enum faultacct_rss folio_rss(struct folio *folio)
{
	return folio_test_swapbacked(folio) ? FA_SHMEM : FA_FILE;
}

static __always_inline enum faultacct_rss file_rss(struct page *page)
{
	return folio_rss(page_folio(page));
}

static __always_inline void set_cause(struct fault_ctx *ctx,
				      enum faultacct_cause cause)
{
	if (ctx->cause == FA_NR_CAUSE)
		ctx->cause = cause;
}

/*
 * The process @p, if it may be counted: tracked, and not let go. Its gen
 * goes to @gen; pairs with the state change that comes before gen's in
 * unhash(). Under RCU.
 */
static struct faultacct_proc *countable(struct faultacct_proc *p, u32 *gen)
{
	int state;

	if (!p)
		return NULL;
	*gen = READ_ONCE(p->gen);
	smp_rmb();
	state = atomic_read(&p->state);
	return state == FA_LIVE || state == FA_EXITED ? p : NULL;
}
NOKPROBE_SYMBOL(countable);

/* The first charge of a fault, counted once: its cause, remote or not. */
static __always_inline void count_fault(struct faultacct_proc *p, bool remote,
					enum faultacct_cause cause)
{
	faultacct_add(p, FA_CAUSE + cause, 1);
	if (remote)
		faultacct_add(p, FA_REMOTE, 1);
	faultacct_mark_dirty(p);
}

/*
 * The fault each task had counted last in the default mode: a word per
 * bucket of tasks, a hash of the task, its start time and its fault count
 * (min_flt + maj_flt, which the fault adds to only when it ends). A fault
 * counted on one CPU that then slept (for I/O, after fault-around) and
 * charged again after another task's fault had taken that CPU's
 * last_fault, or on another CPU, finds its word here and is not counted
 * twice (issue 18, defect 5). Only two tasks of one bucket faulting across
 * the same sleep can still count one fault twice.
 */
#define FA_COUNTED_BITS	10
static unsigned long counted[1 << FA_COUNTED_BITS];

static __always_inline unsigned long *counted_slot(struct task_struct *tsk)
{
	return &counted[hash_ptr(tsk, FA_COUNTED_BITS)];
}

static __always_inline unsigned long counted_key(struct task_struct *tsk,
						 unsigned long seq)
{
	/* not hash_64(), which returns 32 bits */
	return ((unsigned long)tsk ^ rol64(tsk->start_time, 29) ^ seq) *
	       GOLDEN_RATIO_64;
}

/* count_fault() for @tsk's fault @seq, unless that was counted already */
static __always_inline void count_once(struct faultacct_proc *p,
				       struct task_struct *tsk,
				       unsigned long seq, bool remote,
				       enum faultacct_cause cause)
{
	unsigned long key = counted_key(tsk, seq), *slot = counted_slot(tsk);

	if (READ_ONCE(*slot) == key)
		return;
	WRITE_ONCE(*slot, key);
	count_fault(p, remote, cause);
}

/* @nr pages charged to @rss, and @unrss (FA_NR_RSS: none) let go of. */
static __always_inline void charge_pages(struct faultacct_proc *p,
				      enum faultacct_rss rss, long nr,
				      enum faultacct_rss unrss)
{
	if (!nr)
		return;
	faultacct_add(p, FA_PAGES + rss, nr);
	if (unrss != FA_NR_RSS)
		faultacct_add(p, FA_UNCHARGED + unrss, nr);
}

/*
 * direct_charge()'s lookup, out of line; it does the whole charge, so that
 * no value of the fast paths lives across a call and they need few
 * registers.
 */
static noinline void direct_lookup(struct mm_struct *mm,
				   enum faultacct_cause cause,
				   enum faultacct_rss rss, long nr,
				   enum faultacct_rss unrss)
{
	u32 lookup_gen = atomic_read_acquire(&faultacct_lookup_gen);
	struct last_fault *lf = this_cpu_ptr(&last_fault);
	struct task_struct *tsk = current;
	bool remote = tsk->mm != mm || (tsk->flags & PF_KTHREAD);
	struct task_struct *owner;
	struct faultacct_proc *p;
	u32 gen;

	lf->vmf = NULL;
	if (!READ_ONCE(faultacct_enabled)) {
		lf->task = NULL;	/* no fault of anyone's is known */
		return;
	}
	rcu_read_lock();
	owner = faultacct_mm_owner(mm) ?: (remote ? NULL : tsk);
	/* a vfork() child on its parent's mm: the parent's, as GUP */
	lf->foreign = owner && owner->tgid != tsk->tgid;
	remote = remote || lf->foreign;
	p = countable(owner ? faultacct_proc_of(owner, mm) : NULL, &gen);
	rcu_read_unlock();
	lf->task = tsk;
	lf->task_start = tsk->start_time;
	lf->mm = mm;
	lf->proc = p;
	lf->gen = p ? gen : lookup_gen;
	lf->seq = tsk->min_flt + tsk->maj_flt;
	if (!p)
		return;
	count_once(p, tsk, lf->seq, remote, cause);
	charge_pages(p, rss, nr, unrss);
}
NOKPROBE_SYMBOL(direct_lookup);

/*
 * A charge to @mm outside a bracketed fault, to the process that owns @mm
 * if it is tracked: @nr pages (may be 0) to @rss, and @unrss (FA_NR_RSS:
 * none) let go of as they replace them. The first charge of a fault counts
 * @cause, and remote if another process's GUP made it; the next ones of
 * the same fault only add: on this CPU as last_fault says, on another (or
 * after another task's fault here) as counted[] does.
 *
 * Handlers run with preemption off, which holds off the grace period that
 * a slot waits for before it is reused: the process found stays valid
 * until the handler returns, and the cached one is valid while its gen is.
 * A task belongs to one process all its life, so the next faults of the
 * same task (its start time tells a task_struct freed and reused apart)
 * on its own mm skip the lookup; so do those of a task that was not
 * tracked, until faultacct_lookup_gen says that it may be now.
 */
static __always_inline void direct_charge(struct mm_struct *mm,
					  enum faultacct_cause cause,
					  enum faultacct_rss rss, long nr,
					  enum faultacct_rss unrss)
{
	struct last_fault *lf = this_cpu_ptr(&last_fault);
	struct task_struct *tsk = current;
	unsigned long seq = tsk->min_flt + tsk->maj_flt;
	bool remote = tsk->mm != mm || (tsk->flags & PF_KTHREAD);
	struct faultacct_proc *p;

	if (lf->task != tsk || lf->task_start != tsk->start_time ||
	    lf->mm != mm)
		return direct_lookup(mm, cause, rss, nr, unrss);
	p = lf->proc;
	if (!p) {
		if (lf->seq == seq)
			return;		/* the same fault */
		if (remote ||
		    lf->gen != atomic_read_acquire(&faultacct_lookup_gen))
			return direct_lookup(mm, cause, rss, nr, unrss);
		lf->seq = seq;		/* still not tracked */
		return;
	}
	if (READ_ONCE(p->gen) != lf->gen)
		p = NULL;
	if (lf->seq != seq) {
		/* its next fault */
		if (!p || remote || !READ_ONCE(faultacct_enabled))
			return direct_lookup(mm, cause, rss, nr, unrss);
		lf->seq = seq;
		count_once(p, tsk, seq, lf->foreign, cause);
	}
	if (p)
		charge_pages(p, rss, nr, unrss);
}

/*
 * @nr pages charged to @rss of @mm, and @unrss (FA_NR_RSS: none) let go
 * of as the new ones replace them: into the fault's state if it has one,
 * else straight to the process.
 */
static __always_inline void charge(struct fault_ctx *ctx,
				   struct mm_struct *mm,
				   enum faultacct_rss rss, long nr,
				   enum faultacct_rss unrss,
				   enum faultacct_cause cause)
{
	if (ctx) {
		set_cause(ctx, cause);
		ctx->pages[rss] += nr;
		if (unrss != FA_NR_RSS)
			ctx->uncharged[unrss] += nr;
		return;
	}
	direct_charge(mm, cause, rss, nr, unrss);
}

/* handle_mm_fault(vma, address, flags, regs) */
static int fault_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct fault_ctx *ctx = (struct fault_ctx *)ri->data;
	struct vm_area_struct *vma = (void *)arg(regs, 0);
	struct mm_struct *mm = vma->vm_mm;
	struct task_struct *owner;
	struct faultacct_proc *p;
	bool remote;

	hit(P_FAULT);
	if (!READ_ONCE(faultacct_enabled))
		return 1;

	/* GUP on another process's memory, a vfork() child: the mm's owner */
	remote = current->mm != mm || (current->flags & PF_KTHREAD);
	rcu_read_lock();
	owner = faultacct_mm_owner(mm) ?: (remote ? NULL : current);
	remote = remote || (owner && owner->tgid != current->tgid);
	p = countable(owner ? faultacct_proc_of(owner, mm) : NULL,
		      &ctx->gen);
	if (!p) {
		rcu_read_unlock();
		return 1;
	}

	ctx->proc = p;
	ctx->flags = arg(regs, 2);
	ctx->phase = PH_NONE;
	ctx->cause = FA_NR_CAUSE;
	ctx->anon = vma_is_anonymous(vma);
	memset(ctx->pages, 0, sizeof(ctx->pages));
	memset(ctx->uncharged, 0, sizeof(ctx->uncharged));
	if (remote)
		faultacct_add(p, FA_REMOTE, 1);
	faultacct_mark_dirty(p);
	rcu_read_unlock();
	ctx->start = READ_ONCE(faultacct_config_flags) &
		     FAULTACCT_CONFIG_F_LATENCY ? ktime_get_ns() : 0;
	return 0;
}
NOKPROBE_SYMBOL(fault_entry);

/* Under RCU; nothing while latency is off (or was turned off meanwhile). */
static void record_latency(struct faultacct_proc *p, u64 ns)
{
	struct faultacct_lat *lat = faultacct_lat_of(p);
	unsigned int n = ns ? min_t(unsigned int, ilog2(ns),
				    FA_LAT_BUCKETS - 1) : 0;
	s64 max;

	if (!lat)
		return;
	max = atomic64_read(&lat->max);
	atomic_inc(&lat->bucket[n]);
	atomic64_inc(&lat->count);
	atomic64_add(ns, &lat->sum);
	while ((u64)max < ns && !atomic64_try_cmpxchg(&lat->max, &max, ns))
		;
}
NOKPROBE_SYMBOL(record_latency);

/*
 * Minor and major faults are the kernel's own per-task counts (table.c);
 * this adds what only the return value says: retry, error, and the cause
 * of every completed fault, also of one that charged nothing.
 */
static int fault_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct fault_ctx *ctx = (struct fault_ctx *)ri->data;
	vm_fault_t ret = (__force vm_fault_t)regs_return_value(regs);
	u64 end = ctx->start ? ktime_get_ns() : 0;
	struct faultacct_proc *p;
	unsigned int cause;
	int i;

	rcu_read_lock();
	p = fault_proc(ctx);
	if (!p)
		goto out;

	for (i = 0; i < FA_NR_RSS; i++) {
		if (ctx->pages[i])
			faultacct_add(p, FA_PAGES + i, ctx->pages[i]);
		if (ctx->uncharged[i])
			faultacct_add(p, FA_UNCHARGED + i, ctx->uncharged[i]);
	}
	if (ret & VM_FAULT_RETRY) {
		faultacct_add(p, FA_RETRY, 1);
	} else if (ret & VM_FAULT_ERROR) {
		faultacct_add(p, FA_ERROR, 1);
	} else {
		cause = ctx->cause;
		if (cause == FA_NR_CAUSE) {
			/*
			 * Nothing charged. A read fault on anonymous memory
			 * outside swap-in and COW mapped the zero page (or
			 * the huge zero page).
			 */
			if (ctx->phase == PH_NONE && ctx->anon &&
			    !(ctx->flags & FAULT_FLAG_WRITE))
				cause = FA_C_ANON;
			else
				cause = FA_C_OTHER;
		}
		faultacct_add(p, FA_CAUSE + cause, 1);
	}
	if (ctx->start)
		record_latency(p, end - ctx->start);
	faultacct_mark_dirty(p);
out:
	rcu_read_unlock();
	return 0;
}
NOKPROBE_SYMBOL(fault_return);

/* do_wp_page(vmf) */
static int wp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct wp_ctx *wc = (struct wp_ctx *)ri->data;
	struct fault_ctx *ctx;

	hit(P_WP);
	if (!READ_ONCE(faultacct_enabled))
		return 1;
	wc->vmf = (struct vm_fault *)arg(regs, 0);
	ctx = current_fault();
	if (ctx)
		ctx->phase = PH_WP;
	return 0;
}
NOKPROBE_SYMBOL(wp_entry);

/*
 * do_swap_page(vmf), from a fault, or from __collapse_huge_page_swapin()
 * (khugepaged, MADV_COLLAPSE), whose swap-ins are the collapse's
 */
static int swap_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct swap_ctx *sc = (struct swap_ctx *)ri->data;
	struct fault_ctx *ctx;

	hit(P_SWAP);
	if (!READ_ONCE(faultacct_enabled))
		return 1;
	/*
	 * Not every entry that brings a fault here is a swap entry: a
	 * migration entry (waits, maps nothing), a device-exclusive or
	 * device-private one (the page is restored without a charge), a
	 * userfaultfd-wp marker (handled as a fault on an empty PTE, a
	 * zero-fill or a file read). No instance, then: whatever is
	 * charged inside is counted as if do_swap_page() were not there.
	 */
	if (!faultacct_pte_is_swap(((struct vm_fault *)arg(regs, 0))->orig_pte))
		return 1;
	/* the return address, not yet the trampoline's: who called */
	sc->collapse = !faultacct_fault_caller(regs_get_kernel_stack_nth(regs, 0));
	if (sc->collapse)
		return 0;
	ctx = current_fault();
	if (ctx)
		ctx->phase = PH_SWAP;
	return 0;
}
NOKPROBE_SYMBOL(swap_entry);

/* The instances of do_wp_page() and do_swap_page() only mark a phase. */
static int phase_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(phase_return);

/*
 * A new anonymous page (of @nr pages) is being mapped; the kernel adds @nr
 * to MM_ANONPAGES next to every such call in the fault path, except for a
 * copy of a page that was anonymous already.
 */
static void new_anon(unsigned long ret_ip, struct vm_area_struct *vma,
		     long nr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct fault_ctx *ctx;
	struct inflight in;
	struct page *old;

	current_inflight(&in);
	ctx = in.fault;
	if (in.wp) {
		/* wp_page_copy(): the page copied is still vmf->page */
		old = in.wp->vmf->page;
		if (old && folio_test_anon(page_folio(old))) {
			if (ctx)
				set_cause(ctx, FA_C_COW);
			else
				direct_charge(mm, FA_C_COW, FA_ANON, 0,
					      FA_NR_RSS);
			return;
		}
		/* from the zero page: a charge; from a file: a move */
		charge(ctx, mm, FA_ANON, nr, old ? file_rss(old) : FA_NR_RSS,
		       FA_C_COW);
	} else if (in.swap_collapse) {
		faultacct_ledger_direct(mm, MM_ANONPAGES, nr, FA_S_COLLAPSE);
	} else if (in.swap) {
		charge(ctx, mm, FA_ANON, nr, FA_NR_RSS, FA_C_SWAPIN);
	} else if (nr > 1) {
		/* 7.x's mTHP: 1 << order pages, less than a PMD */
		charge(ctx, mm, FA_ANON, nr, FA_NR_RSS,
		       nr >= HPAGE_PMD_NR ? FA_C_THP : FA_C_MTHP);
	} else if (vma_is_anonymous(vma)) {
		charge(ctx, mm, FA_ANON, nr, FA_NR_RSS, FA_C_ANON);
	} else {
		/* do_cow_fault(): a private copy of a file page */
		charge(ctx, mm, FA_ANON, nr, FA_NR_RSS, FA_C_COW);
	}
}
NOKPROBE_SYMBOL(new_anon);

/*
 * A new anonymous page of @nr pages, the common cases first: one page in
 * no bracketed fault, no do_wp_page() and no do_swap_page(): a zero-fill,
 * or do_cow_fault()'s private copy of a file page; as new_anon() would
 * count them.
 */
static __always_inline void new_anon_at(unsigned long ret_ip,
					struct vm_area_struct *vma, long nr)
{
	/* not a fault's: the ledger's (khugepaged, uffd, swapoff, fork...) */
	if (unlikely(!faultacct_fault_caller(ret_ip)))
		return;
	if (nr == 1 && !faultacct_instances())
		charge(NULL, vma->vm_mm, FA_ANON, 1, FA_NR_RSS,
		       vma_is_anonymous(vma) ? FA_C_ANON : FA_C_COW);
	else
		new_anon(ret_ip, vma, nr);
}

/* folio_add_new_anon_rmap(folio, vma, address, flags) */
static __always_inline void at_new_anon_folio(struct pt_regs *regs,
					      unsigned long ret_ip)
{
	new_anon_at(ret_ip, (struct vm_area_struct *)arg(regs, 1),
		    folio_nr_pages((struct folio *)arg(regs, 0)));
}
ENTRY_PROBE(at_new_anon_folio, P_NEW_ANON);

/* page_add_new_anon_rmap(page, vma, address): a THP is one compound page */
static __always_inline void at_new_anon_page(struct pt_regs *regs,
					     unsigned long ret_ip)
{
	new_anon_at(ret_ip, (struct vm_area_struct *)arg(regs, 1),
		    compound_nr((struct page *)arg(regs, 0)));
}
ENTRY_PROBE(at_new_anon_page, P_NEW_ANON);

/* A swapped-in page goes back into the mm it left. */
static void swap_anon(struct vm_area_struct *vma, long nr)
{
	struct inflight in;

	current_inflight(&in);
	if (in.swap_collapse)
		faultacct_ledger_direct(vma->vm_mm, MM_ANONPAGES, nr,
					FA_S_COLLAPSE);
	else if (in.swap)
		charge(in.fault, vma->vm_mm, FA_ANON, nr, FA_NR_RSS,
		       FA_C_SWAPIN);
}
NOKPROBE_SYMBOL(swap_anon);

/* folio_add_anon_rmap_ptes(folio, page, nr_pages, vma, address, flags) */
static __always_inline void at_swap_anon_ptes(struct pt_regs *regs,
					      unsigned long ret_ip)
{
	swap_anon((struct vm_area_struct *)arg(regs, 3), (int)arg(regs, 2));
}
ENTRY_PROBE(at_swap_anon_ptes, P_SWAP_ANON);

/* page_add_anon_rmap(page, vma, address, flags): do_swap_page maps one */
static __always_inline void at_swap_anon_page(struct pt_regs *regs,
					      unsigned long ret_ip)
{
	swap_anon((struct vm_area_struct *)arg(regs, 1), 1);
}
ENTRY_PROBE(at_swap_anon_page, P_SWAP_ANON);

/*
 * Fault-around maps up to 16 folios of one file with the same vm_fault, a
 * call each: the folios after the first one of a fault counted directly
 * only add pages to the counter the first went to (the same task, in the
 * same fault: the same min_flt + maj_flt). Nothing else is looked at.
 */
static __always_inline bool file_pte_more(struct last_fault *lf,
					  struct vm_fault *vmf, long nr)
{
	struct task_struct *tsk = current;

	/* a fault's first folio fails the first test */
	if (lf->seq != tsk->min_flt + tsk->maj_flt || lf->vmf != vmf ||
	    lf->task != tsk || lf->task_start != tsk->start_time)
		return false;
	if (READ_ONCE(*lf->vmf_gen) == lf->gen)
		atomic64_add(nr, lf->vmf_ctr);
	return true;
}

/*
 * Page-cache (file or shmem) pages mapped by ptes: a fault's first call
 * (the next ones of a fault-around take file_pte_more()). A write fault on
 * a private mapping maps a new anonymous copy instead: new_anon() counts
 * it. Out of line, so that the callback's way through file_pte_more()
 * needs few registers.
 */
static noinline notrace void file_pte_first(struct last_fault *lf,
					    struct vm_fault *vmf,
					    struct folio *folio, long nr)
{
	enum faultacct_cause cause;
	struct faultacct_proc *p;
	enum faultacct_rss rss;
	struct fault_ctx *ctx;

	cause = vmf->flags & FAULT_FLAG_WRITE ? FA_C_SHARED : FA_C_READ;
	if (cause == FA_C_SHARED && !(vmf->vma->vm_flags & VM_SHARED))
		return;
	rss = folio_rss(folio);
	ctx = current_fault();
	if (ctx) {
		charge(ctx, vmf->vma->vm_mm, rss, nr, FA_NR_RSS, cause);
		return;
	}
	direct_charge(vmf->vma->vm_mm, cause, rss, nr, FA_NR_RSS);
	/* lf is on this fault now (unless accounting is off): its next folios */
	if (!lf->task)
		return;
	lf->vmf = vmf;
	p = lf->proc;
	if (p) {
		lf->vmf_ctr = &p->ctr[FA_PAGES + rss];
		lf->vmf_gen = &p->gen;
	} else {
		lf->vmf_ctr = &lf->sink;
		lf->vmf_gen = &lf->gen;
	}
}
NOKPROBE_SYMBOL(file_pte_first);

static __always_inline void file_pte(struct vm_fault *vmf,
				     struct folio *folio, long nr)
{
	struct last_fault *lf = this_cpu_ptr(&last_fault);

	if (!file_pte_more(lf, vmf, nr))
		file_pte_first(lf, vmf, folio, nr);
}

/* set_pte_range(vmf, folio, page, nr, addr) */
static __always_inline void at_set_pte_range(struct pt_regs *regs,
					     unsigned long ret_ip)
{
	file_pte((struct vm_fault *)arg(regs, 0), (struct folio *)arg(regs, 1),
		 (unsigned int)arg(regs, 3));
}
ENTRY_PROBE(at_set_pte_range, P_FILE_PTE);

/* do_set_pte(vmf, page, addr) */
static __always_inline void at_do_set_pte(struct pt_regs *regs,
					  unsigned long ret_ip)
{
	file_pte((struct vm_fault *)arg(regs, 0),
		 page_folio((struct page *)arg(regs, 1)),
		 1);
}
ENTRY_PROBE(at_do_set_pte, P_FILE_PTE);

/*
 * The same two probes as ftrace direct calls: the fentry call of
 * set_pte_range() or do_set_pte() comes straight here, with the function's
 * arguments in their registers, and not through an ftrace trampoline that
 * saves them all for a callback. That trampoline was where a
 * fault-around's per-folio cost went: it cost more than the handler.
 *
 * A direct call's target must leave the traced function's arguments as it
 * found them; no other register is live at a function's first instruction
 * (BPF trampolines save no more either). The fast path, the next folios of
 * a fault-around, is file_pte_more() in assembly on two scratch registers
 * (r10, r11) and the flags. Both functions map their ptes under the page
 * table lock, so preemption is off already and the fast path only checks
 * that it is. Everything else calls C with the arguments saved on the
 * stack: file_pte_first() for a fault's first folio, the callback's way
 * if preemption is on.
 *
 * The fast path does not compare the task, as file_pte_more() does: the
 * vm_fault is on the faulting task's stack, and a task that reused a dead
 * one's stack differs in its start time. Nor does it check that it runs in
 * a task: neither function is called in an interrupt (the page table lock
 * is not taken there), and an interrupt's stack holds no task's vm_fault.
 *
 * Not accounted for the return-stack call-depth tracking of retbleed=stuff
 * (CALL_DEPTH_ACCOUNT, off unless asked for): its only effect there is one
 * more return-buffer refill now and then.
 */

/*
 * The direct calls' ways into C, called with the traced function's
 * arguments saved: a fault's first folio with preemption off (the same
 * ones as a callback's, set up by the assembly), and anything with
 * preemption on, which no caller of today's kernels does (the callback's
 * way, through file_pte_callback()).
 */
static __always_inline void file_pte_callback(struct vm_fault *vmf,
					      struct folio *folio,
					      unsigned int nr)
{
	if (unlikely(!in_task())) {
		this_cpu_inc(probe_missed[P_FILE_PTE]);
		return;
	}
	preempt_disable_notrace();
	hit(P_FILE_PTE);
	file_pte(vmf, folio, nr);
	preempt_enable_notrace();
}

static noinline notrace void set_pte_range_slow(struct vm_fault *vmf,
						struct folio *folio,
						struct page *page,
						unsigned int nr)
{
	file_pte_callback(vmf, folio, nr);
}
NOKPROBE_SYMBOL(set_pte_range_slow);

static noinline notrace void do_set_pte_slow(struct vm_fault *vmf,
					     struct page *page)
{
	file_pte_callback(vmf, page_folio(page), 1);
}
NOKPROBE_SYMBOL(do_set_pte_slow);

static noinline notrace void do_set_pte_first(struct last_fault *lf,
					      struct vm_fault *vmf,
					      struct page *page)
{
	file_pte_first(lf, vmf, page_folio(page), 1);
}
NOKPROBE_SYMBOL(do_set_pte_first);

void set_pte_range_direct(void);
void do_set_pte_direct(void);

/*
 * file_pte_more() for the traced function @name: @add adds its page count
 * to the counter at (%r10). Else, with the argument registers saved and
 * restored (@save, @restore): a fault's first folio calls @first(lf, vmf,
 * the function's second argument, and its fourth), and a hit with
 * preemption on @slow(its own arguments). Per-CPU data is at %gs:symbol,
 * addressed as the kernel does (FA_PCPU_REL).
 */
#define DIRECT_FAST(name, add, save, restore, first, slow)		\
	"	.pushsection .text.faultacct_direct, \"ax\", @progbits\n" \
	/* 7.x ftrace takes bit 0 of a direct-call address for "jump" */ \
	"	.p2align 4\n"						\
	"	.globl " #name "\n"					\
	"	.type " #name ", @function\n"				\
	#name ":\n"							\
	ASM_ENDBR							\
	/* preemption off */						\
	"	testb $0xff, %%gs:%c[pc]" FA_PCPU_REL "\n"		\
	"	jz 3f\n"						\
	/* the same fault: the task's fault count, vmf, start time */	\
	"	movq %%gs:%c[cur]" FA_PCPU_REL ", %%r10\n"		\
	"	movq %c[minflt](%%r10), %%r11\n"			\
	"	addq %c[majflt](%%r10), %%r11\n"			\
	"	cmpq %%r11, %%gs:%c[seq]" FA_PCPU_REL "\n"		\
	"	jne 1f\n"						\
	"	cmpq %%rdi, %%gs:%c[vmf]" FA_PCPU_REL "\n"		\
	"	jne 1f\n"						\
	"	movq %c[start](%%r10), %%r11\n"				\
	"	cmpq %%r11, %%gs:%c[tstart]" FA_PCPU_REL "\n"		\
	"	jne 1f\n"						\
	"	incq %%gs:%c[hits]" FA_PCPU_REL "\n"			\
	/* its counter, unless the process's slot was let go */	\
	"	movq %%gs:%c[vgen]" FA_PCPU_REL ", %%r10\n"		\
	"	movl (%%r10), %%r11d\n"					\
	"	cmpl %%r11d, %%gs:%c[lgen]" FA_PCPU_REL "\n"		\
	"	jne 2f\n"						\
	"	movq %%gs:%c[vctr]" FA_PCPU_REL ", %%r10\n"		\
	add								\
	"2:	" ASM_RET						\
	/* a fault's first folio: first(lf, vmf, arg 2, arg 4) */	\
	"1:\n"								\
	save								\
	"	incq %%gs:%c[hits]" FA_PCPU_REL "\n"			\
	"	movq %%rsi, %%rdx\n"					\
	"	movq %%rdi, %%rsi\n"					\
	"	movq %%gs:%c[cpuoff]" FA_PCPU_REL ", %%rdi\n"		\
	"	addq %[lf], %%rdi\n"					\
	"	call %c[" #first "]\n"					\
	restore								\
	"	" ASM_RET						\
	"3:\n"								\
	save								\
	"	call %c[" #slow "]\n"					\
	restore								\
	"	" ASM_RET						\
	"	.size " #name ", .-" #name "\n"				\
	"	.popsection\n"

/* Never called: it only holds the direct calls' code and its operands. */
static void __used notrace direct_holder(void)
{
	asm volatile(
		/* set_pte_range(vmf, folio, page, nr, addr) */
		DIRECT_FAST(set_pte_range_direct,
			    /* nr is an unsigned int */
			    "	movl %%ecx, %%r11d\n"
			    "	lock addq %%r11, (%%r10)\n",
			    "	pushq %%rdi\n	pushq %%rsi\n	pushq %%rdx\n"
			    "	pushq %%rcx\n	pushq %%r8\n",
			    "	popq %%r8\n	popq %%rcx\n	popq %%rdx\n"
			    "	popq %%rsi\n	popq %%rdi\n",
			    file_pte_first, set_pte_range_slow)
		/* do_set_pte(vmf, page, addr) */
		DIRECT_FAST(do_set_pte_direct,
			    "	lock incq (%%r10)\n",
			    "	pushq %%rdi\n	pushq %%rsi\n	pushq %%rdx\n",
			    "	popq %%rdx\n	popq %%rsi\n	popq %%rdi\n",
			    do_set_pte_first, do_set_pte_slow)
		:
		: [pc] "i" (&faultacct_preempt_var),
		  [cur] "i" (&faultacct_current_var),
		  [cpuoff] "i" (&this_cpu_off),
		  [minflt] "i" (offsetof(struct task_struct, min_flt)),
		  [majflt] "i" (offsetof(struct task_struct, maj_flt)),
		  [start] "i" (offsetof(struct task_struct, start_time)),
		  [lf] "i" (&last_fault),
		  [seq] "i" (&last_fault.seq),
		  [vmf] "i" (&last_fault.vmf),
		  [tstart] "i" (&last_fault.task_start),
		  [lgen] "i" (&last_fault.gen),
		  [vgen] "i" (&last_fault.vmf_gen),
		  [vctr] "i" (&last_fault.vmf_ctr),
		  [hits] "i" (&probe_hits[P_FILE_PTE]),
		  [file_pte_first] "i" (file_pte_first),
		  [set_pte_range_slow] "i" (set_pte_range_slow),
		  [do_set_pte_first] "i" (do_set_pte_first),
		  [do_set_pte_slow] "i" (do_set_pte_slow));
}

/* do_set_pmd(vmf, [folio,] page): maps a huge page-cache page, if it returns 0 */
static int set_pmd_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pmd_ctx *pc = (struct pmd_ctx *)ri->data;
	struct vm_fault *vmf = (struct vm_fault *)arg(regs, 0);

	hit(P_FILE_PMD);
	if (!READ_ONCE(faultacct_enabled))
		return 1;
	pc->fault = current_fault();
	pc->mm = vmf->vma->vm_mm;
	pc->page = (struct page *)arg(regs, FAULTACCT_SET_PMD_FOLIO ? 2 : 1);
	/* the return address, not yet the trampoline's: who called */
	pc->collapse = !faultacct_fault_caller(regs_get_kernel_stack_nth(regs,
									  0));
	return 0;
}
NOKPROBE_SYMBOL(set_pmd_entry);

/*
 * collapse_huge_page(): only marks the task as inside it. 7.x maps a new
 * anonymous folio through map_anon_folio_{pte,pmd}_nopf(), for a fault and
 * for a collapse alike (FA_S_ANON_MAP): this tells them apart. Optional:
 * where the kernel inlined it, no caller is ambiguous (sites.c).
 */
static int collapse_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	hit(P_COLLAPSE);
	return 0;
}
NOKPROBE_SYMBOL(collapse_entry);

static int collapse_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(collapse_return);

bool faultacct_collapsing(void)
{
	return probes[P_COLLAPSE].alt &&
	       faultacct_kretprobe_data(&probes[P_COLLAPSE].rp);
}
NOKPROBE_SYMBOL(faultacct_collapsing);

/*
 * Inside a do_set_pmd() that khugepaged called (set_huge_pmd()): its
 * charge is the collapse site's, for the ledger.
 */
bool faultacct_pmd_collapsing(void)
{
	struct pmd_ctx *pc = faultacct_kretprobe_data(&probes[P_FILE_PMD].rp);

	return pc && pc->collapse;
}
NOKPROBE_SYMBOL(faultacct_pmd_collapsing);

static int set_pmd_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pmd_ctx *pc = (struct pmd_ctx *)ri->data;

	if (!regs_return_value(regs) && !pc->collapse)
		charge(pc->fault, pc->mm, file_rss(pc->page), HPAGE_PMD_NR,
		       FA_NR_RSS, FA_C_THP);
	return 0;
}
NOKPROBE_SYMBOL(set_pmd_return);

/*
 * mm_update_next_owner(mm): an exiting thread has just let @mm go (on 6.1,
 * after folding its RSS cache into it). Keep the counters; the last
 * thread's copy, taken when no other user is left, is the final one.
 * Called by execve() too, as it gives up the old mm: the ledger closes it.
 */
static __always_inline void at_exit_mm(struct pt_regs *regs,
				       unsigned long ret_ip)
{
	struct mm_struct *mm = (struct mm_struct *)arg(regs, 0);
	struct faultacct_proc *p;

	if (current->flags & PF_KTHREAD)
		return;
	rcu_read_lock();
	p = faultacct_proc_of(current, NULL);
	if (p && !(current->flags & PF_EXITING)) {
		if (atomic_read(&p->state) == FA_LIVE)
			faultacct_ledger_close(p, mm,
					       faultacct_mm_owner(mm) == current);
	} else if (p) {
		p->rss[FA_ANON] = faultacct_mm_counter(mm, MM_ANONPAGES);
		p->rss[FA_FILE] = faultacct_mm_counter(mm, MM_FILEPAGES);
		p->rss[FA_SHMEM] = faultacct_mm_counter(mm, MM_SHMEMPAGES);
		/* a vfork() child's mm is its parent's: it owns no page */
		p->shared_mm = faultacct_mm_owner(mm) &&
			       faultacct_mm_owner(mm)->tgid != p->tgid;
		if (atomic_read(&mm->mm_users) <= 1)
			WRITE_ONCE(p->final_rss, 1);
	}
	rcu_read_unlock();
}
ENTRY_PROBE(at_exit_mm, P_EXIT_MM);

/* kmem:rss_stat: every change of an mm counter (ledger.c) */
#ifdef FAULTACCT_RSS_PERCPU
static void rss_probe(void *data, struct mm_struct *mm, int member)
#else
static void rss_probe(void *data, struct mm_struct *mm, int member,
		      long count)
#endif
{
	hit(P_RSS);
	faultacct_rss_changed(mm, member,
			      (unsigned long)__builtin_return_address(0));
}
NOKPROBE_SYMBOL(rss_probe);


/* sched_process_fork: follow new processes of the tracked ones */
static void fork_probe(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
	const struct faultacct_filter_conf *f;
	bool track;

	hit(P_FORK);
	if (!READ_ONCE(faultacct_enabled) || (child->flags & PF_KTHREAD) ||
	    child->tgid == parent->tgid)
		return;

	rcu_read_lock();
	f = rcu_dereference(faultacct_filter_conf);
	switch (f->mode) {
	case FAULTACCT_FILTER_ALL:
		track = true;
		break;
	case FAULTACCT_FILTER_TGIDS:
		track = faultacct_filter_has(f, child->tgid);
		break;
	default:
		track = faultacct_proc_of(parent, NULL);
	}
	if (track)
		faultacct_track(child, parent->tgid, child->mm, true);
	rcu_read_unlock();
}
NOKPROBE_SYMBOL(fork_probe);

/* sched_process_exit: after exit_mm(); the last thread queues the record */
static void exit_probe(void *data, struct task_struct *tsk)
{
	struct faultacct_proc *p;

	hit(P_EXIT);
	if ((tsk->flags & PF_KTHREAD) || atomic_read(&tsk->signal->live))
		return;

	rcu_read_lock();
	p = faultacct_proc_of(tsk, NULL);
	if (p)
		faultacct_proc_exited(p, tsk);
	rcu_read_unlock();
	if (p)
		faultacct_kick_exits();
}
NOKPROBE_SYMBOL(exit_probe);

static const struct probe_alt fork_alts[] = {
	{ .symbol = "sched_process_fork", .tp_fn = fork_probe }, { }
};
static const struct probe_alt exit_alts[] = {
	{ .symbol = "sched_process_exit", .tp_fn = exit_probe }, { }
};
static const struct probe_alt exit_mm_alts[] = {
	ENTRY_ALT("mm_update_next_owner", at_exit_mm), { }
};
static const struct probe_alt collapse_alts[] = {
	{ .symbol = "collapse_huge_page" },
	/* 7.x: the callers it may be inlined into */
	{ .symbol = "mthp_collapse" },
	{ .symbol = "collapse_scan_pmd" },
	{ }
};
static const struct probe_alt wp_alts[] = {
	{ .symbol = "do_wp_page" }, { }
};
static const struct probe_alt swap_alts[] = {
	{ .symbol = "do_swap_page" }, { }
};
static const struct probe_alt new_anon_alts[] = {
	ENTRY_ALT("folio_add_new_anon_rmap", at_new_anon_folio),
	ENTRY_ALT("page_add_new_anon_rmap", at_new_anon_page),
	{ }
};
static const struct probe_alt swap_anon_alts[] = {
	ENTRY_ALT("folio_add_anon_rmap_ptes", at_swap_anon_ptes),
	ENTRY_ALT("page_add_anon_rmap", at_swap_anon_page),
	{ }
};
static const struct probe_alt file_pte_alts[] = {
	{ .symbol = "set_pte_range", .ftrace = at_set_pte_range_ftrace,
	  .pre = at_set_pte_range_pre, .direct = set_pte_range_direct },
	{ .symbol = "do_set_pte", .ftrace = at_do_set_pte_ftrace,
	  .pre = at_do_set_pte_pre, .direct = do_set_pte_direct },
	{ }
};
static const struct probe_alt file_pmd_alts[] = {
	{ .symbol = "do_set_pmd" }, { }
};
static const struct probe_alt rss_alts[] = {
	{ .symbol = "rss_stat", .tp_fn = rss_probe }, { }
};
static const struct probe_alt fault_alts[] = {
	{ .symbol = "handle_mm_fault" }, { }
};

static struct probe probes[P_NR] = {
	[P_FORK] = { FAULTACCT_PROBE_KIND_TRACEPOINT, fork_alts },
	[P_EXIT] = { FAULTACCT_PROBE_KIND_TRACEPOINT, exit_alts },
	[P_EXIT_MM] = { FAULTACCT_PROBE_KIND_KPROBE, exit_mm_alts },
	[P_COLLAPSE] = { FAULTACCT_PROBE_KIND_KRETPROBE, collapse_alts,
			 .optional = true },
	[P_WP] = { FAULTACCT_PROBE_KIND_KRETPROBE, wp_alts },
	[P_SWAP] = { FAULTACCT_PROBE_KIND_KRETPROBE, swap_alts },
	[P_NEW_ANON] = { FAULTACCT_PROBE_KIND_KPROBE, new_anon_alts },
	[P_SWAP_ANON] = { FAULTACCT_PROBE_KIND_KPROBE, swap_anon_alts },
	[P_FILE_PTE] = { FAULTACCT_PROBE_KIND_KPROBE, file_pte_alts },
	[P_FILE_PMD] = { FAULTACCT_PROBE_KIND_KRETPROBE, file_pmd_alts },
	[P_RSS] = { FAULTACCT_PROBE_KIND_TRACEPOINT, rss_alts },
	[P_FAULT] = { FAULTACCT_PROBE_KIND_KRETPROBE, fault_alts },
};

struct tp_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	struct tp_lookup *l = priv;

	if (!strcmp(tp->name, l->name))
		l->tp = tp;
}

/* Whether @pr is to be armed, with accounting @on. Under arm_lock. */
static bool wanted(const struct probe *pr, bool on)
{
	if (pr - probes < P_FAULT_FIRST)
		return true;
	return on && (pr != &probes[P_FAULT] || bracket);
}

/* One per task inside the function, sleeping or not. */
int faultacct_kretprobe_maxactive(void)
{
	return faultacct_maxactive ?: max_t(int, 1024,
					    64 * num_possible_cpus());
}

/*
 * Where ftrace hooks the functions: found through kprobes registered
 * disarmed on them (kallsyms_lookup_name() is not exported), which are
 * removed together once all are found. A filter set by name would compare
 * the name of every function ftrace knows, each time.
 */
static struct kprobe lookups[P_NR];
static unsigned int nr_lookups;

/* @sym's ftrace location, or 0 if ftrace cannot hook it (or no @sym). */
static unsigned long ftrace_addr(const char *sym)
{
	struct kprobe *kp = &lookups[nr_lookups];

	if (WARN_ON_ONCE(nr_lookups == P_NR))
		return 0;
	memset(kp, 0, sizeof(*kp));
	kp->symbol_name = sym;
	kp->flags = KPROBE_FLAG_DISABLED;
	if (register_kprobe(kp))
		return 0;
	nr_lookups++;
	return kp->flags & KPROBE_FLAG_FTRACE ? (unsigned long)kp->addr : 0;
}

static void lookups_done(void)
{
	struct kprobe *kps[P_NR];
	unsigned int i;

	for (i = 0; i < nr_lookups; i++)
		kps[i] = &lookups[i];
	unregister_kprobes(kps, nr_lookups);
	nr_lookups = 0;
}

/* @pr's ftrace_ops on @addr: a direct call if @direct, else the callback. */
static int ops_init(struct probe *pr, const struct probe_alt *alt,
		    unsigned long addr, bool direct)
{
	memset(&pr->ops, 0, sizeof(pr->ops));
	pr->direct = direct;
	/* a direct call's ops gets its func from ftrace */
	if (!direct)
		pr->ops.func = alt->ftrace;
	return ftrace_set_filter_ip(&pr->ops, addr, 0, 1);
}

/*
 * Arm @pr's ops. A function takes one direct call at most: if another one
 * (a BPF trampoline, say) has it, the callback goes there instead.
 */
static int ops_register(struct probe *pr, const struct probe_alt *alt)
{
	int ret;

	if (!pr->direct)
		return register_ftrace_function(&pr->ops);
	ret = faultacct_register_direct(&pr->ops, (unsigned long)alt->direct);
	if (!ret)
		return 0;
	pr_info("no direct call on %s (%d): an ftrace callback instead\n",
		alt->symbol, ret);
	/* the caller frees the filter of a failure, once: not here */
	ftrace_free_filter(&pr->ops);
	ret = ops_init(pr, alt, pr->ip, false);
	return ret ?: register_ftrace_function(&pr->ops);
}

static int ops_unregister(struct probe *pr)
{
	if (pr->direct)
		return faultacct_unregister_direct(&pr->ops,
						   (unsigned long)pr->alt->direct);
	return unregister_ftrace_function(&pr->ops);
}

/*
 * An ftrace_ops on @alt's function, registered (armed) if @arm: a direct
 * call where @alt has one (unless direct=0), else a callback; -ENOENT if
 * ftrace cannot hook it there (a kprobe may).
 */
static int register_ftrace(struct probe *pr, const struct probe_alt *alt,
			   bool arm)
{
	unsigned long addr = ftrace_addr(alt->symbol);
	int ret;

	if (!addr)
		return -ENOENT;
	pr->ip = addr;
	ret = ops_init(pr, alt, addr, alt->direct && faultacct_use_direct);
	if (!ret && arm)
		ret = ops_register(pr, alt);
	if (ret) {
		ftrace_free_filter(&pr->ops);
		return ret;
	}
	pr->ops_armed = arm;
	pr->kind = FAULTACCT_PROBE_KIND_FTRACE;
	return 0;
}

static int register_one(struct probe *pr, const struct probe_alt *alt)
{
	struct tp_lookup l = { .name = alt->symbol };
	/* accounting off at load: the fault-path probes start disarmed */
	bool arm = wanted(pr, faultacct_enabled);
	u32 flags = arm ? 0 : KPROBE_FLAG_DISABLED;
	int ret;

	/* an entry probe: an ftrace callback if it can be, else a kprobe */
	if (alt->ftrace && !faultacct_use_kprobes &&
	    !register_ftrace(pr, alt, arm))
		return 0;
	switch (pr->kind) {
	case FAULTACCT_PROBE_KIND_TRACEPOINT:
		for_each_kernel_tracepoint(find_tracepoint, &l);
		if (!l.tp)
			return -ENOENT;
		ret = arm ? tracepoint_probe_register(l.tp, alt->tp_fn, NULL) :
			    0;
		if (!ret) {
			pr->tp = l.tp;
			pr->ops_armed = arm;
		}
		return ret;
	case FAULTACCT_PROBE_KIND_KPROBE:
		memset(&pr->kp, 0, sizeof(pr->kp));
		pr->kp.symbol_name = alt->symbol;
		pr->kp.pre_handler = alt->pre;
		pr->kp.flags = flags;
		return register_kprobe(&pr->kp);
	default:
		memset(&pr->rp, 0, sizeof(pr->rp));
		pr->rp.kp.symbol_name = alt->symbol;
		pr->rp.kp.flags = flags;
		pr->rp.maxactive = faultacct_kretprobe_maxactive();
		if (pr == &probes[P_FAULT]) {
			pr->rp.entry_handler = fault_entry;
			pr->rp.handler = fault_return;
			pr->rp.data_size = sizeof(struct fault_ctx);
		} else if (pr == &probes[P_WP]) {
			pr->rp.entry_handler = wp_entry;
			pr->rp.handler = phase_return;
			pr->rp.data_size = sizeof(struct wp_ctx);
		} else if (pr == &probes[P_SWAP]) {
			pr->rp.entry_handler = swap_entry;
			pr->rp.handler = phase_return;
			pr->rp.data_size = sizeof(struct swap_ctx);
		} else if (pr == &probes[P_COLLAPSE]) {
			/* an instance is how faultacct_collapsing() knows */
			pr->rp.entry_handler = collapse_entry;
			pr->rp.handler = collapse_return;
			pr->rp.data_size = sizeof(long);
		} else {
			pr->rp.entry_handler = set_pmd_entry;
			pr->rp.handler = set_pmd_return;
			pr->rp.data_size = sizeof(struct pmd_ctx);
			pr->rp.maxactive = max_t(int, 64,
						 4 * num_possible_cpus());
		}
		return register_kretprobe(&pr->rp);
	}
}

static void unregister_one(struct probe *pr)
{
	if (!pr->alt)
		return;		/* an optional probe left out */
	switch (pr->kind) {
	case FAULTACCT_PROBE_KIND_TRACEPOINT:
		if (pr->ops_armed)
			tracepoint_probe_unregister(pr->tp, pr->alt->tp_fn,
						    NULL);
		pr->ops_armed = false;
		break;
	case FAULTACCT_PROBE_KIND_KPROBE:
		unregister_kprobe(&pr->kp);
		break;
	case FAULTACCT_PROBE_KIND_FTRACE:
		if (pr->ops_armed)
			ops_unregister(pr);
		pr->ops_armed = false;
		ftrace_free_filter(&pr->ops);
		break;
	default:
		unregister_kretprobe(&pr->rp);
	}
}

static u64 nmissed(const struct probe *pr)
{
	u64 sum = 0;
	int cpu;

	switch (pr->kind) {
	case FAULTACCT_PROBE_KIND_KPROBE:
		return pr->kp.nmissed;
	case FAULTACCT_PROBE_KIND_KRETPROBE:
		return (u64)pr->rp.nmissed + pr->rp.kp.nmissed;
	case FAULTACCT_PROBE_KIND_FTRACE:
		for_each_possible_cpu(cpu)
			sum += per_cpu(probe_missed, cpu)[pr - probes];
		return sum;
	default:
		return 0;
	}
}

static struct kprobe *kprobe_of(const struct probe *pr)
{
	return pr->kind == FAULTACCT_PROBE_KIND_KRETPROBE ?
	       (struct kprobe *)&pr->rp.kp : (struct kprobe *)&pr->kp;
}

/* Under arm_lock, or for a report. */
static bool probe_armed(const struct probe *pr)
{
	switch (pr->kind) {
	case FAULTACCT_PROBE_KIND_TRACEPOINT:
	case FAULTACCT_PROBE_KIND_FTRACE:
		return READ_ONCE(pr->ops_armed);
	default:
		return !kprobe_disabled(kprobe_of(pr));
	}
}

unsigned int faultacct_probe_count(void)
{
	return P_NR;
}

void faultacct_probe_info(unsigned int i, struct faultacct_probe_info *info)
{
	const struct probe *pr = &probes[i];
	const struct kprobe *kp = kprobe_of(pr);
	int cpu;

	info->symbol = pr->alt ? pr->alt->symbol : pr->alts[0].symbol;
	info->kind = pr->kind;
	info->hits = 0;
	for_each_possible_cpu(cpu)
		info->hits += per_cpu(probe_hits, cpu)[i];
	info->nmissed = nmissed(pr);
	info->disarmed = pr->alt && !probe_armed(pr);
	if (!pr->alt)
		info->placement = FAULTACCT_PROBE_PLACEMENT_NONE;
	else if (pr->kind == FAULTACCT_PROBE_KIND_TRACEPOINT)
		info->placement = FAULTACCT_PROBE_PLACEMENT_TRACEPOINT;
	else if (pr->kind == FAULTACCT_PROBE_KIND_FTRACE)
		info->placement = READ_ONCE(pr->direct) ?
				  FAULTACCT_PROBE_PLACEMENT_DIRECT :
				  FAULTACCT_PROBE_PLACEMENT_FTRACE;
	else if (kp->flags & KPROBE_FLAG_GONE)
		info->placement = FAULTACCT_PROBE_PLACEMENT_NONE;
	else if (kp->flags & KPROBE_FLAG_FTRACE)
		info->placement = FAULTACCT_PROBE_PLACEMENT_FTRACE;
	else if (kp->flags & KPROBE_FLAG_OPTIMIZED)
		info->placement = FAULTACCT_PROBE_PLACEMENT_OPTIMIZED;
	else
		info->placement = FAULTACCT_PROBE_PLACEMENT_INT3;
}

/*
 * Under arm_lock. Disarming an ftrace callback returns once no CPU is in it
 * any more (unregister_ftrace_function() waits for RCU-tasks), so it takes
 * longer than disarming a kprobe.
 */
static int set_armed(struct probe *pr, bool arm)
{
	int ret;

	if (pr->kind == FAULTACCT_PROBE_KIND_TRACEPOINT)
		ret = arm ? tracepoint_probe_register(pr->tp, pr->alt->tp_fn,
						      NULL) :
			    tracepoint_probe_unregister(pr->tp, pr->alt->tp_fn,
							NULL);
	else if (pr->kind != FAULTACCT_PROBE_KIND_FTRACE)
		return arm ? enable_kprobe(kprobe_of(pr)) :
			     disable_kprobe(kprobe_of(pr));
	else
		ret = arm ? ops_register(pr, pr->alt) : ops_unregister(pr);
	if (!ret)
		WRITE_ONCE(pr->ops_armed, arm);
	return ret;
}

/*
 * Whether the compiler made a clone of @sym that callers call instead of
 * it (.isra, .constprop: other arguments), whose calls a probe on @sym
 * would miss. A .part clone is only the function's tail: the probe on the
 * entry still sees every call. Looked up as the other symbols are, with a
 * disarmed kprobe.
 */
static const char *clone_of(const char *sym)
{
	static const char *const suffixes[] = {
		".isra.0", ".isra.1", ".constprop.0", ".constprop.1",
	};
	static char name[KSYM_NAME_LEN];
	struct kprobe kp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		if (snprintf(name, sizeof(name), "%s%s", sym, suffixes[i]) >=
		    sizeof(name))
			continue;
		memset(&kp, 0, sizeof(kp));
		kp.symbol_name = name;
		kp.flags = KPROBE_FLAG_DISABLED;
		if (register_kprobe(&kp))
			continue;
		unregister_kprobe(&kp);
		return name;
	}
	return NULL;
}

static void unregister_from(int i)
{
	for (; i >= 0; i--) {
		unregister_one(&probes[i]);
		probes[i].alt = NULL;
	}
	tracepoint_synchronize_unregister();
}

/*
 * In order: exits and forks first, the fault-path probes next, and the
 * handle_mm_fault() kretprobe last, so that every fault that gets a state
 * finds all the probes inside it in place.
 */
int faultacct_probes_init(void)
{
	const struct probe_alt *alt;
	int i, ret = 0;

	mutex_lock(&arm_lock);
	for (i = 0; i < P_NR; i++) {
		struct probe *pr = &probes[i];

		for (alt = pr->alts; alt->symbol; alt++) {
			ret = register_one(pr, alt);
			if (ret != -ENOENT)
				break;
		}
		if (!ret && pr->kind != FAULTACCT_PROBE_KIND_TRACEPOINT) {
			const char *clone = clone_of(alt->symbol);

			if (clone) {
				pr_err("%s has a compiler clone, %s, whose calls a probe on it would miss: refusing\n",
				       alt->symbol, clone);
				pr->alt = alt;	/* for unregister_from() */
				lookups_done();
				unregister_from(i);
				mutex_unlock(&arm_lock);
				return -EOPNOTSUPP;
			}
		}
		if (ret == -ENOENT && pr->optional) {
			pr_info("%s not found: not probed (not needed here)\n",
				pr->alts[0].symbol);
			continue;
		}
		if (ret) {
			if (pr->alts[1].symbol)
				pr_err("cannot probe %s (nor %s): %d\n",
				       pr->alts[0].symbol, pr->alts[1].symbol,
				       ret);
			else
				pr_err("cannot probe %s: %d\n",
				       pr->alts[0].symbol, ret);
			lookups_done();
			unregister_from(i - 1);
			mutex_unlock(&arm_lock);
			return ret;
		}
		pr->alt = alt;
	}
	lookups_done();
	/*
	 * A fault and collapse_huge_page() share map_anon_folio_*_nopf():
	 * without a probe on the latter (or a caller it is inlined into), a
	 * collapse would be counted as a fault, so no exact count can be
	 * kept. Without THP (Debian's PREEMPT_RT kernels) nothing collapses.
	 */
	if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && !probes[P_COLLAPSE].alt &&
	    faultacct_site_present(FA_S_ANON_MAP)) {
		pr_err("map_anon_folio_*_nopf() but no collapse_huge_page() to probe: cannot tell a fault from a collapse\n");
		unregister_from(P_NR - 1);
		mutex_unlock(&arm_lock);
		return -ENOENT;
	}
	registered = true;
	mutex_unlock(&arm_lock);
	return 0;
}


/*
 * Arm or disarm each fault-path probe as wanted(): disarming from the
 * handle_mm_fault() kretprobe inwards, arming from the inside out, so that
 * a fault that gets a state finds the probes inside it armed. Under
 * arm_lock; process context: arming patches kernel text and sleeps.
 */
static int rearm(bool on)
{
	int i, err, ret = 0;

	for (i = 0; registered && i < P_NR - P_FAULT_FIRST; i++) {
		struct probe *pr = &probes[on ? P_FAULT_FIRST + i :
					       P_NR - 1 - i];
		bool arm = wanted(pr, on);

		if (arm == probe_armed(pr))
			continue;
		err = set_armed(pr, arm);
		if (err) {
			pr_warn("cannot %s %s: %d\n", arm ? "arm" : "disarm",
				pr->alt->symbol, err);
			ret = ret ?: err;
		}
	}
	return ret;
}

/*
 * Turn accounting on or off (FAULTACCT_CONFIG_ENABLED, the enabled module
 * parameter). Off, the fault-path probes are disarmed; a fault in flight
 * while they are disarmed may miss some pages.
 */
int faultacct_set_enabled(bool on)
{
	int ret;

	mutex_lock(&arm_lock);
	if (!on)
		WRITE_ONCE(faultacct_enabled, false);
	ret = rearm(on);
	if (on) {
		WRITE_ONCE(faultacct_enabled, true);
		faultacct_lookups_changed();
	}
	mutex_unlock(&arm_lock);
	return ret;
}

/*
 * Bracket every fault with the handle_mm_fault() kretprobe, or not
 * (FAULTACCT_CONFIG_F_OUTCOMES, _LATENCY). Exact both ways: a fault that
 * began before it was armed is counted directly, and one in flight as it
 * is disarmed still returns through it.
 */
int faultacct_set_bracket(bool on)
{
	int ret;

	mutex_lock(&arm_lock);
	bracket = on;
	ret = rearm(READ_ONCE(faultacct_enabled));
	mutex_unlock(&arm_lock);
	return ret;
}

/*
 * Probes of a kind go in one batch, each batch waiting for one grace
 * period instead of one per probe: the handle_mm_fault() kretprobe first,
 * then the probes inside faults, then the tracepoints.
 */
void faultacct_probes_exit(void)
{
	struct kretprobe *rps[P_NR];
	struct kprobe *kps[P_NR];
	int i, nr = 0, nk = 0;
	u64 missed = 0;

	mutex_lock(&arm_lock);
	registered = false;
	mutex_unlock(&arm_lock);
	for (i = P_NR - 1; i >= 0; i--) {
		struct probe *pr = &probes[i];

		if (!pr->alt)
			continue;	/* an optional probe left out */
		if (nmissed(pr))
			pr_info("missed %llu hits of %s\n", nmissed(pr),
				pr->alt->symbol);
		missed += nmissed(pr);
		if (pr->kind == FAULTACCT_PROBE_KIND_KRETPROBE)
			rps[nr++] = &pr->rp;
		else if (pr->kind == FAULTACCT_PROBE_KIND_KPROBE)
			kps[nk++] = &pr->kp;
	}
	unregister_kretprobes(rps, nr);
	unregister_kprobes(kps, nk);
	for (i = P_NR - 1; i >= 0; i--) {
		if (!probes[i].alt)
			continue;
		if (probes[i].kind == FAULTACCT_PROBE_KIND_TRACEPOINT ||
		    probes[i].kind == FAULTACCT_PROBE_KIND_FTRACE)
			unregister_one(&probes[i]);
	}
	tracepoint_synchronize_unregister();
	for (i = 0; i < P_NR; i++)
		probes[i].alt = NULL;
	pr_info("probes removed, %llu hits missed\n", missed);
}
