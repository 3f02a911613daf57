// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of faultacct attributes into plain structs, and the arithmetic
 * done on records (merging, net pages, latency quantiles).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "record.h"

typedef int (*attr_fn)(const struct nlattr *a, void *data);

/*
 * Walks a buffer of attributes. Unlike mnl_attr_parse_payload(), a
 * truncated attribute is an error rather than the silent end of the list:
 * a record cut short must not pass for a complete one.
 */
static int for_each_attr(const void *buf, size_t len, attr_fn fn, void *data)
{
	const char *p = buf;
	size_t rem = len;
	int err;

	while (rem > 0) {
		const struct nlattr *a = (const void *)p;
		size_t step;

		if (rem < sizeof(*a) || a->nla_len < sizeof(*a) ||
		    a->nla_len > rem)
			return -EINVAL;
		err = fn(a, data);
		if (err)
			return err;
		step = MNL_ALIGN(a->nla_len);
		if (step >= rem)
			break;
		p += step;
		rem -= step;
	}
	return 0;
}

static int nested(const struct nlattr *a, attr_fn fn, void *data)
{
	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	return for_each_attr(mnl_attr_get_payload(a),
			     mnl_attr_get_payload_len(a), fn, data);
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return -EINVAL;
	*v = mnl_attr_get_u64(a);
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EINVAL;
	*v = mnl_attr_get_u32(a);
	return 0;
}

/* Copies a string attribute, stopping at its NUL or at the buffer's end. */
static int get_str(const struct nlattr *a, char *dst, size_t size)
{
	const char *s;
	size_t n, max;

	if (mnl_attr_validate(a, MNL_TYPE_STRING) < 0)
		return -EINVAL;
	s = mnl_attr_get_payload(a);
	max = mnl_attr_get_payload_len(a);
	if (max > size - 1)
		max = size - 1;
	for (n = 0; n < max && s[n]; n++)
		;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* A nest whose members are all u64: a table maps type to offset. */
struct u64_nest {
	const size_t *off;	/* indexed by type; 0 means unknown */
	unsigned int max;
	void *base;
};

static int u64_nest_attr(const struct nlattr *a, void *data)
{
	struct u64_nest *n = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type > n->max || !n->off[type])
		return 0;
	return get_u64(a, (uint64_t *)((char *)n->base + n->off[type] - 1));
}

static int parse_u64_nest(const struct nlattr *a, const size_t *off,
			  unsigned int max, void *base)
{
	struct u64_nest n = { .off = off, .max = max, .base = base };

	return nested(a, u64_nest_attr, &n);
}

static int note_retry(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == FAULTACCT_FAULTS_RETRY)
		*(bool *)data = true;
	return 0;
}

/* Offsets are stored +1 so that 0 can mean "not a field". */
#define OFF(type, member)	(offsetof(type, member) + 1)

static const size_t counter_off[FAULTACCT_COUNTER_MAX + 1] = {
	[FAULTACCT_COUNTER_ANON]	= OFF(struct fa_counters, anon),
	[FAULTACCT_COUNTER_FILE]	= OFF(struct fa_counters, file),
	[FAULTACCT_COUNTER_SHMEM]	= OFF(struct fa_counters, shmem),
};

static const size_t faults_off[FAULTACCT_FAULTS_MAX + 1] = {
	[FAULTACCT_FAULTS_TOTAL]	= OFF(struct fa_faults, total),
	[FAULTACCT_FAULTS_MINOR]	= OFF(struct fa_faults, minor),
	[FAULTACCT_FAULTS_MAJOR]	= OFF(struct fa_faults, major),
	[FAULTACCT_FAULTS_RETRY]	= OFF(struct fa_faults, retry),
	[FAULTACCT_FAULTS_ERROR]	= OFF(struct fa_faults, error),
};

