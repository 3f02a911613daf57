// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "ops.h"

struct reply {
	struct fa_msg msg;
	struct fa_record rec;
	bool have_rec;
};

static int one_proc(const struct fa_record *rec, void *data)
{
	struct reply *r = data;

	r->rec = *rec;
	r->have_rec = true;
	return 0;
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply *r = data;
	const void *buf;
	size_t len;

	if (!fa_nl_attrs(nlh, &buf, &len) ||
	    fa_msg_parse(buf, len, &r->msg, one_proc, r)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int fa_op_status(struct fa_nl *nl, struct fa_status *st,
		 struct fa_config *cfg)
{
	struct reply *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	err = fa_nl_talk(nl, fa_nl_msg(nl, FAULTACCT_CMD_STATUS, 0),
			 reply_cb, r);
	if (!err && !r->msg.have_status)
		err = -EPROTO;
	if (!err) {
		*st = r->msg.status;
		if (cfg)
			*cfg = r->msg.config;
	}
	free(r);
	return err;
}

int fa_op_config(struct fa_nl *nl, const struct fa_config *set,
		 struct fa_config *out)
{
	struct nlmsghdr *nlh = fa_nl_msg(nl, FAULTACCT_CMD_CONFIG, 0);
	struct reply *r;
	struct nlattr *nest;
	uint32_t i;
	int err;

	nest = mnl_attr_nest_start(nlh, FAULTACCT_A_CONFIG);
	if (set->have & (1U << FAULTACCT_CONFIG_ENABLED))
		mnl_attr_put_u8(nlh, FAULTACCT_CONFIG_ENABLED, set->enabled);
	if (set->have & (1U << FAULTACCT_CONFIG_FILTER_MODE))
		mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FILTER_MODE,
				 set->filter_mode);
	if (set->have & (1U << FAULTACCT_CONFIG_FILTER_TGID))
		for (i = 0; i < set->ntgids &&
			    i < FAULTACCT_FILTER_MAX_TGIDS; i++)
			mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FILTER_TGID,
					 set->tgids[i]);
	if (set->have & (1U << FAULTACCT_CONFIG_INTERVAL_MS))
		mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_INTERVAL_MS,
				 set->interval_ms);
	if (set->have & (1U << FAULTACCT_CONFIG_FLAGS))
		mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FLAGS, set->flags);
	mnl_attr_nest_end(nlh, nest);

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = fa_nl_talk(nl, nlh, reply_cb, r);
	if (!err && out) {
		if (r->msg.have_config)
			*out = r->msg.config;
		else
			err = -EPROTO;
	}
	free(r);
	return err;
}

int fa_op_reset(struct fa_nl *nl, uint32_t tgid)
{
	struct nlmsghdr *nlh = fa_nl_msg(nl, FAULTACCT_CMD_RESET, 0);

	if (tgid)
		mnl_attr_put_u32(nlh, FAULTACCT_A_TGID, tgid);
	return fa_nl_talk(nl, nlh, NULL, NULL);
}

int fa_op_get(struct fa_nl *nl, uint32_t tgid, struct fa_record *rec)
{
	struct nlmsghdr *nlh = fa_nl_msg(nl, FAULTACCT_CMD_GET, 0);
	struct reply *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	mnl_attr_put_u32(nlh, FAULTACCT_A_TGID, tgid);
	err = fa_nl_talk(nl, nlh, reply_cb, r);
	if (!err && !r->have_rec)
		err = -EPROTO;
	if (!err)
		*rec = r->rec;
	free(r);
	return err;
}

struct dump {
	struct fa_record *recs;
	size_t n, cap;
	size_t start;		/* records before this dump began */
	int err;
	struct fa_msg msg;
};

static int dump_proc(const struct fa_record *rec, void *data)
{
	struct dump *d = data;
	struct fa_record *p;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;

		p = realloc(d->recs, cap * sizeof(*p));
		if (!p) {
			d->err = -ENOMEM;
			return -ENOMEM;
		}
		d->recs = p;
		d->cap = cap;
	}
	d->recs[d->n++] = *rec;
	return 0;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const void *buf;
	size_t len;

	if (!fa_nl_attrs(nlh, &buf, &len) ||
	    fa_msg_parse(buf, len, &d->msg, dump_proc, d)) {
		errno = d->err ? -d->err : EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static void dump_reset(void *data)
{
	struct dump *d = data;

	d->n = d->start;
}

int fa_op_dump(struct fa_nl *nl, struct fa_record **recs, size_t *n)
{
	struct dump *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	d->recs = *recs;
	d->n = d->start = d->cap = *n;
	err = fa_nl_dump(nl, FAULTACCT_CMD_GET, dump_reset, dump_cb, d);
	*recs = d->recs;
	*n = err ? d->start : d->n;
	free(d);
	return err;
}
