// SPDX-License-Identifier: GPL-2.0
/*
 * faultacct run: run a command and report the page faults of its whole
 * process tree, like perf stat.
 *
 * The order matters. The exit group is joined before the command exists,
 * so that no exit record can be missed. The child then waits on a pipe
 * while the filter is set to take it in (and every process it will fork)
 * and its counters are zeroed; only then does it exec the command. The
 * tool is a child subreaper, so orphaned descendants come back to it and
 * it can tell when the whole tree is gone. A record belongs to the tree if
 * its PPID chain, through the records received, reaches the command.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "cmd.h"
#include "nl.h"
#include "ops.h"
#include "track.h"
#include "util.h"

/* After the last expected record, how long more records may trickle in. */
#define QUIET_MS	100

void run_usage(FILE *f)
{
	fputs("usage: faultacct run [--json] [-o FILE] [--no-rss] [--grace SECS]\n"
	      "                     [--timeout SECS] [--] CMD [ARGS...]\n"
	      "\n"
	      "Runs CMD and, when it exits, reports the page faults of CMD and of\n"
	      "every process it started: faults by kind and cause, the pages each\n"
	      "fault charged to the anon, file and shmem RSS counters, latency, and\n"
	      "beside them the kernel's own RSS of each process just before it\n"
	      "exited. CMD's output is left alone; the report goes to stderr.\n"
	      "The exit status is CMD's (128 + N if a signal N killed it).\n"
	      "\n"
	      "  --json           the report as JSON (see faultacct(8))\n"
	      "  -o, --output F   write the report to F instead of stderr\n"
	      "  --no-rss         leave the kernel's RSS out of the text report\n"
	      "  --grace SECS     after CMD exits, wait this long for descendants\n"
	      "                   still running (default 1)\n"
	      "  --timeout SECS   wait this long for the exit records (default 5)\n"
	      "  -h, --help       this text\n", f);
}

int run_parse(int argc, char **argv, struct run_opts *o)
{
	enum { O_JSON = 256, O_NO_RSS, O_GRACE, O_TIMEOUT };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "output", required_argument, NULL, 'o' },
		{ "no-rss", no_argument, NULL, O_NO_RSS },
		{ "grace", required_argument, NULL, O_GRACE },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->grace = FA_RUN_GRACE_S;
	o->timeout = FA_RUN_TIMEOUT_S;
	fa_getopt_reset();
	/* '+': the first non-option is CMD; its options are its own */
	while ((c = getopt_long(argc, argv, "+:ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case O_JSON:
			o->json = true;
			break;
		case 'o':
			if (!*optarg)
				return fa_usage_error("run",
						"-o needs a file name");
			o->output = optarg;
			break;
		case O_NO_RSS:
			o->no_rss = true;
			break;
		case O_GRACE:
			if (!fa_parse_secs(optarg, 0, 3600, &o->grace))
				return fa_usage_error("run",
					"--grace takes seconds, 0..3600, not '%s'",
					optarg);
			break;
		case O_TIMEOUT:
			if (!fa_parse_secs(optarg, 0, 3600, &o->timeout))
				return fa_usage_error("run",
					"--timeout takes seconds, 0..3600, not '%s'",
					optarg);
			break;
		default:
			return fa_bad_option("run", c, argv);
		}
	}
	if (o->help)
		return 0;
	if (optind >= argc)
		return fa_usage_error("run", "no command to run");
	o->argc = argc - optind;
	o->argv = argv + optind;
	return 0;
}

struct run {
	struct run_opts o;
	struct fa_nl req;
	struct fa_nl ev;
	struct fa_status st;
	struct fa_config cfg0;		/* before the run */
	bool changed;			/* the filter was changed for the run */
	pid_t child;
	uint64_t fork_ns;		/* CLOCK_BOOTTIME just before the fork */
	int sfd;

	struct fa_seq seq;
	uint64_t lost_before;		/* seq.lost when counting began */
	bool overflow;			/* ENOBUFS ... */
	bool msg_after_overflow;	/* ... and a message came after it */

