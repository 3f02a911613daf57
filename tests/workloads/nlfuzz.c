// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: throw generated and mutated generic netlink messages at the
 * faultacct family, and check that it still answers sanely afterwards.
 *
 *   nlfuzz [--seed S] [--count N] [--procs P] [--no-churn] [-v]
 *
 * Every message goes to the faultacct family id (resolved through nlctrl),
 * never to another family: a random nlmsg_type could reach a family that
 * does real work as root. What varies is everything else: commands (known,
 * unknown, 0, 255), genl version and reserved bytes, nlmsg_flags, attribute
 * trees (known attributes with right and wrong types and lengths, unknown
 * ones, nests to random depth, nla_len too short, too long or past the end),
 * truncated nlmsghdr and genlmsghdr, several messages in one datagram,
 * bit-flipped copies of valid requests, CONFIG with valid and invalid
 * values, socket options (extended ACK, strict checking, capped ACK),
 * multicast membership, and dumps that are completed, read in part then
 * abandoned, or abandoned at once (socket closed while the dump is active).
 *
 * While it runs, P sleeping children fault a page every half second (so the
 * table holds enough processes for multi-part dumps and stats messages) and
 * a churn child forks short-lived processes (exit records, table changes
 * under dumps). Replies are drained without blocking.
 *
 * The same seed gives the same sequence of messages. Configuration changes
 * are valid ones interleaved with invalid ones; the configuration found at
 * start is put back at the end. Exits 1 if the module stopped answering,
 * sent a malformed reply, or applied part of a CONFIG it refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/faultacct.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK	12
#endif

#define MSG_MAX		8192
#define RX_BUF		(256 * 1024)
#define MAX_ERRNO	256
#define MAX_PROCS	256

/* ---- PRNG: splitmix64, so a seed names a run */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

static bool chance(uint32_t percent)
{
	return rnd(100) < percent;
}

static void rnd_bytes(void *p, size_t len)
{
	uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)rnd64();
}

/* ---- statistics */

static struct {
	uint64_t sent;			/* messages handed to sendto() */
	uint64_t datagrams;
	uint64_t bytes;
	uint64_t send_err[MAX_ERRNO];	/* sendto() failures by errno */
	uint64_t acks;			/* NLMSG_ERROR with error 0 */
	uint64_t nlerr[MAX_ERRNO];	/* NLMSG_ERROR by -error */
	uint64_t ext_msgs;		/* error messages carrying extack text */
	uint64_t replies;		/* family messages received */
	uint64_t ntf;			/* multicast notifications received */
	uint64_t done;			/* NLMSG_DONE */
	uint64_t intr;			/* messages with NLM_F_DUMP_INTR */
	uint64_t recv_err[MAX_ERRNO];	/* recv() failures (ENOBUFS...) */
	uint64_t malformed;		/* replies whose attributes do not parse */
	uint64_t dumps_full;
	uint64_t dumps_partial;
	uint64_t dumps_abandoned;
	uint64_t dumps_busy;		/* second dump on a busy socket */
	uint64_t configs_valid;
	uint64_t configs_invalid;
	uint64_t reopen;
} st;

static const char *prog = "nlfuzz";
static int verbose;

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(2);
}

static void count_errno(uint64_t *tab, int e)
{
	if (e < 0)
		e = -e;
	tab[e < MAX_ERRNO ? e : 0]++;
}

/* ---- sockets */

static uint16_t family_id;
static uint32_t grp_stats, grp_exit;
static pid_t procs[MAX_PROCS];
static int nprocs;
static pid_t churn_pid;

static int nl_open(bool nonblock)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC |
			(nonblock ? SOCK_NONBLOCK : 0), NETLINK_GENERIC);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, sz = 1 << 20;

	if (fd < 0)
		die("socket(NETLINK_GENERIC)");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Best effort: a full socket shows up as ENOBUFS, which is counted. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return fd;
}

static ssize_t nl_send(int fd, const void *buf, size_t len, unsigned int nmsgs)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	st.sent += nmsgs;
	st.datagrams++;
	st.bytes += len;
	if (n < 0)
		count_errno(st.send_err, errno);
	return n;
}

/* ---- reply checking */

/* Attribute types of the family's replies that hold nests. */
static bool reply_nested(int depth, uint16_t type)
{
	switch (depth) {
	case 0:
		return type == FAULTACCT_A_PROC || type == FAULTACCT_A_CONFIG ||
		       type == FAULTACCT_A_STATUS;
	default:
		/* below the top: PROC and STATUS sub-nests, then buckets */
		return type & NLA_F_NESTED;
	}
}

/* Every attribute lies inside its parent; known nests parse recursively. */
static bool attrs_ok(const uint8_t *p, size_t len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t alen = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return false;
		if (depth < 4 && reply_nested(depth, a->nla_type) &&
		    !attrs_ok(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN, depth + 1))
			return false;
		if (alen > len)
			alen = len;
		p += alen;
		len -= alen;
	}
	return len == 0;
}

/* What one call of drain() saw. */
struct rx {
	int last_error;		/* of the last NLMSG_ERROR, 1 if none */
	bool done;
	unsigned int data;	/* family messages */
	bool intr;
	uint8_t cfg[1024];	/* the A_CONFIG nest of the last reply */
	size_t cfg_len;
};

