// SPDX-License-Identifier: GPL-2.0
/*
 * The table of tracked processes.
 *
 * All slots are allocated at load time; nothing is allocated afterwards.
 * A process is named by its tgid and the boot time at which its thread
 * group leader started, so a recycled pid never merges with a dead
 * process. The fault path looks processes up under RCU without a lock;
 * adding and removing take one raw spinlock, which is never held long and
 * never around anything that sleeps. A slot leaves the hash, waits for a
 * grace period, and only then returns to the free stack.
 */

#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/vmalloc.h>

#include "faultacct.h"

struct faultacct_filter_conf __rcu *faultacct_filter_conf;
u32 faultacct_config_flags;
u32 faultacct_interval_ms = 1000;
atomic64_t faultacct_overflow;
atomic64_t faultacct_untracked;

static struct faultacct_proc *slots;
static struct faultacct_lat __rcu *lat_table;	/* while latency is on */
static struct hlist_head *buckets;
static unsigned int hash_bits;
static u32 *free_stack;
static unsigned int free_top;
/*
 * One past the highest slot ever used: the slots are taken lowest first,
 * so the walks over the table (each stats round, dumps) stop here instead
 * of reading all of it. It never goes down.
 */
static unsigned int slots_hw;
static DEFINE_RAW_SPINLOCK(table_lock);
static atomic_t used;
static atomic_t generation;
atomic_t faultacct_lookup_gen;
static LLIST_HEAD(exit_queue);
static LLIST_HEAD(reap_list);

/*
 * Processes that found the table full, so that each is counted once in
 * the overflow and is not tried again on every fault: a direct-mapped
 * cache of process keys. A collision only forgets one.
 */
#define OVERFLOW_BITS	10
static u64 overflowed[1 << OVERFLOW_BITS];

static u64 key_of(u32 tgid, u64 start_ns)
{
	return (start_ns ^ ((u64)tgid << 40) ^ tgid) | 1;
}
NOKPROBE_SYMBOL(key_of);

static bool has_overflowed(u32 tgid, u64 key)
{
	return READ_ONCE(overflowed[hash_32(tgid, OVERFLOW_BITS)]) == key;
}
NOKPROBE_SYMBOL(has_overflowed);

static void note_overflow(u32 tgid, u64 start_ns)
{
	u64 key = key_of(tgid, start_ns);

	if (has_overflowed(tgid, key))
		return;
	WRITE_ONCE(overflowed[hash_32(tgid, OVERFLOW_BITS)], key);
	atomic64_inc(&faultacct_overflow);
}
NOKPROBE_SYMBOL(note_overflow);

static struct hlist_head *bucket_of(u32 tgid)
{
	return &buckets[hash_32(tgid, hash_bits)];
}

/* Caller holds rcu_read_lock() or has preemption disabled. */
struct faultacct_proc *faultacct_lookup(u32 tgid, u64 start_ns)
{
	struct faultacct_proc *p;

	hlist_for_each_entry_rcu(p, bucket_of(tgid), node) {
		if (p->tgid == tgid && p->start_ns == start_ns)
			return p;
	}
	return NULL;
}
NOKPROBE_SYMBOL(faultacct_lookup);

/* The live process with this tgid, else an exited one. Under RCU. */
struct faultacct_proc *faultacct_lookup_tgid(u32 tgid)
{
	struct faultacct_proc *p, *found = NULL;

	hlist_for_each_entry_rcu(p, bucket_of(tgid), node) {
		if (p->tgid != tgid)
			continue;
		if (atomic_read(&p->state) == FA_LIVE)
			return p;
		found = p;
	}
	return found;
}

bool faultacct_filter_has(const struct faultacct_filter_conf *f, u32 tgid)
{
	u32 i;

	for (i = 0; i < f->ntgids; i++) {
		if (f->tgids[i] == tgid)
			return true;
	}
	return false;
}
NOKPROBE_SYMBOL(faultacct_filter_has);

static u64 start_of(struct task_struct *task)
{
	return READ_ONCE(task->group_leader)->start_boottime;
}
NOKPROBE_SYMBOL(start_of);

