// SPDX-License-Identifier: GPL-2.0
/*
 * The record parser against buffers built like the kernel builds them,
 * and against buffers that no kernel should send: truncated, mistyped,
 * padded, unknown, random.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nlbuild.h"
#include "record.h"

static char buf[NB_BUFSZ] __attribute__((aligned(8)));
static char copy[NB_BUFSZ] __attribute__((aligned(8)));

static void assert_same(const struct fa_record *a, const struct fa_record *b)
{
	assert_int_equal(a->have, b->have);
	assert_int_equal(a->tgid, b->tgid);
	assert_int_equal(a->ppid, b->ppid);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->exited, b->exited);
	assert_int_equal(a->exit_code, b->exit_code);
	assert_int_equal(a->start_time_ns, b->start_time_ns);
	assert_string_equal(a->comm, b->comm);
	assert_memory_equal(&a->faults, &b->faults, sizeof(a->faults));
	assert_memory_equal(&a->pages, &b->pages, sizeof(a->pages));
	assert_memory_equal(&a->uncharged, &b->uncharged,
			    sizeof(a->uncharged));
	assert_memory_equal(&a->rss, &b->rss, sizeof(a->rss));
	assert_memory_equal(&a->cause, &b->cause, sizeof(a->cause));
	assert_int_equal(a->remote, b->remote);
	assert_memory_equal(&a->lat, &b->lat, sizeof(a->lat));
	assert_memory_equal(&a->opening, &b->opening, sizeof(a->opening));
	assert_memory_equal(a->site_charged, b->site_charged,
			    sizeof(a->site_charged));
	assert_memory_equal(a->site_uncharged, b->site_uncharged,
			    sizeof(a->site_uncharged));
	assert_memory_equal(&a->unexplained, &b->unexplained,
			    sizeof(a->unexplained));
}

/* A site beyond the known ones is skipped; unexplained keeps its sign. */
static void ledger_attrs(void **state)
{
	struct fa_record out;
	struct nlmsghdr *nlh = nb_start(buf);
	struct nlattr *n, *m;

	(void)state;
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 9);
	n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_SITE_UNCHARGED);
	m = mnl_attr_nest_start(nlh, FAULTACCT_SITE_UNMAP);
	mnl_attr_put_u64(nlh, FAULTACCT_COUNTER_FILE, 11);
	mnl_attr_nest_end(nlh, m);
	m = mnl_attr_nest_start(nlh, FAULTACCT_SITE_MAX + 1);
	mnl_attr_put_u64(nlh, FAULTACCT_COUNTER_FILE, 99);
	mnl_attr_nest_end(nlh, m);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_UNEXPLAINED);
	mnl_attr_put_u64(nlh, FAULTACCT_BALANCE_SHMEM, (uint64_t)-5);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	assert_int_equal(out.site_uncharged[FAULTACCT_SITE_UNMAP - 1].file, 11);
	assert_int_equal(out.unexplained.shmem, -5);
	assert_true(out.have & FA_HAVE_UNEXPLAINED);
	assert_false(fa_balanced(&out));
	out.unexplained.shmem = 0;
	assert_true(fa_balanced(&out));
	/* no kernel reading, no verdict */
	out.have &= ~FA_HAVE_UNEXPLAINED;
	assert_false(fa_balanced(&out));
	assert_string_equal(fa_site_name(FAULTACCT_SITE_UNMAP - 1), "unmap");
	assert_string_equal(fa_site_name(FA_NSITES - 1), "other");
}

static void round_trip(void **state)
{
	struct fa_record in, out;
	struct nlmsghdr *nlh = nb_start(buf);

	(void)state;
	nb_sample(&in, 4242, 4241, "make");
	nb_proc_attrs(nlh, &in);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	assert_same(&in, &out);
}

