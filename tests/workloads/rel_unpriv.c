// SPDX-License-Identifier: GPL-2.0
/*
 * rel_unpriv: try every faultacct command and both multicast groups, and
 * print what each attempt got.
 *
 *   rel_unpriv [--expect-ok]
 *
 * Meant to run without CAP_NET_ADMIN: exits 0 when every attempt failed
 * with EPERM, 1 otherwise. With --expect-ok (as root) it checks the other
 * side: every attempt succeeded, so the EPERMs are not an accident of a
 * malformed request. The family itself is resolved through nlctrl, which
 * anyone may ask.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/faultacct.h"

static uint8_t buf[65536];
static uint16_t family_id;
static uint32_t grp_stats, grp_exit;

static void die(const char *what)
{
	fprintf(stderr, "rel_unpriv: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 10 };

	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static size_t put_attr(uint8_t *p, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (void *)p;

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_HDRLEN + NLA_ALIGN(len);
}

/*
 * Send one request and read until its ack, error or the end of a dump.
 * Returns 0 or -errno; *nrep counts the data messages.
 */
static int request(uint16_t type, uint8_t cmd, uint16_t flags,
		   const uint8_t *attrs, size_t alen, int *nrep)
{
	uint8_t req[512];
	struct nlmsghdr *nh = (void *)req;
	struct genlmsghdr *g = NLMSG_DATA(nh);
	int fd = nl_open(), err = 1;

	memset(req, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + GENL_HDRLEN + alen);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nh->nlmsg_seq = 1;
	g->cmd = cmd;
	g->version = 1;
	memcpy(req + NLMSG_HDRLEN + GENL_HDRLEN, attrs, alen);
	if (send(fd, req, nh->nlmsg_len, 0) < 0)
		die("send");
	if (nrep)
		*nrep = 0;
	while (err > 0) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		size_t len;

		if (n < 0) {
			err = -errno;
			break;
		}
		len = (size_t)n;
		for (nh = (void *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				break;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				err = 0;
				break;
			}
			if (nrep)
				++*nrep;
		}
	}
	close(fd);
	return err;
}

