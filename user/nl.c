// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "nl.h"
#include "uapi/linux/faultacct.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

int fa_nl_open(struct fa_nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->rx = malloc(FA_NL_RXBUF);
	nl->tx = malloc(FA_NL_TXBUF);
	if (!nl->rx || !nl->tx)
		goto err_free;
	nl->sk = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sk)
		goto err_free;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err_close;
	nl->portid = mnl_socket_get_portid(nl->sk);
	/* Both are best effort: without them, errors just lose their text. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->seq = (uint32_t)time(NULL);
	return 0;

err_close:
	one = errno;
	mnl_socket_close(nl->sk);
	nl->sk = NULL;
	errno = one;
err_free:
	one = errno ? errno : ENOMEM;
	free(nl->rx);
	free(nl->tx);
	nl->rx = nl->tx = NULL;
	return -one;
}

void fa_nl_close(struct fa_nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->rx);
	free(nl->tx);
	memset(nl, 0, sizeof(*nl));
}

int fa_nl_fd(const struct fa_nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

static struct nlmsghdr *genl_msg(struct fa_nl *nl, uint16_t type,
				 uint8_t cmd, uint8_t version,
				 uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->tx);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

struct nlmsghdr *fa_nl_msg(struct fa_nl *nl, uint8_t cmd, uint16_t flags)
{
	return genl_msg(nl, nl->family, cmd, FAULTACCT_GENL_VERSION, flags);
}

bool fa_nl_attrs(const struct nlmsghdr *nlh, const void **buf, size_t *len)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);

	if (nlh->nlmsg_len < NLMSG_HDRLEN || plen < GENL_HDRLEN)
		return false;
	*buf = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	*len = plen - GENL_HDRLEN;
	return true;
}

int fa_nl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -1;
	g = mnl_nlmsg_get_payload(nlh);
	return g->cmd;
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	const char *s = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a), i;

	if (!size)
		return;
	for (i = 0; i < n && i + 1 < size && s[i]; i++)
		dst[i] = s[i];
	dst[i] = '\0';
}

int fa_nl_parse_ack(const struct nlmsghdr *nlh, char *msg, size_t size)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off;
	const char *payload = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	uint32_t miss = 0;
	bool have_miss = false;
	int err;

	if (size)
		msg[0] = '\0';
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump's end: an int, then (if any) the extack attributes */
		if (plen < sizeof(int))
			return 0;
		memcpy(&err, payload, sizeof(err));
		off = sizeof(int);
	} else {
		const struct nlmsgerr *e = (const void *)payload;

		if (plen < sizeof(*e))
			return -EBADMSG;
		err = e->error;
		off = sizeof(*e);
		/* without NETLINK_CAP_ACK the request's payload comes back too */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
			off += NLMSG_ALIGN(e->msg.nlmsg_len -
					   sizeof(struct nlmsghdr));
	}
	if (err > 0)
		err = -err;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= plen)
		return err;

	mnl_attr_for_each_payload((const void *)(payload + off), plen - off) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_STRING) == 0)
				copy_str(msg, size, attr);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
				miss = mnl_attr_get_u32(attr);
				have_miss = true;
			}
			break;
		}
	}
	if (size && !msg[0] && have_miss)
		snprintf(msg, size, "missing attribute %u", miss);
	return err;
}

struct talk {
	struct fa_nl *nl;
	fa_nl_cb cb;
	void *data;
	int err;
	bool intr;
};

/*
 * Runs the messages of one datagram. Returns MNL_CB_OK to read more,
 * MNL_CB_STOP at the end, MNL_CB_ERROR on error (t->err set).
 */