static void minimal_record(void **state)
{
	struct fa_record out;
	struct nlmsghdr *nlh = nb_start(buf);

	(void)state;
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 7);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	assert_int_equal(out.tgid, 7);
	assert_int_equal(out.have, FA_HAVE_TGID);
	assert_false(out.exited);
	assert_string_equal(out.comm, "");
}

static void no_tgid_is_refused(void **state)
{
	struct fa_record out;
	struct nlmsghdr *nlh = nb_start(buf);

	(void)state;
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_PPID, 1);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);
	/* and an empty buffer says nothing either */
	assert_int_equal(fa_record_parse(buf, 0, &out), -EINVAL);
}

static void unknown_attributes_are_skipped(void **state)
{
	struct fa_record in, out;
	struct nlmsghdr *nlh = nb_start(buf);
	struct nlattr *n;

	(void)state;
	nb_sample(&in, 10, 1, "sh");
	/* a later version's attributes, top level and nested, any shape */
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_MAX + 1, 0xdeadbeef);
	mnl_attr_put_strz(nlh, 999, "from the future");
	n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_MAX + 7);
	mnl_attr_put_u8(nlh, 1, 1);
	mnl_attr_nest_end(nlh, n);
	nb_proc_attrs(nlh, &in);
	n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_FAULTS);
	mnl_attr_put_u16(nlh, FAULTACCT_FAULTS_MAX + 1, 5);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	/* the second FAULTS nest had no known member: the values stand */
	assert_same(&in, &out);
}

static void pad_attributes_are_ignored(void **state)
{
	struct fa_record out;
	struct nlmsghdr *nlh = nb_start(buf);
	struct nlattr *n;

	(void)state;
	mnl_attr_put(nlh, FAULTACCT_PROC_PAD, 0, NULL);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 9);
	mnl_attr_put(nlh, FAULTACCT_PROC_PAD, 0, NULL);
	n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_PAGES);
	mnl_attr_put(nlh, FAULTACCT_COUNTER_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, FAULTACCT_COUNTER_ANON, 5);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	assert_int_equal(out.tgid, 9);
	assert_int_equal(out.pages.anon, 5);
}

/* Every known attribute, sent with a wrong size, spoils the record. */
static void wrong_sizes_are_refused(void **state)
{
	static const uint16_t u32s[] = { FAULTACCT_PROC_TGID,
		FAULTACCT_PROC_PPID, FAULTACCT_PROC_UID,
		FAULTACCT_PROC_EXIT_CODE };
	static const uint16_t u64s[] = { FAULTACCT_PROC_START_TIME_NS,
		FAULTACCT_PROC_REMOTE };
	struct fa_record out;
	struct nlmsghdr *nlh;
	struct nlattr *n;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++) {
		nlh = nb_start(buf);
		mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
		mnl_attr_put_u64(nlh, u32s[i], 1);
		assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh),
						 &out), -EINVAL);
		nlh = nb_start(buf);
		mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
		mnl_attr_put_u16(nlh, u32s[i], 1);
		assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh),
						 &out), -EINVAL);
	}
	for (i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++) {
		nlh = nb_start(buf);
		mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
		mnl_attr_put_u32(nlh, u64s[i], 1);
		assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh),
						 &out), -EINVAL);
	}
	/* a u32 where a nested counter wants a u64 */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	n = mnl_attr_nest_start(nlh, FAULTACCT_PROC_PAGES);
	mnl_attr_put_u32(nlh, FAULTACCT_COUNTER_FILE, 1);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);
	/* a flag with a payload */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_EXITED, 1);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);
	/* an empty string */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	mnl_attr_put(nlh, FAULTACCT_PROC_COMM, 0, NULL);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);
	/* a nest too short to hold an attribute */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	mnl_attr_put_u16(nlh, FAULTACCT_PROC_CAUSE, 1);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);
}