/*
 * The faults of @task's process so far, as the kernel counts them
 * (mm_account_fault(); what /proc/PID/stat shows): its released threads'
 * in the signal_struct, and each other thread's own. Under RCU.
 */
static void task_faults(struct task_struct *task, u64 *minor, u64 *major)
{
	struct signal_struct *sig = task->signal;
	struct task_struct *t;
	unsigned int seq;

	do {
		seq = read_seqbegin(&sig->stats_lock);
		*minor = READ_ONCE(sig->min_flt);
		*major = READ_ONCE(sig->maj_flt);
		for_each_thread(task, t) {
			*minor += READ_ONCE(t->min_flt);
			*major += READ_ONCE(t->maj_flt);
		}
	} while (read_seqretry(&sig->stats_lock, seq));
}
NOKPROBE_SYMBOL(task_faults);

/* The leader of the live process @p, or NULL. Under RCU. */
struct task_struct *faultacct_leader(const struct faultacct_proc *p)
{
	struct task_struct *leader;

	leader = pid_task(find_pid_ns(p->tgid, &init_pid_ns), PIDTYPE_TGID);
	return leader && leader->start_boottime == p->start_ns ? leader : NULL;
}

/*
 * @p's minor and major faults since it has been tracked (or reset). While
 * it lives they are the difference between the kernel's counts now and
 * the ones kept at the start, negated, in ctr[]; at exit its final counts
 * are added there (faultacct_proc_exited(): final_faults goes 0, 1 while
 * adding, 2). Under RCU.
 */
void faultacct_proc_faults(const struct faultacct_proc *p, u64 *minor,
			   u64 *major)
{
	struct task_struct *leader;
	u64 now[2] = { };
	s64 flt[2];
	u8 final;

	for (;;) {
		final = smp_load_acquire(&p->final_faults);
		flt[0] = atomic64_read(&p->ctr[FA_MINOR]);
		flt[1] = atomic64_read(&p->ctr[FA_MAJOR]);
		/* an add that was seen comes after final_faults = 1 */
		smp_rmb();
		if (final != 1 && READ_ONCE(p->final_faults) == final)
			break;
		cpu_relax();
	}
	if (!final) {
		leader = faultacct_leader(p);
		if (leader)
			task_faults(leader, &now[0], &now[1]);
	}
	*minor = max_t(s64, flt[0] + (s64)now[0], 0);
	*major = max_t(s64, flt[1] + (s64)now[1], 0);
}

/*
 * Start tracking @task's process. Called from the fault path, the fork
 * tracepoint and CONFIG, under RCU. Returns the process, already tracked
 * or new, or NULL when the table is full or the process is exiting. Its
 * ledger opens with @mm's counters (NULL: @task's mm); a @forked child's
 * are its fork's copy.
 *
 * A process whose last thread has passed the exit tracepoint would never
 * be let go: one that is dead is not taken, and one that dies while it is
 * being added is let go again. Its last thread decrements signal->live,
 * then looks the process up; here the process is hashed, then live read:
 * either that lookup finds it, or this reads 0.
 */
struct faultacct_proc *faultacct_track(struct task_struct *task, u32 ppid,
					struct mm_struct *mm, bool forked)
{
	struct task_struct *leader = READ_ONCE(task->group_leader);
	struct signal_struct *sig = task->signal;
	u32 tgid = task->tgid;
	u64 start_ns = leader->start_boottime;
	struct faultacct_proc *p;
	char comm[TASK_COMM_LEN];
	unsigned long irqflags;
	u64 minor, major;
	u32 uid, idx;