static void parse_one(const struct nlmsghdr *nh, struct rx *rx)
{
	if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);

		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(int))) {
			st.malformed++;
			return;
		}
		rx->last_error = e->error;
		if (e->error == 0) {
			st.acks++;
		} else {
			count_errno(st.nlerr, e->error);
			if (nh->nlmsg_flags & NLM_F_ACK_TLVS)
				st.ext_msgs++;
		}
		/* An error also ends a dump. */
		rx->done = true;
		return;
	}
	if (nh->nlmsg_type == NLMSG_DONE) {
		st.done++;
		rx->done = true;
		if (nh->nlmsg_flags & NLM_F_DUMP_INTR) {
			st.intr++;
			rx->intr = true;
		}
		return;
	}
	if (nh->nlmsg_type == NLMSG_NOOP || nh->nlmsg_type == NLMSG_OVERRUN)
		return;
	if (nh->nlmsg_type != family_id) {
		st.malformed++;
		if (verbose)
			fprintf(stderr, "%s: reply of type %u\n", prog,
				nh->nlmsg_type);
		return;
	}
	if (nh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
		st.malformed++;
		return;
	}
	if (nh->nlmsg_flags & NLM_F_DUMP_INTR) {
		st.intr++;
		rx->intr = true;
	}
	{
		const struct genlmsghdr *g = NLMSG_DATA(nh);
		const uint8_t *a = (const uint8_t *)g + GENL_HDRLEN;
		size_t alen = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

		if (nh->nlmsg_seq == 0 && nh->nlmsg_pid == 0)
			st.ntf++;
		else
			st.replies++;
		rx->data++;
		if (!attrs_ok(a, alen, 0)) {
			st.malformed++;
			fprintf(stderr, "%s: malformed reply, cmd %u len %u\n",
				prog, g->cmd, nh->nlmsg_len);
			return;
		}
		/* Keep the config nest, for the atomicity check. */
		while (alen >= NLA_HDRLEN) {
			const struct nlattr *na = (const void *)a;

			if ((na->nla_type & NLA_TYPE_MASK) == FAULTACCT_A_CONFIG &&
			    (size_t)na->nla_len - NLA_HDRLEN <= sizeof(rx->cfg)) {
				rx->cfg_len = na->nla_len - NLA_HDRLEN;
				memcpy(rx->cfg, a + NLA_HDRLEN, rx->cfg_len);
			}
			if ((size_t)NLA_ALIGN(na->nla_len) >= alen)
				break;
			alen -= NLA_ALIGN(na->nla_len);
			a += NLA_ALIGN(na->nla_len);
		}
	}
}

static uint8_t rxbuf[RX_BUF];

/* One recv(): returns bytes, 0 when nothing waits, -1 on error. */
static ssize_t recv_once(int fd, size_t cap, int flags, struct rx *rx)
{
	ssize_t n = recv(fd, rxbuf, cap, flags);
	const struct nlmsghdr *nh;
	size_t len;

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		count_errno(st.recv_err, errno);
		return -1;
	}
	len = (size_t)n > cap ? cap : (size_t)n;
	for (nh = (const void *)rxbuf; NLMSG_OK(nh, len);
	     nh = NLMSG_NEXT(nh, len))
		parse_one(nh, rx);
	return n;
}

/* Read whatever waits, without blocking. */
static void drain(int fd, struct rx *rx)
{
	struct rx dummy;
	int budget = 4096;

	if (!rx)
		rx = &dummy;
	memset(rx, 0, sizeof(*rx));
	rx->last_error = 1;
	while (budget-- && recv_once(fd, sizeof(rxbuf), MSG_DONTWAIT, rx) != 0)
		;
}

/* Wait for the answer to one request: an ack/error, or a dump's end. */
static int wait_reply(int fd, struct rx *rx, int timeout_ms)
{
	memset(rx, 0, sizeof(*rx));
	rx->last_error = 1;
	while (!rx->done) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, timeout_ms);

		if (r <= 0)
			return -ETIMEDOUT;
		if (recv_once(fd, sizeof(rxbuf), MSG_DONTWAIT, rx) < 0 &&
		    errno != EINTR && errno != ENOBUFS)
			return -errno;
	}
	return rx->last_error > 0 ? 0 : rx->last_error;
}

/* ---- message building */

struct msg {
	uint8_t b[MSG_MAX];
	size_t len;
	size_t nest[64];
	int depth;
};

static void *put(struct msg *m, const void *data, size_t len)
{
	void *p;

	if (m->len + NLA_ALIGN(len) > sizeof(m->b))
		return NULL;
	p = m->b + m->len;
	if (data)
		memcpy(p, data, len);
	else
		memset(p, 0, len);
	memset(m->b + m->len + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_ALIGN(len);
	return p;
}

static void msg_init(struct msg *m, uint16_t flags, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nh;
	struct genlmsghdr *g;

	m->len = 0;
	m->depth = 0;
	nh = put(m, NULL, NLMSG_HDRLEN);
	nh->nlmsg_type = family_id;
	nh->nlmsg_flags = flags;
	nh->nlmsg_seq = (uint32_t)rnd64();
	g = put(m, NULL, GENL_HDRLEN);
	g->cmd = cmd;
	g->version = version;
}

static void msg_end(struct msg *m)
{
	((struct nlmsghdr *)m->b)->nlmsg_len = (uint32_t)m->len;
}

static bool attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->b))
		return false;
	a = put(m, NULL, NLA_HDRLEN);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	put(m, data, len);
	return true;
}

static bool attr_u8(struct msg *m, uint16_t t, uint8_t v) { return attr(m, t, &v, 1); }
static bool attr_u32(struct msg *m, uint16_t t, uint32_t v) { return attr(m, t, &v, 4); }

static bool nest_start(struct msg *m, uint16_t type)
{
	if (m->depth >= 64 || m->len + NLA_HDRLEN > sizeof(m->b))
		return false;
	m->nest[m->depth++] = m->len;
	attr(m, type, NULL, 0);
	return true;
}

static void nest_end(struct msg *m)
{
	struct nlattr *a = (void *)(m->b + m->nest[--m->depth]);
	size_t len = m->len - m->nest[m->depth];

	/* A nest longer than 64 KiB cannot be described: leave it short. */
	a->nla_len = len > 0xffff ? 0xffff : (uint16_t)len;
}

/* ---- values and attributes */

static uint32_t pid_value(void)
{
	switch (rnd(6)) {
	case 0:
		return (uint32_t)getpid();
	case 1:
		return nprocs ? (uint32_t)procs[rnd(nprocs)] : 1;
	case 2:
		return 1;
	case 3:
		return 0;
	case 4:
		return 0xffffffffu - rnd(4);
	default:
		return rnd(33000);
	}
}

static uint32_t u32_value(void)
{
	static const uint32_t interesting[] = {
		0, 1, 2, 3, 4, 9, 10, 11, 63, 64, 65, 255, 256, 999, 1000,
		59999, 60000, 60001, 0x7fffffff, 0x80000000, 0xfffffffe,
		0xffffffff,
	};

	if (chance(50))
		return interesting[rnd(sizeof(interesting) / sizeof(*interesting))];
	if (chance(50))
		return pid_value();
	return (uint32_t)rnd64();
}

enum kind { K_U8, K_U32, K_U64, K_STR, K_FLAG, K_NEST };

