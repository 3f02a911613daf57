// SPDX-License-Identifier: GPL-2.0
/*
 * faultacct top: the processes that fault the most, refreshed in place.
 *
 * Every interval it takes a dump of the module's table (cumulative
 * counters) and shows, per process, the difference with the previous dump
 * of the same process (same tgid and start time) divided by the time
 * between them. The p99 is that of the faults of the interval (the
 * difference of the histograms). Plain ANSI escapes, no curses.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "nl.h"
#include "ops.h"
#include "util.h"

/* lines above the process table */
#define HEADER_LINES	6

static const struct {
	const char *name;
	char key;
} keys[TOP_NKEYS] = {
	[TOP_FAULTS] = { "faults", 'f' },
	[TOP_MAJOR] = { "major", 'm' },
	[TOP_ANON] = { "anon", 'a' },
	[TOP_FILE] = { "file", 'F' },
	[TOP_SHMEM] = { "shmem", 's' },
	[TOP_LAT] = { "lat", 'l' },
	[TOP_PID] = { "pid", 'p' },
};

const char *top_key_name(enum top_key key)
{
	return key < TOP_NKEYS ? keys[key].name : "?";
}

bool top_key_parse(const char *name, enum top_key *key)
{
	int i;

	for (i = 0; i < TOP_NKEYS; i++) {
		if (!strcmp(name, keys[i].name)) {
			*key = (enum top_key)i;
			return true;
		}
	}
	return false;
}

int top_key_for_char(int c)
{
	int i;

	for (i = 0; i < TOP_NKEYS; i++)
		if (keys[i].key == c)
			return i;
	return -1;
}

void top_usage(FILE *f)
{
	fputs("usage: faultacct top [-d SECS] [-s KEY] [-p PID[,PID...]] [-c COMM]\n"
	      "                     [-n ITER] [-b]\n"
	      "\n"
	      "A live view of the tracked processes that fault the most: faults/s,\n"
	      "major faults/s, pages/s charged to each RSS counter, and the p99\n"
	      "fault latency over the last interval; the header shows totals and\n"
	      "the module's state. Keys: q quits; f m a F s l p sort by faults,\n"
	      "major, anon, file, shmem, latency, pid.\n"
	      "\n"
	      "  -d, --delay SECS     interval between refreshes (default 1, >= 0.1)\n"
	      "  -s, --sort KEY       faults (default), major, anon, file, shmem, lat,\n"
	      "                       pid\n"
	      "  -p, --pid PID[,...]  only these processes (repeatable)\n"
	      "  -c, --comm COMM      only processes whose command name is COMM\n"
	      "  -n, --iterations N   stop after N refreshes\n"
	      "  -b, --batch          plain text frames, no escapes, no keyboard\n"
	      "  -h, --help           this text\n", f);
}

int top_parse(int argc, char **argv, struct top_opts *o)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "sort", required_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "batch", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->delay = 1.0;
	o->key = TOP_FAULTS;
	fa_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:hd:s:p:c:n:b", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case 'd':
			if (!fa_parse_secs(optarg, 0.1, 86400, &o->delay))
				return fa_usage_error("top",
					"-d takes seconds, 0.1..86400, not '%s'",
					optarg);
			break;
		case 's':
			if (!top_key_parse(optarg, &o->key))
				return fa_usage_error("top",
					"-s takes faults, major, anon, file, shmem, lat or pid, not '%s'",
					optarg);
			break;
		case 'p':
			if (!fa_parse_pid_list(optarg, o->pids,
					       FA_TOP_MAX_PIDS, &o->npids))
				return fa_usage_error("top",
					"bad pid list '%s' (pids are 1..%u, at most %d)",
					optarg, FA_PID_MAX, FA_TOP_MAX_PIDS);
			break;
		case 'c':
			if (!*optarg || strlen(optarg) > FA_COMM_LEN - 1)
				return fa_usage_error("top",
					"-c takes a command name of 1..%d bytes",
					FA_COMM_LEN - 1);
			o->comm = optarg;
			break;
		case 'n':
			if (!fa_parse_u32(optarg, 1, UINT32_MAX,
					  &o->iterations))
				return fa_usage_error("top",
					"-n takes a positive count, not '%s'",
					optarg);
			break;
		case 'b':
			o->batch = true;
			break;
		default:
			return fa_bad_option("top", c, argv);
		}
	}
	return fa_no_more_args("top", argc, argv);
}