static const size_t cause_off[FAULTACCT_CAUSE_MAX + 1] = {
	[FAULTACCT_CAUSE_ANON]		= OFF(struct fa_cause, anon),
	[FAULTACCT_CAUSE_COW]		= OFF(struct fa_cause, cow),
	[FAULTACCT_CAUSE_READ]		= OFF(struct fa_cause, read),
	[FAULTACCT_CAUSE_SHARED]	= OFF(struct fa_cause, shared),
	[FAULTACCT_CAUSE_SWAPIN]	= OFF(struct fa_cause, swapin),
	[FAULTACCT_CAUSE_THP]		= OFF(struct fa_cause, thp),
	[FAULTACCT_CAUSE_MTHP]		= OFF(struct fa_cause, mthp),
	[FAULTACCT_CAUSE_OTHER]		= OFF(struct fa_cause, other),
};

struct bucket {
	bool have_log2;
	uint32_t log2;
	uint64_t count;
};

static int bucket_attr(const struct nlattr *a, void *data)
{
	struct bucket *b = data;

	switch (mnl_attr_get_type(a)) {
	case FAULTACCT_BUCKET_LOG2:
		b->have_log2 = true;
		return get_u32(a, &b->log2);
	case FAULTACCT_BUCKET_COUNT:
		return get_u64(a, &b->count);
	}
	return 0;
}

static int latency_attr(const struct nlattr *a, void *data)
{
	struct fa_latency *lat = data;
	struct bucket b = { 0 };
	int err;

	switch (mnl_attr_get_type(a)) {
	case FAULTACCT_LATENCY_COUNT:
		return get_u64(a, &lat->count);
	case FAULTACCT_LATENCY_SUM_NS:
		return get_u64(a, &lat->sum_ns);
	case FAULTACCT_LATENCY_MAX_NS:
		return get_u64(a, &lat->max_ns);
	case FAULTACCT_LATENCY_BUCKET:
		err = nested(a, bucket_attr, &b);
		if (err)
			return err;
		if (!b.have_log2 || b.log2 >= FA_HIST_BUCKETS)
			return -EINVAL;
		lat->bucket[b.log2] = sat_add(lat->bucket[b.log2], b.count);
		return 0;
	}
	return 0;
}

static int get_s64(const struct nlattr *a, int64_t *v)
{
	uint64_t u;
	int err = get_u64(a, &u);

	if (!err)
		*v = (int64_t)u;
	return err;
}

static int balance_attr(const struct nlattr *a, void *data)
{
	struct fa_balance *b = data;

	switch (mnl_attr_get_type(a)) {
	case FAULTACCT_BALANCE_ANON:
		return get_s64(a, &b->anon);
	case FAULTACCT_BALANCE_FILE:
		return get_s64(a, &b->file);
	case FAULTACCT_BALANCE_SHMEM:
		return get_s64(a, &b->shmem);
	}
	return 0;
}

/* FAULTACCT_PROC_SITE_CHARGED or _UNCHARGED: a counter nest per site. */
static int site_attr(const struct nlattr *a, void *data)
{
	struct fa_counters *sites = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type < FAULTACCT_SITE_FORK || type > FAULTACCT_SITE_MAX)
		return 0;
	return parse_u64_nest(a, counter_off, FAULTACCT_COUNTER_MAX,
			      &sites[type - FAULTACCT_SITE_FORK]);
}