struct schema {
	uint16_t type;
	enum kind kind;
	const struct schema *child;	/* for K_NEST, NULL-terminated by kind 0 type 0 */
	int nchild;
};

static const struct schema counter_s[] = {
	{ FAULTACCT_COUNTER_PAD, K_U64, NULL, 0 },
	{ FAULTACCT_COUNTER_ANON, K_U64, NULL, 0 },
	{ FAULTACCT_COUNTER_FILE, K_U64, NULL, 0 },
	{ FAULTACCT_COUNTER_SHMEM, K_U64, NULL, 0 },
};

static const struct schema bucket_s[] = {
	{ FAULTACCT_BUCKET_LOG2, K_U32, NULL, 0 },
	{ FAULTACCT_BUCKET_COUNT, K_U64, NULL, 0 },
};

static const struct schema latency_s[] = {
	{ FAULTACCT_LATENCY_COUNT, K_U64, NULL, 0 },
	{ FAULTACCT_LATENCY_SUM_NS, K_U64, NULL, 0 },
	{ FAULTACCT_LATENCY_MAX_NS, K_U64, NULL, 0 },
	{ FAULTACCT_LATENCY_BUCKET, K_NEST, bucket_s, 2 },
};

static const struct schema proc_s[] = {
	{ FAULTACCT_PROC_TGID, K_U32, NULL, 0 },
	{ FAULTACCT_PROC_PPID, K_U32, NULL, 0 },
	{ FAULTACCT_PROC_START_TIME_NS, K_U64, NULL, 0 },
	{ FAULTACCT_PROC_COMM, K_STR, NULL, 0 },
	{ FAULTACCT_PROC_UID, K_U32, NULL, 0 },
	{ FAULTACCT_PROC_EXITED, K_FLAG, NULL, 0 },
	{ FAULTACCT_PROC_EXIT_CODE, K_U32, NULL, 0 },
	{ FAULTACCT_PROC_FAULTS, K_NEST, counter_s, 4 },
	{ FAULTACCT_PROC_PAGES, K_NEST, counter_s, 4 },
	{ FAULTACCT_PROC_UNCHARGED, K_NEST, counter_s, 4 },
	{ FAULTACCT_PROC_CAUSE, K_NEST, counter_s, 4 },
	{ FAULTACCT_PROC_REMOTE, K_U64, NULL, 0 },
	{ FAULTACCT_PROC_LATENCY, K_NEST, latency_s, 4 },
	{ FAULTACCT_PROC_RSS, K_NEST, counter_s, 4 },
};

static const struct schema config_s[] = {
	{ FAULTACCT_CONFIG_PAD, K_U64, NULL, 0 },
	{ FAULTACCT_CONFIG_ENABLED, K_U8, NULL, 0 },
	{ FAULTACCT_CONFIG_FILTER_MODE, K_U32, NULL, 0 },
	{ FAULTACCT_CONFIG_FILTER_TGID, K_U32, NULL, 0 },
	{ FAULTACCT_CONFIG_INTERVAL_MS, K_U32, NULL, 0 },
	{ FAULTACCT_CONFIG_FLAGS, K_U32, NULL, 0 },
};

static const struct schema probe_s[] = {
	{ FAULTACCT_PROBE_SYMBOL, K_STR, NULL, 0 },
	{ FAULTACCT_PROBE_KIND, K_U32, NULL, 0 },
	{ FAULTACCT_PROBE_PLACEMENT, K_U32, NULL, 0 },
	{ FAULTACCT_PROBE_HITS, K_U64, NULL, 0 },
	{ FAULTACCT_PROBE_NMISSED, K_U64, NULL, 0 },
};

static const struct schema status_s[] = {
	{ FAULTACCT_STATUS_VERSION, K_STR, NULL, 0 },
	{ FAULTACCT_STATUS_RELEASE, K_STR, NULL, 0 },
	{ FAULTACCT_STATUS_PAGE_SIZE, K_U32, NULL, 0 },
	{ FAULTACCT_STATUS_TABLE_SIZE, K_U32, NULL, 0 },
	{ FAULTACCT_STATUS_TABLE_USED, K_U32, NULL, 0 },
	{ FAULTACCT_STATUS_TABLE_OVERFLOW, K_U64, NULL, 0 },
	{ FAULTACCT_STATUS_MSGS_DROPPED, K_U64, NULL, 0 },
	{ FAULTACCT_STATUS_PROBE, K_NEST, probe_s, 5 },
};

static const struct schema top_s[] = {
	{ FAULTACCT_A_PAD, K_U64, NULL, 0 },
	{ FAULTACCT_A_TGID, K_U32, NULL, 0 },
	{ FAULTACCT_A_PROC, K_NEST, proc_s, 14 },
	{ FAULTACCT_A_SEQ, K_U64, NULL, 0 },
	{ FAULTACCT_A_TIMESTAMP_NS, K_U64, NULL, 0 },
	{ FAULTACCT_A_CONFIG, K_NEST, config_s, 6 },
	{ FAULTACCT_A_STATUS, K_NEST, status_s, 8 },
};

static void gen_attrs(struct msg *m, const struct schema *s, int ns,
		      int depth, int maxdepth);

/* One payload of the right kind, or of a wrong length now and then. */
static void gen_value(struct msg *m, uint16_t type, enum kind k)
{
	uint8_t buf[300];
	size_t len;
	uint32_t v32;
	uint64_t v64;

	if (chance(8)) {
		/* wrong length for the type */
		len = rnd(chance(90) ? 12 : sizeof(buf));
		rnd_bytes(buf, len);
		attr(m, type, buf, len);
		return;
	}
	switch (k) {
	case K_U8:
		attr_u8(m, type, (uint8_t)(chance(70) ? rnd(3) : rnd(256)));
		break;
	case K_U32:
		v32 = u32_value();
		attr_u32(m, type, v32);
		break;
	case K_U64:
		v64 = chance(50) ? u32_value() : rnd64();
		attr(m, type, &v64, 8);
		break;
	case K_STR:
		len = rnd(chance(90) ? 20 : sizeof(buf));
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(chance(80) ? 'a' + rnd(26) : rnd(256));
		/* with or without the NUL */
		if (len && chance(70))
			buf[len - 1] = 0;
		attr(m, type, buf, len);
		break;
	case K_FLAG:
		attr(m, type, NULL, 0);
		break;
	case K_NEST:
		break;
	}
}

