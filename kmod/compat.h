/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels faultacct builds for (6.1, 6.12, 7.2
 * and 7.3) lives here. Kbuild force-includes this file, so the other files read like
 * code for one kernel. Features are probed with #ifdef; a version number is
 * used only where the kernel gives nothing else to test.
 */

#ifndef _FAULTACCT_COMPAT_H
#define _FAULTACCT_COMPAT_H

/* First, before any header can define its own default. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/version.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#ifndef GENL_MCAST_CAP_NET_ADMIN
/*
 * Without it a multicast group is open to every user; the records show
 * other users' processes, so there is no fallback.
 */
#error "faultacct needs GENL_MCAST_CAP_NET_ADMIN (genetlink, Linux 6.6, backported to 6.1.y)"
#endif

#ifndef CONFIG_KRETPROBES
#error "faultacct needs CONFIG_KRETPROBES"
#endif

#ifndef CONFIG_DYNAMIC_FTRACE_WITH_ARGS
/* An ftrace_ops callback would get no arguments. */
#error "faultacct needs CONFIG_DYNAMIC_FTRACE_WITH_ARGS"
#endif

/*
 * The current task's kretprobe instances, innermost first: the fault
 * path's inner probes find the state of the fault they belong to this way.
 * Only the task itself adds and removes its instances, so it may walk its
 * own list without a lock. faultacct_instance_data() is the data of the
 * instance at @node if it is one of @rp's, else NULL.
 */
#ifdef CONFIG_KRETPROBE_ON_RETHOOK
static __always_inline struct llist_node *faultacct_instances(void)
{
	return current->rethooks.first;
}

static __always_inline void *faultacct_instance_data(struct llist_node *node,
						     struct kretprobe *rp)
{
	struct rethook_node *rhn = container_of(node, struct rethook_node,
						llist);

	if (rhn->rethook != READ_ONCE(rp->rh))
		return NULL;
	return container_of(rhn, struct kretprobe_instance, node)->data;
}
#else
static __always_inline struct llist_node *faultacct_instances(void)
{
	return current->kretprobe_instances.first;
}

static __always_inline void *faultacct_instance_data(struct llist_node *node,
						     struct kretprobe *rp)
{
	struct kretprobe_instance *ri = container_of(node,
						     struct kretprobe_instance,
						     llist);

	return get_kretprobe(ri) == rp ? ri->data : NULL;
}
#endif

/* The current task's innermost instance of @rp, if it is inside its function. */
static __always_inline void *faultacct_kretprobe_data(struct kretprobe *rp)
{
	struct llist_node *node;
	void *data;

	for (node = faultacct_instances(); node; node = node->next) {
		data = faultacct_instance_data(node, rp);
		if (data)
			return data;
	}
	return NULL;
}

/*
 * An mm's RSS counter, exactly. 6.2 made mm->rss_stat per-CPU counters
 * (no feature macro marks it: FAULTACCT_RSS_PERCPU says so here); before,
 * it is an atomic, and each thread keeps a cache of its own faults'
 * changes (SPLIT_RSS_COUNTING) that sync_mm_rss() folds into it, at the
 * latest when the thread lets the mm go. faultacct_mm_counter() is what
 * /proc shows; _raw() is the counter itself, negative on 6.1 while a
 * thread's cache holds what an unmap took from it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define FAULTACCT_RSS_PERCPU	1
static inline unsigned long faultacct_mm_counter(struct mm_struct *mm,
						 int member)
{
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
}

static inline s64 faultacct_mm_counter_raw(struct mm_struct *mm, int member)
{
	return percpu_counter_sum(&mm->rss_stat[member]);
}

static inline s64 faultacct_task_rss_cache(struct task_struct *t, int member)
{
	return 0;
}
#else
static inline unsigned long faultacct_mm_counter(struct mm_struct *mm,
						 int member)
{
	return get_mm_counter(mm, member);
}

static inline s64 faultacct_mm_counter_raw(struct mm_struct *mm, int member)
{
	return atomic_long_read(&mm->rss_stat.count[member]);
}

static inline s64 faultacct_task_rss_cache(struct task_struct *t, int member)
{
	return READ_ONCE(t->rss_stat.count[member]);
}
#endif

/*
 * The fault path maps folios (set_pte_range(), folio_add_*_rmap*()) from
 * 6.8 on, pages (do_set_pte(), page_add_*_rmap()) before; no macro marks
 * it. probes.c asserts the prototypes of whichever set this is.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define FAULTACCT_FOLIO_FAULT_PATH	1
#endif

/*
 * do_set_pmd() took the folio as a second argument, before the page, in
 * 7.x; the prototype itself is the feature test.
 */
