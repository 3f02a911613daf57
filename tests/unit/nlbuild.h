/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds faultacct attributes with libmnl, as the kernel would send them,
 * for the unit tests and the fuzzing corpus. Header-only.
 */
#ifndef FA_NLBUILD_H
#define FA_NLBUILD_H

#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "record.h"

#define NB_BUFSZ	65536

/* The attributes go in the payload of a bare nlmsghdr. */
static inline struct nlmsghdr *nb_start(void *buf)
{
	memset(buf, 0, NB_BUFSZ);
	return mnl_nlmsg_put_header(buf);
}

static inline const void *nb_data(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload(nlh);
}

static inline size_t nb_len(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload_len(nlh);
}

static inline void nb_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	mnl_attr_put_u64(nlh, type, v);
}

static inline void nb_counters(struct nlmsghdr *nlh, uint16_t type,
			       const struct fa_counters *c)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	nb_u64(nlh, FAULTACCT_COUNTER_ANON, c->anon);
	nb_u64(nlh, FAULTACCT_COUNTER_FILE, c->file);
	nb_u64(nlh, FAULTACCT_COUNTER_SHMEM, c->shmem);
	mnl_attr_nest_end(nlh, n);
}

/* The inside of a FAULTACCT_A_PROC nest, with the parts r->have names. */
static inline void nb_proc_attrs(struct nlmsghdr *nlh,
				 const struct fa_record *r)
{
	struct nlattr *n, *b;
	unsigned int i;

	if (r->have & FA_HAVE_TGID)
		mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, r->tgid);
	if (r->have & FA_HAVE_PPID)
		mnl_attr_put_u32(nlh, FAULTACCT_PROC_PPID, r->ppid);
	if (r->have & FA_HAVE_START_TIME)
		nb_u64(nlh, FAULTACCT_PROC_START_TIME_NS, r->start_time_ns);
	if (r->have & FA_HAVE_COMM)
		mnl_attr_put_strz(nlh, FAULTACCT_PROC_COMM, r->comm);
	if (r->have & FA_HAVE_UID)
		mnl_attr_put_u32(nlh, FAULTACCT_PROC_UID, r->uid);
	if (r->exited)
		mnl_attr_put(nlh, FAULTACCT_PROC_EXITED, 0, NULL);
	if (r->have & FA_HAVE_EXIT_CODE)
		mnl_attr_put_u32(nlh, FAULTACCT_PROC_EXIT_CODE, r->exit_code);
	if (r->have & FA_HAVE_FAULTS) {
		n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_FAULTS);
		nb_u64(nlh, FAULTACCT_FAULTS_TOTAL, r->faults.total);
		nb_u64(nlh, FAULTACCT_FAULTS_MINOR, r->faults.minor);
		nb_u64(nlh, FAULTACCT_FAULTS_MAJOR, r->faults.major);
		if (r->have & FA_HAVE_OUTCOMES) {
			nb_u64(nlh, FAULTACCT_FAULTS_RETRY, r->faults.retry);
			nb_u64(nlh, FAULTACCT_FAULTS_ERROR, r->faults.error);
		}
		mnl_attr_nest_end(nlh, n);
	}
	if (r->have & FA_HAVE_PAGES)
		nb_counters(nlh, FAULTACCT_PROC_PAGES, &r->pages);
	if (r->have & FA_HAVE_UNCHARGED)
		nb_counters(nlh, FAULTACCT_PROC_UNCHARGED, &r->uncharged);
	if (r->have & FA_HAVE_CAUSE) {
		n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_CAUSE);
		nb_u64(nlh, FAULTACCT_CAUSE_ANON, r->cause.anon);
		nb_u64(nlh, FAULTACCT_CAUSE_COW, r->cause.cow);
		nb_u64(nlh, FAULTACCT_CAUSE_READ, r->cause.read);
		nb_u64(nlh, FAULTACCT_CAUSE_SHARED, r->cause.shared);
		nb_u64(nlh, FAULTACCT_CAUSE_SWAPIN, r->cause.swapin);
		nb_u64(nlh, FAULTACCT_CAUSE_THP, r->cause.thp);
		nb_u64(nlh, FAULTACCT_CAUSE_OTHER, r->cause.other);
		nb_u64(nlh, FAULTACCT_CAUSE_MTHP, r->cause.mthp);
		mnl_attr_nest_end(nlh, n);
	}
	if (r->have & FA_HAVE_REMOTE)
		nb_u64(nlh, FAULTACCT_PROC_REMOTE, r->remote);
	if (r->have & FA_HAVE_LATENCY) {
		n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_LATENCY);
		nb_u64(nlh, FAULTACCT_LATENCY_COUNT, r->lat.count);
		nb_u64(nlh, FAULTACCT_LATENCY_SUM_NS, r->lat.sum_ns);
		nb_u64(nlh, FAULTACCT_LATENCY_MAX_NS, r->lat.max_ns);
		for (i = 0; i < FA_HIST_BUCKETS; i++) {
			if (!r->lat.bucket[i])
				continue;
			b = mnl_attr_nest_start(nlh, FAULTACCT_LATENCY_BUCKET);
			mnl_attr_put_u32(nlh, FAULTACCT_BUCKET_LOG2, i);
			nb_u64(nlh, FAULTACCT_BUCKET_COUNT, r->lat.bucket[i]);
			mnl_attr_nest_end(nlh, b);
		}
		mnl_attr_nest_end(nlh, n);
	}
	if (r->have & FA_HAVE_RSS)
		nb_counters(nlh, FAULTACCT_PROC_RSS, &r->rss);
	if (r->have & FA_HAVE_OPENING)
		nb_counters(nlh, FAULTACCT_PROC_OPENING, &r->opening);
	if (r->have & FA_HAVE_SITES) {
		n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_SITE_CHARGED);
		for (i = 0; i < FA_NSITES; i++)
			nb_counters(nlh, FAULTACCT_SITE_FORK + i,
				    &r->site_charged[i]);
		mnl_attr_nest_end(nlh, n);
		n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_SITE_UNCHARGED);
		for (i = 0; i < FA_NSITES; i++)
			nb_counters(nlh, FAULTACCT_SITE_FORK + i,
				    &r->site_uncharged[i]);
		mnl_attr_nest_end(nlh, n);
	}
	if (r->have & FA_HAVE_UNEXPLAINED) {
		n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_UNEXPLAINED);
		nb_u64(nlh, FAULTACCT_BALANCE_ANON, (uint64_t)r->unexplained.anon);
		nb_u64(nlh, FAULTACCT_BALANCE_FILE, (uint64_t)r->unexplained.file);
		nb_u64(nlh, FAULTACCT_BALANCE_SHMEM,
		       (uint64_t)r->unexplained.shmem);
		mnl_attr_nest_end(nlh, n);
	}
}