static void gen_attr(struct msg *m, const struct schema *s, int ns,
		     int depth, int maxdepth)
{
	const struct schema *e = ns ? &s[rnd(ns)] : NULL;
	uint16_t type;
	uint8_t buf[64];

	if (!e || chance(15)) {
		/* unknown or random type, random flags, random payload */
		type = (uint16_t)(chance(60) ? rnd(20) : rnd64());
		if (chance(20) && depth < maxdepth) {
			if (!nest_start(m, type | (chance(50) ? NLA_F_NESTED : 0)))
				return;
			gen_attrs(m, NULL, 0, depth + 1, maxdepth);
			nest_end(m);
			return;
		}
		size_t len = rnd(sizeof(buf));

		rnd_bytes(buf, len);
		attr(m, type, buf, len);
		return;
	}
	type = e->type;
	if (chance(3))
		type |= NLA_F_NET_BYTEORDER;
	if (e->kind == K_NEST || chance(5)) {
		if (depth >= maxdepth) {
			gen_value(m, type, K_U32);
			return;
		}
		if (!nest_start(m, type | (chance(80) ? NLA_F_NESTED : 0)))
			return;
		if (e->kind == K_NEST)
			gen_attrs(m, e->child, e->nchild, depth + 1, maxdepth);
		else
			gen_attrs(m, s, ns, depth + 1, maxdepth);
		nest_end(m);
		return;
	}
	if (chance(5))
		type |= NLA_F_NESTED;	/* flag on a scalar */
	gen_value(m, type, e->kind);
}

static void gen_attrs(struct msg *m, const struct schema *s, int ns,
		      int depth, int maxdepth)
{
	int n = chance(10) ? (int)rnd(40) : (int)rnd(5);

	for (int i = 0; i < n && m->len < sizeof(m->b) - 512; i++)
		gen_attr(m, s, ns, depth, maxdepth);
}

/* Break one attribute header of the message's attribute area. */
static void corrupt_nla(struct msg *m)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	size_t pos[256];
	int n = 0;

	/* collect the offsets of top-level and nested headers */
	while (off + NLA_HDRLEN <= m->len && n < 256) {
		struct nlattr *a = (void *)(m->b + off);

		pos[n++] = off;
		if ((a->nla_type & NLA_F_NESTED) && a->nla_len > NLA_HDRLEN &&
		    chance(50))
			off += NLA_HDRLEN;
		else if (a->nla_len >= NLA_HDRLEN)
			off += NLA_ALIGN(a->nla_len);
		else
			break;
	}
	if (!n)
		return;
	{
		struct nlattr *a = (void *)(m->b + pos[rnd(n)]);
		size_t room = m->len - ((uint8_t *)a - m->b);

		switch (rnd(5)) {
		case 0:	/* too short for a header */
			a->nla_len = (uint16_t)rnd(NLA_HDRLEN);
			break;
		case 1:	/* past the end of the message */
			a->nla_len = (uint16_t)(room + 1 + rnd(64));
			break;
		case 2:	/* much too long */
			a->nla_len = (uint16_t)(0xff00 + rnd(256));
			break;
		case 3:	/* off by a little, breaking alignment */
			a->nla_len = (uint16_t)(a->nla_len + 1 + rnd(3));
			break;
		default: /* shorter than its payload */
			if (a->nla_len > NLA_HDRLEN)
				a->nla_len = (uint16_t)(NLA_HDRLEN +
					rnd(a->nla_len - NLA_HDRLEN));
			break;
		}
	}
}

/* ---- requests */

static uint16_t rnd_flags(void)
{
	static const uint16_t bits[] = {
		NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO,
		NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE,
		NLM_F_APPEND, 0x1000, 0x2000, 0x4000, 0x8000,
	};
	uint16_t f;

	if (chance(10))
		return (uint16_t)rnd64();
	f = chance(90) ? NLM_F_REQUEST : 0;
	if (chance(60))
		f |= NLM_F_ACK;
	for (int i = rnd(3); i > 0; i--)
		f |= bits[rnd(sizeof(bits) / sizeof(*bits))];
	return f;
}

static uint8_t rnd_cmd(void)
{
	switch (rnd(10)) {
	case 0:
		return 0;
	case 1:
		return 255;
	case 2:
		return (uint8_t)rnd(256);
	case 3:
		return (uint8_t)(FAULTACCT_CMD_MAX + 1 + rnd(4));
	default:
		return (uint8_t)(1 + rnd(FAULTACCT_CMD_MAX));
	}
}

static uint8_t rnd_version(void)
{
	if (chance(80))
		return FAULTACCT_GENL_VERSION;
	return chance(50) ? (uint8_t)rnd(3) : (uint8_t)rnd(256);
}

/* A well-formed request of a known command. */
static void gen_valid(struct msg *m)
{
	uint16_t flags = NLM_F_REQUEST | (chance(80) ? NLM_F_ACK : 0);

	switch (rnd(5)) {
	case 0:
		msg_init(m, flags, FAULTACCT_CMD_GET, FAULTACCT_GENL_VERSION);
		attr_u32(m, FAULTACCT_A_TGID, pid_value());
		break;
	case 1:
		msg_init(m, flags | NLM_F_DUMP, FAULTACCT_CMD_GET,
			 FAULTACCT_GENL_VERSION);
		break;
	case 2:
		msg_init(m, flags, FAULTACCT_CMD_STATUS, FAULTACCT_GENL_VERSION);
		break;
	case 3:
		msg_init(m, flags, FAULTACCT_CMD_RESET, FAULTACCT_GENL_VERSION);
		if (chance(80))
			attr_u32(m, FAULTACCT_A_TGID, pid_value());
		break;
	default:
		msg_init(m, flags, FAULTACCT_CMD_GET, FAULTACCT_GENL_VERSION);
		attr_u32(m, FAULTACCT_A_TGID, (uint32_t)getpid());
		break;
	}
	msg_end(m);
}

/*
 * CONFIG: valid values that do no lasting harm (everything is put back at
 * the end), or a mix of valid and invalid ones that must be refused whole.
 */