static bool wanted(const struct top_opts *o, const struct fa_record *r)
{
	size_t i;

	if (o->comm && strcmp(o->comm, r->comm))
		return false;
	if (!o->npids)
		return true;
	for (i = 0; i < o->npids; i++)
		if (o->pids[i] == r->tgid)
			return true;
	return false;
}

static const struct fa_record *find_prev(const struct fa_record *prev,
					 size_t n, const struct fa_record *r)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fa_record *p = &prev[mid];

		if (p->tgid == r->tgid && p->start_time_ns == r->start_time_ns)
			return p;
		if (p->tgid < r->tgid ||
		    (p->tgid == r->tgid && p->start_time_ns < r->start_time_ns))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* b - a, or b alone when the counter went back (a RESET) */
static uint64_t delta(uint64_t a, uint64_t b)
{
	return b >= a ? b - a : b;
}

size_t top_rates(const struct fa_record *prev, size_t nprev,
		 const struct fa_record *cur, size_t ncur, double dt,
		 bool first, const struct top_opts *o, struct top_row *rows,
		 struct top_row *total)
{
	static const struct fa_record zero;
	struct fa_latency lat;
	size_t i, n = 0;
	unsigned int k;

	memset(total, 0, sizeof(*total));
	if (!(dt > 0))
		dt = 1;
	for (i = 0; i < ncur; i++) {
		const struct fa_record *c = &cur[i], *p;
		struct top_row *row;
		bool back;

		if (!wanted(o, c))
			continue;
		p = find_prev(prev, nprev, c);
		row = &rows[n++];
		memset(row, 0, sizeof(*row));
		row->pid = c->tgid;
		row->ppid = c->ppid;
		memcpy(row->comm, c->comm, sizeof(row->comm));
		if (!p && first)
			continue;	/* no rate without two samples */
		if (!p)
			p = &zero;
		row->faults = delta(p->faults.total, c->faults.total) / dt;
		row->major = delta(p->faults.major, c->faults.major) / dt;
		row->anon = delta(p->pages.anon, c->pages.anon) / dt;
		row->file = delta(p->pages.file, c->pages.file) / dt;
		row->shmem = delta(p->pages.shmem, c->pages.shmem) / dt;
		memset(&lat, 0, sizeof(lat));
		back = c->lat.count < p->lat.count;
		for (k = 0; k < FA_HIST_BUCKETS; k++)
			lat.bucket[k] = back ? c->lat.bucket[k] :
				delta(p->lat.bucket[k], c->lat.bucket[k]);
		/* the interval's max is unknown: no clamp unless all is new */
		lat.max_ns = p == &zero || back ? c->lat.max_ns : 0;
		row->have_p99 = (c->have & FA_HAVE_LATENCY) &&
				fa_latency_quantile(&lat, 0.99, &row->p99_ns);
		total->faults += row->faults;
		total->major += row->major;
		total->anon += row->anon;
		total->file += row->file;
		total->shmem += row->shmem;
	}
	return n;
}

static enum top_key sort_key;

static int cmp_double(double a, double b)
{
	return a > b ? -1 : a < b;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	int c = 0;

	switch (sort_key) {
	case TOP_FAULTS:
		c = cmp_double(x->faults, y->faults);
		break;
	case TOP_MAJOR:
		c = cmp_double(x->major, y->major);
		break;
	case TOP_ANON:
		c = cmp_double(x->anon, y->anon);
		break;
	case TOP_FILE:
		c = cmp_double(x->file, y->file);
		break;
	case TOP_SHMEM:
		c = cmp_double(x->shmem, y->shmem);
		break;
	case TOP_LAT:
		if (x->have_p99 != y->have_p99)
			c = x->have_p99 ? -1 : 1;
		else if (x->p99_ns != y->p99_ns)
			c = x->p99_ns > y->p99_ns ? -1 : 1;
		break;
	case TOP_PID:
	case TOP_NKEYS:
		break;
	}
	if (c)
		return c;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void top_sort(struct top_row *rows, size_t n, enum top_key key)
{
	sort_key = key;
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_rows);
}

static const char *rate(char *buf, size_t size, double v, bool known)
{
	if (!known)
		snprintf(buf, size, "-");
	else if (v < 99999.5)
		snprintf(buf, size, "%.1f", v);
	else if (v < 99999999.5)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.2e", v);
	return buf;
}

struct screen {
	FILE *f;
	bool ansi;
	unsigned int width;
	unsigned int height;
	unsigned int lines;
};

