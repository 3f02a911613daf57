/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faultacct internals shared between main.c, table.c, probes.c, sites.c,
 * ledger.c and netlink.c.
 */

#ifndef _FAULTACCT_H
#define _FAULTACCT_H

#include <linux/atomic.h>
#include <linux/llist.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <uapi/linux/faultacct.h>

/*
 * What moved an RSS counter outside the fault path, as offsets in
 * FAULTACCT_SITE_*; the order of FAULTACCT_SITE_FORK... minus
 * FAULTACCT_SITE_FORK.
 */
enum faultacct_site {
	FA_S_FORK,		/* copy_pte_range(): the child's copy */
	FA_S_UNMAP,		/* zap_pte_range(): munmap, madvise, mremap, truncate */
	FA_S_EXIT,		/* the mm torn down while its owner is tracked */
	FA_S_EXEC,		/* the old mm given up by execve() */
	FA_S_RECLAIM,		/* try_to_unmap_one() */
	FA_S_MIGRATE,		/* try_to_migrate_one(), device migration */
	FA_S_KSM,		/* replace_page() */
	FA_S_COLLAPSE,		/* khugepaged, MADV_COLLAPSE */
	FA_S_UFFD,		/* userfaultfd fills */
	FA_S_SWAPOFF,		/* unuse_pte() */
	FA_S_INSERT,		/* vm_insert_page() and friends */
	FA_S_OTHER,		/* uprobes, and any caller faultacct does not know */
	FA_NR_SITE,
	/* not sites: what faultacct_site_of() also says */
	FA_S_FAULT = FA_NR_SITE,	/* the fault path: the fault probes count it */
	FA_S_PMD,		/* do_set_pmd(): a fault, unless collapse calls it */
	FA_S_SKIP,		/* the rss_stat tracepoint's own code */
	FA_S_RMAP,		/* an rmap walker: its caller says (faultacct_site_up()) */
	FA_S_ANON_MAP,		/* 7.x map_anon_folio_*_nopf(): a fault's, unless collapse's */
};

/* Counters of one process, in the order of struct faultacct_proc::ctr. */
enum faultacct_ctr {
	FA_TOTAL,
	FA_MINOR,
	FA_MAJOR,
	FA_RETRY,
	FA_ERROR,
	FA_PAGES,			/* + FA_ANON/FA_FILE/FA_SHMEM */
	FA_UNCHARGED = FA_PAGES + 3,	/* + FA_ANON/FA_FILE/FA_SHMEM */
	FA_CAUSE = FA_UNCHARGED + 3,	/* + enum faultacct_cause */
	FA_REMOTE = FA_CAUSE + 8,	/* FA_NR_CAUSE: asserted below */
	/* the ledger (ledger.c): the counters when tracking began */
	FA_OPENING,			/* + FA_ANON/FA_FILE/FA_SHMEM */
	/* pages added and removed outside faults, by site */
	FA_SITE_CH = FA_OPENING + 3,	/* + site * 3 + FA_ANON/... */
	FA_SITE_UN = FA_SITE_CH + 3 * FA_NR_SITE,	/* likewise */
	FA_NR_CTR = FA_SITE_UN + 3 * FA_NR_SITE
};

/* The three RSS counters faultacct follows, as offsets in FA_PAGES... */
enum faultacct_rss {
	FA_ANON,
	FA_FILE,
	FA_SHMEM,
	FA_NR_RSS
};

/* Causes, as offsets from FA_CAUSE; FAULTACCT_CAUSE_* minus FAULTACCT_CAUSE_ANON. */
enum faultacct_cause {
	FA_C_ANON,
	FA_C_COW,
	FA_C_READ,
	FA_C_SHARED,
	FA_C_SWAPIN,
	FA_C_THP,
	FA_C_OTHER,
	FA_C_MTHP,
	FA_NR_CAUSE
};
static_assert(FA_REMOTE == FA_CAUSE + FA_NR_CAUSE);

