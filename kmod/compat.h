/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels faultacct builds for (6.1 and 6.12)
 * lives here. Kbuild force-includes this file, so the other files read like
 * code for one kernel. Features are probed with #ifdef; a version number is
 * used only where the kernel gives nothing else to test.
 */

#ifndef _FAULTACCT_COMPAT_H
#define _FAULTACCT_COMPAT_H

/* First, before any header can define its own default. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/version.h>
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

/*
 * The kretprobe instance of the current task for @rp, if the task is inside
 * the probed function: the fault path's inner probes find the state of the
 * fault they belong to this way. Only the task itself adds and removes its
 * instances, so it may walk its own list without a lock.
 */
#ifdef CONFIG_KRETPROBE_ON_RETHOOK
static __always_inline void *faultacct_kretprobe_data(struct kretprobe *rp)
{
	struct rethook *rh = READ_ONCE(rp->rh);
	struct llist_node *node;

	for (node = current->rethooks.first; node; node = node->next) {
		struct rethook_node *rhn =
			container_of(node, struct rethook_node, llist);

		if (rhn->rethook == rh)
			return container_of(rhn, struct kretprobe_instance,
					    node)->data;
	}
	return NULL;
}
#else
static __always_inline void *faultacct_kretprobe_data(struct kretprobe *rp)
{
	struct llist_node *node;

	for (node = current->kretprobe_instances.first; node;
	     node = node->next) {
		struct kretprobe_instance *ri =
			container_of(node, struct kretprobe_instance, llist);

		if (get_kretprobe(ri) == rp)
			return ri->data;
	}
	return NULL;
}
#endif

/*
 * An mm's RSS counter, exactly. 6.2 made mm->rss_stat per-CPU counters
 * (no feature macro marks it); before, it is an atomic, kept exact at exit
 * by sync_mm_rss() (SPLIT_RSS_COUNTING).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static inline unsigned long faultacct_mm_counter(struct mm_struct *mm,
						 int member)
{
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
}
#else
static inline unsigned long faultacct_mm_counter(struct mm_struct *mm,
						 int member)
{
	return get_mm_counter(mm, member);
}
#endif

#ifndef NL_SET_ERR_MSG_ATTR_FMT
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...) \
	NL_SET_ERR_MSG_ATTR(extack, attr, fmt)
#endif

#endif /* _FAULTACCT_COMPAT_H */