	struct fa_record *recs;		/* every exit record received */
	size_t nrecs, cap;
	pid_t *reaped;			/* every child reaped, CMD first */
	size_t nreaped, reaped_cap;
	bool cmd_done;
	int cmd_status;
	bool children_left;
};

static int add_rec(const struct fa_record *rec, void *data)
{
	struct run *r = data;

	if (!rec->exited)
		return 0;
	/*
	 * Nothing that started before the fork is in the tree: under the
	 * "all" filter, this keeps the records of the rest of the system out.
	 */
	if ((rec->have & FA_HAVE_START_TIME) && rec->start_time_ns < r->fork_ns)
		return 0;
	if (r->nrecs == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct fa_record *p = realloc(r->recs, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		r->recs = p;
		r->cap = cap;
	}
	r->recs[r->nrecs++] = *rec;
	return 0;
}

static int exit_cb(const struct nlmsghdr *nlh, void *data)
{
	struct run *r = data;
	struct fa_msg msg;
	const void *buf;
	size_t len;

	if (nlh->nlmsg_type != r->ev.family ||
	    fa_nl_cmd(nlh) != FAULTACCT_CMD_EXIT_NTF ||
	    !fa_nl_attrs(nlh, &buf, &len))
		return MNL_CB_OK;
	if (fa_msg_parse(buf, len, &msg, add_rec, r) == -ENOMEM) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	if (msg.have_seq) {
		fa_seq_next(&r->seq, msg.seq);
		if (r->overflow)
			r->msg_after_overflow = true;
	}
	return MNL_CB_OK;
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Reads every exit message waiting; false on a fatal socket error. */
static bool drain(struct run *r)
{
	int err;

	for (;;) {
		err = fa_nl_recv(&r->ev, true, exit_cb, r);
		if (err == -EAGAIN)
			return true;
		if (err == -ENOBUFS) {
			r->overflow = true;
			r->msg_after_overflow = false;
		} else if (err && err != -EMSGSIZE) {
			fa_nl_fail(&r->ev, "reading exit records", err);
			return false;
		}
	}
}

static void add_reaped(struct run *r, pid_t pid)
{
	if (r->nreaped == r->reaped_cap) {
		size_t cap = r->reaped_cap ? 2 * r->reaped_cap : 64;
		pid_t *p = realloc(r->reaped, cap * sizeof(*p));

		if (!p)
			return;		/* only costs a precise "lost" */
		r->reaped = p;
		r->reaped_cap = cap;
	}
	r->reaped[r->nreaped++] = pid;
}

static void reap(struct run *r)
{
	pid_t pid;
	int st;

	for (;;) {
		pid = waitpid(-1, &st, WNOHANG);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			r->children_left = false;
			return;
		}
		if (pid == 0) {
			r->children_left = true;
			return;
		}
		if (pid == r->child) {
			r->cmd_done = true;
			r->cmd_status = st;
		}
		add_reaped(r, pid);
	}
}

static void signals(struct run *r)
{
	struct signalfd_siginfo si;

	while (read(r->sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap(r);
			break;
		case SIGTERM:
		case SIGHUP:
			/* pass it on; the report still comes */
			if (!r->cmd_done)
				kill(r->child, (int)si.ssi_signo);
			break;
		default:
			/* SIGINT, SIGQUIT: the terminal sent CMD its own */
			break;
		}
	}
}

static bool has_record(const struct run *r, pid_t pid)
{
	size_t i;

	for (i = 0; i < r->nrecs; i++)
		if (r->recs[i].tgid == (uint32_t)pid)
			return true;
	return false;
}

static size_t missing_records(const struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nreaped; i++)
		n += !has_record(r, r->reaped[i]);
	return n;
}

