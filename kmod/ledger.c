// SPDX-License-Identifier: GPL-2.0
/*
 * The ledger: every change of a tracked process's RSS counters, so that its
 * numbers balance against the kernel's own.
 *
 * For each of anon, file and shmem, a process's ledger is
 *
 *   opening + fault charges - fault uncharges
 *           + site charges - site uncharges = the mm's counter
 *
 * where the fault charges are the fault probes' (probes.c), and the sites
 * are every other path that moved the counter: fork, unmap, exec,
 * reclaim, migration, KSM, collapse, userfaultfd, swapoff, inserted pages
 * and anything else (sites.c names them by the function that made the
 * change). "unexplained" is the kernel's counter minus the ledger: 0 when
 * faultacct saw everything.
 *
 * Every change of an mm counter fires the kmem:rss_stat tracepoint (mm,
 * member) from add_mm_counter() and friends, inlined in the function that
 * made the change; mm_trace_rss_stat(), which holds it, is itself inlined
 * into the callers in mm/memory.c (zap_pte_range(), do_wp_page()), so the
 * tracepoint is the one place every change passes. The ledger's probe
 * there (faultacct_rss_changed()) needs two more things:
 *
 * - With per-CPU RSS counters (6.2 on), the change went through
 *   percpu_counter_add_batch(&mm->rss_stat[member], amount) just before,
 *   on the same CPU in the same task (the callers hold the page table
 *   lock across both). Its call sites in the functions outside the fault
 *   path are probed (sites.c), and keep the amount and the site per CPU;
 *   the tracepoint's probe takes them if they are of the same counter and
 *   task. A change with none is the fault path's. A site preempted in
 *   between (PREEMPT_RT) loses its change, which shows as unexplained.
 *
 * - With atomic counters (6.1), the tracepoint gives the new value only.
 *   The ledger keeps the value it last saw, per process and mm, and counts
 *   the difference to a fresh read, with a compare-and-exchange so that
 *   changes racing on other CPUs telescope: the sum is exact once the
 *   changes stop, though two sites changing one counter at once may see
 *   each other's share. The site is the first caller on the stack outside
 *   the tracepoint (a short ORC walk): the fault path charges the
 *   per-task cache instead, which sync_mm_rss() folds into the mm now and
 *   then, so the walk is paid by sites outside faults, by folds and by
 *   huge pages. The fault probes count the faults' pages, folded or not.
 *
 * Changes whose site is the fault path are the fault probes'; the ledger
 * skips them. A fork's copy is the child's opening (site fork), read when
 * the child is tracked: its tgid is not yet its own while copy_mm() runs.
 *
 * The process charged is the one that owns the mm (mm->owner), as for
 * GUP faults: reclaim in kswapd, KSM in ksmd and a vfork() child charge
 * the process whose counters moved. An mm torn down after its owner let
 * it go (exit, exec) has no owner: exec's old mm is closed out as the
 * owner gives it up (faultacct_ledger_close()), and an exit record is
 * taken before the teardown.
 *
 * No handler sleeps, allocates or prints.
 */

#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/sched/mm.h>
#include <linux/module.h>
#include <linux/stacktrace.h>

#include "faultacct.h"

atomic64_t faultacct_unbalanced;
atomic64_t faultacct_unbalanced_pages;

static const int member_of[FA_NR_RSS] = {
	[FA_ANON] = MM_ANONPAGES,
	[FA_FILE] = MM_FILEPAGES,
	[FA_SHMEM] = MM_SHMEMPAGES,
};

static __always_inline int rss_of(int member)
{
	switch (member) {
	case MM_ANONPAGES:
		return FA_ANON;
	case MM_FILEPAGES:
		return FA_FILE;
	case MM_SHMEMPAGES:
		return FA_SHMEM;
	default:
		return -1;	/* MM_SWAPENTS */
	}
}

/* The counters themselves (on 6.1 without the threads' caches). */
static void read_counters(struct mm_struct *mm, s64 *v)
{
	int c;

	for (c = 0; c < FA_NR_RSS; c++)
		v[c] = faultacct_mm_counter_raw(mm, member_of[c]);
}

