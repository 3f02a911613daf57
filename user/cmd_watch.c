// SPDX-License-Identifier: GPL-2.0
/*
 * faultacct watch: the "stats" and "exit" groups as a stream of lines.
 *
 * Losses are found from each group's sequence numbers (and ENOBUFS on the
 * socket) and reported on stderr; after a loss on "stats" a dump brings
 * every process's cumulative counters up to date again. When the module
 * goes away (nlctrl's DELFAMILY, or ENOENT on a request) the stream waits
 * for it to come back, found by NEWFAMILY or by resolving the family every
 * second, then subscribes again.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "cmd.h"
#include "nl.h"
#include "ops.h"
#include "track.h"
#include "util.h"

#define RETRY_MS	1000

void watch_usage(FILE *f)
{
	fputs("usage: faultacct watch [--format text|csv|json] [--stats-only|--exit-only]\n"
	      "\n"
	      "Prints every record the module multicasts, one line each, as it\n"
	      "comes: \"stats\" records (cumulative counters of the processes that\n"
	      "changed, every interval) and \"exit\" records (final counters of a\n"
	      "process that exited). Lost messages are reported on stderr, and a\n"
	      "dump (lines of group \"dump\") follows a loss of stats records. If the\n"
	      "module is unloaded, waits for it to come back. Stops on SIGINT.\n"
	      "\n"
	      "  --format FMT     text (default), csv (with a header row) or json\n"
	      "                   (one object per line)\n"
	      "  --stats-only     only the \"stats\" group\n"
	      "  --exit-only      only the \"exit\" group\n"
	      "  -h, --help       this text\n", f);
}

int watch_parse(int argc, char **argv, struct watch_opts *o)
{
	enum { O_FORMAT = 256, O_STATS, O_EXIT };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, O_FORMAT },
		{ "stats-only", no_argument, NULL, O_STATS },
		{ "exit-only", no_argument, NULL, O_EXIT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool stats_only = false, exit_only = false;
	int c, err;

	memset(o, 0, sizeof(*o));
	o->format = FA_FMT_TEXT;
	fa_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case O_FORMAT:
			if (!strcmp(optarg, "text"))
				o->format = FA_FMT_TEXT;
			else if (!strcmp(optarg, "csv"))
				o->format = FA_FMT_CSV;
			else if (!strcmp(optarg, "json"))
				o->format = FA_FMT_JSON;
			else
				return fa_usage_error("watch",
					"--format takes text, csv or json, not '%s'",
					optarg);
			break;
		case O_STATS:
			stats_only = true;
			break;
		case O_EXIT:
			exit_only = true;
			break;
		default:
			return fa_bad_option("watch", c, argv);
		}
	}
	err = fa_no_more_args("watch", argc, argv);
	if (err)
		return err;
	if (stats_only && exit_only)
		return fa_usage_error("watch",
			"--stats-only and --exit-only exclude each other");
	o->stats = !exit_only;
	o->exit = !stats_only;
	return 0;
}

struct watch {
	struct watch_opts o;
	struct fa_nl req;
	struct fa_nl ev;
	uint32_t ctrl_grp;
	uint32_t grp_stats;	/* joined on ev; 0 when not */
	uint32_t grp_exit;
	uint16_t family;
	struct fa_seq seq_stats;
	struct fa_seq seq_exit;
	bool gone;
	bool resync;
	int fatal;		/* -errno that ends the stream */
	struct fa_status st;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int join(struct watch *w, uint32_t stats, uint32_t exitg)
{
	int err;

	if (w->o.stats) {
		if (!stats) {
			fa_error("the module has no \"%s\" group",
				 FAULTACCT_MCGRP_STATS);
			return -ENOENT;
		}
		err = fa_nl_join(&w->ev, stats);
		if (err)
			return err;
		w->grp_stats = stats;
	}
	if (w->o.exit) {
		if (!exitg) {
			fa_error("the module has no \"%s\" group",
				 FAULTACCT_MCGRP_EXIT);
			return -ENOENT;
		}
		err = fa_nl_join(&w->ev, exitg);
		if (err)
			return err;
		w->grp_exit = exitg;
	}
	return 0;
}

