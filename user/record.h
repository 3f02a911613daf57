/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for the attributes of the faultacct family. They are pure: they
 * take a buffer of netlink attributes (4-byte aligned, as netlink delivers
 * them) and its length, validate every attribute they know, skip the ones
 * they do not, and never read past the buffer.
 */
#ifndef FA_RECORD_H
#define FA_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/linux/faultacct.h"

#define FA_COMM_LEN	16
#define FA_HIST_BUCKETS	64

/* Which optional parts a record carried. */
enum {
	FA_HAVE_TGID		= 1U << 0,
	FA_HAVE_PPID		= 1U << 1,
	FA_HAVE_START_TIME	= 1U << 2,
	FA_HAVE_COMM		= 1U << 3,
	FA_HAVE_UID		= 1U << 4,
	FA_HAVE_EXIT_CODE	= 1U << 5,
	FA_HAVE_FAULTS		= 1U << 6,
	FA_HAVE_PAGES		= 1U << 7,
	FA_HAVE_UNCHARGED	= 1U << 8,
	FA_HAVE_CAUSE		= 1U << 9,
	FA_HAVE_REMOTE		= 1U << 10,
	FA_HAVE_LATENCY		= 1U << 11,
	FA_HAVE_RSS		= 1U << 12,
	FA_HAVE_OUTCOMES	= 1U << 13,	/* faults.retry, .error */
	FA_HAVE_OPENING		= 1U << 14,
	FA_HAVE_SITES		= 1U << 15,	/* either nest */
	FA_HAVE_UNEXPLAINED	= 1U << 16,
};

/* Sites outside faults: FAULTACCT_SITE_FORK.. as 0.. */
#define FA_NSITES	FAULTACCT_SITE_MAX

struct fa_counters {
	uint64_t anon;
	uint64_t file;
	uint64_t shmem;
};

struct fa_balance {
	int64_t anon;
	int64_t file;
	int64_t shmem;
};

struct fa_faults {
	uint64_t total;
	uint64_t minor;
	uint64_t major;
	uint64_t retry;
	uint64_t error;
};

struct fa_cause {
	uint64_t anon;
	uint64_t cow;
	uint64_t read;
	uint64_t shared;
	uint64_t swapin;
	uint64_t thp;
	uint64_t other;
	uint64_t mthp;
};

struct fa_latency {
	uint64_t count;
	uint64_t sum_ns;
	uint64_t max_ns;
	/* bucket[n] counts times t with 2^n <= t < 2^(n+1) ns */
	uint64_t bucket[FA_HIST_BUCKETS];
};

struct fa_record {
	uint32_t have;			/* FA_HAVE_* */
	uint32_t tgid;
	uint32_t ppid;
	uint32_t uid;
	uint32_t exit_code;		/* wait(2) status */
	bool exited;
	uint64_t start_time_ns;
	char comm[FA_COMM_LEN + 1];	/* NUL-terminated, may hold any byte */
	struct fa_faults faults;
	struct fa_counters pages;
	struct fa_counters uncharged;
	struct fa_counters rss;
	struct fa_cause cause;
	uint64_t remote;
	struct fa_latency lat;
	/* the ledger */
	struct fa_counters opening;
	struct fa_counters site_charged[FA_NSITES];
	struct fa_counters site_uncharged[FA_NSITES];
	struct fa_balance unexplained;	/* kernel - ledger */
};

struct fa_config {
	uint32_t have;			/* 1U << FAULTACCT_CONFIG_* */
	bool enabled;
	uint32_t filter_mode;
	uint32_t ntgids;
	uint32_t tgids[FAULTACCT_FILTER_MAX_TGIDS];
	uint32_t interval_ms;
	uint32_t flags;
};

#define FA_MAX_PROBES	32

struct fa_probe {
	char symbol[128];
	uint32_t kind;
	uint32_t placement;
	uint64_t hits;
	uint64_t nmissed;
	bool disarmed;
};

struct fa_status {
	uint32_t have;			/* 1U << FAULTACCT_STATUS_* */
	char version[64];
	char release[128];
	uint32_t page_size;
	uint32_t table_size;
	uint32_t table_used;
	uint64_t table_overflow;
	uint32_t bytes_per_proc;
	uint64_t msgs_sent;
	uint64_t msgs_dropped;
	uint64_t untracked_faults;
	uint64_t unbalanced;
	uint64_t unbalanced_pages;
	uint32_t nprobes;
	uint32_t probes_skipped;	/* beyond FA_MAX_PROBES */
	struct fa_probe probes[FA_MAX_PROBES];
};

/*
 * One generic netlink message of the family, top level. PROC records are
 * handed to on_proc as they are parsed; a record that fails validation is
 * counted in nbad and not handed on.
 */
struct fa_msg {
	bool have_seq;
	bool have_ts;
	bool have_tgid;
	bool have_config;
	bool have_status;
	uint64_t seq;
	uint64_t ts_ns;
	uint32_t tgid;
	uint32_t nproc;
	uint32_t nbad;
	struct fa_config config;
	struct fa_status status;
};

typedef int (*fa_proc_cb)(const struct fa_record *rec, void *data);

/* All return 0, or -EINVAL if the buffer is malformed. */
int fa_record_parse(const void *buf, size_t len, struct fa_record *rec);
int fa_config_parse(const void *buf, size_t len, struct fa_config *cfg);
int fa_status_parse(const void *buf, size_t len, struct fa_status *st);
/*
 * Parses the attributes after the genlmsghdr. A malformed PROC nest only
 * bumps msg->nbad; anything else malformed fails the message. on_proc may
 * be NULL; a negative return from it stops the parse and is returned.
 */
int fa_msg_parse(const void *buf, size_t len, struct fa_msg *msg,
		 fa_proc_cb on_proc, void *data);

/* Adds b into a (counters saturate; latency histograms merge). */
void fa_record_add(struct fa_record *a, const struct fa_record *b);

/* pages - uncharged of one counter, as a signed number */
int64_t fa_net(uint64_t pages, uint64_t uncharged);

/* The name of site FAULTACCT_SITE_FORK + s ("fork", "unmap", ...). */
const char *fa_site_name(unsigned int s);
/* Whether the ledger of REC is known and balanced (unexplained all 0). */
bool fa_balanced(const struct fa_record *rec);

/*
 * Estimated q-quantile (0 < q <= 1) of the fault latency in ns, from the
 * log2 histogram: the rank r = ceil(q * N) sample is placed by linear
 * interpolation inside its bucket [2^n, 2^(n+1)), as if the bucket's
 * samples were spread evenly, and the estimate is clamped to the observed
 * maximum. Returns false when the histogram is empty.
 */
bool fa_latency_quantile(const struct fa_latency *lat, double q, uint64_t *ns);

#endif