static void comm_is_bounded(void **state)
{
	struct fa_record out;
	struct nlmsghdr *nlh = nb_start(buf);
	const char *longname = "a-name-much-longer-than-sixteen-bytes";

	(void)state;
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	/* no NUL, 37 bytes: kept to 16, terminated */
	mnl_attr_put(nlh, FAULTACCT_PROC_COMM, strlen(longname), longname);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	assert_int_equal(strlen(out.comm), FA_COMM_LEN);
	assert_memory_equal(out.comm, longname, FA_COMM_LEN);

	/* bytes after an inner NUL are not part of the name */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	mnl_attr_put(nlh, FAULTACCT_PROC_COMM, 6, "ab\0cd");
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	assert_string_equal(out.comm, "ab");
}

static void latency_buckets(void **state)
{
	struct fa_record out;
	struct nlmsghdr *nlh;
	struct nlattr *lat, *b;

	(void)state;
	/* two buckets of the same log2 add up */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	lat = mnl_attr_nest_start(nlh, FAULTACCT_PROC_LATENCY);
	for (int i = 0; i < 2; i++) {
		b = mnl_attr_nest_start(nlh, FAULTACCT_LATENCY_BUCKET);
		mnl_attr_put_u32(nlh, FAULTACCT_BUCKET_LOG2, 12);
		mnl_attr_put_u64(nlh, FAULTACCT_BUCKET_COUNT, 5);
		mnl_attr_nest_end(nlh, b);
	}
	b = mnl_attr_nest_start(nlh, FAULTACCT_LATENCY_BUCKET);
	mnl_attr_put_u32(nlh, FAULTACCT_BUCKET_LOG2, 63);
	mnl_attr_put_u64(nlh, FAULTACCT_BUCKET_COUNT, 1);
	mnl_attr_nest_end(nlh, b);
	mnl_attr_nest_end(nlh, lat);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out), 0);
	assert_true(out.have & FA_HAVE_LATENCY);
	assert_int_equal(out.lat.bucket[12], 10);
	assert_int_equal(out.lat.bucket[63], 1);

	/* log2 64 would index past the histogram */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	lat = mnl_attr_nest_start(nlh, FAULTACCT_PROC_LATENCY);
	b = mnl_attr_nest_start(nlh, FAULTACCT_LATENCY_BUCKET);
	mnl_attr_put_u32(nlh, FAULTACCT_BUCKET_LOG2, 64);
	mnl_attr_put_u64(nlh, FAULTACCT_BUCKET_COUNT, 1);
	mnl_attr_nest_end(nlh, b);
	mnl_attr_nest_end(nlh, lat);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);

	/* a bucket that does not say which it is */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	lat = mnl_attr_nest_start(nlh, FAULTACCT_PROC_LATENCY);
	b = mnl_attr_nest_start(nlh, FAULTACCT_LATENCY_BUCKET);
	mnl_attr_put_u64(nlh, FAULTACCT_BUCKET_COUNT, 1);
	mnl_attr_nest_end(nlh, b);
	mnl_attr_nest_end(nlh, lat);
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);
}

/*
 * Cut anywhere, a record either parses (when the cut falls between two
 * top-level attributes) or is refused; it never reads past the cut
 * (ASan checks that, since the copy is made to end at the cut).
 */
static void truncated_anywhere(void **state)
{
	struct fa_record in, out;
	struct nlmsghdr *nlh = nb_start(buf);
	size_t len, cut, ok = 0;

	(void)state;
	nb_sample(&in, 55, 54, "truncate-me");
	nb_proc_attrs(nlh, &in);
	len = nb_len(nlh);
	for (cut = 0; cut < len; cut++) {
		char *p = malloc(cut ? cut : 1);

		assert_non_null(p);
		memcpy(p, nb_data(nlh), cut);
		if (fa_record_parse(p, cut, &out) == 0) {
			ok++;
			assert_int_equal(out.tgid, 55);
		}
		free(p);
	}
	/* TGID is first: every cut at an attribute's end after it parses */
	assert_true(ok > 0);
	assert_true(ok < len / 4);
}