static int run_msgs(struct talk *t, const char *buf, size_t n,
		    uint32_t seq, bool check_seq)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int len = (int)n, ret;

	while (mnl_nlmsg_ok(nlh, len)) {
		/* leftovers of an earlier, abandoned request */
		if (check_seq && nlh->nlmsg_seq != seq)
			goto next;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			t->intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			break;
		case NLMSG_ERROR:
		case NLMSG_DONE:
			/* on an event socket, no request of ours to end */
			if (!check_seq)
				break;
			t->err = fa_nl_parse_ack(nlh, t->nl->extack,
						 sizeof(t->nl->extack));
			return t->err ? MNL_CB_ERROR : MNL_CB_STOP;
		default:
			if (!t->cb)
				break;
			ret = t->cb(nlh, t->data);
			if (ret <= MNL_CB_STOP) {
				if (ret == MNL_CB_ERROR)
					t->err = errno ? -errno : -EINVAL;
				return ret;
			}
		}
next:
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	return MNL_CB_OK;
}

/* One datagram from the kernel; -errno on failure. */
static ssize_t recv_dgram(struct fa_nl *nl, bool nonblock)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = nl->rx, .iov_len = FA_NL_RXBUF };
	struct msghdr mh = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		n = recvmsg(fa_nl_fd(nl), &mh, nonblock ? MSG_DONTWAIT : 0);
		if (n >= 0)
			break;
		if (errno == EINTR && !nonblock)
			continue;
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	/* only the kernel speaks on these sockets */
	if (addr.nl_pid != 0)
		return 0;
	return n;
}

int fa_nl_talk(struct fa_nl *nl, struct nlmsghdr *req, fa_nl_cb cb,
	       void *data)
{
	struct talk t = { .nl = nl, .cb = cb, .data = data };
	ssize_t n;
	int ret;

	nl->extack[0] = '\0';
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		n = recv_dgram(nl, false);
		if (n < 0)
			return (int)n;
		errno = 0;
		ret = run_msgs(&t, nl->rx, (size_t)n, req->nlmsg_seq, true);
	} while (ret == MNL_CB_OK);
	if (ret == MNL_CB_ERROR)
		return t.err ? t.err : -EPROTO;
	return t.intr ? -EAGAIN : 0;
}

int fa_nl_dump(struct fa_nl *nl, uint8_t cmd, void (*reset)(void *data),
	       fa_nl_cb cb, void *data)
{
	int tries, err = -EAGAIN;

	for (tries = 0; tries < FA_NL_DUMP_TRIES && err == -EAGAIN; tries++) {
		if (reset)
			reset(data);
		err = fa_nl_talk(nl, fa_nl_msg(nl, cmd, NLM_F_DUMP), cb,
				 data);
	}
	return err;
}

int fa_nl_recv(struct fa_nl *nl, bool nonblock, fa_nl_cb cb, void *data)
{
	struct talk t = { .nl = nl, .cb = cb, .data = data };
	ssize_t n = recv_dgram(nl, nonblock);
	int ret;

	if (n < 0)
		return (int)n;
	errno = 0;
	ret = run_msgs(&t, nl->rx, (size_t)n, 0, false);
	return ret == MNL_CB_ERROR ? (t.err ? t.err : -EPROTO) : 0;
}

static int ctrl_group(const struct nlattr *nest, struct fa_ctrl_family *fam)
{
	const struct nlattr *attr;
	char name[GENL_NAMSIZ] = "";
	uint32_t id = 0;

	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(attr, MNL_TYPE_STRING) < 0)
				return -EINVAL;
			copy_str(name, sizeof(name), attr);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
				return -EINVAL;
			id = mnl_attr_get_u32(attr);
			break;
		}
	}
	if (!name[0] || !id)
		return -EINVAL;
	if (fam->ngroups < FA_CTRL_MAX_GROUPS) {
		strcpy(fam->groups[fam->ngroups].name, name);
		fam->groups[fam->ngroups].id = id;
		fam->ngroups++;
	}
	return 0;
}

