// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parts of the netlink layer: acks and errors with extended-ack
 * text (capped or not), the end of a dump, and the control family's
 * answer that gives the family and group ids.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "nl.h"

static char buf[8192] __attribute__((aligned(8)));

/* An NLMSG_ERROR as the kernel builds it in netlink_ack(). */
static struct nlmsghdr *error_msg(int error, bool capped, const char *text,
				  bool miss)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	struct nlmsghdr *req;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_type = 0x20;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr) + 12;
	if (capped) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	} else {
		/* the request's payload follows the header copy */
		req = mnl_nlmsg_put_extra_header(nlh, 12);
		memset(req, 0xab, 12);
	}
	if (text || miss)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	if (miss)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, 2);
	return nlh;
}

static void ack_is_zero(void **state)
{
	char msg[64] = "stale";

	(void)state;
	assert_int_equal(fa_nl_parse_ack(error_msg(0, true, NULL, false), msg,
					 sizeof(msg)), 0);
	assert_string_equal(msg, "");
}

static void error_with_text(void **state)
{
	char msg[64];

	(void)state;
	assert_int_equal(fa_nl_parse_ack(error_msg(-EINVAL, true,
						   "interval out of range",
						   false), msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "interval out of range");
	/* not capped: the text is found after the echoed request */
	assert_int_equal(fa_nl_parse_ack(error_msg(-ERANGE, false, "too big",
						   false), msg, sizeof(msg)),
			 -ERANGE);
	assert_string_equal(msg, "too big");
	/* a long text is cut, and terminated */
	assert_int_equal(fa_nl_parse_ack(error_msg(-EPERM, true,
		"a message longer than the buffer it is copied into", false),
		msg, 10), -EPERM);
	assert_string_equal(msg, "a message");
}

static void error_missing_attribute(void **state)
{
	char msg[64];

	(void)state;
	assert_int_equal(fa_nl_parse_ack(error_msg(-EINVAL, true, NULL, true),
					 msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "missing attribute 2");
}

static void error_without_text(void **state)
{
	char msg[64];

	(void)state;
	assert_int_equal(fa_nl_parse_ack(error_msg(-ENOENT, false, NULL,
						   false), msg, sizeof(msg)),
			 -ENOENT);
	assert_string_equal(msg, "");
}

static void truncated_error(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	char msg[64];

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	mnl_nlmsg_put_extra_header(nlh, 4);	/* not a whole nlmsgerr */
	assert_int_equal(fa_nl_parse_ack(nlh, msg, sizeof(msg)), -EBADMSG);

	/* TLVs announced past the end of the message: no text, no crash */
	nlh = error_msg(-EIO, false, NULL, false);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 60000;
	assert_int_equal(fa_nl_parse_ack(nlh, msg, sizeof(msg)), -EIO);
	assert_string_equal(msg, "");
}

static void dump_done(void **state)
{
	struct nlmsghdr *nlh;
	char msg[64];
	int *err;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	*err = 0;
	assert_int_equal(fa_nl_parse_ack(nlh, msg, sizeof(msg)), 0);
	*err = -EMSGSIZE;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	assert_int_equal(fa_nl_parse_ack(nlh, msg, sizeof(msg)), -EMSGSIZE);
	assert_string_equal(msg, "dump failed");
}

static void family_reply(void **state)
{
	struct fa_ctrl_family fam;
	struct nlmsghdr *nlh;
	struct nlattr *grps, *g;
	const char *names[] = { "stats", "exit" };
	int i;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "faultacct");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	for (i = 0; i < 2; i++) {
		g = mnl_attr_nest_start(nlh, i + 1);
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 7 + i);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, names[i]);
		mnl_attr_nest_end(nlh, g);
	}
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(fa_ctrl_parse(mnl_nlmsg_get_payload(nlh),
				       mnl_nlmsg_get_payload_len(nlh), &fam),
			 0);
	assert_string_equal(fam.name, "faultacct");
	assert_int_equal(fam.id, 0x1d);
	assert_int_equal(fam.version, 1);
	assert_int_equal(fam.ngroups, 2);
	assert_string_equal(fam.groups[0].name, "stats");
	assert_int_equal(fam.groups[0].id, 7);
	assert_string_equal(fam.groups[1].name, "exit");
	assert_int_equal(fam.groups[1].id, 8);
}

static void family_reply_malformed(void **state)
{
	struct fa_ctrl_family fam;
	struct nlmsghdr *nlh;
	struct nlattr *grps, *g;

	(void)state;
	/* a family id of the wrong size */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	assert_int_equal(fa_ctrl_parse(mnl_nlmsg_get_payload(nlh),
				       mnl_nlmsg_get_payload_len(nlh), &fam),
			 -EINVAL);
	/* a group without an id */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	g = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "stats");
	mnl_attr_nest_end(nlh, g);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(fa_ctrl_parse(mnl_nlmsg_get_payload(nlh),
				       mnl_nlmsg_get_payload_len(nlh), &fam),
			 -EINVAL);
}

/* The genl header and the attributes after it. */
static void genl_payload(void **state)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	const void *attrs;
	size_t len;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = 6;
	mnl_attr_put_u32(nlh, 2, 5);
	assert_int_equal(fa_nl_cmd(nlh), 6);
	assert_true(fa_nl_attrs(nlh, &attrs, &len));
	assert_int_equal(len, 8);
	/* a message too short for a genl header */
	nlh = mnl_nlmsg_put_header(buf);
	assert_int_equal(fa_nl_cmd(nlh), -1);
	assert_false(fa_nl_attrs(nlh, &attrs, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ack_is_zero),
		cmocka_unit_test(error_with_text),
		cmocka_unit_test(error_missing_attribute),
		cmocka_unit_test(error_without_text),
		cmocka_unit_test(truncated_error),
		cmocka_unit_test(dump_done),
		cmocka_unit_test(family_reply),
		cmocka_unit_test(family_reply_malformed),
		cmocka_unit_test(genl_payload),
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