	if (!atomic_read(&sig->live))
		return NULL;
	memcpy(comm, leader->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	uid = from_kuid_munged(&init_user_ns, task_uid(task));
	task_faults(task, &minor, &major);

	if (!READ_ONCE(free_top))
		goto full;
	raw_spin_lock_irqsave(&table_lock, irqflags);
	p = faultacct_lookup(tgid, start_ns);
	if (p) {
		raw_spin_unlock_irqrestore(&table_lock, irqflags);
		return p;
	}
	if (!free_top) {
		raw_spin_unlock_irqrestore(&table_lock, irqflags);
		goto full;
	}
	idx = free_stack[--free_top];
	if (idx >= slots_hw)
		WRITE_ONCE(slots_hw, idx + 1);
	p = &slots[idx];
	p->tgid = tgid;
	p->ppid = ppid;
	p->uid = uid;
	p->start_ns = start_ns;
	memcpy(p->comm, comm, sizeof(comm));
	atomic64_set(&p->ctr[FA_MINOR], -(s64)minor);
	atomic64_set(&p->ctr[FA_MAJOR], -(s64)major);
	faultacct_ledger_open(p, task, mm, forked);
	atomic_set_release(&p->state, FA_LIVE);
	hlist_add_head_rcu(&p->node, bucket_of(tgid));
	atomic_inc(&used);
	atomic_inc(&generation);
	faultacct_lookups_changed();
	raw_spin_unlock_irqrestore(&table_lock, irqflags);

	/* hashed before live is read; pairs with do_exit()'s decrement */
	smp_mb();
	if (!atomic_read(&sig->live)) {
		faultacct_untrack(p);
		faultacct_kick_exits();
		return NULL;
	}
	return p;
full:
	note_overflow(tgid, start_ns);
	return NULL;
}
NOKPROBE_SYMBOL(faultacct_track);

/*
 * The process of @task, which is any thread of it. With @lazy_mm (the
 * process's mm), a process the filter takes in but that is not tracked
 * yet is tracked now (the fault path's way of finding processes that
 * existed before the module). Under RCU.
 */
struct faultacct_proc *faultacct_proc_of(struct task_struct *task,
					 struct mm_struct *lazy_mm)
{
	const struct faultacct_filter_conf *f;
	u64 start_ns = start_of(task);
	struct faultacct_proc *p;
	u32 ppid;

	p = faultacct_lookup(task->tgid, start_ns);
	if (p || !lazy_mm || (task->flags & PF_KTHREAD))
		return p;

	f = rcu_dereference(faultacct_filter_conf);
	if (!f)
		return NULL;
	switch (f->mode) {
	case FAULTACCT_FILTER_ALL:
		break;
	case FAULTACCT_FILTER_TGIDS:
		if (!faultacct_filter_has(f, task->tgid))
			return NULL;
		break;
	default:
		/* FILTER_TREE: only from the config and from fork */
		return NULL;
	}

	/* it found the table full before: it stays untracked */
	if (has_overflowed(task->tgid, key_of(task->tgid, start_ns))) {
		atomic64_inc(&faultacct_untracked);
		return NULL;
	}
	ppid = rcu_dereference(task->real_parent)->tgid;
	p = faultacct_track(task, ppid, lazy_mm, false);
	if (!p)
		atomic64_inc(&faultacct_untracked);
	return p;
}
NOKPROBE_SYMBOL(faultacct_proc_of);

/*
 * Track every user process there is (FILTER_ALL at load, or set later),
 * so that a dump shows the idle ones too.
 */
void faultacct_track_all(void)
{
	struct task_struct *p;

	rcu_read_lock();
	for_each_process(p) {
		if (p->flags & PF_KTHREAD)
			continue;
		faultacct_track(p, rcu_dereference(p->real_parent)->tgid, NULL,
				false);
	}
	rcu_read_unlock();
}

/* Zero @p's latency, if latency is on. */
static void lat_reset(const struct faultacct_proc *p)
{
	struct faultacct_lat *lat;
	int i;

	rcu_read_lock();
	lat = faultacct_lat_of(p);
	if (lat) {
		atomic64_set(&lat->count, 0);
		atomic64_set(&lat->sum, 0);
		atomic64_set(&lat->max, 0);
		for (i = 0; i < FA_LAT_BUCKETS; i++)
			atomic_set(&lat->bucket[i], 0);
	}
	rcu_read_unlock();
}

/* Zero the counters of a process that stays tracked. Under RCU. */
void faultacct_proc_reset(struct faultacct_proc *p)
{
	u64 flt[2] = { };
	int i;

	for (i = 0; i < FA_NR_CTR; i++)
		atomic64_set(&p->ctr[i], 0);
	/* from here on, as if tracking began now */
	if (!smp_load_acquire(&p->final_faults)) {
		struct task_struct *leader = faultacct_leader(p);

		if (leader) {
			task_faults(leader, &flt[0], &flt[1]);
			faultacct_ledger_open(p, leader, NULL, false);
		}
		atomic64_set(&p->ctr[FA_MINOR], -(s64)flt[0]);
		atomic64_set(&p->ctr[FA_MAJOR], -(s64)flt[1]);
	}
	lat_reset(p);
	WRITE_ONCE(p->dirty, 1);
}

/* The latency of @p, or NULL while latency is off. Under RCU. */
struct faultacct_lat *faultacct_lat_of(const struct faultacct_proc *p)
{
	struct faultacct_lat *t = rcu_dereference(lat_table);