/* The family is (back) with these ids: subscribe and count anew. */
static void came_back(struct watch *w, uint16_t family, uint32_t stats,
		      uint32_t exitg)
{
	int err;

	w->family = family;
	w->req.family = family;
	w->req.grp_stats = stats;
	w->req.grp_exit = exitg;
	fa_seq_reset(&w->seq_stats);
	fa_seq_reset(&w->seq_exit);
	err = join(w, stats, exitg);
	if (err) {
		w->fatal = err;
		return;
	}
	w->gone = false;
	fa_error("the faultacct module is back; watching again");
	/* the counters restarted from zero: show where they stand */
	w->resync = w->o.stats;
}

static void went_away(struct watch *w)
{
	if (w->gone)
		return;
	w->gone = true;
	w->family = 0;
	w->req.family = 0;
	/* the kernel dropped the memberships with the groups */
	w->grp_stats = w->grp_exit = 0;
	fa_error("the faultacct module was unloaded; waiting for it to come back");
}

static void print_rec(struct watch *w, const char *group, bool have_seq,
		      uint64_t seq, bool have_ts, uint64_t ts,
		      const struct fa_record *r)
{
	char now[40];
	struct fa_event ev = {
		.time = now,
		.group = group,
		.have_seq = have_seq,
		.seq = seq,
		.have_ts = have_ts,
		.ts_ns = ts,
	};

	fa_wall_time(now, sizeof(now));
	fa_event_line(stdout, w->o.format, &ev, r);
}

struct msg_print {
	struct watch *w;
	const char *group;
	const struct fa_msg *msg;
};

static int print_proc(const struct fa_record *r, void *data)
{
	struct msg_print *p = data;

	print_rec(p->w, p->group, p->msg->have_seq, p->msg->seq,
		  p->msg->have_ts, p->msg->ts_ns, r);
	return 0;
}

static void ctrl_msg(struct watch *w, const struct nlmsghdr *nlh)
{
	struct fa_ctrl_family fam;
	const void *buf;
	size_t len;
	uint32_t i, stats = 0, exitg = 0;
	int cmd = fa_nl_cmd(nlh);

	if (cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_DELFAMILY)
		return;
	if (!fa_nl_attrs(nlh, &buf, &len) || fa_ctrl_parse(buf, len, &fam) ||
	    strcmp(fam.name, FAULTACCT_GENL_NAME))
		return;
	if (cmd == CTRL_CMD_DELFAMILY) {
		went_away(w);
		return;
	}
	for (i = 0; i < fam.ngroups; i++) {
		if (!strcmp(fam.groups[i].name, FAULTACCT_MCGRP_STATS))
			stats = fam.groups[i].id;
		else if (!strcmp(fam.groups[i].name, FAULTACCT_MCGRP_EXIT))
			exitg = fam.groups[i].id;
	}
	if (w->gone || fam.id != w->family)
		came_back(w, fam.id, stats, exitg);
}

/*
 * Records are printed as they are parsed, with the message's seq and
 * time: a first pass reads those (and checks the whole message).
 */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct watch *w = data;
	struct fa_msg *msg;
	struct msg_print p = { .w = w };
	struct fa_seq *seq;
	const void *buf;
	size_t len;
	uint64_t gap;
	int cmd;

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		ctrl_msg(w, nlh);
		return MNL_CB_OK;
	}
	if (w->gone || nlh->nlmsg_type != w->family)
		return MNL_CB_OK;
	cmd = fa_nl_cmd(nlh);
	if (cmd == FAULTACCT_CMD_STATS_NTF && w->o.stats) {
		p.group = FAULTACCT_MCGRP_STATS;
		seq = &w->seq_stats;
	} else if (cmd == FAULTACCT_CMD_EXIT_NTF && w->o.exit) {
		p.group = FAULTACCT_MCGRP_EXIT;
		seq = &w->seq_exit;
	} else {
		return MNL_CB_OK;
	}
	if (!fa_nl_attrs(nlh, &buf, &len))
		return MNL_CB_OK;
	msg = malloc(sizeof(*msg));
	if (!msg) {
		w->fatal = -ENOMEM;
		return MNL_CB_STOP;
	}
	if (fa_msg_parse(buf, len, msg, NULL, NULL)) {
		fa_error("skipped a malformed %s message", p.group);
		free(msg);
		return MNL_CB_OK;
	}
	if (msg->have_seq) {
		gap = fa_seq_next(seq, msg->seq);
		if (gap) {
			fa_error("lost %llu message%s on group %s",
				 (unsigned long long)gap, gap == 1 ? "" : "s",
				 p.group);
			if (seq == &w->seq_stats)
				w->resync = true;
		}
	}
	p.msg = msg;
	fa_msg_parse(buf, len, msg, print_proc, &p);
	if (msg->nbad)
		fa_error("skipped %u malformed record%s in a %s message",
			 msg->nbad, msg->nbad == 1 ? "" : "s", p.group);
	free(msg);
	return MNL_CB_OK;
}