static int proc_attr(const struct nlattr *a, void *data)
{
	struct fa_record *r = data;
	unsigned int type = mnl_attr_get_type(a);

	switch (type) {
	case FAULTACCT_PROC_TGID:
		r->have |= FA_HAVE_TGID;
		return get_u32(a, &r->tgid);
	case FAULTACCT_PROC_PPID:
		r->have |= FA_HAVE_PPID;
		return get_u32(a, &r->ppid);
	case FAULTACCT_PROC_START_TIME_NS:
		r->have |= FA_HAVE_START_TIME;
		return get_u64(a, &r->start_time_ns);
	case FAULTACCT_PROC_COMM:
		r->have |= FA_HAVE_COMM;
		return get_str(a, r->comm, sizeof(r->comm));
	case FAULTACCT_PROC_UID:
		r->have |= FA_HAVE_UID;
		return get_u32(a, &r->uid);
	case FAULTACCT_PROC_EXITED:
		if (mnl_attr_validate(a, MNL_TYPE_FLAG) < 0)
			return -EINVAL;
		r->exited = true;
		return 0;
	case FAULTACCT_PROC_EXIT_CODE:
		r->have |= FA_HAVE_EXIT_CODE;
		return get_u32(a, &r->exit_code);
	case FAULTACCT_PROC_FAULTS: {
		bool retry = false;
		int err;

		r->have |= FA_HAVE_FAULTS;
		err = parse_u64_nest(a, faults_off, FAULTACCT_FAULTS_MAX,
				     &r->faults);
		/* retry and error are there only while faults are bracketed */
		if (!err)
			err = nested(a, note_retry, &retry);
		if (retry)
			r->have |= FA_HAVE_OUTCOMES;
		return err;
	}
	case FAULTACCT_PROC_PAGES:
		r->have |= FA_HAVE_PAGES;
		return parse_u64_nest(a, counter_off, FAULTACCT_COUNTER_MAX,
				      &r->pages);
	case FAULTACCT_PROC_UNCHARGED:
		r->have |= FA_HAVE_UNCHARGED;
		return parse_u64_nest(a, counter_off, FAULTACCT_COUNTER_MAX,
				      &r->uncharged);
	case FAULTACCT_PROC_RSS:
		r->have |= FA_HAVE_RSS;
		return parse_u64_nest(a, counter_off, FAULTACCT_COUNTER_MAX,
				      &r->rss);
	case FAULTACCT_PROC_CAUSE:
		r->have |= FA_HAVE_CAUSE;
		return parse_u64_nest(a, cause_off, FAULTACCT_CAUSE_MAX,
				      &r->cause);
	case FAULTACCT_PROC_REMOTE:
		r->have |= FA_HAVE_REMOTE;
		return get_u64(a, &r->remote);
	case FAULTACCT_PROC_LATENCY:
		r->have |= FA_HAVE_LATENCY;
		return nested(a, latency_attr, &r->lat);
	case FAULTACCT_PROC_OPENING:
		r->have |= FA_HAVE_OPENING;
		return parse_u64_nest(a, counter_off, FAULTACCT_COUNTER_MAX,
				      &r->opening);
	case FAULTACCT_PROC_SITE_CHARGED:
		r->have |= FA_HAVE_SITES;
		return nested(a, site_attr, r->site_charged);
	case FAULTACCT_PROC_SITE_UNCHARGED:
		r->have |= FA_HAVE_SITES;
		return nested(a, site_attr, r->site_uncharged);
	case FAULTACCT_PROC_UNEXPLAINED:
		r->have |= FA_HAVE_UNEXPLAINED;
		return nested(a, balance_attr, &r->unexplained);
	}
	return 0;
}

int fa_record_parse(const void *buf, size_t len, struct fa_record *rec)
{
	int err;

	memset(rec, 0, sizeof(*rec));
	err = for_each_attr(buf, len, proc_attr, rec);
	if (err)
		return err;
	/* a record names a process; without a tgid it is of no use */
	if (!(rec->have & FA_HAVE_TGID))
		return -EINVAL;
	return 0;
}