static inline void nb_proc(struct nlmsghdr *nlh, const struct fa_record *r)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, FAULTACCT_A_PROC);

	nb_proc_attrs(nlh, r);
	mnl_attr_nest_end(nlh, n);
}

#define NB_HAVE_ALL	(FA_HAVE_TGID | FA_HAVE_PPID | FA_HAVE_START_TIME | \
			 FA_HAVE_COMM | FA_HAVE_UID | FA_HAVE_EXIT_CODE | \
			 FA_HAVE_FAULTS | FA_HAVE_PAGES | FA_HAVE_UNCHARGED | \
			 FA_HAVE_CAUSE | FA_HAVE_REMOTE | FA_HAVE_LATENCY | \
			 FA_HAVE_RSS | FA_HAVE_OUTCOMES | FA_HAVE_OPENING | \
			 FA_HAVE_SITES | FA_HAVE_UNEXPLAINED)

/* A plausible exit record, every field distinct. */
static inline void nb_sample(struct fa_record *r, uint32_t tgid,
			     uint32_t ppid, const char *comm)
{
	memset(r, 0, sizeof(*r));
	r->have = NB_HAVE_ALL;
	r->tgid = tgid;
	r->ppid = ppid;
	r->start_time_ns = 1000000000ULL + tgid;
	strncpy(r->comm, comm, FA_COMM_LEN);
	r->uid = 1000;
	r->exited = true;
	r->exit_code = 3 << 8;
	r->faults = (struct fa_faults){ 1000, 990, 10, 2, 1 };
	r->pages = (struct fa_counters){ 800, 150, 20 };
	r->uncharged = (struct fa_counters){ 0, 5, 0 };
	r->rss = (struct fa_counters){ 790, 400, 20 };
	r->cause = (struct fa_cause){ 700, 50, 200, 10, 3, 2, 35, 4 };
	r->remote = 4;
	r->lat.count = 1000;
	r->lat.sum_ns = 2500000;
	r->lat.max_ns = 90000;
	r->lat.bucket[10] = 600;	/* 1024..2047 ns */
	r->lat.bucket[11] = 390;
	r->lat.bucket[16] = 10;		/* 65536..131071 ns */
	r->opening = (struct fa_counters){ 52, 85, 0 };
	for (unsigned int i = 0; i < FA_NSITES; i++) {
		r->site_charged[i] = (struct fa_counters){ i, 2 * i, 3 * i };
		r->site_uncharged[i] = (struct fa_counters){ 100 + i, i, 0 };
	}
	/* a ledger that does not balance: anon short, file over */
	r->unexplained = (struct fa_balance){ 3, -7, 0 };
}

#endif