/* One line, cut to the width; false once the height is used up. */
static bool __attribute__((format(printf, 2, 3)))
line(struct screen *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t len;

	if (s->height && s->lines >= s->height)
		return false;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	len = strlen(buf);
	if (s->width && len > s->width)
		len = s->width;
	/* the last line of the terminal takes no newline: it would scroll */
	s->lines++;
	fwrite(buf, 1, len, s->f);
	if (s->ansi)
		fputs("\033[K", s->f);
	if (!s->ansi || !s->height || s->lines < s->height)
		fputc('\n', s->f);
	return true;
}

#define ROW_FMT	"%7s %-15s %9s %8s %8s %8s %8s %8s"

void top_render(FILE *f, const struct top_frame *fr,
		const struct top_row *rows, size_t n, unsigned int width,
		unsigned int height)
{
	struct screen s = { .f = f, .ansi = fr->ansi, .width = width,
			    .height = height };
	char a[32], b[32], c[32], d[32], e[32], p[32], pid[16];
	char comm[FA_COMM_LEN + 1];
	bool known = !fr->first;
	size_t i;

	if (s.ansi)
		fputs("\033[H", f);
	line(&s, "faultacct top - %s   every %.1fs   sort: %s   (q quits)",
	     fr->time, fr->delay, top_key_name(fr->key));
	if (fr->have_status)
		line(&s, "module %s: %s, filter %s, %u/%u slots, %llu overflowed, %llu msgs dropped",
		     fr->status.version[0] ? fr->status.version : "?",
		     fr->config.enabled ? "on" : "off",
		     fa_filter_name(fr->config.filter_mode),
		     fr->status.table_used, fr->status.table_size,
		     (unsigned long long)fr->status.table_overflow,
		     (unsigned long long)fr->status.msgs_dropped);
	else
		line(&s, "module: status unavailable");
	line(&s, "total: %s faults/s, %s major/s; pages/s: anon %s, file %s, shmem %s",
	     rate(a, sizeof(a), fr->total.faults, known),
	     rate(b, sizeof(b), fr->total.major, known),
	     rate(c, sizeof(c), fr->total.anon, known),
	     rate(d, sizeof(d), fr->total.file, known),
	     rate(e, sizeof(e), fr->total.shmem, known));
	line(&s, "%zu processes tracked, %zu shown%s", fr->nprocs, n,
	     known ? "" : "; rates after the next refresh");
	line(&s, "%s", "");
	line(&s, ROW_FMT, "PID", "COMM", "FAULTS/s", "MAJOR/s", "ANON/s",
	     "FILE/s", "SHMEM/s", "P99");
	for (i = 0; i < n; i++) {
		const struct top_row *r = &rows[i];

		snprintf(pid, sizeof(pid), "%u", r->pid);
		fa_sanitize(comm, sizeof(comm), r->comm);
		if (r->have_p99)
			fa_fmt_ns(p, sizeof(p), r->p99_ns);
		else
			snprintf(p, sizeof(p), "-");
		if (!line(&s, ROW_FMT, pid, comm,
			  rate(a, sizeof(a), r->faults, known),
			  rate(b, sizeof(b), r->major, known),
			  rate(c, sizeof(c), r->anon, known),
			  rate(d, sizeof(d), r->file, known),
			  rate(e, sizeof(e), r->shmem, known), p))
			break;
	}
	if (s.ansi)
		fputs("\033[J", f);
	else
		fputc('\n', f);
	fflush(f);
}

struct top {
	struct top_opts o;
	struct fa_nl nl;
	struct fa_record *prev, *cur;
	size_t nprev, ncur;
	uint64_t prev_ns;
	bool have_prev;
	struct top_row *rows;
	size_t nrows;
	struct top_frame fr;
	bool tty;		/* drawing in place */
	bool keyboard;
};

static volatile sig_atomic_t stop, resized;
static struct termios saved_tio;
static bool tio_saved;
static bool screen_used;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static void restore_terminal(void)
{
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
		tio_saved = false;
	}
	if (screen_used) {
		/* cursor back, main screen back */
		fputs("\033[?25h\033[?1049l", stdout);
		fflush(stdout);
		screen_used = false;
	}
}

static void setup_terminal(struct top *t)
{
	struct termios tio;

	atexit(restore_terminal);
	if (t->keyboard && tcgetattr(STDIN_FILENO, &saved_tio) == 0) {
		tio = saved_tio;
		tio.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		tio.c_cc[VMIN] = 1;
		tio.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
			tio_saved = true;
	}
	fputs("\033[?1049h\033[?25l", stdout);
	screen_used = true;
}

static void term_size(unsigned int *w, unsigned int *h)
{
	struct winsize ws;

	*w = 80;
	*h = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col &&
	    ws.ws_row) {
		*w = ws.ws_col;
		*h = ws.ws_row;
	}
}