/* A length field that claims more than the buffer holds. */
static void lying_lengths(void **state)
{
	struct fa_record out;
	struct nlmsghdr *nlh = nb_start(buf);
	struct nlattr *a;
	size_t len;

	(void)state;
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	a = (struct nlattr *)((char *)nb_data(nlh) + nb_len(nlh));
	mnl_attr_put_u64(nlh, FAULTACCT_PROC_REMOTE, 1);
	len = nb_len(nlh);
	a->nla_len = 200;
	assert_int_equal(fa_record_parse(nb_data(nlh), len, &out), -EINVAL);
	a->nla_len = 2;		/* shorter than its own header */
	assert_int_equal(fa_record_parse(nb_data(nlh), len, &out), -EINVAL);
	/* a nest whose inner length overruns the nest */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_TGID, 1);
	a = mnl_attr_nest_start(nlh, FAULTACCT_PROC_PAGES);
	mnl_attr_put_u64(nlh, FAULTACCT_COUNTER_ANON, 1);
	mnl_attr_nest_end(nlh, a);
	((struct nlattr *)mnl_attr_get_payload(a))->nla_len = 64;
	assert_int_equal(fa_record_parse(nb_data(nlh), nb_len(nlh), &out),
			 -EINVAL);
}

/* Random bytes, and random flips of a good record: no crash. */
static void garbage(void **state)
{
	struct fa_record in, out;
	struct nlmsghdr *nlh;
	unsigned int seed = 12345, i, k;
	size_t len;

	(void)state;
	for (i = 0; i < 20000; i++) {
		len = (size_t)(rand_r(&seed) % 512);
		for (k = 0; k < len; k++)
			copy[k] = (char)rand_r(&seed);
		fa_record_parse(copy, len, &out);
	}
	nlh = nb_start(buf);
	nb_sample(&in, 1, 0, "flip");
	nb_proc_attrs(nlh, &in);
	len = nb_len(nlh);
	for (i = 0; i < 20000; i++) {
		memcpy(copy, nb_data(nlh), len);
		for (k = 0; k < 1 + i % 4; k++)
			copy[rand_r(&seed) % len] = (char)rand_r(&seed);
		if (fa_record_parse(copy, len, &out) == 0)
			assert_true(strlen(out.comm) <= FA_COMM_LEN);
	}
}

struct seen {
	uint32_t tgids[8];
	int n;
};

static int collect(const struct fa_record *r, void *data)
{
	struct seen *s = data;

	if (s->n < 8)
		s->tgids[s->n++] = r->tgid;
	return 0;
}

static void message_with_records(void **state)
{
	struct fa_record r;
	struct fa_msg msg;
	struct seen seen = { 0 };
	struct nlmsghdr *nlh = nb_start(buf);
	struct nlattr *n;

	(void)state;
	mnl_attr_put_u64(nlh, FAULTACCT_A_SEQ, 77);
	mnl_attr_put_u64(nlh, FAULTACCT_A_TIMESTAMP_NS, 123456789);
	nb_sample(&r, 100, 1, "a");
	nb_proc(nlh, &r);
	/* a PROC without TGID: counted as bad, not handed on */
	n = mnl_attr_nest_start(nlh, FAULTACCT_A_PROC);
	mnl_attr_put_u32(nlh, FAULTACCT_PROC_PPID, 1);
	mnl_attr_nest_end(nlh, n);
	nb_sample(&r, 101, 100, "b");
	nb_proc(nlh, &r);
	mnl_attr_put_u32(nlh, FAULTACCT_A_MAX + 3, 1);
	assert_int_equal(fa_msg_parse(nb_data(nlh), nb_len(nlh), &msg,
				      collect, &seen), 0);
	assert_true(msg.have_seq);
	assert_int_equal(msg.seq, 77);
	assert_int_equal(msg.ts_ns, 123456789);
	assert_int_equal(msg.nproc, 2);
	assert_int_equal(msg.nbad, 1);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.tgids[0], 100);
	assert_int_equal(seen.tgids[1], 101);

	/* a SEQ of the wrong size spoils the whole message */
	nlh = nb_start(buf);
	mnl_attr_put_u32(nlh, FAULTACCT_A_SEQ, 1);
	assert_int_equal(fa_msg_parse(nb_data(nlh), nb_len(nlh), &msg, NULL,
				      NULL), -EINVAL);
}