/*
 * Latency buckets: bucket n counts 2^n <= t < 2^(n+1) ns; the last one also
 * holds anything longer (2^39 ns is more than 9 minutes).
 */
#define FA_LAT_BUCKETS	40

enum faultacct_proc_state {
	FA_FREE,	/* on the free stack */
	FA_LIVE,	/* tracked, in the hash */
	FA_EXITED,	/* exited, in the hash, exit record queued */
	FA_DEAD,	/* out of the hash, waiting for a grace period */
};

/*
 * One tracked process. Readers find it under RCU (the fault path) and a
 * slot is only reused after a grace period; @gen changes on every reuse so
 * that a fault which started before the process went can tell.
 */
struct faultacct_proc {
	struct hlist_node node;		/* in the tgid hash */
	struct llist_node qnode;	/* exit queue, then reap list */
	u32 tgid;
	u32 ppid;
	u32 uid;
	u32 exit_code;
	u64 start_ns;			/* CLOCK_BOOTTIME of the leader's start */
	u32 gen;
	atomic_t state;			/* enum faultacct_proc_state */
	char comm[TASK_COMM_LEN];
	u32 rss[FA_NR_RSS];		/* at exit: the mm's counters (pages) */
	/*
	 * Without per-CPU RSS counters (6.1), the mm's counters as last
	 * seen by the ledger: a change is the difference (ledger.c).
	 */
	atomic64_t rss_last[2][FA_NR_RSS];
	/*
	 * What rss_last[] is of: the process's mm, and the new one of an
	 * execve() in progress (or failed). Compared, never dereferenced.
	 */
	struct mm_struct *ledger_mm[2];
	u8 dirty;			/* changed since the last stats round */
	u8 defer;			/* exit rounds waited for final RSS */
	u8 final_rss;			/* rss[] taken as the mm's last user left */
	u8 shared_mm;			/* rss[] is another process's (vfork) */
	u8 final_faults;		/* ctr[FA_MINOR], [FA_MAJOR] are final */
	/*
	 * FA_MINOR and FA_MAJOR hold the kernel's per-task counts: minus
	 * the process's at the start, plus its final ones at exit
	 * (faultacct_proc_faults()). FA_TOTAL is not used.
	 */
	atomic64_t ctr[FA_NR_CTR];
};

/*
 * The fault latency of one process, in a table beside the slots (same
 * index) that exists only while FAULTACCT_CONFIG_F_LATENCY is on: latency
 * is opt-in, and costs neither time nor memory when off.
 */
struct faultacct_lat {
	atomic64_t count;
	atomic64_t sum;			/* ns */
	atomic64_t max;			/* ns */
	atomic_t bucket[FA_LAT_BUCKETS];
};

struct faultacct_filter_conf {
	struct rcu_head rcu;
	u32 mode;			/* enum faultacct_filter */
	u32 ntgids;
	u32 tgids[FAULTACCT_FILTER_MAX_TGIDS];
};

struct percpu_counter;

/* The sums of a process's ledger (ledger.c). */
struct faultacct_balance {
	s64 ledger[FA_NR_RSS];		/* opening + charged - uncharged */
	s64 unexplained[FA_NR_RSS];	/* the kernel's counters - ledger */
};

/* main.c */
extern bool faultacct_enabled;
extern unsigned int faultacct_max_procs;
extern int faultacct_maxactive;
extern bool faultacct_use_kprobes;
extern bool faultacct_use_direct;

/* table.c */
extern struct faultacct_filter_conf __rcu *faultacct_filter_conf;
extern u32 faultacct_config_flags;
extern u32 faultacct_interval_ms;
extern atomic64_t faultacct_overflow;
extern atomic64_t faultacct_untracked;
extern atomic_t faultacct_lookup_gen;

/*
 * Changes whenever a lookup that found no process may find one now: a
 * process tracked, the filter changed, accounting turned on. Pairs with
 * the acquire in the readers that cache a miss.
 */