#define FAULTACCT_SET_PMD_FOLIO						\
	__same_type(&do_set_pmd, vm_fault_t (*)(struct vm_fault *,	\
						struct folio *, struct page *))

/*
 * The task that owns @mm: the one whose process the mm's counters are
 * charged to. Only memcg keeps it; without it, the current task's own mm
 * is the only one known. Under RCU.
 */
static inline struct task_struct *faultacct_mm_owner(struct mm_struct *mm)
{
#ifdef CONFIG_MEMCG
	return rcu_dereference(mm->owner);
#else
	return current->mm == mm ? current : NULL;
#endif
}

/*
 * The registers an ftrace_ops callback gets, as pt_regs: with
 * DYNAMIC_FTRACE_WITH_ARGS the argument registers and the stack pointer are
 * filled in (x86). 6.12 hides the layout behind arch_ftrace_regs().
 */
#ifdef arch_ftrace_regs
#define faultacct_ftrace_regs(fregs)	(&arch_ftrace_regs(fregs)->regs)
#else
#define faultacct_ftrace_regs(fregs)	(&(fregs)->regs)
#endif

/*
 * An ftrace direct call: the function's fentry call goes straight to a
 * target of ours. 6.5 renamed the API for many functions per ops (the
 * _multi one) to the plain name, dropping the one-function API; no macro
 * marks it. Without DYNAMIC_FTRACE_WITH_DIRECT_CALLS it returns -ENODEV.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define faultacct_register_direct(ops, addr) \
	register_ftrace_direct(ops, addr)
#define faultacct_unregister_direct(ops, addr) \
	unregister_ftrace_direct(ops, addr, false)
#else
#define faultacct_register_direct(ops, addr) \
	register_ftrace_direct_multi(ops, addr)
#define faultacct_unregister_direct(ops, addr) \
	unregister_ftrace_direct_multi(ops, addr)
#endif

/*
 * For the direct calls' assembly (probes.c): the per-CPU preempt count and
 * current task, which 6.2 moved into struct pcpu_hot and 6.15 made plain
 * per-CPU variables again, in the cache-hot section that
 * DECLARE_PER_CPU_CACHE_HOT() marks (__preempt_count is then an unsigned
 * long: the assembly tests its low byte, the same on both). How per-CPU
 * data is addressed: relative to %rip where __percpu_rel says so.
 */
#if defined(DECLARE_PER_CPU_CACHE_HOT) || LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define faultacct_preempt_var	__preempt_count
#define faultacct_current_var	current_task
#else
#define faultacct_preempt_var	pcpu_hot.preempt_count
#define faultacct_current_var	pcpu_hot.current_task
#endif
#ifdef __percpu_rel
#define FA_PCPU_REL		"(%%rip)"
#else
#define FA_PCPU_REL		""
#endif

/*
 * Is a non-present PTE a real swap entry, not a migration, device-private,
 * device-exclusive, hwpoison or marker entry? 7.x decodes such PTEs as
 * "software leaf" entries (linux/leafops.h) instead of swapops.h's
 * non_swap_entry(). The header goes into probes.c by this name.
 */
#if __has_include(<linux/leafops.h>)
#define FAULTACCT_SWAP_HEADER		"linux/leafops.h"
#define faultacct_pte_is_swap(pte)	softleaf_is_swap(softleaf_from_pte(pte))
#else
#define FAULTACCT_SWAP_HEADER		"linux/swapops.h"
#define faultacct_pte_is_swap(pte)	(!non_swap_entry(pte_to_swp_entry(pte)))
#endif

#ifndef NL_SET_ERR_MSG_ATTR_FMT
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...) \
	NL_SET_ERR_MSG_ATTR(extack, attr, fmt)
#endif

#endif /* _FAULTACCT_COMPAT_H */