static void config_reply(void **state)
{
	struct fa_msg msg;
	struct nlmsghdr *nlh = nb_start(buf);
	struct nlattr *n;
	uint32_t i;

	(void)state;
	n = mnl_attr_nest_start(nlh, FAULTACCT_A_CONFIG);
	mnl_attr_put_u8(nlh, FAULTACCT_CONFIG_ENABLED, 1);
	mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FILTER_MODE,
			 FAULTACCT_FILTER_TREE);
	mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FILTER_TGID, 10);
	mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FILTER_TGID, 20);
	mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_INTERVAL_MS, 500);
	mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FLAGS,
			 FAULTACCT_CONFIG_F_LATENCY);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_msg_parse(nb_data(nlh), nb_len(nlh), &msg, NULL,
				      NULL), 0);
	assert_true(msg.have_config);
	assert_true(msg.config.enabled);
	assert_int_equal(msg.config.filter_mode, FAULTACCT_FILTER_TREE);
	assert_int_equal(msg.config.ntgids, 2);
	assert_int_equal(msg.config.tgids[1], 20);
	assert_int_equal(msg.config.interval_ms, 500);
	assert_int_equal(msg.config.flags, FAULTACCT_CONFIG_F_LATENCY);

	/* more tgids than the protocol allows */
	nlh = nb_start(buf);
	n = mnl_attr_nest_start(nlh, FAULTACCT_A_CONFIG);
	for (i = 0; i <= FAULTACCT_FILTER_MAX_TGIDS; i++)
		mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FILTER_TGID, i + 1);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_msg_parse(nb_data(nlh), nb_len(nlh), &msg, NULL,
				      NULL), -EINVAL);
	/* ENABLED is a u8: a u32 is refused */
	nlh = nb_start(buf);
	n = mnl_attr_nest_start(nlh, FAULTACCT_A_CONFIG);
	mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_ENABLED, 1);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_msg_parse(nb_data(nlh), nb_len(nlh), &msg, NULL,
				      NULL), -EINVAL);
}

