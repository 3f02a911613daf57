// SPDX-License-Identifier: GPL-2.0
/*
 * rel_config: send one raw CONFIG request with one attribute, bypassing
 * the tool's own checks, and say whether the module refused it.
 *
 *   rel_config enabled|mode|interval|flags VALUE
 *
 * Exits 0 when the module refused the request (prints the errno and the
 * extended ACK message), 1 when it accepted it, 2 on a local error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/faultacct.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK	11
#endif

static uint8_t buf[65536];

static void die(const char *what)
{
	fprintf(stderr, "rel_config: %s: %s\n", what, strerror(errno));
	exit(2);
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

/* One request, its answer: 0, -errno; the extack text in msg. */
static int request(int fd, uint16_t type, uint8_t cmd, const uint8_t *attrs,
		   size_t alen, char *msg, size_t msglen)
{
	uint8_t req[512];
	struct nlmsghdr *nh = (void *)req;
	struct genlmsghdr *g = NLMSG_DATA(nh);
	ssize_t n;
	size_t len;

	msg[0] = '\0';
	memset(req, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + GENL_HDRLEN + alen);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = 1;
	g->cmd = cmd;
	g->version = 1;
	memcpy(req + NLMSG_HDRLEN + GENL_HDRLEN, attrs, alen);
	if (send(fd, req, nh->nlmsg_len, 0) < 0)
		die("send");
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("recv");
		len = (size_t)n;
		for (nh = (void *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			struct nlmsgerr *e = NLMSG_DATA(nh);
			uint8_t *p, *end;

			if (nh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
				return e->error;
			/* the TLVs follow the echoed request (capped or not) */
			p = (uint8_t *)&e->msg +
			    ((nh->nlmsg_flags & NLM_F_CAPPED) ?
			     NLMSG_HDRLEN : NLMSG_ALIGN(e->msg.nlmsg_len));
			end = (uint8_t *)nh + nh->nlmsg_len;
			while (p + NLA_HDRLEN <= end) {
				struct nlattr *a = (void *)p;

				if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
					break;
				if (a->nla_type == NLMSGERR_ATTR_MSG)
					snprintf(msg, msglen, "%.*s",
						 (int)(a->nla_len - NLA_HDRLEN),
						 (char *)p + NLA_HDRLEN);
				p += NLA_ALIGN(a->nla_len);
			}
			return e->error;
		}
	}
}

static uint16_t resolve(int fd)
{
	uint8_t a[64], *p, *end;
	size_t alen = put_attr(a, CTRL_ATTR_FAMILY_NAME, FAULTACCT_GENL_NAME,
			       sizeof(FAULTACCT_GENL_NAME));
	uint8_t req[256];
	struct nlmsghdr *nh = (void *)req;
	struct genlmsghdr *g = NLMSG_DATA(nh);
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
	if (!NLMSG_OK(nh, (size_t)n) || nh->nlmsg_type == NLMSG_ERROR) {
		errno = ENOENT;
		die("family " FAULTACCT_GENL_NAME);
	}
	p = (uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN;
	end = (uint8_t *)nh + nh->nlmsg_len;
	while (p + NLA_HDRLEN <= end) {
		struct nlattr *na = (void *)p;

		if (na->nla_len < NLA_HDRLEN)
			break;
		if (na->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)(p + NLA_HDRLEN);
		p += NLA_ALIGN(na->nla_len);
	}
	errno = ENOENT;
	die("no family id");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		uint16_t type;
		size_t size;
	} attrs[] = {
		{ "enabled", FAULTACCT_CONFIG_ENABLED, 1 },
		{ "mode", FAULTACCT_CONFIG_FILTER_MODE, 4 },
		{ "interval", FAULTACCT_CONFIG_INTERVAL_MS, 4 },
		{ "flags", FAULTACCT_CONFIG_FLAGS, 4 },
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint8_t a[64];
	struct nlattr *nest = (void *)a;
	char msg[256];
	int fd, one = 1, err;
	uint32_t v;
	uint8_t v8;
	size_t i, alen;

	if (argc != 3)
		goto usage;
	for (i = 0; i < sizeof(attrs) / sizeof(*attrs); i++)
		if (!strcmp(argv[1], attrs[i].name))
			break;
	if (i == sizeof(attrs) / sizeof(*attrs))
		goto usage;
	v = (uint32_t)strtoul(argv[2], NULL, 0);
	v8 = (uint8_t)v;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("netlink socket");
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));

	nest->nla_type = FAULTACCT_A_CONFIG | NLA_F_NESTED;
	alen = NLA_HDRLEN + put_attr(a + NLA_HDRLEN, attrs[i].type,
				     attrs[i].size == 1 ? (void *)&v8 : (void *)&v,
				     attrs[i].size);
	nest->nla_len = (uint16_t)alen;
	err = request(fd, resolve(fd), FAULTACCT_CMD_CONFIG, a, alen, msg,
		      sizeof(msg));
	if (!err) {
		printf("CONFIG %s=%s accepted\n", argv[1], argv[2]);
		return 1;
	}
	printf("CONFIG %s=%s refused: %s%s%s\n", argv[1], argv[2],
	       strerrorname_np(-err) ?: "?", msg[0] ? ": " : "", msg);
	return 0;
usage:
	fprintf(stderr, "usage: rel_config enabled|mode|interval|flags VALUE\n");
	return 2;
}