static int config_attr(const struct nlattr *a, void *data)
{
	struct fa_config *c = data;
	unsigned int type = mnl_attr_get_type(a);

	switch (type) {
	case FAULTACCT_CONFIG_ENABLED:
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			return -EINVAL;
		c->enabled = mnl_attr_get_u8(a) != 0;
		break;
	case FAULTACCT_CONFIG_FILTER_MODE:
		if (get_u32(a, &c->filter_mode))
			return -EINVAL;
		break;
	case FAULTACCT_CONFIG_FILTER_TGID:
		/* a list longer than the protocol allows is not ours */
		if (c->ntgids >= FAULTACCT_FILTER_MAX_TGIDS)
			return -EINVAL;
		if (get_u32(a, &c->tgids[c->ntgids]))
			return -EINVAL;
		c->ntgids++;
		break;
	case FAULTACCT_CONFIG_INTERVAL_MS:
		if (get_u32(a, &c->interval_ms))
			return -EINVAL;
		break;
	case FAULTACCT_CONFIG_FLAGS:
		if (get_u32(a, &c->flags))
			return -EINVAL;
		break;
	default:
		return 0;
	}
	c->have |= 1U << type;
	return 0;
}

int fa_config_parse(const void *buf, size_t len, struct fa_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	return for_each_attr(buf, len, config_attr, cfg);
}

static int probe_attr(const struct nlattr *a, void *data)
{
	struct fa_probe *p = data;

	switch (mnl_attr_get_type(a)) {
	case FAULTACCT_PROBE_SYMBOL:
		return get_str(a, p->symbol, sizeof(p->symbol));
	case FAULTACCT_PROBE_KIND:
		return get_u32(a, &p->kind);
	case FAULTACCT_PROBE_PLACEMENT:
		return get_u32(a, &p->placement);
	case FAULTACCT_PROBE_HITS:
		return get_u64(a, &p->hits);
	case FAULTACCT_PROBE_NMISSED:
		return get_u64(a, &p->nmissed);
	case FAULTACCT_PROBE_DISARMED:
		p->disarmed = true;
		return 0;
	}
	return 0;
}

static int status_attr(const struct nlattr *a, void *data)
{
	struct fa_status *s = data;
	unsigned int type = mnl_attr_get_type(a);
	struct fa_probe probe = { 0 };
	int err;

	switch (type) {
	case FAULTACCT_STATUS_VERSION:
		err = get_str(a, s->version, sizeof(s->version));
		break;
	case FAULTACCT_STATUS_RELEASE:
		err = get_str(a, s->release, sizeof(s->release));
		break;
	case FAULTACCT_STATUS_PAGE_SIZE:
		err = get_u32(a, &s->page_size);
		break;
	case FAULTACCT_STATUS_TABLE_SIZE:
		err = get_u32(a, &s->table_size);
		break;
	case FAULTACCT_STATUS_TABLE_USED:
		err = get_u32(a, &s->table_used);
		break;
	case FAULTACCT_STATUS_TABLE_OVERFLOW:
		err = get_u64(a, &s->table_overflow);
		break;
	case FAULTACCT_STATUS_BYTES_PER_PROC:
		err = get_u32(a, &s->bytes_per_proc);
		break;
	case FAULTACCT_STATUS_MSGS_SENT:
		err = get_u64(a, &s->msgs_sent);
		break;
	case FAULTACCT_STATUS_MSGS_DROPPED:
		err = get_u64(a, &s->msgs_dropped);
		break;
	case FAULTACCT_STATUS_UNTRACKED_FAULTS:
		err = get_u64(a, &s->untracked_faults);
		break;
	case FAULTACCT_STATUS_UNBALANCED:
		err = get_u64(a, &s->unbalanced);
		break;
	case FAULTACCT_STATUS_UNBALANCED_PAGES:
		err = get_u64(a, &s->unbalanced_pages);
		break;
	case FAULTACCT_STATUS_PROBE:
		err = nested(a, probe_attr, &probe);
		if (err)
			break;
		if (s->nprobes < FA_MAX_PROBES)
			s->probes[s->nprobes++] = probe;
		else
			s->probes_skipped++;
		break;
	default:
		return 0;
	}
	if (!err)
		s->have |= 1U << type;
	return err;
}