/* What @task's threads hold in their RSS caches (6.1), added to @v. */
static void add_caches(struct task_struct *task, s64 *v)
{
	struct task_struct *t;
	int c;

	for_each_thread(task, t) {
		for (c = 0; c < FA_NR_RSS; c++)
			v[c] += faultacct_task_rss_cache(t, member_of[c]);
	}
}

static void set_base(struct faultacct_proc *p, struct mm_struct *mm,
		     const s64 *v)
{
	int c;

	for (c = 0; c < FA_NR_RSS; c++)
		atomic64_set(&p->rss_last[0][c], v[c]);
	WRITE_ONCE(p->ledger_mm[0], mm);
	WRITE_ONCE(p->ledger_mm[1], NULL);
}

/*
 * Tracking of @task's process @p begins, with @mm the process's (NULL: it
 * is read under the task lock). A forked child's copy is the fork site's
 * charge, anything else the opening. Before @p is hashed: nothing else
 * writes it. Under RCU.
 */
void faultacct_ledger_open(struct faultacct_proc *p, struct task_struct *task,
			   struct mm_struct *mm, bool forked)
{
	s64 v[FA_NR_RSS] = { }, open[FA_NR_RSS];
	int c, first;

	if (mm) {
		read_counters(mm, v);
	} else {
		task_lock(task);
		mm = task->mm;
		if (mm)
			read_counters(mm, v);
		task_unlock(task);
	}
	memcpy(open, v, sizeof(open));
	if (mm)
		add_caches(task, open);
	/* a CLONE_VM child (vfork) owns none of its parent's pages */
	if (mm && forked && faultacct_mm_owner(mm) != task)
		memset(open, 0, sizeof(open));
	first = forked ? FA_SITE_CH + FA_S_FORK * FA_NR_RSS : FA_OPENING;
	for (c = 0; c < FA_NR_RSS; c++)
		atomic64_set(&p->ctr[first + c], open[c]);
	set_base(p, mm, v);
}

/*
 * @p gives up @mm in execve() (from mm_update_next_owner(), before
 * mmput()): if it @owned it, the pages still in it leave the ledger (site
 * exec). The new mm is the one counted from now on.
 */
void faultacct_ledger_close(struct faultacct_proc *p, struct mm_struct *mm,
			    bool owned)
{
	struct mm_struct *next = current->mm;
	s64 v[FA_NR_RSS];
	int c;

	if (owned) {
		read_counters(mm, v);
		for (c = 0; c < FA_NR_RSS; c++)
			faultacct_add(p, FA_SITE_UN + FA_S_EXEC * FA_NR_RSS + c,
				      v[c]);
	}
	if (next && next != mm) {
		/* what the ledger saw of it while execve() built it */
		if (READ_ONCE(p->ledger_mm[1]) == next)
			for (c = 0; c < FA_NR_RSS; c++)
				v[c] = atomic64_read(&p->rss_last[1][c]);
		else
			read_counters(next, v);
		set_base(p, next, v);
	}
	faultacct_mark_dirty(p);
}

/*
 * A change of @c by @delta at @site, outside faults, to the process @p that
 * owns @mm as @owner. Under RCU.
 */
static void ledger_add(struct faultacct_proc *p, struct task_struct *owner,
		       struct mm_struct *mm, int c, u8 site, s64 delta)
{
	/* no user left: a failed execve()'s new mm (still its owner's), or exit */
	if (site == FA_S_UNMAP && !atomic_read(&mm->mm_users))
		site = owner == current && current->mm != mm ? FA_S_EXEC :
							       FA_S_EXIT;
	if (delta > 0)
		faultacct_add(p, FA_SITE_CH + site * FA_NR_RSS + c, delta);
	else
		faultacct_add(p, FA_SITE_UN + site * FA_NR_RSS + c, -delta);
	faultacct_mark_dirty(p);
}

/* The tracked process that owns @mm, if it is live. Under RCU. */
static struct faultacct_proc *owner_proc(struct mm_struct *mm,
					 struct task_struct **owner)
{
	struct faultacct_proc *p;

	*owner = faultacct_mm_owner(mm);
	/*
	 * A child being forked (its copy of the parent's pages): its tgid is
	 * still the parent's, and its copy is its opening (site fork).
	 */
	if (!*owner || (READ_ONCE((*owner)->__state) & TASK_NEW))
		return NULL;
	p = faultacct_proc_of(*owner, NULL);
	return p && atomic_read(&p->state) == FA_LIVE ? p : NULL;
}