static bool gen_config(struct msg *m)
{
	bool invalid = chance(50);
	int bad = invalid ? (int)rnd(7) : -1;
	uint32_t n;

	msg_init(m, NLM_F_REQUEST | (chance(90) ? NLM_F_ACK : 0),
		 FAULTACCT_CMD_CONFIG, FAULTACCT_GENL_VERSION);
	nest_start(m, FAULTACCT_A_CONFIG | (chance(90) ? NLA_F_NESTED : 0));
	if (bad == 0)
		attr_u8(m, FAULTACCT_CONFIG_ENABLED, (uint8_t)(2 + rnd(254)));
	else if (chance(50))
		attr_u8(m, FAULTACCT_CONFIG_ENABLED, (uint8_t)rnd(2));
	if (bad == 1)
		attr_u32(m, FAULTACCT_CONFIG_FILTER_MODE,
			 FAULTACCT_FILTER_MAX + 1 + (chance(50) ? 0 : rnd(1000)));
	else if (chance(30))
		attr_u32(m, FAULTACCT_CONFIG_FILTER_MODE,
			 rnd(FAULTACCT_FILTER_MAX + 1));
	if (bad == 2)
		n = FAULTACCT_FILTER_MAX_TGIDS + 1 + rnd(8);
	else
		n = chance(30) ? rnd(FAULTACCT_FILTER_MAX_TGIDS + 1) : 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pid = i == 0 ? (uint32_t)getpid() :
			i <= (uint32_t)nprocs && chance(80) ?
			(uint32_t)procs[i - 1] : pid_value();

		attr_u32(m, FAULTACCT_CONFIG_FILTER_TGID, pid);
	}
	if (bad == 3)
		attr_u32(m, FAULTACCT_CONFIG_INTERVAL_MS, chance(50) ?
			 rnd(FAULTACCT_INTERVAL_MIN_MS) :
			 FAULTACCT_INTERVAL_MAX_MS + 1 + rnd(1u << 31));
	else if (chance(40))
		attr_u32(m, FAULTACCT_CONFIG_INTERVAL_MS, chance(50) ?
			 FAULTACCT_INTERVAL_MIN_MS + rnd(200) :
			 FAULTACCT_INTERVAL_MIN_MS +
			 rnd(FAULTACCT_INTERVAL_MAX_MS -
			     FAULTACCT_INTERVAL_MIN_MS + 1));
	if (bad == 4)
		attr_u32(m, FAULTACCT_CONFIG_FLAGS,
			 (uint32_t)(~FAULTACCT_CONFIG_F_ALL) & (uint32_t)rnd64() ?:
			 0x80000000u);
	else if (chance(30))
		attr_u32(m, FAULTACCT_CONFIG_FLAGS, rnd(2));
	if (bad == 5)	/* unknown attribute in the nest */
		attr_u32(m, FAULTACCT_CONFIG_MAX + 1 + rnd(20), 1);
	if (bad == 6) {	/* a value of the wrong length */
		uint8_t junk[8];

		rnd_bytes(junk, sizeof(junk));
		attr(m, FAULTACCT_CONFIG_INTERVAL_MS, junk, 1 + rnd(3) * 2);
	}
	nest_end(m);
	msg_end(m);
	if (invalid)
		st.configs_invalid++;
	else
		st.configs_valid++;
	return invalid;
}

/* A random message: random command, flags, version, attributes. */
static void gen_random(struct msg *m)
{
	struct genlmsghdr *g;

	msg_init(m, rnd_flags(), rnd_cmd(), rnd_version());
	g = (void *)(m->b + NLMSG_HDRLEN);
	if (chance(10))
		g->reserved = (uint16_t)rnd64();
	if (chance(5))
		((struct nlmsghdr *)m->b)->nlmsg_pid = (uint32_t)rnd64();
	gen_attrs(m, top_s, sizeof(top_s) / sizeof(*top_s), 0,
		  chance(20) ? (int)rnd(30) : (int)rnd(4));
	msg_end(m);
	if (chance(25))
		corrupt_nla(m);
}

/* Flip bits and bytes of a message, sparing the family id. */
static void mutate(struct msg *m)
{
	int n = 1 + rnd(8);

	for (int i = 0; i < n; i++) {
		size_t off = rnd((uint32_t)m->len);

		if (off == 4 || off == 5)
			continue;
		if (chance(50))
			m->b[off] ^= (uint8_t)(1u << rnd(8));
		else
			m->b[off] = (uint8_t)rnd64();
	}
	/* keep nlmsg_len honest most of the time, so the body is parsed */
	if (chance(80))
		msg_end(m);
}

/* ---- dumps */

static void dump_episode(void)
{
	int fd = nl_open(chance(50));
	struct msg m;
	struct rx rx;
	int how = rnd(5);

	msg_init(&m, NLM_F_REQUEST | NLM_F_DUMP | (chance(50) ? NLM_F_ACK : 0),
		 FAULTACCT_CMD_GET, FAULTACCT_GENL_VERSION);
	msg_end(&m);
	if (chance(10)) {
		int one = 1;

		setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
			   sizeof(one));
	}
	if (nl_send(fd, m.b, m.len, 1) < 0) {
		close(fd);
		return;
	}
	memset(&rx, 0, sizeof(rx));
	switch (how) {
	case 0:
		/* abandoned at once: the dump is still active at close */
		st.dumps_abandoned++;
		break;
	case 1:
	case 2:
		/* one part, read through a small buffer (truncated) or whole */
		recv_once(fd, how == 1 ? 64 + rnd(2048) : sizeof(rxbuf),
			  0, &rx);
		st.dumps_partial++;
		break;
	case 3:
		/* a second dump on the same socket while the first runs */
		recv_once(fd, sizeof(rxbuf), 0, &rx);
		nl_send(fd, m.b, m.len, 1);
		wait_reply(fd, &rx, 5000);
		drain(fd, NULL);
		st.dumps_busy++;
		break;
	default:
		if (wait_reply(fd, &rx, 5000) == 0)
			st.dumps_full++;
		break;
	}
	close(fd);
}

/* ---- the helpers that give the module something to track */

static void sleeper(void)
{
	char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct timespec ts = { 0, 500000000 };

	if (p == MAP_FAILED)
		_exit(1);
	for (unsigned int i = 0;; i++) {
		p[(i % 64) * 4096] = 1;
		if (i % 64 == 63)
			madvise(p, 64 * 4096, MADV_DONTNEED);
		nanosleep(&ts, NULL);
	}
}