static inline void faultacct_lookups_changed(void)
{
	smp_mb__before_atomic();
	atomic_inc(&faultacct_lookup_gen);
}

int faultacct_table_init(void);
void faultacct_table_exit(void);
struct faultacct_proc *faultacct_lookup(u32 tgid, u64 start_ns);
struct faultacct_proc *faultacct_lookup_tgid(u32 tgid);
struct faultacct_proc *faultacct_proc_of(struct task_struct *task,
					 struct mm_struct *lazy_mm);
struct faultacct_proc *faultacct_track(struct task_struct *task, u32 ppid,
					struct mm_struct *mm, bool forked);
void faultacct_track_all(void);
bool faultacct_filter_has(const struct faultacct_filter_conf *f, u32 tgid);
void faultacct_proc_reset(struct faultacct_proc *p);
struct task_struct *faultacct_leader(const struct faultacct_proc *p);
void faultacct_proc_faults(const struct faultacct_proc *p, u64 *minor,
			   u64 *major);
struct faultacct_lat *faultacct_lat_of(const struct faultacct_proc *p);
int faultacct_set_latency(bool on);
void faultacct_proc_exited(struct faultacct_proc *p, struct task_struct *tsk);
void faultacct_untrack(struct faultacct_proc *p);
struct faultacct_proc *faultacct_slot(unsigned int idx);
u32 faultacct_generation(void);
u32 faultacct_used(void);
u32 faultacct_bytes_per_proc(void);
struct llist_node *faultacct_take_exits(void);
void faultacct_reap(struct faultacct_proc *p);
bool faultacct_reap_poll(void);

/* probes.c */
struct faultacct_probe_info {
	const char *symbol;
	u32 kind;
	u32 placement;
	u64 hits;
	u64 nmissed;
	bool disarmed;
};

int faultacct_probes_init(void);
void faultacct_probes_exit(void);
int faultacct_set_enabled(bool on);
int faultacct_set_bracket(bool on);
unsigned int faultacct_probe_count(void);
void faultacct_probe_info(unsigned int i, struct faultacct_probe_info *info);
bool faultacct_pmd_collapsing(void);
bool faultacct_collapsing(void);
int faultacct_kretprobe_maxactive(void);

/* sites.c */
int faultacct_sites_init(void);
void faultacct_sites_arm(void);
void faultacct_sites_exit(void);
unsigned int faultacct_sites_calls(void);
u8 faultacct_site_of(unsigned long ip);
bool faultacct_fault_caller(unsigned long ip);
bool faultacct_site_present(u8 site);
u8 faultacct_site_up(void);

/* ledger.c */
extern atomic64_t faultacct_unbalanced;
extern atomic64_t faultacct_unbalanced_pages;
void faultacct_ledger_open(struct faultacct_proc *p, struct task_struct *task,
			   struct mm_struct *mm, bool forked);
void faultacct_ledger_close(struct faultacct_proc *p, struct mm_struct *mm,
			    bool owned);
void faultacct_rss_add(struct percpu_counter *fbc, s64 amount, u8 site);
void faultacct_ledger_direct(struct mm_struct *mm, int member, long delta,
			     u8 site);
void faultacct_rss_changed(struct mm_struct *mm, int member,
			   unsigned long ip);
void faultacct_balance(const u64 *ctr, const u64 *rss,
		       struct faultacct_balance *b);
void faultacct_exit_balanced(const struct faultacct_proc *p);

/* netlink.c */
int faultacct_netlink_init(void);
void faultacct_netlink_exit(void);
void faultacct_kick_exits(void);
void faultacct_reschedule_stats(void);

static inline void faultacct_add(struct faultacct_proc *p,
				 enum faultacct_ctr c, long n)
{
	atomic64_add(n, &p->ctr[c]);
}

static inline void faultacct_mark_dirty(struct faultacct_proc *p)
{
	if (!READ_ONCE(p->dirty))
		WRITE_ONCE(p->dirty, 1);
}

#endif /* _FAULTACCT_H */