/*
 * A change of @mm's @member by @delta at @site that the tracepoint's probe
 * takes for a fault's, counted by whoever saw it made: on 6.1 pages that
 * vm_insert_page() puts into the RSS cache of the task whose mm it is
 * (sites.c), on both kernels khugepaged's swap-ins, which do_swap_page()
 * makes (probes.c). Probe context.
 */
void faultacct_ledger_direct(struct mm_struct *mm, int member, long delta,
			     u8 site)
{
	struct task_struct *owner;
	struct faultacct_proc *p;
	int c = rss_of(member);

	if (c < 0 || !delta || !mm || !READ_ONCE(faultacct_enabled))
		return;
	rcu_read_lock();
	p = owner_proc(mm, &owner);
	if (p)
		ledger_add(p, owner, mm, c, site, delta);
	rcu_read_unlock();
}
NOKPROBE_SYMBOL(faultacct_ledger_direct);

#ifdef FAULTACCT_RSS_PERCPU
/* The last percpu_counter_add_batch() of the task on this CPU. */
struct rss_pending {
	struct task_struct *task;
	struct percpu_counter *fbc;
	s64 amount;
	u8 site;
};
static DEFINE_PER_CPU(struct rss_pending, rss_pending);

void faultacct_rss_add(struct percpu_counter *fbc, s64 amount, u8 site)
{
	struct rss_pending *rp = this_cpu_ptr(&rss_pending);

	rp->task = current;
	rp->fbc = fbc;
	rp->amount = amount;
	rp->site = site;
}
NOKPROBE_SYMBOL(faultacct_rss_add);

/*
 * The kmem:rss_stat tracepoint: a counter of @mm just changed, by the call
 * site probed just before it (sites.c), or by the fault path, whose calls
 * are not probed: most changes come here with nothing pending. Each change
 * takes the call it was made by, whatever becomes of it: a call left
 * behind (an mm torn down with no owner) would be taken for a later change
 * of a new mm at the same address. Probe context: preemption off.
 */
void faultacct_rss_changed(struct mm_struct *mm, int member,
			   unsigned long ip)
{
	struct rss_pending *rp = this_cpu_ptr(&rss_pending);
	u8 site = rp->site;
	s64 delta = rp->amount;

	if (likely(!rp->fbc))
		return;
	if (rp->task != current || rp->fbc != &mm->rss_stat[member]) {
		rp->fbc = NULL;
		return;
	}
	rp->fbc = NULL;
	if (site == FA_S_PMD) {
		if (!faultacct_pmd_collapsing())
			return;		/* a fault's */
		site = FA_S_COLLAPSE;
	}
	faultacct_ledger_direct(mm, member, delta, site);
}
NOKPROBE_SYMBOL(faultacct_rss_changed);
#else
void faultacct_rss_add(struct percpu_counter *fbc, s64 amount, u8 site)
{
}

/*
 * The change of @mm's counter since the ledger last saw it: the value now
 * against the one kept, swapped in only if no other CPU swapped its own in
 * meanwhile, so that the changes add up to the counter exactly.
 */
static bool change_of(struct faultacct_proc *p, struct mm_struct *mm,
		      int member, int c, s64 *delta)
{
	atomic64_t *last;
	s64 old, now;
	int i;

	/*
	 * Another mm the process owns is the new one of an execve() (the
	 * only task that changes it until it is the process's): it starts
	 * at 0, and is the process's mm once exec closes the old one; a
	 * failed execve() tears it down again.
	 */
	if (READ_ONCE(p->ledger_mm[0]) != mm &&
	    READ_ONCE(p->ledger_mm[1]) != mm) {
		for (i = 0; i < FA_NR_RSS; i++)
			atomic64_set(&p->rss_last[1][i], 0);
		/* the zeroed base before the mm that names it (exec's close) */
		smp_wmb();
		WRITE_ONCE(p->ledger_mm[1], mm);
	}
	last = &p->rss_last[READ_ONCE(p->ledger_mm[0]) == mm ? 0 : 1][c];
	old = atomic64_read(last);
	do {
		now = atomic_long_read(&mm->rss_stat.count[member]);
	} while (now != old && !atomic64_try_cmpxchg(last, &old, now));
	*delta = now - old;
	return true;
}