static void churner(void)
{
	struct timespec ts = { 0, 5000000 };

	for (;;) {
		pid_t c = fork();

		if (c == 0) {
			char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED)
				for (int i = 0; i < 4; i++)
					p[i * 4096] = 1;
			_exit(0);
		}
		if (c > 0)
			waitpid(c, NULL, 0);
		nanosleep(&ts, NULL);
	}
}

static void start_helpers(int n, bool churn)
{
	for (int i = 0; i < n && i < MAX_PROCS; i++) {
		pid_t c = fork();

		if (c < 0)
			die("fork");
		if (c == 0)
			sleeper();
		procs[nprocs++] = c;
	}
	if (churn) {
		churn_pid = fork();
		if (churn_pid < 0)
			die("fork");
		if (churn_pid == 0)
			churner();
	}
}

static void stop_helpers(void)
{
	for (int i = 0; i < nprocs; i++)
		kill(procs[i], SIGKILL);
	if (churn_pid > 0)
		kill(churn_pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/* ---- family resolution */

static void resolve_family(void)
{
	int fd = nl_open(false);
	struct msg m;
	struct nlmsghdr *nh;
	ssize_t n;

	m.len = 0;
	m.depth = 0;
	nh = put(&m, NULL, NLMSG_HDRLEN);
	nh->nlmsg_type = GENL_ID_CTRL;
	nh->nlmsg_flags = NLM_F_REQUEST;
	nh->nlmsg_seq = 1;
	{
		struct genlmsghdr *g = put(&m, NULL, GENL_HDRLEN);

		g->cmd = CTRL_CMD_GETFAMILY;
		g->version = 1;
	}
	attr(&m, CTRL_ATTR_FAMILY_NAME, FAULTACCT_GENL_NAME,
	     sizeof(FAULTACCT_GENL_NAME));
	msg_end(&m);
	if (nl_send(fd, m.b, m.len, 0) < 0)
		die("send CTRL_CMD_GETFAMILY");
	st.sent = st.datagrams = st.bytes = 0;
	n = recv(fd, rxbuf, sizeof(rxbuf), 0);
	if (n < 0)
		die("recv CTRL_CMD_GETFAMILY");
	nh = (void *)rxbuf;
	if (!NLMSG_OK(nh, (size_t)n))
		die("short nlctrl reply");
	if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);

		errno = -e->error;
		die("family " FAULTACCT_GENL_NAME);
	}
	{
		uint8_t *a = (uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN;
		uint8_t *end = (uint8_t *)nh + nh->nlmsg_len;

		while (a + NLA_HDRLEN <= end) {
			struct nlattr *na = (void *)a;

			if (na->nla_len < NLA_HDRLEN || a + na->nla_len > end)
				break;
			if (na->nla_type == CTRL_ATTR_FAMILY_ID)
				family_id = *(uint16_t *)(a + NLA_HDRLEN);
			if ((na->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
				uint8_t *g = a + NLA_HDRLEN;

				while (g + NLA_HDRLEN <= a + na->nla_len) {
					struct nlattr *ga = (void *)g;
					uint8_t *q = g + NLA_HDRLEN;
					const char *name = NULL;
					uint32_t id = 0;

					if (ga->nla_len < NLA_HDRLEN)
						break;
					while (q + NLA_HDRLEN <= g + ga->nla_len) {
						struct nlattr *qa = (void *)q;

						if (qa->nla_len < NLA_HDRLEN)
							break;
						if (qa->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
							name = (char *)q + NLA_HDRLEN;
						if (qa->nla_type == CTRL_ATTR_MCAST_GRP_ID)
							id = *(uint32_t *)(q + NLA_HDRLEN);
						q += NLA_ALIGN(qa->nla_len);
					}
					if (name && !strcmp(name, FAULTACCT_MCGRP_STATS))
						grp_stats = id;
					if (name && !strcmp(name, FAULTACCT_MCGRP_EXIT))
						grp_exit = id;
					g += NLA_ALIGN(ga->nla_len);
				}
			}
			a += NLA_ALIGN(na->nla_len);
		}
	}
	close(fd);
	if (!family_id) {
		fprintf(stderr, "%s: no family id in the nlctrl reply\n", prog);
		exit(2);
	}
}

/* ---- configuration: read, compare, restore */

struct cfg {
	int enabled, mode, interval, flags;
	int ntgids;
	uint32_t tgids[FAULTACCT_FILTER_MAX_TGIDS];
};

static bool cfg_parse(const struct rx *rx, struct cfg *c)
{
	const uint8_t *p = rx->cfg;
	size_t len = rx->cfg_len;

	memset(c, 0, sizeof(*c));
	c->enabled = c->mode = c->interval = c->flags = -1;
	if (!len)
		return false;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		const uint8_t *v = p + NLA_HDRLEN;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return false;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case FAULTACCT_CONFIG_ENABLED:
			c->enabled = v[0];
			break;
		case FAULTACCT_CONFIG_FILTER_MODE:
			c->mode = (int)*(const uint32_t *)v;
			break;
		case FAULTACCT_CONFIG_INTERVAL_MS:
			c->interval = (int)*(const uint32_t *)v;
			break;
		case FAULTACCT_CONFIG_FLAGS:
			c->flags = (int)*(const uint32_t *)v;
			break;
		case FAULTACCT_CONFIG_FILTER_TGID:
			if (c->ntgids < FAULTACCT_FILTER_MAX_TGIDS)
				c->tgids[c->ntgids++] = *(const uint32_t *)v;
			break;
		}
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return true;
}

static bool cfg_equal(const struct cfg *a, const struct cfg *b)
{
	return a->enabled == b->enabled && a->mode == b->mode &&
	       a->interval == b->interval && a->flags == b->flags &&
	       a->ntgids == b->ntgids &&
	       !memcmp(a->tgids, b->tgids, a->ntgids * sizeof(*a->tgids));
}

static void cfg_print(const char *what, const struct cfg *c)
{
	printf("%s: %s: enabled %d filter %d (%d tgids) interval %d ms flags %#x\n",
	       prog, what, c->enabled, c->mode, c->ntgids, c->interval,
	       c->flags);
}

/* STATUS on a fresh socket; 0 and the config, or -errno. */
static int status(struct cfg *c)
{
	int fd = nl_open(false);
	struct msg m;
	struct rx rx;
	int err;

	msg_init(&m, NLM_F_REQUEST | NLM_F_ACK, FAULTACCT_CMD_STATUS,
		 FAULTACCT_GENL_VERSION);
	msg_end(&m);
	nl_send(fd, m.b, m.len, 0);
	st.sent--;
	err = wait_reply(fd, &rx, 10000);
	close(fd);
	if (err)
		return err;
	if (!rx.data || !cfg_parse(&rx, c))
		return -EBADMSG;
	return 0;
}

static int config_set(const struct cfg *c, bool with_tgids)
{
	int fd = nl_open(false);
	struct msg m;
	struct rx rx;
	int err;

	msg_init(&m, NLM_F_REQUEST | NLM_F_ACK, FAULTACCT_CMD_CONFIG,
		 FAULTACCT_GENL_VERSION);
	nest_start(&m, FAULTACCT_A_CONFIG | NLA_F_NESTED);
	attr_u8(&m, FAULTACCT_CONFIG_ENABLED, (uint8_t)c->enabled);
	attr_u32(&m, FAULTACCT_CONFIG_FILTER_MODE, (uint32_t)c->mode);
	if (with_tgids)
		for (int i = 0; i < c->ntgids; i++)
			attr_u32(&m, FAULTACCT_CONFIG_FILTER_TGID, c->tgids[i]);
	attr_u32(&m, FAULTACCT_CONFIG_INTERVAL_MS, (uint32_t)c->interval);
	attr_u32(&m, FAULTACCT_CONFIG_FLAGS, (uint32_t)c->flags);
	nest_end(&m);
	msg_end(&m);
	nl_send(fd, m.b, m.len, 0);
	st.sent--;
	err = wait_reply(fd, &rx, 10000);
	close(fd);
	return err;
}

/*
 * A refused CONFIG must change nothing: send requests that mix valid
 * changes with one invalid value and compare the configuration after each.
 */
static int check_atomic(void)
{
	struct cfg before, after;
	int failures = 0;

	if (status(&before))
		return 1;
	for (int i = 0; i < 7; i++) {
		struct msg m;
		struct rx rx;
		int fd = nl_open(false), err;

		msg_init(&m, NLM_F_REQUEST | NLM_F_ACK, FAULTACCT_CMD_CONFIG,
			 FAULTACCT_GENL_VERSION);
		nest_start(&m, FAULTACCT_A_CONFIG | NLA_F_NESTED);
		/* valid changes first, so a partial apply would show */
		attr_u8(&m, FAULTACCT_CONFIG_ENABLED, !before.enabled);
		attr_u32(&m, FAULTACCT_CONFIG_INTERVAL_MS,
			 before.interval == 777 ? 778 : 777);
		attr_u32(&m, FAULTACCT_CONFIG_FLAGS, before.flags ^ 1);
		attr_u32(&m, FAULTACCT_CONFIG_FILTER_MODE, FAULTACCT_FILTER_TGIDS);
		attr_u32(&m, FAULTACCT_CONFIG_FILTER_TGID, (uint32_t)getpid());
		switch (i) {
		case 0:
			attr_u8(&m, FAULTACCT_CONFIG_ENABLED, 2);
			break;
		case 1:
			attr_u32(&m, FAULTACCT_CONFIG_FILTER_MODE,
				 FAULTACCT_FILTER_MAX + 1);
			break;
		case 2:
			for (int k = 0; k < FAULTACCT_FILTER_MAX_TGIDS; k++)
				attr_u32(&m, FAULTACCT_CONFIG_FILTER_TGID, 1);
			break;
		case 3:
			attr_u32(&m, FAULTACCT_CONFIG_INTERVAL_MS,
				 FAULTACCT_INTERVAL_MIN_MS - 1);
			break;
		case 4:
			attr_u32(&m, FAULTACCT_CONFIG_INTERVAL_MS,
				 FAULTACCT_INTERVAL_MAX_MS + 1);
			break;
		case 5:
			attr_u32(&m, FAULTACCT_CONFIG_FLAGS, 1u << 31);
			break;
		default:
			attr_u32(&m, FAULTACCT_CONFIG_MAX + 1, 0);
			break;
		}
		nest_end(&m);
		msg_end(&m);
		nl_send(fd, m.b, m.len, 0);
		st.sent--;
		err = wait_reply(fd, &rx, 10000);
		close(fd);
		if (status(&after))
			return 1;
		if (err == 0 || !cfg_equal(&before, &after)) {
			printf("%s: FAIL: invalid CONFIG #%d %s (error %d)\n",
			       prog, i, err == 0 ? "was accepted" :
			       "was refused but applied in part", err);
			cfg_print("before", &before);
			cfg_print("after ", &after);
			failures++;
			config_set(&before, true);
		}
	}
	printf("%s: config atomicity: %d of 7 invalid CONFIGs refused whole\n",
	       prog, 7 - failures);
	return failures ? 1 : 0;
}

/* ---- main loop */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: %s [--seed S] [--count N] [--procs P] [--no-churn] [-v]\n",
		prog);
	exit(2);
}

