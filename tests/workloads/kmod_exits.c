// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_exits: the "exit" multicast group, from the module's side.
 *
 *   kmod_exits NCHILDREN
 *
 * Listens on the exit group, forks NCHILDREN children one after the other
 * (each writes 4 pages and exits with its own code) and checks that every
 * child's exit record arrives exactly once, with the exit status wait(2)
 * gave, the EXITED flag, an RSS nest and at least the 4 anon pages it
 * charged; that FAULTACCT_A_SEQ has no gap; and how long after the child
 * was reaped its record came (median, 99th percentile, max). Exits 1 on
 * any loss or mismatch. Needs CAP_NET_ADMIN and the default filter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/linux/faultacct.h"

#define PAGE	4096UL

struct child {
	pid_t pid;
	int status;
	double reaped;		/* s, CLOCK_MONOTONIC */
	double got;		/* when its record came; 0: not yet */
	int records;
};

static struct mnl_socket *nl;
static uint16_t family;
static uint32_t exit_group;
static struct child *kids;
static long nkids;
static uint64_t last_seq;
static long gaps, bad, strangers;

static void die(const char *what)
{
	fprintf(stderr, "kmod_exits: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int family_cb(const struct nlmsghdr *nlh,
		     void *data __attribute__((unused)))
{
	struct nlattr *a, *g, *f;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(g, a) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(f, g) {
				if (mnl_attr_get_type(f) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(f);
				if (mnl_attr_get_type(f) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(f);
			}
			if (name && !strcmp(name, FAULTACCT_MCGRP_EXIT))
				exit_group = id;
		}
	}
	return MNL_CB_OK;
}

static void resolve(void)
{
	char buf[8192];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	int ret;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, FAULTACCT_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	do {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0)
			die("recvfrom");
		ret = mnl_cb_run(buf, ret, 1, mnl_socket_get_portid(nl),
				 family_cb, NULL);
	} while (ret > 0);
	if (!family || !exit_group)
		die("family faultacct and its exit group");
}

static struct child *find(pid_t pid)
{
	for (long i = 0; i < nkids; i++)
		if (kids[i].pid == pid)
			return &kids[i];
	return NULL;
}

static int exit_cb(const struct nlmsghdr *nlh,
		   void *data __attribute__((unused)))
{
	struct nlattr *a, *p, *n;
	uint64_t anon = 0;
	int exited = 0, has_rss = 0;
	uint32_t code = UINT32_MAX;
	pid_t pid = 0;
	struct child *c;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == FAULTACCT_A_SEQ) {
			uint64_t seq = mnl_attr_get_u64(a);

			if (last_seq && seq != last_seq + 1)
				gaps += seq - last_seq - 1;
			last_seq = seq;
		}
		if (mnl_attr_get_type(a) != FAULTACCT_A_PROC)
			continue;
		mnl_attr_for_each_nested(p, a) {
			switch (mnl_attr_get_type(p)) {
			case FAULTACCT_PROC_TGID:
				pid = mnl_attr_get_u32(p);
				break;
			case FAULTACCT_PROC_EXITED:
				exited = 1;
				break;
			case FAULTACCT_PROC_EXIT_CODE:
				code = mnl_attr_get_u32(p);
				break;
			case FAULTACCT_PROC_RSS:
				has_rss = 1;
				break;
			case FAULTACCT_PROC_PAGES:
				mnl_attr_for_each_nested(n, p)
					if (mnl_attr_get_type(n) ==
					    FAULTACCT_COUNTER_ANON)
						anon = mnl_attr_get_u64(n);
				break;
			}
		}
	}
	c = find(pid);
	if (!c) {
		strangers++;
		return MNL_CB_OK;
	}
	c->records++;
	c->got = now();
	if (!exited || !has_rss || anon < 4 || code != (uint32_t)c->status) {
		fprintf(stderr,
			"kmod_exits: pid %d: exited %d rss %d anon %llu code %#x (wait: %#x)\n",
			pid, exited, has_rss, (unsigned long long)anon, code,
			c->status);
		bad++;
	}
	return MNL_CB_OK;
}

/* Read what is there; wait up to @ms for more. */
static void drain(int ms)
{
	static char buf[1 << 16];
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	int ret;

	while (poll(&pfd, 1, ms) > 0) {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "kmod_exits: ENOBUFS\n");
				bad++;
				continue;
			}
			die("recvfrom");
		}
		mnl_cb_run(buf, ret, 0, 0, exit_cb, NULL);
		ms = 0;
	}
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int rcvbuf = 16 << 20;
	long missing = 0, dup = 0, n = 0;
	double *lat, deadline;

	if (argc != 2 || (nkids = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: kmod_exits NCHILDREN\n");
		return 2;
	}
	kids = calloc(nkids, sizeof(*kids));
	lat = calloc(nkids, sizeof(*lat));
	if (!kids || !lat)
		die("calloc");

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink");
	resolve();
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) ||
	    mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &exit_group,
				  sizeof(exit_group)))
		die("join exit group");

	for (long i = 0; i < nkids; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			for (int k = 0; p != MAP_FAILED && k < 4; k++)
				p[k * PAGE] = 1;
			_exit(i & 0xff);
		}
		kids[i].pid = pid;
		if (waitpid(pid, &kids[i].status, 0) != pid)
			die("waitpid");
		kids[i].reaped = now();
		drain(0);
	}
	deadline = now() + 10;
	while (now() < deadline) {
		long left = 0;

		for (long i = 0; i < nkids; i++)
			left += !kids[i].records;
		if (!left)
			break;
		drain(100);
	}

	for (long i = 0; i < nkids; i++) {
		if (!kids[i].records)
			missing++;
		else if (kids[i].records > 1)
			dup++;
		if (kids[i].records) {
			double d = kids[i].got - kids[i].reaped;

			lat[n++] = d > 0 ? d : 0;
		}
	}
	qsort(lat, n, sizeof(*lat), cmp);
	printf("kmod_exits: %ld children, %ld records, missing %ld, duplicates %ld, bad %ld, seq gaps %ld, others' records %ld\n",
	       nkids, n, missing, dup, bad, gaps, strangers);
	if (n)
		printf("kmod_exits: record after reaping: median %.1f ms, p99 %.1f ms, max %.1f ms\n",
		       lat[n / 2] * 1e3, lat[n * 99 / 100] * 1e3,
		       lat[n - 1] * 1e3);
	return missing || dup || bad || gaps ? 1 : 0;
}