int fa_ctrl_parse(const void *buf, size_t len, struct fa_ctrl_family *fam)
{
	const struct nlattr *attr, *g;
	int err;

	memset(fam, 0, sizeof(*fam));
	mnl_attr_for_each_payload(buf, len) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
				return -EINVAL;
			fam->id = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_FAMILY_NAME:
			if (mnl_attr_validate(attr, MNL_TYPE_STRING) < 0)
				return -EINVAL;
			copy_str(fam->name, sizeof(fam->name), attr);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
				return -EINVAL;
			fam->version = mnl_attr_get_u32(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
				return -EINVAL;
			mnl_attr_for_each_nested(g, attr) {
				if (mnl_attr_validate(g, MNL_TYPE_NESTED) < 0)
					return -EINVAL;
				err = ctrl_group(g, fam);
				if (err)
					return err;
			}
			break;
		}
	}
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const void *buf;
	size_t len;

	if (!fa_nl_attrs(nlh, &buf, &len) || fa_ctrl_parse(buf, len, data)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int get_family(struct fa_nl *nl, const char *name,
		      struct fa_ctrl_family *fam)
{
	struct nlmsghdr *nlh = genl_msg(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
					1, 0);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	memset(fam, 0, sizeof(*fam));
	return fa_nl_talk(nl, nlh, family_cb, fam);
}

static uint32_t group_id(const struct fa_ctrl_family *fam, const char *name)
{
	uint32_t i;

	for (i = 0; i < fam->ngroups; i++)
		if (!strcmp(fam->groups[i].name, name))
			return fam->groups[i].id;
	return 0;
}

int fa_nl_resolve(struct fa_nl *nl)
{
	struct fa_ctrl_family fam;
	int err;

	nl->family = 0;
	err = get_family(nl, FAULTACCT_GENL_NAME, &fam);
	if (err)
		return err;
	if (!fam.id)
		return -EPROTO;
	nl->family = fam.id;
	nl->version = fam.version;
	nl->grp_stats = group_id(&fam, FAULTACCT_MCGRP_STATS);
	nl->grp_exit = group_id(&fam, FAULTACCT_MCGRP_EXIT);
	return 0;
}

int fa_nl_ctrl_notify_group(struct fa_nl *nl, uint32_t *group)
{
	struct fa_ctrl_family fam;
	int err = get_family(nl, "nlctrl", &fam);

	if (err)
		return err;
	*group = group_id(&fam, "notify");
	return *group ? 0 : -ENOENT;
}

int fa_nl_connect(struct fa_nl *nl)
{
	int err = fa_nl_open(nl);

	if (err)
		return err;
	err = fa_nl_resolve(nl);
	if (err)
		fa_nl_close(nl);
	return err;
}

int fa_nl_join(struct fa_nl *nl, uint32_t group)
{
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

int fa_nl_leave(struct fa_nl *nl, uint32_t group)
{
	if (mnl_socket_setsockopt(nl->sk, NETLINK_DROP_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

int fa_nl_set_rcvbuf(struct fa_nl *nl, int bytes)
{
	int fd = fa_nl_fd(nl), got = 0;
	socklen_t len = sizeof(got);

	/* FORCE passes rmem_max, with CAP_NET_ADMIN; else take what's allowed */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len))
		return -errno;
	return got;
}

void fa_nl_not_loaded(void)
{
	struct utsname u;

	if (uname(&u))
		strcpy(u.release, "$(uname -r)");
	fprintf(stderr,
		"faultacct: the faultacct module is not loaded (try: modprobe faultacct, or insmod build/kmod/%s/faultacct.ko)\n",
		u.release);
}

int fa_nl_fail(const struct fa_nl *nl, const char *what, int err)
{
	const char *ext = nl && nl->extack[0] ? nl->extack : NULL;

	if (err > 0)
		err = -err;
	if (err == -ENOENT && (!nl || !nl->family)) {
		fa_nl_not_loaded();
	} else if (err == -EPERM || err == -EACCES) {
		fprintf(stderr,
			"faultacct: permission denied: CAP_NET_ADMIN is needed\n");
	} else if (ext) {
		fprintf(stderr, "faultacct: %s%s%s (%s)\n", what ? what : "",
			what ? ": " : "", ext, strerror(-err));
	} else {
		fprintf(stderr, "faultacct: %s%s%s\n", what ? what : "",
			what ? ": " : "", strerror(-err));
	}
	return 1;
}