static void print_errnos(const char *what, const uint64_t *tab)
{
	bool any = false;

	printf("%s: %s:", prog, what);
	for (int e = 0; e < MAX_ERRNO; e++) {
		if (!tab[e])
			continue;
		printf(" %s %" PRIu64, e ? strerrorname_np(e) ?: "?" : "other",
		       tab[e]);
		any = true;
	}
	printf("%s\n", any ? "" : " none");
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	unsigned long count = 100000, nhelpers = 100;
	bool churn = true;
	struct cfg orig, final;
	int fd, err, failures = 0;
	double t0, t1;
	unsigned long i;
	struct msg m, last_valid;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			seed = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--count") && a + 1 < argc)
			count = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--procs") && a + 1 < argc)
			nhelpers = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--no-churn"))
			churn = false;
		else if (!strcmp(argv[a], "-v"))
			verbose = 1;
		else
			usage();
	}
	rng_state = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%s: seed %" PRIu64 " count %lu procs %lu churn %s\n", prog,
	       seed, count, nhelpers, churn ? "yes" : "no");

	resolve_family();
	printf("%s: family %u, groups stats %u exit %u\n", prog, family_id,
	       grp_stats, grp_exit);
	if (status(&orig)) {
		fprintf(stderr, "%s: STATUS failed before fuzzing\n", prog);
		return 2;
	}
	cfg_print("config at start", &orig);
	failures += check_atomic();

	start_helpers((int)nhelpers, churn);
	fd = nl_open(true);
	msg_init(&last_valid, NLM_F_REQUEST, FAULTACCT_CMD_STATUS,
		 FAULTACCT_GENL_VERSION);
	msg_end(&last_valid);

	t0 = now();
	for (i = 0; i < count;) {
		uint32_t what = rnd(1000);

		if (what < 5) {
			dump_episode();
			i++;
		} else if (what < 15) {
			/* socket options and group membership */
			int one = (int)rnd(2), opt;

			switch (rnd(6)) {
			case 0: opt = NETLINK_EXT_ACK; break;
			case 1: opt = NETLINK_CAP_ACK; break;
			case 2: opt = NETLINK_GET_STRICT_CHK; break;
			case 3: opt = NETLINK_NO_ENOBUFS; break;
			default:
				opt = one ? NETLINK_ADD_MEMBERSHIP :
				      NETLINK_DROP_MEMBERSHIP;
				one = (int)(chance(50) ? grp_stats : grp_exit);
				break;
			}
			setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one));
		} else if (what < 17) {
			/* a new socket now and then */
			drain(fd, NULL);
			close(fd);
			fd = nl_open(true);
			st.reopen++;
		} else if (what < 37) {
			gen_config(&m);
			nl_send(fd, m.b, m.len, 1);
			i++;
		} else if (what < 200) {
			gen_valid(&m);
			last_valid = m;
			nl_send(fd, m.b, m.len, 1);
			i++;
		} else if (what < 300) {
			/* a bit-flipped copy of a valid request */
			m = last_valid;
			mutate(&m);
			nl_send(fd, m.b, m.len, 1);
			i++;
		} else if (what < 350) {
			/* truncated: nlmsghdr, genlmsghdr or attributes */
			size_t cut;

			gen_random(&m);
			cut = rnd((uint32_t)m.len);
			if (chance(50))
				((struct nlmsghdr *)m.b)->nlmsg_len = (uint32_t)cut;
			else if (chance(50))
				((struct nlmsghdr *)m.b)->nlmsg_len =
					(uint32_t)(m.len + 1 + rnd(4096));
			nl_send(fd, m.b, cut < 4 ? 4 : cut, 1);
			i++;
		} else if (what < 380) {
			/* several messages in one datagram */
			uint8_t batch[4 * MSG_MAX];
			size_t len = 0;
			unsigned int k, n = 2 + rnd(3);

			for (k = 0; k < n; k++) {
				if (chance(50))
					gen_random(&m);
				else
					gen_valid(&m);
				memcpy(batch + len, m.b, m.len);
				len += NLMSG_ALIGN(m.len);
			}
			nl_send(fd, batch, len, n);
			i += n;
		} else {
			gen_random(&m);
			nl_send(fd, m.b, m.len, 1);
			i++;
		}
		drain(fd, NULL);
		if (verbose && i % 10000 < 1)
			fprintf(stderr, "%s: %lu\n", prog, i);
	}
	drain(fd, NULL);
	t1 = now();
	close(fd);
	stop_helpers();

	printf("%s: sent %" PRIu64 " messages in %" PRIu64 " datagrams (%" PRIu64
	       " bytes) in %.1f s, %.0f msg/s\n", prog, st.sent, st.datagrams,
	       st.bytes, t1 - t0, st.sent / (t1 - t0));
	print_errnos("send errors", st.send_err);
	printf("%s: acks %" PRIu64 ", replies %" PRIu64 ", notifications %" PRIu64
	       ", NLMSG_DONE %" PRIu64 ", DUMP_INTR %" PRIu64 ", with extack %" PRIu64 "\n",
	       prog, st.acks, st.replies, st.ntf, st.done, st.intr,
	       st.ext_msgs);
	print_errnos("errors by errno", st.nlerr);
	print_errnos("recv errors", st.recv_err);
	printf("%s: dumps: %" PRIu64 " completed, %" PRIu64 " read in part, %" PRIu64
	       " abandoned at once, %" PRIu64 " with a second dump; socket reopens %" PRIu64 "\n",
	       prog, st.dumps_full, st.dumps_partial, st.dumps_abandoned,
	       st.dumps_busy, st.reopen);
	printf("%s: CONFIG: %" PRIu64 " valid, %" PRIu64 " invalid\n", prog,
	       st.configs_valid, st.configs_invalid);

	/* put the configuration back, the filter list included */
	if ((err = config_set(&orig, true)) || (err = status(&final))) {
		printf("%s: FAIL: cannot restore the configuration: %s\n",
		       prog, strerror(-err));
		failures++;
	} else {
		int stale = 0;

		/*
		 * The protocol has no way to empty the filter list once set
		 * (FILTER_TGID must be >= 1, and leaving it out keeps the
		 * list); under filter "all" a stale list is inert.
		 */
		if (orig.mode == FAULTACCT_FILTER_ALL && !orig.ntgids &&
		    final.mode == FAULTACCT_FILTER_ALL) {
			stale = final.ntgids;
			final.ntgids = 0;
		}
		if (!cfg_equal(&orig, &final)) {
			cfg_print("FAIL: config after restore", &final);
			failures++;
		} else {
			cfg_print("config restored", &final);
		}
		if (stale)
			printf("%s: note: the filter list cannot be emptied: %d stale tgids stay listed under filter all\n",
			       prog, stale);
	}
	failures += check_atomic();
	if (st.malformed) {
		printf("%s: FAIL: %" PRIu64 " malformed replies\n", prog,
		       st.malformed);
		failures++;
	}
	/* still answering: a full dump */
	{
		struct msg d;
		struct rx rx;
		int dfd = nl_open(false);

		msg_init(&d, NLM_F_REQUEST | NLM_F_DUMP, FAULTACCT_CMD_GET,
			 FAULTACCT_GENL_VERSION);
		msg_end(&d);
		nl_send(dfd, d.b, d.len, 0);
		err = wait_reply(dfd, &rx, 10000);
		close(dfd);
		printf("%s: final dump: %s, %u records\n", prog,
		       err ? strerror(-err) : "ok", rx.data);
		if (err) {
			printf("%s: FAIL: the final dump failed\n", prog);
			failures++;
		}
	}
	printf("%s: %s\n", prog, failures ? "FAIL" : "ok");
	return failures ? 1 : 0;
}