static int poll_ms(uint64_t now, uint64_t deadline)
{
	uint64_t ms;

	if (now >= deadline)
		return 0;
	ms = (deadline - now + 999999) / 1000000;
	return ms > 1000 ? 1000 : (int)ms;
}

/*
 * Waits for CMD, then for its descendants (up to the grace period), then
 * for the exit records of all that were reaped (up to the timeout), then
 * for a short quiet spell in which no more records come.
 */
static bool collect(struct run *r)
{
	struct pollfd pfd[2] = {
		{ .fd = fa_nl_fd(&r->ev), .events = POLLIN },
		{ .fd = r->sfd, .events = POLLIN },
	};
	uint64_t grace_end = UINT64_MAX, rec_end = UINT64_MAX, quiet_end = 0;
	uint64_t now;
	size_t seen;

	reap(r);
	for (;;) {
		int timeout = -1, n;

		now = fa_now_ns();
		if (r->cmd_done && grace_end == UINT64_MAX)
			grace_end = now + (uint64_t)(r->o.grace * 1e9);
		if (r->cmd_done && rec_end == UINT64_MAX &&
		    (!r->children_left || now >= grace_end))
			rec_end = now + (uint64_t)(r->o.timeout * 1e9);
		if (rec_end != UINT64_MAX) {
			if (!missing_records(r)) {
				if (!quiet_end)
					quiet_end = now + QUIET_MS * 1000000ULL;
				if (now >= quiet_end)
					break;
				timeout = poll_ms(now, quiet_end);
			} else {
				if (now >= rec_end)
					break;
				timeout = poll_ms(now, rec_end);
			}
		} else if (r->cmd_done) {
			timeout = poll_ms(now, grace_end);
		}
		n = poll(pfd, 2, timeout);
		if (n < 0 && errno != EINTR) {
			fa_error("poll: %s", strerror(errno));
			return false;
		}
		if (pfd[1].revents)
			signals(r);
		if (pfd[0].revents) {
			seen = r->nrecs;
			if (!drain(r))
				return false;
			/* a record that came resets the quiet spell */
			if (r->nrecs != seen && quiet_end)
				quiet_end = 0;
		}
	}
	if (r->children_left)
		fa_error("descendants of %s still running %.1f s after it exited are not in the report",
			 r->o.argv[0], r->o.grace);
	return true;
}

/* Makes the module track the child's tree (see fa_run_filter()). */
static int track_child(struct run *r)
{
	struct fa_config set;
	int err;

	err = fa_run_filter(&r->cfg0, (uint32_t)r->child, &set);
	if (err == -ENOSPC) {
		fa_error("the module's filter list is full (%d processes)",
			 FAULTACCT_FILTER_MAX_TGIDS);
		return err;
	}
	if (!set.have)
		return 0;
	err = fa_op_config(&r->req, &set, NULL);
	if (err) {
		fa_nl_fail(&r->req, "config", err);
		return err;
	}
	r->changed = true;
	return 0;
}

/* Takes the child out of the filter again (see fa_run_unfilter()). */
static void untrack_child(struct run *r)
{
	struct fa_config now, set;
	struct fa_status st;
	int err;

	if (!r->changed)
		return;
	err = fa_op_status(&r->req, &st, &now);
	if (err == -ENOENT) {
		/* the family went away: nothing left to restore */
		fa_error("the faultacct module was unloaded during the run");
		return;
	}
	if (err) {
		fa_nl_fail(&r->req, "restoring the filter", err);
		return;
	}
	fa_run_unfilter(&r->cfg0, &now, (uint32_t)r->child, &set);
	if (!set.have)
		return;
	err = fa_op_config(&r->req, &set, NULL);
	if (err)
		fa_nl_fail(&r->req, "restoring the filter", err);
}