/*
 * The first caller on the stack that is neither the tracepoint nor us:
 * four frames hold it (this probe, the tracepoint's iterator and
 * mm_trace_rss_stat() at most), and the unwinder's cost is per frame.
 */
static u8 site_of_stack(void)
{
	unsigned long entries[4];
	unsigned int i, n;
	u8 site;

	n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	for (i = 0; i < n; i++) {
		if (within_module(entries[i], THIS_MODULE))
			continue;
		site = faultacct_site_of(entries[i]);
		if (site == FA_S_RMAP)
			return faultacct_site_up();
		if (site != FA_S_SKIP)
			return site;
	}
	return FA_S_OTHER;
}

/*
 * The kmem:rss_stat tracepoint, called from @ip: a counter of @mm just
 * changed. Most changes a tracepoint sees here are folds of a thread's RSS
 * cache, which only faults fill (sync_mm_rss()), every 64 faults or so: a
 * fault's. A change of the same size by exec's acct_arg_size() looks the
 * same but for its caller. With this probe the tracepoint's only one, @ip
 * is in the function that made the change (the tracepoint's static call),
 * unless that called the out-of-line mm_trace_rss_stat() or the iterator
 * of several probes: then a short walk of the stack finds it. Probe
 * context: preemption off.
 */
void faultacct_rss_changed(struct mm_struct *mm, int member,
			   unsigned long ip)
{
	struct task_struct *owner;
	struct faultacct_proc *p;
	int c = rss_of(member);
	s64 delta;
	u8 site;

	if (c < 0 || !in_task() || !READ_ONCE(faultacct_enabled))
		return;
	rcu_read_lock();
	p = owner_proc(mm, &owner);
	if (!p || !change_of(p, mm, member, c, &delta) || !delta)
		goto out;
	site = faultacct_site_of(ip);
	if (site == FA_S_RMAP)
		site = faultacct_site_up();
	else if (site == FA_S_SKIP || site == FA_S_OTHER)
		site = site_of_stack();
	if (site == FA_S_PMD)
		site = faultacct_pmd_collapsing() ? FA_S_COLLAPSE : FA_S_FAULT;
	if (site < FA_NR_SITE && site != FA_S_FORK)
		ledger_add(p, owner, mm, c, site, delta);
out:
	rcu_read_unlock();
}
NOKPROBE_SYMBOL(faultacct_rss_changed);
#endif

/* The ledger of a process whose counters are @ctr, against @rss. */
void faultacct_balance(const u64 *ctr, const u64 *rss,
		       struct faultacct_balance *b)
{
	int c, s;

	for (c = 0; c < FA_NR_RSS; c++) {
		s64 v = ctr[FA_OPENING + c] + ctr[FA_PAGES + c] -
			ctr[FA_UNCHARGED + c];

		for (s = 0; s < FA_NR_SITE; s++)
			v += ctr[FA_SITE_CH + s * FA_NR_RSS + c] -
			     ctr[FA_SITE_UN + s * FA_NR_RSS + c];
		b->ledger[c] = v;
		b->unexplained[c] = (s64)rss[c] - v;
	}
}

/* An exit record's balance, for the module-wide count of those that fail. */
void faultacct_exit_balanced(const struct faultacct_proc *p)
{
	struct faultacct_balance b;
	u64 ctr[FA_NR_CTR], rss[FA_NR_RSS];
	u64 off = 0;
	int i;

	for (i = 0; i < FA_NR_CTR; i++)
		ctr[i] = atomic64_read(&p->ctr[i]);
	/* a vfork() child's pages are its parent's */
	for (i = 0; i < FA_NR_RSS; i++)
		rss[i] = p->shared_mm ? 0 : p->rss[i];
	faultacct_balance(ctr, rss, &b);
	for (i = 0; i < FA_NR_RSS; i++)
		off += abs(b.unexplained[i]);
	if (off) {
		atomic64_inc(&faultacct_unbalanced);
		atomic64_add(off, &faultacct_unbalanced_pages);
	}
}