static void status_reply(void **state)
{
	struct fa_msg msg;
	struct nlmsghdr *nlh = nb_start(buf);
	struct nlattr *n, *p;
	int i;

	(void)state;
	n = mnl_attr_nest_start(nlh, FAULTACCT_A_STATUS);
	mnl_attr_put_strz(nlh, FAULTACCT_STATUS_VERSION, "1.2.3");
	mnl_attr_put_strz(nlh, FAULTACCT_STATUS_RELEASE, "6.12.0-test");
	mnl_attr_put_u32(nlh, FAULTACCT_STATUS_PAGE_SIZE, 4096);
	mnl_attr_put_u32(nlh, FAULTACCT_STATUS_TABLE_SIZE, 4096);
	mnl_attr_put_u32(nlh, FAULTACCT_STATUS_TABLE_USED, 12);
	mnl_attr_put_u64(nlh, FAULTACCT_STATUS_TABLE_OVERFLOW, 3);
	mnl_attr_put_u32(nlh, FAULTACCT_STATUS_BYTES_PER_PROC, 640);
	mnl_attr_put_u64(nlh, FAULTACCT_STATUS_MSGS_SENT, 1000);
	mnl_attr_put_u64(nlh, FAULTACCT_STATUS_MSGS_DROPPED, 2);
	mnl_attr_put_u64(nlh, FAULTACCT_STATUS_UNTRACKED_FAULTS, 9);
	for (i = 0; i < FA_MAX_PROBES + 3; i++) {
		p = mnl_attr_nest_start(nlh, FAULTACCT_STATUS_PROBE);
		mnl_attr_put_strz(nlh, FAULTACCT_PROBE_SYMBOL,
				  i ? "set_pte_range" : "handle_mm_fault");
		mnl_attr_put_u32(nlh, FAULTACCT_PROBE_KIND,
				 FAULTACCT_PROBE_KIND_KRETPROBE);
		mnl_attr_put_u32(nlh, FAULTACCT_PROBE_PLACEMENT,
				 FAULTACCT_PROBE_PLACEMENT_FTRACE);
		mnl_attr_put_u64(nlh, FAULTACCT_PROBE_HITS, 100 + i);
		mnl_attr_put_u64(nlh, FAULTACCT_PROBE_NMISSED, i);
		mnl_attr_nest_end(nlh, p);
	}
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(fa_msg_parse(nb_data(nlh), nb_len(nlh), &msg, NULL,
				      NULL), 0);
	assert_true(msg.have_status);
	assert_string_equal(msg.status.version, "1.2.3");
	assert_string_equal(msg.status.release, "6.12.0-test");
	assert_int_equal(msg.status.table_used, 12);
	assert_int_equal(msg.status.msgs_dropped, 2);
	assert_int_equal(msg.status.untracked_faults, 9);
	assert_int_equal(msg.status.nprobes, FA_MAX_PROBES);
	assert_int_equal(msg.status.probes_skipped, 3);
	assert_string_equal(msg.status.probes[0].symbol, "handle_mm_fault");
	assert_int_equal(msg.status.probes[1].hits, 101);
	assert_int_equal(msg.status.probes[0].placement,
			 FAULTACCT_PROBE_PLACEMENT_FTRACE);
}

static void merging_saturates(void **state)
{
	struct fa_record a, b;

	(void)state;
	nb_sample(&a, 1, 0, "a");
	nb_sample(&b, 2, 1, "b");
	fa_record_add(&a, &b);
	assert_int_equal(a.faults.total, 2000);
	assert_int_equal(a.pages.anon, 1600);
	assert_int_equal(a.rss.file, 800);
	assert_int_equal(a.cause.other, 70);
	assert_int_equal(a.cause.mthp, 8);
	assert_int_equal(a.lat.bucket[10], 1200);
	assert_int_equal(a.lat.max_ns, 90000);
	assert_int_equal(a.tgid, 1);	/* identity is not summed */
	b.faults.total = UINT64_MAX - 1;
	fa_record_add(&a, &b);
	assert_true(a.faults.total == UINT64_MAX);
}

static void net_pages(void **state)
{
	(void)state;
	assert_true(fa_net(10, 3) == 7);
	assert_true(fa_net(3, 10) == -7);
	assert_true(fa_net(UINT64_MAX, 0) == INT64_MAX);
	assert_true(fa_net(0, UINT64_MAX) == INT64_MIN);
	assert_true(fa_net(0, (uint64_t)INT64_MAX + 1) == INT64_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(ledger_attrs),
		cmocka_unit_test(minimal_record),
		cmocka_unit_test(no_tgid_is_refused),
		cmocka_unit_test(unknown_attributes_are_skipped),
		cmocka_unit_test(pad_attributes_are_ignored),
		cmocka_unit_test(wrong_sizes_are_refused),
		cmocka_unit_test(comm_is_bounded),
		cmocka_unit_test(latency_buckets),
		cmocka_unit_test(truncated_anywhere),
		cmocka_unit_test(lying_lengths),
		cmocka_unit_test(garbage),
		cmocka_unit_test(message_with_records),
		cmocka_unit_test(config_reply),
		cmocka_unit_test(status_reply),
		cmocka_unit_test(merging_saturates),
		cmocka_unit_test(net_pages),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