	return t ? &t[p - slots] : NULL;
}
NOKPROBE_SYMBOL(faultacct_lat_of);

/*
 * Turn the latency table on (allocated zeroed, before the flag that makes
 * faults use it is set) or off (freed after the flag is cleared and every
 * reader has gone). Serialized by the caller (CONFIG's lock).
 */
int faultacct_set_latency(bool on)
{
	struct faultacct_lat *t = rcu_dereference_protected(lat_table, true);

	if (on && !t) {
		t = vzalloc(array_size(faultacct_max_procs, sizeof(*t)));
		if (!t)
			return -ENOMEM;
		rcu_assign_pointer(lat_table, t);
	} else if (!on && t) {
		RCU_INIT_POINTER(lat_table, NULL);
		synchronize_rcu();
		vfree(t);
	}
	return 0;
}

/*
 * The wait(2) status of an exited process, as wait_task_zombie() makes it:
 * the group exit code if the whole group was made to exit, else the
 * leader's own.
 */
static u32 exit_status(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;

	if (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT)
		return READ_ONCE(sig->group_exit_code);
	return READ_ONCE(READ_ONCE(tsk->group_leader)->exit_code);
}

/*
 * The last thread of @p's process is exiting (@tsk, in do_exit()). Queue
 * its exit record; the caller kicks the work that sends it.
 */
void faultacct_proc_exited(struct faultacct_proc *p, struct task_struct *tsk)
{
	struct task_struct *leader = READ_ONCE(tsk->group_leader);
	u64 minor, major;

	/* no thread of it faults any more: its final counts */
	task_faults(tsk, &minor, &major);
	if (atomic_cmpxchg(&p->state, FA_LIVE, FA_EXITED) != FA_LIVE)
		return;
	WRITE_ONCE(p->final_faults, 1);
	smp_wmb();
	atomic64_add(minor, &p->ctr[FA_MINOR]);
	atomic64_add(major, &p->ctr[FA_MAJOR]);
	smp_wmb();
	WRITE_ONCE(p->final_faults, 2);
	p->exit_code = exit_status(tsk);
	memcpy(p->comm, leader->comm, sizeof(p->comm));
	p->comm[sizeof(p->comm) - 1] = '\0';
	llist_add(&p->qnode, &exit_queue);
}

struct llist_node *faultacct_take_exits(void)
{
	return llist_reverse_order(llist_del_all(&exit_queue));
}

static void unhash(struct faultacct_proc *p)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&table_lock, irqflags);
	hlist_del_rcu(&p->node);
	/* in-flight faults that still hold @p see the change and stop */
	WRITE_ONCE(p->gen, p->gen + 1);
	atomic_inc(&generation);
	raw_spin_unlock_irqrestore(&table_lock, irqflags);
	llist_add(&p->qnode, &reap_list);
}

/* Stop tracking a live process (a new filter left it out). */
void faultacct_untrack(struct faultacct_proc *p)
{
	if (atomic_cmpxchg(&p->state, FA_LIVE, FA_DEAD) == FA_LIVE)
		unhash(p);
}

/* An exited process whose record went out: let its slot go. */
void faultacct_reap(struct faultacct_proc *p)
{
	if (atomic_cmpxchg(&p->state, FA_EXITED, FA_DEAD) == FA_EXITED)
		unhash(p);
}