static int by_tgid_start(const void *a, const void *b)
{
	const struct fa_record *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->start_time_ns < y->start_time_ns ? -1 :
	       x->start_time_ns > y->start_time_ns;
}

static int sample(struct top *t)
{
	struct fa_record *tmp;
	uint64_t now;
	double dt;
	int err;

	tmp = t->prev;
	t->prev = t->cur;
	t->nprev = t->ncur;
	t->cur = tmp;
	t->ncur = 0;
	err = fa_op_dump(&t->nl, &t->cur, &t->ncur);
	if (err)
		return err;
	now = fa_now_ns();
	if (t->ncur)
		qsort(t->cur, t->ncur, sizeof(*t->cur), by_tgid_start);
	t->fr.have_status = fa_op_status(&t->nl, &t->fr.status,
					 &t->fr.config) == 0;
	free(t->rows);
	t->rows = calloc(t->ncur ? t->ncur : 1, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	dt = t->have_prev ? (now - t->prev_ns) / 1e9 : 0;
	t->fr.first = !t->have_prev;
	t->nrows = top_rates(t->prev, t->have_prev ? t->nprev : 0, t->cur,
			     t->ncur, dt, !t->have_prev, &t->o, t->rows,
			     &t->fr.total);
	t->fr.nprocs = t->ncur;
	t->prev_ns = now;
	t->have_prev = true;
	return 0;
}

static void draw(struct top *t)
{
	char now[40];
	unsigned int w = 0, h = 0;

	fa_wall_time(now, sizeof(now));
	t->fr.time = now + 11;		/* the time of day only */
	t->fr.key = t->o.key;
	t->fr.delay = t->o.delay;
	t->fr.ansi = t->tty;
	if (t->tty)
		term_size(&w, &h);
	top_sort(t->rows, t->nrows, t->o.key);
	top_render(stdout, &t->fr, t->rows, t->nrows, w, h);
}

/* Waits until the next refresh is due, handling keys; false: quit. */
static bool wait_next(struct top *t, uint64_t due)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	uint64_t now;
	char c;
	int k;

	while (!stop) {
		now = fa_now_ns();
		if (now >= due)
			return true;
		if (poll(&pfd, t->keyboard ? 1 : 0,
			 (int)((due - now + 999999) / 1000000)) < 0) {
			if (errno != EINTR)
				return false;
		} else if (t->keyboard && (pfd.revents & POLLIN)) {
			if (read(STDIN_FILENO, &c, 1) != 1)
				return false;
			if (c == 'q' || c == 'Q')
				return false;
			k = top_key_for_char(c);
			if (k >= 0) {
				t->o.key = (enum top_key)k;
				draw(t);
			} else if (c == ' ') {
				return true;
			}
		}
		if (resized) {
			resized = 0;
			draw(t);
		}
	}
	return false;
}

int cmd_top(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop };
	struct sigaction sw = { .sa_handler = on_winch };
	uint32_t shown = 0;
	struct top *t;
	uint64_t due;
	int err, ret = FA_EXIT_FAIL;

	t = calloc(1, sizeof(*t));
	if (!t)
		return FA_EXIT_FAIL;
	err = top_parse(argc, argv, &t->o);
	if (err || t->o.help) {
		if (!err)
			top_usage(stdout);
		free(t);
		return err;
	}
	err = fa_nl_connect(&t->nl);
	if (err) {
		free(t);
		return fa_nl_fail(NULL, NULL, err);
	}
	t->tty = !t->o.batch && isatty(STDOUT_FILENO);
	t->keyboard = t->tty && isatty(STDIN_FILENO);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&sw.sa_mask);
	sigaction(SIGWINCH, &sw, NULL);
	if (t->tty)
		setup_terminal(t);

	err = sample(t);
	/* in place, show something at once; in batch, only frames with rates */
	if (!err && t->tty)
		draw(t);
	due = fa_now_ns();
	while (!err) {
		due += (uint64_t)(t->o.delay * 1e9);
		if (!wait_next(t, due))
			break;
		err = sample(t);
		if (err)
			break;
		draw(t);
		if (t->o.iterations && ++shown >= t->o.iterations)
			break;
	}
	restore_terminal();
	if (err == -ENOENT)
		fa_error("the faultacct module was unloaded");
	else if (err)
		fa_nl_fail(&t->nl, "top", err);
	else
		ret = FA_EXIT_OK;
	fa_nl_close(&t->nl);
	free(t->prev);
	free(t->cur);
	free(t->rows);
	free(t);
	return ret;
}