static int by_pid(const void *a, const void *b)
{
	const struct fa_record *x = a, *y = b;

	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

static void resync(struct watch *w)
{
	struct fa_record *recs = NULL;
	size_t n = 0, i;
	int err;

	w->resync = false;
	/* after an overflow, a NEWFAMILY may have been among the losses */
	err = fa_nl_resolve(&w->req);
	if (err == -ENOENT) {
		went_away(w);
		return;
	}
	if (err) {
		fa_nl_fail(&w->req, "resync", err);
		w->req.family = w->family;
		return;
	}
	if (w->req.family != w->family) {
		came_back(w, w->req.family, w->req.grp_stats,
			  w->req.grp_exit);
		w->resync = false;
	}
	err = fa_op_dump(&w->req, &recs, &n);
	if (err == -ENOENT) {
		went_away(w);
	} else if (err) {
		fa_nl_fail(&w->req, "resync dump", err);
	} else {
		if (n)
			qsort(recs, n, sizeof(*recs), by_pid);
		for (i = 0; i < n; i++)
			print_rec(w, "dump", false, 0, false, 0, &recs[i]);
	}
	free(recs);
}

static void try_resolve(struct watch *w)
{
	if (fa_nl_resolve(&w->req) == 0)
		came_back(w, w->req.family, w->req.grp_stats,
			  w->req.grp_exit);
}

int cmd_watch(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct watch *w;
	struct pollfd pfd;
	int err, ret = FA_EXIT_FAIL;

	w = calloc(1, sizeof(*w));
	if (!w)
		return FA_EXIT_FAIL;
	err = watch_parse(argc, argv, &w->o);
	if (err || w->o.help) {
		if (!err)
			watch_usage(stdout);
		free(w);
		return err;
	}
	err = fa_nl_connect(&w->req);
	if (err) {
		free(w);
		return fa_nl_fail(NULL, NULL, err);
	}
	w->family = w->req.family;
	/*
	 * A request first: where joining a group is not checked (older
	 * kernels), this is what says that CAP_NET_ADMIN is missing.
	 */
	err = fa_op_status(&w->req, &w->st, NULL);
	if (err) {
		fa_nl_fail(&w->req, "status", err);
		goto out_req;
	}
	err = fa_nl_open(&w->ev);
	if (err) {
		fa_nl_fail(NULL, "event socket", err);
		goto out_req;
	}
	fa_nl_set_rcvbuf(&w->ev, FA_NL_EVENT_RCVBUF);
	err = fa_nl_ctrl_notify_group(&w->req, &w->ctrl_grp);
	if (!err)
		err = fa_nl_join(&w->ev, w->ctrl_grp);
	if (err) {
		fa_nl_fail(&w->req, "subscribing to nlctrl", err);
		goto out_ev;
	}
	err = join(w, w->req.grp_stats, w->req.grp_exit);
	if (err) {
		if (err != -ENOENT)
			fa_nl_fail(&w->req, "subscribing", err);
		goto out_ev;
	}

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (w->o.format == FA_FMT_CSV)
		fa_event_csv_header(stdout);

	pfd.fd = fa_nl_fd(&w->ev);
	pfd.events = POLLIN;
	while (!stop && !w->fatal) {
		int n = poll(&pfd, 1, w->gone ? RETRY_MS : -1);

		if (n < 0 && errno != EINTR) {
			w->fatal = -errno;
			break;
		}
		if (n > 0) {
			for (;;) {
				err = fa_nl_recv(&w->ev, true, event_cb, w);
				if (err == -EAGAIN || w->fatal)
					break;
				if (err == -ENOBUFS) {
					fa_error("the event socket overflowed: messages were lost; resyncing");
					w->resync = w->o.stats;
				} else if (err == -EMSGSIZE) {
					fa_error("skipped a message too large for the buffer");
				} else if (err) {
					w->fatal = err;
					break;
				}
			}
		}
		if (w->gone)
			try_resolve(w);
		if (w->resync && !w->gone)
			resync(w);
	}
	if (w->fatal)
		fa_nl_fail(&w->req, "watch", w->fatal);
	else
		ret = FA_EXIT_OK;
out_ev:
	fa_nl_close(&w->ev);
out_req:
	fa_nl_close(&w->req);
	free(w);
	return ret;
}