static void resolve(void)
{
	uint8_t a[64];
	size_t alen = put_attr(a, CTRL_ATTR_FAMILY_NAME, FAULTACCT_GENL_NAME,
			       sizeof(FAULTACCT_GENL_NAME));
	uint8_t req[256];
	struct nlmsghdr *nh = (void *)req;
	struct genlmsghdr *g = NLMSG_DATA(nh);
	int fd = nl_open();
	ssize_t n;

	memset(req, 0, sizeof(req));
	nh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + GENL_HDRLEN + alen);
	nh->nlmsg_type = GENL_ID_CTRL;
	nh->nlmsg_flags = NLM_F_REQUEST;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	memcpy(req + NLMSG_HDRLEN + GENL_HDRLEN, a, alen);
	if (send(fd, req, nh->nlmsg_len, 0) < 0)
		die("send");
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		die("recv");
	nh = (void *)buf;
	if (!NLMSG_OK(nh, (size_t)n))
		die("nlctrl reply");
	if (nh->nlmsg_type == NLMSG_ERROR) {
		errno = -((struct nlmsgerr *)NLMSG_DATA(nh))->error;
		die("family " FAULTACCT_GENL_NAME);
	}
	uint8_t *p = (uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN;
	uint8_t *end = (uint8_t *)nh + nh->nlmsg_len;

	while (p + NLA_HDRLEN <= end) {
		struct nlattr *na = (void *)p;

		if (na->nla_len < NLA_HDRLEN)
			break;
		if (na->nla_type == CTRL_ATTR_FAMILY_ID)
			family_id = *(uint16_t *)(p + NLA_HDRLEN);
		if ((na->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			uint8_t *q = p + NLA_HDRLEN;

			while (q + NLA_HDRLEN <= p + na->nla_len) {
				struct nlattr *ga = (void *)q;
				uint8_t *r = q + NLA_HDRLEN;
				const char *name = NULL;
				uint32_t id = 0;

				if (ga->nla_len < NLA_HDRLEN)
					break;
				while (r + NLA_HDRLEN <= q + ga->nla_len) {
					struct nlattr *ra = (void *)r;

					if (ra->nla_len < NLA_HDRLEN)
						break;
					if (ra->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
						name = (char *)r + NLA_HDRLEN;
					if (ra->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						id = *(uint32_t *)(r + NLA_HDRLEN);
					r += NLA_ALIGN(ra->nla_len);
				}
				if (name && !strcmp(name, FAULTACCT_MCGRP_STATS))
					grp_stats = id;
				if (name && !strcmp(name, FAULTACCT_MCGRP_EXIT))
					grp_exit = id;
				q += NLA_ALIGN(ga->nla_len);
			}
		}
		p += NLA_ALIGN(na->nla_len);
	}
	close(fd);
	if (!family_id || !grp_stats || !grp_exit) {
		fprintf(stderr, "rel_unpriv: family %u groups %u/%u incomplete\n",
			family_id, grp_stats, grp_exit);
		exit(2);
	}
}

/* Join a group with setsockopt(); 0 or -errno. */
static int join(uint32_t grp)
{
	int fd = nl_open(), err = 0;

	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		err = -errno;
	close(fd);
	return err;
}

/* Join a group through bind()'s legacy bitmask (groups 1..32 only). */
static int join_bind(uint32_t grp)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int err = 0;

	if (fd < 0)
		die("socket");
	sa.nl_groups = 1u << (grp - 1);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		err = -errno;
	close(fd);
	return err;
}

static const char *ename(int err)
{
	static char other[32];

	if (err == 0)
		return "ok";
	if (err > 0)
		return "no answer";
	snprintf(other, sizeof(other), "%s", strerrorname_np(-err) ?: "?");
	return other;
}

static unsigned long cap_eff(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long caps = ~0UL;

	if (!f)
		return caps;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			caps = strtoul(line + 7, NULL, 16);
	fclose(f);
	return caps;
}

int main(int argc, char **argv)
{
	bool expect_ok = argc > 1 && !strcmp(argv[1], "--expect-ok");
	uint8_t a[256];
	size_t alen;
	uint32_t self = (uint32_t)getpid();
	struct {
		const char *what;
		int err;
	} r[16];
	int n = 0, bad = 0, nrep;

	resolve();
	printf("rel_unpriv: uid %u euid %u CapEff %#lx, family %u, groups %u %u\n",
	       getuid(), geteuid(), cap_eff(), family_id, grp_stats, grp_exit);

	alen = put_attr(a, FAULTACCT_A_TGID, &self, 4);
	r[n].what = "GET do";
	r[n++].err = request(family_id, FAULTACCT_CMD_GET, 0, a, alen, &nrep);
	/* as root the process may be untracked yet: ENOENT is an answer */
	if (expect_ok && r[n - 1].err == -ENOENT)
		r[n - 1].err = 0;

	r[n].what = "GET dump";
	r[n++].err = request(family_id, FAULTACCT_CMD_GET, NLM_F_DUMP, NULL, 0,
			     &nrep);

	/* a CONFIG that changes nothing: no attributes at all */
	alen = NLA_HDRLEN;
	((struct nlattr *)a)->nla_type = FAULTACCT_A_CONFIG | NLA_F_NESTED;
	((struct nlattr *)a)->nla_len = NLA_HDRLEN;
	r[n].what = "CONFIG";
	r[n++].err = request(family_id, FAULTACCT_CMD_CONFIG, 0, a, alen, &nrep);

	alen = put_attr(a, FAULTACCT_A_TGID, &self, 4);
	r[n].what = "RESET";
	r[n++].err = request(family_id, FAULTACCT_CMD_RESET, 0, a, alen, &nrep);
	if (expect_ok && r[n - 1].err == -ENOENT)
		r[n - 1].err = 0;

	r[n].what = "STATUS";
	r[n++].err = request(family_id, FAULTACCT_CMD_STATUS, 0, NULL, 0, &nrep);

	r[n].what = "join stats";
	r[n++].err = join(grp_stats);
	r[n].what = "join exit";
	r[n++].err = join(grp_exit);
	if (grp_stats <= 32) {
		r[n].what = "bind stats";
		r[n++].err = join_bind(grp_stats);
	}
	if (grp_exit <= 32) {
		r[n].what = "bind exit";
		r[n++].err = join_bind(grp_exit);
	}

	for (int i = 0; i < n; i++) {
		bool ok = expect_ok ? r[i].err == 0 : r[i].err == -EPERM;

		printf("rel_unpriv: %-11s %-8s %s\n", r[i].what, ename(r[i].err),
		       ok ? "ok" : expect_ok ? "FAIL (want ok)" : "FAIL (want EPERM)");
		bad += !ok;
	}
	printf("rel_unpriv: %d of %d as expected\n", n - bad, n);
	return bad ? 1 : 0;
}
