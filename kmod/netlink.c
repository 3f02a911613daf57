// SPDX-License-Identifier: GPL-2.0
/*
 * The "faultacct" generic netlink family: GET, CONFIG, RESET and STATUS,
 * and the "stats" and "exit" multicast groups, sent from work items. The
 * protocol is described in include/uapi/linux/faultacct.h.
 */

#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <generated/utsrelease.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "faultacct.h"

/* exit rounds to wait for the last thread's RSS before sending anyway */
#define EXIT_DEFER_MAX	10

enum {
	GRP_STATS,
	GRP_EXIT,
};

static DEFINE_MUTEX(config_lock);

/* The flags that need every fault bracketed by the return probe. */
#define BRACKET_FLAGS	(FAULTACCT_CONFIG_F_LATENCY | \
			 FAULTACCT_CONFIG_F_OUTCOMES)
static struct workqueue_struct *faultacct_wq;
static struct delayed_work stats_work;
static struct delayed_work exit_work;
static struct llist_node *exit_held;	/* exit work only */
static bool stopping;
static atomic64_t seq[2];
static atomic64_t msgs_sent;
static atomic64_t msgs_dropped;

static struct genl_family faultacct_family;

static const struct nla_policy get_policy[FAULTACCT_A_MAX + 1] = {
	[FAULTACCT_A_TGID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* nla_policy's own min and max are s16: too small for 60000 (not const for 6.1) */
static struct netlink_range_validation interval_range = {
	.min = FAULTACCT_INTERVAL_MIN_MS,
	.max = FAULTACCT_INTERVAL_MAX_MS,
};

static const struct nla_policy config_nest_policy[FAULTACCT_CONFIG_MAX + 1] = {
	[FAULTACCT_CONFIG_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[FAULTACCT_CONFIG_FILTER_MODE] =
		NLA_POLICY_MAX(NLA_U32, FAULTACCT_FILTER_MAX),
	[FAULTACCT_CONFIG_FILTER_TGID] = NLA_POLICY_MIN(NLA_U32, 1),
	[FAULTACCT_CONFIG_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &interval_range),
	[FAULTACCT_CONFIG_FLAGS] =
		NLA_POLICY_MASK(NLA_U32, FAULTACCT_CONFIG_F_ALL),
};

static const struct nla_policy config_policy[FAULTACCT_A_MAX + 1] = {
	[FAULTACCT_A_CONFIG] = NLA_POLICY_NESTED(config_nest_policy),
};

static const struct nla_policy reset_policy[FAULTACCT_A_MAX + 1] = {
	[FAULTACCT_A_TGID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* STATUS takes no attribute: all are refused */
static const struct nla_policy status_policy[FAULTACCT_A_MAX + 1] = {
};

static int put_u64s(struct sk_buff *skb, int nest_type, int first, int pad,
		    const u64 *vals, int n)
{
	struct nlattr *nest = nla_nest_start(skb, nest_type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (nla_put_u64_64bit(skb, first + i, vals[i], pad))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The sites of @first (FA_SITE_CH or _UN) that moved any page. */
static int put_sites(struct sk_buff *skb, int nest_type, const u64 *ctr,
		     int first)
{
	struct nlattr *nest = nla_nest_start(skb, nest_type);
	const u64 *v;
	int s;

	if (!nest)
		return -EMSGSIZE;
	for (s = 0; s < FA_NR_SITE; s++) {
		v = &ctr[first + s * FA_NR_RSS];
		if (!(v[FA_ANON] | v[FA_FILE] | v[FA_SHMEM]))
			continue;
		if (put_u64s(skb, FAULTACCT_SITE_FORK + s,
			     FAULTACCT_COUNTER_ANON, FAULTACCT_COUNTER_PAD, v,
			     FA_NR_RSS))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int put_unexplained(struct sk_buff *skb, const u64 *ctr,
			   const u64 *rss)
{
	struct faultacct_balance b;
	struct nlattr *nest;
	int i;

	faultacct_balance(ctr, rss, &b);
	nest = nla_nest_start(skb, FAULTACCT_PROC_UNEXPLAINED);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < FA_NR_RSS; i++) {
		if (nla_put_s64(skb, FAULTACCT_BALANCE_ANON + i,
				b.unexplained[i], FAULTACCT_BALANCE_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Nothing while latency is off. Under RCU. */
static int put_latency(struct sk_buff *skb, const struct faultacct_proc *p)
{
	const struct faultacct_lat *lat = faultacct_lat_of(p);
	struct nlattr *nest, *bucket;
	int i;

	if (!lat)
		return 0;
	nest = nla_nest_start(skb, FAULTACCT_PROC_LATENCY);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, FAULTACCT_LATENCY_COUNT,
			      atomic64_read(&lat->count),
			      FAULTACCT_LATENCY_PAD) ||
	    nla_put_u64_64bit(skb, FAULTACCT_LATENCY_SUM_NS,
			      atomic64_read(&lat->sum), FAULTACCT_LATENCY_PAD) ||
	    nla_put_u64_64bit(skb, FAULTACCT_LATENCY_MAX_NS,
			      atomic64_read(&lat->max), FAULTACCT_LATENCY_PAD))
		goto cancel;
	for (i = 0; i < FA_LAT_BUCKETS; i++) {
		u32 count = atomic_read(&lat->bucket[i]);

		if (!count)
			continue;
		bucket = nla_nest_start(skb, FAULTACCT_LATENCY_BUCKET);
		if (!bucket ||
		    nla_put_u32(skb, FAULTACCT_BUCKET_LOG2, i) ||
		    nla_put_u64_64bit(skb, FAULTACCT_BUCKET_COUNT, count,
				      FAULTACCT_BUCKET_PAD))
			goto cancel;
		nla_nest_end(skb, bucket);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * The RSS counters and the name of the live process @p, from any of its
 * threads that still has the mm (the leader may be a zombie while other
 * threads run). Under RCU.
 */
static bool read_live(const struct faultacct_proc *p, u64 *rss, char *comm,
		      bool *shared)
{
	struct task_struct *leader = faultacct_leader(p), *t;
	bool found = false;

	if (!leader)
		return false;
	for_each_thread(leader, t) {
		struct mm_struct *mm;

		task_lock(t);
		mm = t->mm;
		if (mm) {
			rss[FA_ANON] = faultacct_mm_counter(mm, MM_ANONPAGES);
			rss[FA_FILE] = faultacct_mm_counter(mm, MM_FILEPAGES);
			rss[FA_SHMEM] = faultacct_mm_counter(mm,
							     MM_SHMEMPAGES);
			memcpy(comm, leader->comm, TASK_COMM_LEN);
			*shared = faultacct_mm_owner(mm) &&
				  faultacct_mm_owner(mm)->tgid != p->tgid;
			found = true;
		}
		task_unlock(t);
		if (found)
			break;
	}
	return found;
}

/* Under RCU. */
static int fill_proc(struct sk_buff *skb, const struct faultacct_proc *p)
{
	bool exited = atomic_read(&p->state) == FA_EXITED;
	u64 ctr[FA_NR_CTR], rss[FA_NR_RSS], owned[FA_NR_RSS] = { };
	char comm[TASK_COMM_LEN];
	struct nlattr *nest;
	bool have_rss, shared = false;
	int i, ret;

	for (i = 0; i < FA_NR_CTR; i++)
		ctr[i] = atomic64_read(&p->ctr[i]);
	faultacct_proc_faults(p, &ctr[FA_MINOR], &ctr[FA_MAJOR]);
	ctr[FA_TOTAL] = ctr[FA_MINOR] + ctr[FA_MAJOR] + ctr[FA_RETRY] +
			ctr[FA_ERROR];
	memcpy(comm, p->comm, sizeof(comm));
	if (exited) {
		for (i = 0; i < FA_NR_RSS; i++)
			rss[i] = p->rss[i];
		shared = p->shared_mm;
		have_rss = true;
	} else {
		have_rss = read_live(p, rss, comm, &shared);
	}
	/* a vfork() child's pages are its parent's: the balance is with 0 */
	if (!shared)
		memcpy(owned, rss, sizeof(owned));
	comm[sizeof(comm) - 1] = '\0';

	nest = nla_nest_start(skb, FAULTACCT_A_PROC);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, FAULTACCT_PROC_TGID, p->tgid) ||
	    nla_put_u32(skb, FAULTACCT_PROC_PPID, p->ppid) ||
	    nla_put_u64_64bit(skb, FAULTACCT_PROC_START_TIME_NS, p->start_ns,
			      FAULTACCT_PROC_PAD) ||
	    nla_put_string(skb, FAULTACCT_PROC_COMM, comm) ||
	    nla_put_u32(skb, FAULTACCT_PROC_UID, p->uid))
		goto cancel;
	if (exited &&
	    (nla_put_flag(skb, FAULTACCT_PROC_EXITED) ||
	     nla_put_u32(skb, FAULTACCT_PROC_EXIT_CODE, p->exit_code)))
		goto cancel;
	/* retry and error are only counted while faults are bracketed */
	if (put_u64s(skb, FAULTACCT_PROC_FAULTS, FAULTACCT_FAULTS_TOTAL,
		     FAULTACCT_FAULTS_PAD, &ctr[FA_TOTAL],
		     READ_ONCE(faultacct_config_flags) & BRACKET_FLAGS ?
		     5 : 3) ||
	    put_u64s(skb, FAULTACCT_PROC_PAGES, FAULTACCT_COUNTER_ANON,
		     FAULTACCT_COUNTER_PAD, &ctr[FA_PAGES], FA_NR_RSS) ||
	    put_u64s(skb, FAULTACCT_PROC_UNCHARGED, FAULTACCT_COUNTER_ANON,
		     FAULTACCT_COUNTER_PAD, &ctr[FA_UNCHARGED], FA_NR_RSS) ||
	    put_u64s(skb, FAULTACCT_PROC_CAUSE, FAULTACCT_CAUSE_ANON,
		     FAULTACCT_CAUSE_PAD, &ctr[FA_CAUSE], FA_NR_CAUSE) ||
	    nla_put_u64_64bit(skb, FAULTACCT_PROC_REMOTE, ctr[FA_REMOTE],
			      FAULTACCT_PROC_PAD) ||
	    put_u64s(skb, FAULTACCT_PROC_OPENING, FAULTACCT_COUNTER_ANON,
		     FAULTACCT_COUNTER_PAD, &ctr[FA_OPENING], FA_NR_RSS) ||
	    put_sites(skb, FAULTACCT_PROC_SITE_CHARGED, ctr, FA_SITE_CH) ||
	    put_sites(skb, FAULTACCT_PROC_SITE_UNCHARGED, ctr, FA_SITE_UN))
		goto cancel;
	rcu_read_lock();
	ret = put_latency(skb, p);
	rcu_read_unlock();
	if (ret)
		goto cancel;
	if (have_rss &&
	    (put_u64s(skb, FAULTACCT_PROC_RSS, FAULTACCT_COUNTER_ANON,
		      FAULTACCT_COUNTER_PAD, rss, FA_NR_RSS) ||
	     put_unexplained(skb, ctr, owned)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int fill_config(struct sk_buff *skb)
{
	const struct faultacct_filter_conf *f;
	struct nlattr *nest;
	int ret = -EMSGSIZE;
	u32 i;

	nest = nla_nest_start(skb, FAULTACCT_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	f = rcu_dereference(faultacct_filter_conf);
	if (nla_put_u8(skb, FAULTACCT_CONFIG_ENABLED,
		       READ_ONCE(faultacct_enabled)) ||
	    nla_put_u32(skb, FAULTACCT_CONFIG_FILTER_MODE, f->mode))
		goto out;
	for (i = 0; i < f->ntgids; i++) {
		if (nla_put_u32(skb, FAULTACCT_CONFIG_FILTER_TGID,
				f->tgids[i]))
			goto out;
	}
	if (nla_put_u32(skb, FAULTACCT_CONFIG_INTERVAL_MS,
			READ_ONCE(faultacct_interval_ms)) ||
	    nla_put_u32(skb, FAULTACCT_CONFIG_FLAGS,
			READ_ONCE(faultacct_config_flags)))
		goto out;
	ret = 0;
out:
	rcu_read_unlock();
	if (ret)
		nla_nest_cancel(skb, nest);
	else
		nla_nest_end(skb, nest);
	return ret;
}

static int get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct faultacct_proc *p;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, FAULTACCT_A_TGID))
		return -EINVAL;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &faultacct_family, 0,
				FAULTACCT_CMD_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err;
	}
	rcu_read_lock();
	p = faultacct_lookup_tgid(nla_get_u32(info->attrs[FAULTACCT_A_TGID]));
	ret = p ? fill_proc(msg, p) : -ENOENT;
	rcu_read_unlock();
	if (ret == -ENOENT) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[FAULTACCT_A_TGID],
				    "process not tracked");
		goto err;
	}
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

static int get_start(struct netlink_callback *cb)
{
	cb->args[0] = 0;
	return 0;
}

static int get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int idx = cb->args[0];
	struct faultacct_proc *p;
	int state, ret = 0;
	void *hdr;

	cb->seq = faultacct_generation();
	rcu_read_lock();
	for (; (p = faultacct_slot(idx)); idx++) {
		state = atomic_read_acquire(&p->state);
		if (state != FA_LIVE && state != FA_EXITED)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &faultacct_family,
				  NLM_F_MULTI, FAULTACCT_CMD_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		ret = fill_proc(skb, p);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	/* a record that does not fit an empty message would loop forever */
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int get_done(struct netlink_callback *cb)
{
	return 0;
}

static int track_listed(const struct faultacct_filter_conf *f)
{
	struct task_struct *task;
	u32 i;

	rcu_read_lock();
	for (i = 0; i < f->ntgids; i++) {
		task = pid_task(find_pid_ns(f->tgids[i], &init_pid_ns),
				PIDTYPE_TGID);
		if (!task || (task->flags & PF_KTHREAD))
			continue;
		faultacct_track(task, rcu_dereference(task->real_parent)->tgid,
				NULL, false);
	}
	rcu_read_unlock();
	return 0;
}

/* Under config_lock: put @f in force, dropping what it leaves out. */
static void set_filter(struct faultacct_filter_conf *f)
{
	struct faultacct_filter_conf *old;
	struct faultacct_proc *p;
	unsigned int idx;

	old = rcu_replace_pointer(faultacct_filter_conf, f,
				  lockdep_is_held(&config_lock));
	faultacct_lookups_changed();

	if (f->mode != FAULTACCT_FILTER_ALL) {
		for (idx = 0; (p = faultacct_slot(idx)); idx++) {
			if (atomic_read(&p->state) == FA_LIVE &&
			    !faultacct_filter_has(f, p->tgid))
				faultacct_untrack(p);
		}
		track_listed(f);
	} else if (old->mode != FAULTACCT_FILTER_ALL) {
		faultacct_track_all();
	}
	kfree_rcu(old, rcu);
	faultacct_kick_exits();
}

static int config_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[FAULTACCT_CONFIG_MAX + 1];
	struct nlattr *conf = info->attrs[FAULTACCT_A_CONFIG];
	struct faultacct_filter_conf *f = NULL;
	const struct faultacct_filter_conf *cur;
	struct sk_buff *msg;
	struct nlattr *attr;
	void *hdr;
	int rem, ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&config_lock);
	if (conf) {
		ret = nla_parse_nested(tb, FAULTACCT_CONFIG_MAX, conf,
				       config_nest_policy, info->extack);
		if (ret)
			goto err;
	} else {
		memset(tb, 0, sizeof(tb));
	}

	if (tb[FAULTACCT_CONFIG_FILTER_MODE] ||
	    tb[FAULTACCT_CONFIG_FILTER_TGID]) {
		f = kzalloc(sizeof(*f), GFP_KERNEL);
		if (!f) {
			ret = -ENOMEM;
			goto err;
		}
		cur = rcu_dereference_protected(faultacct_filter_conf,
						lockdep_is_held(&config_lock));
		*f = *cur;
		if (tb[FAULTACCT_CONFIG_FILTER_MODE])
			f->mode = nla_get_u32(tb[FAULTACCT_CONFIG_FILTER_MODE]);
		/* FILTER_ALL has no list: one left over would come back */
		if (f->mode == FAULTACCT_FILTER_ALL) {
			f->ntgids = 0;
			if (tb[FAULTACCT_CONFIG_FILTER_TGID]) {
				NL_SET_ERR_MSG_ATTR(info->extack,
						    tb[FAULTACCT_CONFIG_FILTER_TGID],
						    "a tgid list needs filter mode tgids or tree");
				ret = -EINVAL;
				goto err;
			}
		} else if (tb[FAULTACCT_CONFIG_FILTER_TGID]) {
			f->ntgids = 0;
			nla_for_each_nested(attr, conf, rem) {
				if (nla_type(attr) !=
				    FAULTACCT_CONFIG_FILTER_TGID)
					continue;
				if (f->ntgids == FAULTACCT_FILTER_MAX_TGIDS) {
					NL_SET_ERR_MSG_ATTR(info->extack, attr,
							    "too many tgids");
					ret = -E2BIG;
					goto err;
				}
				f->tgids[f->ntgids++] = nla_get_u32(attr);
			}
		}
	}

	if (tb[FAULTACCT_CONFIG_ENABLED]) {
		ret = faultacct_set_enabled(nla_get_u8(tb[FAULTACCT_CONFIG_ENABLED]));
		if (ret) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[FAULTACCT_CONFIG_ENABLED],
					    "cannot arm or disarm every probe (see the kernel log)");
			goto err;
		}
	}
	if (tb[FAULTACCT_CONFIG_FLAGS]) {
		u32 flags = nla_get_u32(tb[FAULTACCT_CONFIG_FLAGS]);
		bool lat = flags & FAULTACCT_CONFIG_F_LATENCY;

		/* the table exists before faults use it, and after */
		if (lat) {
			ret = faultacct_set_latency(true);
			if (ret) {
				NL_SET_ERR_MSG_ATTR(info->extack,
						    tb[FAULTACCT_CONFIG_FLAGS],
						    "no memory for the latency table");
				goto err;
			}
		}
		WRITE_ONCE(faultacct_config_flags, flags);
		if (!lat)
			faultacct_set_latency(false);
		ret = faultacct_set_bracket(flags & BRACKET_FLAGS);
		if (ret) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[FAULTACCT_CONFIG_FLAGS],
					    "cannot arm or disarm the handle_mm_fault probe (see the kernel log)");
			goto err;
		}
	}
	if (tb[FAULTACCT_CONFIG_INTERVAL_MS]) {
		WRITE_ONCE(faultacct_interval_ms,
			   nla_get_u32(tb[FAULTACCT_CONFIG_INTERVAL_MS]));
		faultacct_reschedule_stats();
	}
	if (f) {
		set_filter(f);
		f = NULL;
	}

	hdr = genlmsg_put_reply(msg, info, &faultacct_family, 0,
				FAULTACCT_CMD_CONFIG);
	if (!hdr || fill_config(msg)) {
		ret = -EMSGSIZE;
		goto err;
	}
	mutex_unlock(&config_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	mutex_unlock(&config_lock);
	kfree(f);
	nlmsg_free(msg);
	return ret;
}

static int reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tgid = info->attrs[FAULTACCT_A_TGID];
	struct faultacct_proc *p;
	unsigned int idx;
	int ret = 0;

	rcu_read_lock();
	if (tgid) {
		p = faultacct_lookup_tgid(nla_get_u32(tgid));
		if (p) {
			faultacct_proc_reset(p);
		} else {
			NL_SET_ERR_MSG_ATTR(info->extack, tgid,
					    "process not tracked");
			ret = -ENOENT;
		}
	} else {
		for (idx = 0; (p = faultacct_slot(idx)); idx++) {
			int state = atomic_read(&p->state);

			if (state == FA_LIVE || state == FA_EXITED)
				faultacct_proc_reset(p);
		}
	}
	rcu_read_unlock();
	return ret;
}

static int fill_status(struct sk_buff *skb)
{
	struct faultacct_probe_info pi;
	struct nlattr *nest, *probe;
	unsigned int i;

	nest = nla_nest_start(skb, FAULTACCT_A_STATUS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, FAULTACCT_STATUS_VERSION, FAULTACCT_VERSION) ||
	    nla_put_string(skb, FAULTACCT_STATUS_RELEASE, UTS_RELEASE) ||
	    nla_put_u32(skb, FAULTACCT_STATUS_PAGE_SIZE, PAGE_SIZE) ||
	    nla_put_u32(skb, FAULTACCT_STATUS_TABLE_SIZE,
			faultacct_max_procs) ||
	    nla_put_u32(skb, FAULTACCT_STATUS_TABLE_USED, faultacct_used()) ||
	    nla_put_u64_64bit(skb, FAULTACCT_STATUS_TABLE_OVERFLOW,
			      atomic64_read(&faultacct_overflow),
			      FAULTACCT_STATUS_PAD) ||
	    nla_put_u32(skb, FAULTACCT_STATUS_BYTES_PER_PROC,
			faultacct_bytes_per_proc()) ||
	    nla_put_u64_64bit(skb, FAULTACCT_STATUS_MSGS_SENT,
			      atomic64_read(&msgs_sent),
			      FAULTACCT_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, FAULTACCT_STATUS_MSGS_DROPPED,
			      atomic64_read(&msgs_dropped),
			      FAULTACCT_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, FAULTACCT_STATUS_UNBALANCED,
			      atomic64_read(&faultacct_unbalanced),
			      FAULTACCT_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, FAULTACCT_STATUS_UNBALANCED_PAGES,
			      atomic64_read(&faultacct_unbalanced_pages),
			      FAULTACCT_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, FAULTACCT_STATUS_UNTRACKED_FAULTS,
			      atomic64_read(&faultacct_untracked),
			      FAULTACCT_STATUS_PAD))
		goto cancel;
	for (i = 0; i < faultacct_probe_count(); i++) {
		faultacct_probe_info(i, &pi);
		probe = nla_nest_start(skb, FAULTACCT_STATUS_PROBE);
		if (!probe ||
		    nla_put_string(skb, FAULTACCT_PROBE_SYMBOL, pi.symbol) ||
		    nla_put_u32(skb, FAULTACCT_PROBE_KIND, pi.kind) ||
		    nla_put_u32(skb, FAULTACCT_PROBE_PLACEMENT, pi.placement) ||
		    nla_put_u64_64bit(skb, FAULTACCT_PROBE_HITS, pi.hits,
				      FAULTACCT_PROBE_PAD) ||
		    nla_put_u64_64bit(skb, FAULTACCT_PROBE_NMISSED, pi.nmissed,
				      FAULTACCT_PROBE_PAD) ||
		    (pi.disarmed && nla_put_flag(skb, FAULTACCT_PROBE_DISARMED)))
			goto cancel;
		nla_nest_end(skb, probe);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &faultacct_family, 0,
				FAULTACCT_CMD_STATUS);
	if (!hdr || fill_status(msg) || fill_config(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static const struct genl_ops faultacct_ops[] = {
	{
		.cmd = FAULTACCT_CMD_GET,
		.doit = get_doit,
		.start = get_start,
		.dumpit = get_dumpit,
		.done = get_done,
		.policy = get_policy,
		.maxattr = FAULTACCT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FAULTACCT_CMD_CONFIG,
		.doit = config_doit,
		.policy = config_policy,
		.maxattr = FAULTACCT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FAULTACCT_CMD_RESET,
		.doit = reset_doit,
		.policy = reset_policy,
		.maxattr = FAULTACCT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FAULTACCT_CMD_STATUS,
		.doit = status_doit,
		.policy = status_policy,
		.maxattr = FAULTACCT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group faultacct_mcgrps[] = {
	[GRP_STATS] = { .name = FAULTACCT_MCGRP_STATS,
			.flags = GENL_MCAST_CAP_NET_ADMIN },
	[GRP_EXIT] = { .name = FAULTACCT_MCGRP_EXIT,
		       .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family faultacct_family __ro_after_init = {
	.name = FAULTACCT_GENL_NAME,
	.version = FAULTACCT_GENL_VERSION,
	.maxattr = FAULTACCT_A_MAX,
	.netnsok = false,
	.resv_start_op = 0,
	.module = THIS_MODULE,
	.ops = faultacct_ops,
	.n_ops = ARRAY_SIZE(faultacct_ops),
	.mcgrps = faultacct_mcgrps,
	.n_mcgrps = ARRAY_SIZE(faultacct_mcgrps),
};

static bool has_listeners(unsigned int group)
{
	return genl_has_listeners(&faultacct_family, &init_net, group);
}

/*
 * A new message for @group, with its sequence number. The number is taken
 * even when there is no memory for the message, so listeners see the gap.
 */
static struct sk_buff *ntf_new(unsigned int group, u8 cmd, void **hdr)
{
	u64 n = atomic64_inc_return(&seq[group]);
	struct sk_buff *skb;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		goto drop;
	*hdr = genlmsg_put(skb, 0, 0, &faultacct_family, 0, cmd);
	if (!*hdr ||
	    nla_put_u64_64bit(skb, FAULTACCT_A_SEQ, n, FAULTACCT_A_PAD) ||
	    nla_put_u64_64bit(skb, FAULTACCT_A_TIMESTAMP_NS,
			      ktime_get_boottime_ns(), FAULTACCT_A_PAD)) {
		nlmsg_free(skb);
		goto drop;
	}
	return skb;
drop:
	atomic64_inc(&msgs_dropped);
	return NULL;
}

static void ntf_send(unsigned int group, struct sk_buff *skb, void *hdr)
{
	int ret;

	genlmsg_end(skb, hdr);
	ret = genlmsg_multicast(&faultacct_family, skb, 0, group, GFP_KERNEL);
	if (!ret)
		atomic64_inc(&msgs_sent);
	else if (ret != -ESRCH)
		atomic64_inc(&msgs_dropped);
}

/* @p's record, if it is still live; under RCU, as reuse waits for it. */
static int fill_live(struct sk_buff *skb, struct faultacct_proc *p)
{
	int ret = 0;

	rcu_read_lock();
	if (atomic_read_acquire(&p->state) == FA_LIVE)
		ret = fill_proc(skb, p);
	rcu_read_unlock();
	return ret;
}

/*
 * Every interval: the processes whose counters changed. Messages are
 * allocated and sent outside RCU, as both may sleep; slots are never
 * freed, so a slot pointer stays good and fill_live() checks what it holds.
 */
static void stats_fn(struct work_struct *work)
{
	bool listen = has_listeners(GRP_STATS);
	struct sk_buff *skb = NULL;
	struct faultacct_proc *p;
	unsigned int idx;
	void *hdr = NULL;

	if (READ_ONCE(stopping))
		return;

	for (idx = 0; (p = faultacct_slot(idx)); idx++) {
		if (atomic_read_acquire(&p->state) != FA_LIVE ||
		    !READ_ONCE(p->dirty))
			continue;
		WRITE_ONCE(p->dirty, 0);
		/* what changes from now on is seen next time */
		smp_mb();
		if (!listen)
			continue;
		if (!skb) {
			skb = ntf_new(GRP_STATS, FAULTACCT_CMD_STATS_NTF, &hdr);
			if (!skb)
				continue;
		}
		if (fill_live(skb, p)) {
			ntf_send(GRP_STATS, skb, hdr);
			skb = ntf_new(GRP_STATS, FAULTACCT_CMD_STATS_NTF, &hdr);
			if (skb && fill_live(skb, p)) {
				nlmsg_free(skb);
				skb = NULL;
			}
		}
		cond_resched();
	}
	if (skb)
		ntf_send(GRP_STATS, skb, hdr);

	queue_delayed_work(faultacct_wq, &stats_work,
			   msecs_to_jiffies(READ_ONCE(faultacct_interval_ms)));
}

static void send_exit(struct faultacct_proc *p)
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	skb = ntf_new(GRP_EXIT, FAULTACCT_CMD_EXIT_NTF, &hdr);
	if (!skb)
		return;
	rcu_read_lock();
	ret = fill_proc(skb, p);
	rcu_read_unlock();
	if (ret) {
		nlmsg_free(skb);
		atomic64_inc(&msgs_dropped);
		return;
	}
	ntf_send(GRP_EXIT, skb, hdr);
}

/* Send @p's exit record and let it go; or hold it for a later round. */
static bool exit_one(struct faultacct_proc *p, bool listen)
{
	/* listened to or not: the balance wants the final RSS */
	if (!READ_ONCE(stopping) && !READ_ONCE(p->final_rss) &&
	    p->defer < EXIT_DEFER_MAX) {
		p->defer++;
		return false;
	}
	if (READ_ONCE(p->final_rss))
		faultacct_exit_balanced(p);
	if (listen)
		send_exit(p);
	faultacct_reap(p);
	return true;
}

/*
 * Exit records, as soon as processes exit. A record waits a little for
 * the process's last thread to let the mm go, so that its RSS is the final
 * one; records keep the order of the exits.
 */
static void exit_fn(struct work_struct *work)
{
	bool listen = !READ_ONCE(stopping) && has_listeners(GRP_EXIT);
	struct llist_node *lists[2] = { exit_held, faultacct_take_exits() };
	struct llist_node *node, *next, **tail = &exit_held;
	int i;

	exit_held = NULL;
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		for (node = lists[i]; node; node = next) {
			next = node->next;
			if (exit_one(llist_entry(node, struct faultacct_proc,
						 qnode), listen))
				continue;
			node->next = NULL;
			*tail = node;
			tail = &node->next;
		}
	}
	if ((faultacct_reap_poll() || exit_held) && !READ_ONCE(stopping))
		queue_delayed_work(faultacct_wq, &exit_work, 1);
}

void faultacct_kick_exits(void)
{
	if (!READ_ONCE(stopping))
		mod_delayed_work(faultacct_wq, &exit_work, 0);
}

void faultacct_reschedule_stats(void)
{
	if (!READ_ONCE(stopping))
		mod_delayed_work(faultacct_wq, &stats_work,
				 msecs_to_jiffies(READ_ONCE(faultacct_interval_ms)));
}

int faultacct_netlink_init(void)
{
	int ret;

	faultacct_wq = alloc_ordered_workqueue("faultacct", 0);
	if (!faultacct_wq)
		return -ENOMEM;
	INIT_DELAYED_WORK(&stats_work, stats_fn);
	INIT_DELAYED_WORK(&exit_work, exit_fn);

	ret = genl_register_family(&faultacct_family);
	if (ret)
		goto err_wq;
	queue_delayed_work(faultacct_wq, &stats_work,
			   msecs_to_jiffies(faultacct_interval_ms));
	return 0;

err_wq:
	destroy_workqueue(faultacct_wq);
	return ret;
}

/* After the probes are gone: nothing queues exits any more. */
void faultacct_netlink_exit(void)
{
	WRITE_ONCE(stopping, true);
	cancel_delayed_work_sync(&stats_work);
	cancel_delayed_work_sync(&exit_work);
	/* waits for the ops in flight; none starts after it */
	genl_unregister_family(&faultacct_family);
	/*
	 * An op that read stopping before it was set may have armed a work
	 * again after the cancels above; destroy_workqueue() would not wait
	 * for its timer.
	 */
	cancel_delayed_work_sync(&stats_work);
	cancel_delayed_work_sync(&exit_work);
	destroy_workqueue(faultacct_wq);
}