/*
 * Return the slots of reaped processes to the free stack once no reader
 * can see them: one batch at a time waits for a grace period, polled so
 * that the work item never blocks on it. Returns true while slots are
 * still waiting, and the caller polls again later.
 */
bool faultacct_reap_poll(void)
{
	static struct llist_node *waiting;
	static unsigned long cookie;
	struct faultacct_proc *p, *tmp;
	unsigned long irqflags;

	if (waiting && poll_state_synchronize_rcu(cookie)) {
		llist_for_each_entry_safe(p, tmp, waiting, qnode) {
			/*
			 * All but gen: a CPU that kept the slot's gen
			 * must never see it match again, not even 0.
			 */
			memset(p, 0, offsetof(struct faultacct_proc, gen));
			memset((char *)p + offsetofend(struct faultacct_proc, gen),
			       0, sizeof(*p) -
			       offsetofend(struct faultacct_proc, gen));
			lat_reset(p);
			raw_spin_lock_irqsave(&table_lock, irqflags);
			free_stack[free_top++] = p - slots;
			raw_spin_unlock_irqrestore(&table_lock, irqflags);
			atomic_dec(&used);
		}
		waiting = NULL;
	}
	if (!waiting) {
		waiting = llist_del_all(&reap_list);
		if (waiting)
			cookie = start_poll_synchronize_rcu();
	}
	return waiting;
}

/*
 * The slot @idx, or NULL past the last one ever used. A walk may miss a
 * process tracked while it runs, as it may miss one that takes a slot it
 * has passed.
 */
struct faultacct_proc *faultacct_slot(unsigned int idx)
{
	return idx < READ_ONCE(slots_hw) ? &slots[idx] : NULL;
}

u32 faultacct_generation(void)
{
	return atomic_read(&generation);
}

u32 faultacct_used(void)
{
	return atomic_read(&used);
}

/*
 * What one slot costs: the slot, its free-stack entry, its share of the
 * hash buckets and of the overflow cache, and its latency while latency
 * is on.
 */
u32 faultacct_bytes_per_proc(void)
{
	size_t total = (size_t)faultacct_max_procs *
		       (sizeof(*slots) + sizeof(*free_stack)) +
		       ((size_t)1 << hash_bits) * sizeof(*buckets) +
		       sizeof(overflowed);

	if (rcu_access_pointer(lat_table))
		total += (size_t)faultacct_max_procs *
			 sizeof(struct faultacct_lat);

	return DIV_ROUND_UP(total, faultacct_max_procs);
}

int faultacct_table_init(void)
{
	struct faultacct_filter_conf *f;
	unsigned int i;

	hash_bits = ilog2(roundup_pow_of_two(faultacct_max_procs));
	slots = vzalloc(array_size(faultacct_max_procs, sizeof(*slots)));
	if (!slots)
		goto err;
	free_stack = kvcalloc(faultacct_max_procs, sizeof(*free_stack),
			      GFP_KERNEL);
	if (!free_stack)
		goto err_slots;
	buckets = kvcalloc(1U << hash_bits, sizeof(*buckets), GFP_KERNEL);
	if (!buckets)
		goto err_stack;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		goto err_buckets;

	f->mode = FAULTACCT_FILTER_ALL;
	rcu_assign_pointer(faultacct_filter_conf, f);
	/* lowest slots on top, so a small table stays compact */
	for (i = 0; i < faultacct_max_procs; i++)
		free_stack[i] = faultacct_max_procs - 1 - i;
	free_top = faultacct_max_procs;
	return 0;

err_buckets:
	kvfree(buckets);
err_stack:
	kvfree(free_stack);
err_slots:
	vfree(slots);
err:
	return -ENOMEM;
}

/* After the probes are gone and the work has stopped: nothing reads. */
void faultacct_table_exit(void)
{
	kfree(rcu_dereference_protected(faultacct_filter_conf, true));
	vfree(rcu_dereference_protected(lat_table, true));
	kvfree(buckets);
	kvfree(free_stack);
	vfree(slots);
}
