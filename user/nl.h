/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink plumbing on libmnl: family resolution, request/ack with
 * extended acks, consistent dumps, and event sockets for the multicast
 * groups.
 */
#ifndef FA_NL_H
#define FA_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#define FA_NL_RXBUF	(64 * 1024)
#define FA_NL_TXBUF	4096
/* Event sockets ask for this much receive buffer. */
#define FA_NL_EVENT_RCVBUF	(8 * 1024 * 1024)
/* Attempts at a dump that keeps being interrupted by table changes. */
#define FA_NL_DUMP_TRIES	10

struct mnl_socket;

struct fa_nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;		/* 0 until resolved */
	uint32_t version;
	uint32_t grp_stats;		/* 0 when the family has no such group */
	uint32_t grp_exit;
	char extack[256];		/* kernel's message for the last error */
	char *rx;
	char *tx;
};

/* What CTRL_CMD_GETFAMILY (or a NEW/DELFAMILY notification) says. */
#define FA_CTRL_MAX_GROUPS	16
struct fa_ctrl_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint32_t version;
	uint32_t ngroups;
	struct {
		char name[GENL_NAMSIZ];
		uint32_t id;
	} groups[FA_CTRL_MAX_GROUPS];
};

/* libmnl-style callback: MNL_CB_OK, MNL_CB_STOP or MNL_CB_ERROR. */
typedef int (*fa_nl_cb)(const struct nlmsghdr *nlh, void *data);

/* Socket only, with extended acks on. 0 or -errno. */
int fa_nl_open(struct fa_nl *nl);
/* (Re)learns the family id and group ids. -ENOENT: module not loaded. */
int fa_nl_resolve(struct fa_nl *nl);
/* The group id of nlctrl's "notify" group (family changes). */
int fa_nl_ctrl_notify_group(struct fa_nl *nl, uint32_t *group);
/* Both of the above. */
int fa_nl_connect(struct fa_nl *nl);
void fa_nl_close(struct fa_nl *nl);
int fa_nl_fd(const struct fa_nl *nl);

/* Starts a request of the family in nl->tx; add attributes with mnl. */
struct nlmsghdr *fa_nl_msg(struct fa_nl *nl, uint8_t cmd, uint16_t flags);
/*
 * Sends req with NLM_F_ACK and reads until the ack, the error or the end
 * of the dump, handing each reply to cb. Returns 0, -errno from the
 * kernel (its extack text in nl->extack), or -EAGAIN if a dump was marked
 * NLM_F_DUMP_INTR (its data was inconsistent: start it again).
 */
int fa_nl_talk(struct fa_nl *nl, struct nlmsghdr *req, fa_nl_cb cb,
	       void *data);
/*
 * A dump of cmd, started again (after reset(data)) as long as the kernel
 * marks it interrupted, up to FA_NL_DUMP_TRIES times.
 */
int fa_nl_dump(struct fa_nl *nl, uint8_t cmd, void (*reset)(void *data),
	       fa_nl_cb cb, void *data);

/* Multicast membership and buffer size of an event socket. */
int fa_nl_join(struct fa_nl *nl, uint32_t group);
int fa_nl_leave(struct fa_nl *nl, uint32_t group);
/* Sets SO_RCVBUFFORCE, else SO_RCVBUF; returns the size obtained. */
int fa_nl_set_rcvbuf(struct fa_nl *nl, int bytes);
/*
 * Reads one datagram (without blocking if nonblock) and hands each
 * message in it to cb. Returns 0, -EAGAIN when nothing was there,
 * -ENOBUFS when the kernel dropped messages for lack of buffer room, or
 * another -errno. Error and control messages are not handed on.
 */
int fa_nl_recv(struct fa_nl *nl, bool nonblock, fa_nl_cb cb, void *data);

/* The family's attributes of a genl message, after its header. */
bool fa_nl_attrs(const struct nlmsghdr *nlh, const void **buf, size_t *len);
/* The genl command of a message, or -1. */
int fa_nl_cmd(const struct nlmsghdr *nlh);

/* Pure parsers, for the tests. */
int fa_ctrl_parse(const void *buf, size_t len, struct fa_ctrl_family *fam);
/*
 * An NLMSG_ERROR (or NLMSG_DONE) message: returns its error (0 for an
 * ack, -errno otherwise), and copies the extack text, if any, into msg.
 */
int fa_nl_parse_ack(const struct nlmsghdr *nlh, char *msg, size_t size);

/*
 * One line on stderr for a failed operation, naming the common causes:
 * module not loaded (ENOENT from the family lookup), permission (EPERM).
 * what: e.g. "status", or NULL. Returns 1, the exit status to use.
 */
int fa_nl_fail(const struct fa_nl *nl, const char *what, int err);
/* The "module is not loaded" line alone. */
void fa_nl_not_loaded(void);

#endif