int fa_status_parse(const void *buf, size_t len, struct fa_status *st)
{
	memset(st, 0, sizeof(*st));
	return for_each_attr(buf, len, status_attr, st);
}

struct msg_ctx {
	struct fa_msg *msg;
	fa_proc_cb on_proc;
	void *data;
};

static int msg_attr(const struct nlattr *a, void *data)
{
	struct msg_ctx *ctx = data;
	struct fa_msg *m = ctx->msg;
	struct fa_record rec;
	int err;

	switch (mnl_attr_get_type(a)) {
	case FAULTACCT_A_SEQ:
		m->have_seq = true;
		return get_u64(a, &m->seq);
	case FAULTACCT_A_TIMESTAMP_NS:
		m->have_ts = true;
		return get_u64(a, &m->ts_ns);
	case FAULTACCT_A_TGID:
		m->have_tgid = true;
		return get_u32(a, &m->tgid);
	case FAULTACCT_A_CONFIG:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			return -EINVAL;
		m->have_config = true;
		return fa_config_parse(mnl_attr_get_payload(a),
				       mnl_attr_get_payload_len(a),
				       &m->config);
	case FAULTACCT_A_STATUS:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			return -EINVAL;
		m->have_status = true;
		return fa_status_parse(mnl_attr_get_payload(a),
				       mnl_attr_get_payload_len(a),
				       &m->status);
	case FAULTACCT_A_PROC:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
		    fa_record_parse(mnl_attr_get_payload(a),
				    mnl_attr_get_payload_len(a), &rec)) {
			m->nbad++;
			return 0;
		}
		m->nproc++;
		if (!ctx->on_proc)
			return 0;
		err = ctx->on_proc(&rec, ctx->data);
		return err < 0 ? err : 0;
	}
	return 0;
}

int fa_msg_parse(const void *buf, size_t len, struct fa_msg *msg,
		 fa_proc_cb on_proc, void *data)
{
	struct msg_ctx ctx = { .msg = msg, .on_proc = on_proc, .data = data };

	memset(msg, 0, sizeof(*msg));
	return for_each_attr(buf, len, msg_attr, &ctx);
}

static void add_counters(struct fa_counters *a, const struct fa_counters *b)
{
	a->anon = sat_add(a->anon, b->anon);
	a->file = sat_add(a->file, b->file);
	a->shmem = sat_add(a->shmem, b->shmem);
}

void fa_record_add(struct fa_record *a, const struct fa_record *b)
{
	unsigned int i;

	a->have |= b->have & (FA_HAVE_FAULTS | FA_HAVE_PAGES |
			      FA_HAVE_UNCHARGED | FA_HAVE_CAUSE |
			      FA_HAVE_REMOTE | FA_HAVE_LATENCY | FA_HAVE_RSS |
			      FA_HAVE_OUTCOMES | FA_HAVE_OPENING |
			      FA_HAVE_SITES | FA_HAVE_UNEXPLAINED);
	add_counters(&a->opening, &b->opening);
	for (i = 0; i < FA_NSITES; i++) {
		add_counters(&a->site_charged[i], &b->site_charged[i]);
		add_counters(&a->site_uncharged[i], &b->site_uncharged[i]);
	}
	a->unexplained.anon += b->unexplained.anon;
	a->unexplained.file += b->unexplained.file;
	a->unexplained.shmem += b->unexplained.shmem;
	a->faults.total = sat_add(a->faults.total, b->faults.total);
	a->faults.minor = sat_add(a->faults.minor, b->faults.minor);
	a->faults.major = sat_add(a->faults.major, b->faults.major);
	a->faults.retry = sat_add(a->faults.retry, b->faults.retry);
	a->faults.error = sat_add(a->faults.error, b->faults.error);
	add_counters(&a->pages, &b->pages);
	add_counters(&a->uncharged, &b->uncharged);
	add_counters(&a->rss, &b->rss);
	a->cause.anon = sat_add(a->cause.anon, b->cause.anon);
	a->cause.cow = sat_add(a->cause.cow, b->cause.cow);
	a->cause.read = sat_add(a->cause.read, b->cause.read);
	a->cause.shared = sat_add(a->cause.shared, b->cause.shared);
	a->cause.swapin = sat_add(a->cause.swapin, b->cause.swapin);
	a->cause.thp = sat_add(a->cause.thp, b->cause.thp);
	a->cause.mthp = sat_add(a->cause.mthp, b->cause.mthp);
	a->cause.other = sat_add(a->cause.other, b->cause.other);
	a->remote = sat_add(a->remote, b->remote);
	a->lat.count = sat_add(a->lat.count, b->lat.count);
	a->lat.sum_ns = sat_add(a->lat.sum_ns, b->lat.sum_ns);
	if (b->lat.max_ns > a->lat.max_ns)
		a->lat.max_ns = b->lat.max_ns;
	for (i = 0; i < FA_HIST_BUCKETS; i++)
		a->lat.bucket[i] = sat_add(a->lat.bucket[i], b->lat.bucket[i]);
}