static int by_start(const void *a, const void *b)
{
	const struct fa_record *x = a, *y = b;

	if (x->start_time_ns != y->start_time_ns)
		return x->start_time_ns < y->start_time_ns ? -1 : 1;
	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

static int report(struct run *r, FILE *out)
{
	struct fa_report rep = { 0 };
	struct fa_record *procs;
	bool *member;
	uint64_t lost, missing;
	size_t i, n = 0;

	member = calloc(r->nrecs ? r->nrecs : 1, sizeof(*member));
	procs = calloc(r->nrecs ? r->nrecs : 1, sizeof(*procs));
	if (!member || !procs ||
	    fa_tree_members(r->recs, r->nrecs, (uint32_t)r->child,
			    member) < 0) {
		free(member);
		free(procs);
		fa_error("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < r->nrecs; i++)
		if (member[i])
			procs[n++] = r->recs[i];
	if (n)
		qsort(procs, n, sizeof(*procs), by_start);

	lost = r->seq.lost - r->lost_before;
	missing = missing_records(r);
	if (missing > lost)
		lost = missing;
	if (r->overflow && !r->msg_after_overflow && !lost)
		lost = 1;	/* at least one, how many is unknown */

	rep.argc = r->o.argc;
	rep.argv = r->o.argv;
	rep.exit_status = fa_wait_status_code((uint32_t)r->cmd_status);
	rep.kernel = fa_kernel_release();
	rep.page_size = r->st.page_size ? r->st.page_size :
			(uint32_t)sysconf(_SC_PAGESIZE);
	rep.root_pid = (uint32_t)r->child;
	rep.root_missing = !has_record(r, r->child);
	rep.no_rss = r->o.no_rss;
	rep.lost = lost;
	rep.procs = procs;
	rep.nprocs = n;
	fa_report_sum(&rep);
	if (r->o.json)
		fa_report_json(out, &rep);
	else
		fa_report_text(out, &rep);
	free(member);
	free(procs);
	return 0;
}

/*
 * The child: say it is ready, wait for the go, become CMD.
 *
 * Its counters are zeroed between "ready" and "go", so everything it
 * faults after "ready" is charged to CMD, and that must be the same from
 * one run to the next. Before "ready" it therefore touches the stack that
 * execvp() will use and calls read() once, so that nothing is left to
 * fault on the way into the wait. Otherwise whether those faults fall
 * before or after the reset, and whether a stack write copies the page or
 * reuses it (the parent may have broken the COW first), would be a race.
 * The tool is linked with -z now, so execvp() needs no lazy binding.
 */
static void __attribute__((noinline)) touch_stack(void)
{
	volatile char stack[64 * 1024];
	size_t i;

	/* below the caller's frame: where its callees' frames will be */
	for (i = 0; i < sizeof(stack); i += 512)
		stack[i] = 0;
}

static void __attribute__((noreturn))
child_main(struct run *r, int go, int errp, const sigset_t *mask)
{
	char c;
	int e;

	touch_stack();
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (read(go, &c, 0) < 0 || write(errp, "r", 1) != 1)
		_exit(FA_EXIT_FAIL);
	if (read(go, &c, 1) != 1)
		_exit(FA_EXIT_FAIL);	/* the parent gave up */
	execvp(r->o.argv[0], r->o.argv);
	e = errno;
	fprintf(stderr, "faultacct: %s: %s\n", r->o.argv[0], strerror(e));
	if (write(errp, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(e == ENOENT ? 127 : 126);
}

/* The child's first byte on errp: it is ready, or it died. */
static bool child_ready(int errp)
{
	char c;
	ssize_t n;

	do {
		n = read(errp, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1 && c == 'r';
}

static int setup(struct run *r)
{
	int err;

	err = fa_nl_connect(&r->req);
	if (err)
		return fa_nl_fail(NULL, NULL, err), err;
	err = fa_op_status(&r->req, &r->st, &r->cfg0);
	if (err)
		return fa_nl_fail(&r->req, "status", err), err;
	if (!r->req.grp_exit) {
		fa_error("the module has no \"%s\" group", FAULTACCT_MCGRP_EXIT);
		return -ENOENT;
	}
	err = fa_nl_open(&r->ev);
	if (err)
		return fa_nl_fail(NULL, "event socket", err), err;
	r->ev.family = r->req.family;
	fa_nl_set_rcvbuf(&r->ev, FA_NL_EVENT_RCVBUF);
	err = fa_nl_join(&r->ev, r->req.grp_exit);
	if (err)
		return fa_nl_fail(&r->ev, "joining the exit group", err), err;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		fa_error("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	sigset_t mask, old;
	struct run *r;
	FILE *out = stderr;
	int go[2], errp[2], e, n, ret = FA_EXIT_FAIL;

	r = calloc(1, sizeof(*r));
	if (!r)
		return FA_EXIT_FAIL;
	r->sfd = -1;
	ret = run_parse(argc, argv, &r->o);
	if (ret || r->o.help) {
		if (!ret)
			run_usage(stdout);
		free(r);
		return ret;
	}
	ret = FA_EXIT_FAIL;
	if (r->o.output) {
		out = fopen(r->o.output, "we");
		if (!out) {
			fa_error("%s: %s", r->o.output, strerror(errno));
			free(r);
			return FA_EXIT_FAIL;
		}
	}
	if (setup(r))
		goto out;

	/* inherited SIG_IGN would have the kernel reap CMD for us, unseen */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGQUIT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	r->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (r->sfd < 0 || pipe2(go, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		fa_error("%s", strerror(errno));
		goto out_mask;
	}
	fflush(NULL);
	r->fork_ns = boottime_ns();
	r->child = fork();
	if (r->child < 0) {
		fa_error("fork: %s", strerror(errno));
		goto out_mask;
	}
	if (r->child == 0) {
		close(go[1]);
		close(errp[0]);
		child_main(r, go[0], errp[1], &old);
	}
	close(go[0]);
	close(errp[1]);

	if (!child_ready(errp[0])) {
		fa_error("the child process died before running %s",
			 r->o.argv[0]);
		waitpid(r->child, NULL, 0);
		goto out_mask;
	}
	if (track_child(r)) {
		close(go[1]);	/* the child exits without running CMD */
		waitpid(r->child, NULL, 0);
		goto out_mask;
	}
	/* the child's own faults before exec are not CMD's */
	e = fa_op_reset(&r->req, (uint32_t)r->child);
	if (e && e != -ENOENT)
		fa_nl_fail(&r->req, "reset", e);
	/* losses count from here: earlier exits were not ours */
	if (!drain(r))
		goto out_kill;
	r->lost_before = r->seq.lost;

	if (write(go[1], "g", 1) != 1) {
		fa_error("starting %s: %s", r->o.argv[0], strerror(errno));
		goto out_kill;
	}
	close(go[1]);
	/* EOF: exec worked (the pipe is close-on-exec); an errno: it failed */
	do {
		n = (int)read(errp[0], &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(errp[0]);
	if (n == sizeof(e)) {
		while (waitpid(r->child, &r->cmd_status, 0) < 0 &&
		       errno == EINTR)
			;
		untrack_child(r);
		ret = fa_wait_status_code((uint32_t)r->cmd_status);
		goto out_mask;
	}

	if (!collect(r))
		goto out_kill;
	untrack_child(r);
	if (report(r, out) == 0)
		ret = fa_wait_status_code((uint32_t)r->cmd_status);
	goto out_mask;

out_kill:
	if (!r->cmd_done) {
		kill(r->child, SIGKILL);
		waitpid(r->child, NULL, 0);
	}
	untrack_child(r);
out_mask:
	if (r->sfd >= 0)
		close(r->sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	if (out != stderr && fclose(out)) {
		fa_error("%s: %s", r->o.output, strerror(errno));
		ret = FA_EXIT_FAIL;
	}
	if (r->ev.sk)
		fa_nl_close(&r->ev);
	if (r->req.sk)
		fa_nl_close(&r->req);
	free(r->recs);
	free(r->reaped);
	free(r);
	return ret;
}