int64_t fa_net(uint64_t pages, uint64_t uncharged)
{
	uint64_t d;

	if (pages >= uncharged) {
		d = pages - uncharged;
		return d > INT64_MAX ? INT64_MAX : (int64_t)d;
	}
	d = uncharged - pages;
	return d > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)d;
}

static int log2_u64(uint64_t v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

bool fa_latency_quantile(const struct fa_latency *lat, double q, uint64_t *ns)
{
	uint64_t total = 0, before = 0, rank;
	long double lo, hi, est, x;
	int n, top = -1;

	if (!(q > 0.0) || q > 1.0)
		return false;
	for (n = 0; n < FA_HIST_BUCKETS; n++) {
		if (lat->bucket[n]) {
			total = sat_add(total, lat->bucket[n]);
			top = n;
		}
	}
	if (!total)
		return false;
	/*
	 * q * N, less the error of q as a binary fraction (0.9 * 100 is a
	 * hair above 90: rank 90, not 91); below one sample for any N < 1e15.
	 */
	x = (long double)q * (long double)total;
	rank = (uint64_t)ceill(x - x * 1e-15L);
	if (rank < 1)
		rank = 1;
	if (rank > total)
		rank = total;
	/* sums saturate like the total, so the top bucket is always reached */
	for (n = 0; n < top; n++) {
		if (lat->bucket[n] && rank <= sat_add(before, lat->bucket[n]))
			break;
		before = sat_add(before, lat->bucket[n]);
	}
	lo = n ? ldexpl(1.0L, n) : 0.0L;
	hi = ldexpl(1.0L, n + 1);
	est = lo + (hi - lo) * (long double)(rank > before ? rank - before : 1) /
		   (long double)lat->bucket[n];
	if (est > hi)
		est = hi;
	/*
	 * The maximum bounds every sample, but only trust it when it agrees
	 * with the histogram (it falls in the highest non-empty bucket).
	 */
	if (log2_u64(lat->max_ns) == top && est > (long double)lat->max_ns)
		est = (long double)lat->max_ns;
	*ns = est >= 18446744073709551615.0L ? UINT64_MAX : (uint64_t)est;
	return true;
}

const char *fa_site_name(unsigned int s)
{
	_Static_assert(FA_NSITES == 12, "a name for every site");
	static const char *const names[FA_NSITES] = {
		"fork", "unmap", "exit", "exec", "reclaim", "migrate", "ksm",
		"collapse", "uffd", "swapoff", "insert", "other",
	};

	return s < FA_NSITES ? names[s] : "?";
}

bool fa_balanced(const struct fa_record *rec)
{
	return (rec->have & FA_HAVE_UNEXPLAINED) && !rec->unexplained.anon &&
	       !rec->unexplained.file && !rec->unexplained.shmem;
}
