// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "format.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *fa_fmt_count(char *buf, size_t size, uint64_t v)
{
	char digits[32];
	size_t n, i, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, v);
	for (i = 0; i < n && o + 1 < size; i++) {
		if (i && (n - i) % 3 == 0) {
			buf[o++] = ',';
			if (o + 1 >= size)
				break;
		}
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *fa_fmt_scount(char *buf, size_t size, int64_t v)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (v >= 0 || size < 2)
		return fa_fmt_count(buf, size, mag);
	buf[0] = '-';
	fa_fmt_count(buf + 1, size - 1, mag);
	return buf;
}

const char *fa_fmt_ns(char *buf, size_t size, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, size, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.1fms", ns / 1e6);
	else
		snprintf(buf, size, "%.2fs", ns / 1e9);
	return buf;
}

const char *fa_fmt_quantile(char *buf, size_t size,
			    const struct fa_record *r, double q)
{
	uint64_t ns;

	if (!(r->have & FA_HAVE_LATENCY) ||
	    !fa_latency_quantile(&r->lat, q, &ns)) {
		snprintf(buf, size, "-");
		return buf;
	}
	return fa_fmt_ns(buf, size, ns);
}

void fa_sanitize(char *dst, size_t size, const char *src)
{
	size_t i;

	if (!size)
		return;
	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

const char *fa_filter_name(uint32_t mode)
{
	static const char *const names[] = {
		[FAULTACCT_FILTER_ALL] = "all",
		[FAULTACCT_FILTER_TGIDS] = "tgids",
		[FAULTACCT_FILTER_TREE] = "tree",
	};

	return mode < ARRAY_SIZE(names) ? names[mode] : "unknown";
}

const char *fa_probe_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[FAULTACCT_PROBE_KIND_KPROBE] = "kprobe",
		[FAULTACCT_PROBE_KIND_KRETPROBE] = "kretprobe",
		[FAULTACCT_PROBE_KIND_TRACEPOINT] = "tracepoint",
		[FAULTACCT_PROBE_KIND_FTRACE] = "ftrace",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}

const char *fa_probe_placement_name(uint32_t placement)
{
	static const char *const names[] = {
		[FAULTACCT_PROBE_PLACEMENT_NONE] = "none",
		[FAULTACCT_PROBE_PLACEMENT_INT3] = "int3",
		[FAULTACCT_PROBE_PLACEMENT_FTRACE] = "ftrace",
		[FAULTACCT_PROBE_PLACEMENT_OPTIMIZED] = "optimized",
		[FAULTACCT_PROBE_PLACEMENT_TRACEPOINT] = "tracepoint",
		[FAULTACCT_PROBE_PLACEMENT_DIRECT] = "direct",
	};

	return placement < ARRAY_SIZE(names) ? names[placement] : "unknown";
}

int fa_wait_status_code(uint32_t status)
{
	int st = (int)status;

	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* ---- JSON ---- */

static void json_counters(struct fa_json *j, const char *key,
			  const struct fa_counters *c)
{
	fa_json_key(j, key);
	fa_json_obj_begin(j);
	fa_json_kv_u64(j, "anon", c->anon);
	fa_json_kv_u64(j, "file", c->file);
	fa_json_kv_u64(j, "shmem", c->shmem);
	fa_json_obj_end(j);
}

static void json_quantile(struct fa_json *j, const char *key,
			  const struct fa_record *r, double q)
{
	uint64_t ns;

	fa_json_key(j, key);
	if ((r->have & FA_HAVE_LATENCY) &&
	    fa_latency_quantile(&r->lat, q, &ns))
		fa_json_u64(j, ns);
	else
		fa_json_null(j);
}

void fa_json_rec_members(struct fa_json *j, const struct fa_record *r)
{
	bool lat = (r->have & FA_HAVE_LATENCY) && r->lat.count;

	fa_json_key(j, "faults");
	fa_json_obj_begin(j);
	fa_json_kv_u64(j, "total", r->faults.total);
	fa_json_kv_u64(j, "minor", r->faults.minor);
	fa_json_kv_u64(j, "major", r->faults.major);
	/* not counted unless faults are bracketed (--outcomes, --latency) */
	if (r->have & FA_HAVE_OUTCOMES) {
		fa_json_kv_u64(j, "retry", r->faults.retry);
		fa_json_kv_u64(j, "error", r->faults.error);
	} else {
		fa_json_key(j, "retry");
		fa_json_null(j);
		fa_json_key(j, "error");
		fa_json_null(j);
	}
	fa_json_obj_end(j);

	json_counters(j, "pages", &r->pages);
	json_counters(j, "uncharged", &r->uncharged);

	fa_json_key(j, "net");
	fa_json_obj_begin(j);
	fa_json_kv_i64(j, "anon", fa_net(r->pages.anon, r->uncharged.anon));
	fa_json_kv_i64(j, "file", fa_net(r->pages.file, r->uncharged.file));
	fa_json_kv_i64(j, "shmem",
		       fa_net(r->pages.shmem, r->uncharged.shmem));
	fa_json_obj_end(j);

	fa_json_key(j, "cause");
	fa_json_obj_begin(j);
	fa_json_kv_u64(j, "anon", r->cause.anon);
	fa_json_kv_u64(j, "cow", r->cause.cow);
	fa_json_kv_u64(j, "read", r->cause.read);
	fa_json_kv_u64(j, "shared", r->cause.shared);
	fa_json_kv_u64(j, "swapin", r->cause.swapin);
	fa_json_kv_u64(j, "thp", r->cause.thp);
	fa_json_kv_u64(j, "mthp", r->cause.mthp);
	fa_json_kv_u64(j, "other", r->cause.other);
	fa_json_obj_end(j);

	fa_json_kv_u64(j, "remote", r->remote);

	fa_json_key(j, "latency_ns");
	fa_json_obj_begin(j);
	json_quantile(j, "p50", r, 0.50);
	json_quantile(j, "p99", r, 0.99);
	fa_json_key(j, "max");
	if (lat)
		fa_json_u64(j, r->lat.max_ns);
	else
		fa_json_null(j);
	fa_json_kv_u64(j, "count", r->lat.count);
	fa_json_kv_u64(j, "sum", r->lat.sum_ns);
	fa_json_obj_end(j);
}

static void json_sites(struct fa_json *j, const char *key,
		       const struct fa_counters *sites)
{
	unsigned int s;

	fa_json_key(j, key);
	fa_json_obj_begin(j);
	for (s = 0; s < FA_NSITES; s++)
		json_counters(j, fa_site_name(s), &sites[s]);
	fa_json_obj_end(j);
}

/*
 * The ledger: opening, the sites outside faults, and what the kernel's
 * counters say against it (null where no kernel reading came).
 */
static void json_ledger(struct fa_json *j, const struct fa_record *r)
{
	json_counters(j, "opening", &r->opening);
	fa_json_key(j, "sites");
	fa_json_obj_begin(j);
	json_sites(j, "charged", r->site_charged);
	json_sites(j, "uncharged", r->site_uncharged);
	fa_json_obj_end(j);
	fa_json_key(j, "unexplained");
	if (r->have & FA_HAVE_UNEXPLAINED) {
		fa_json_obj_begin(j);
		fa_json_kv_i64(j, "anon", r->unexplained.anon);
		fa_json_kv_i64(j, "file", r->unexplained.file);
		fa_json_kv_i64(j, "shmem", r->unexplained.shmem);
		fa_json_obj_end(j);
	} else {
		fa_json_null(j);
	}
	fa_json_key(j, "balanced");
	if (r->have & FA_HAVE_UNEXPLAINED)
		fa_json_bool(j, fa_balanced(r));
	else
		fa_json_null(j);
}

void fa_json_proc(struct fa_json *j, const struct fa_record *r)
{
	fa_json_obj_begin(j);
	fa_json_kv_u64(j, "pid", r->tgid);
	fa_json_kv_u64(j, "ppid", r->ppid);
	fa_json_kv_str(j, "comm", r->comm);
	fa_json_kv_u64(j, "uid", r->uid);
	fa_json_kv_u64(j, "start_time_ns", r->start_time_ns);
	fa_json_kv_bool(j, "exited", r->exited);
	fa_json_key(j, "exit_code");
	if (r->have & FA_HAVE_EXIT_CODE)
		fa_json_u64(j, r->exit_code);
	else
		fa_json_null(j);
	fa_json_key(j, "exit_status");
	if (r->have & FA_HAVE_EXIT_CODE)
		fa_json_u64(j, (uint64_t)fa_wait_status_code(r->exit_code));
	else
		fa_json_null(j);
	fa_json_rec_members(j, r);
	if (r->have & FA_HAVE_RSS) {
		json_counters(j, "rss", &r->rss);
	} else {
		fa_json_key(j, "rss");
		fa_json_null(j);
	}
	json_ledger(j, r);
	fa_json_obj_end(j);
}

/* ---- CSV ---- */

void fa_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static const char *const csv_columns[] = {
	"pid", "ppid", "comm", "uid", "start_time_ns", "exited", "exit_code",
	"faults_total", "faults_minor", "faults_major", "faults_retry",
	"faults_error", "pages_anon", "pages_file", "pages_shmem",
	"uncharged_anon", "uncharged_file", "uncharged_shmem",
	"cause_anon", "cause_cow", "cause_read", "cause_shared",
	"cause_swapin", "cause_thp", "cause_other", "remote",
	"latency_count", "latency_sum_ns", "latency_max_ns",
	"latency_p50_ns", "latency_p99_ns", "rss_anon", "rss_file",
	"rss_shmem", "cause_mthp",
};

void fa_csv_header(FILE *f, const char *prefix)
{
	size_t i;

	fputs(prefix, f);
	for (i = 0; i < ARRAY_SIZE(csv_columns); i++)
		fprintf(f, "%s%s", i ? "," : "", csv_columns[i]);
}

static void csv_u64(FILE *f, uint64_t v)
{
	fprintf(f, ",%" PRIu64, v);
}

static void csv_quantile(FILE *f, const struct fa_record *r, double q)
{
	uint64_t ns;

	if ((r->have & FA_HAVE_LATENCY) &&
	    fa_latency_quantile(&r->lat, q, &ns))
		csv_u64(f, ns);
	else
		fputc(',', f);
}

void fa_csv_record(FILE *f, const struct fa_record *r)
{
	fprintf(f, "%" PRIu32 ",%" PRIu32 ",", r->tgid, r->ppid);
	fa_csv_field(f, r->comm);
	csv_u64(f, r->uid);
	csv_u64(f, r->start_time_ns);
	csv_u64(f, r->exited);
	if (r->have & FA_HAVE_EXIT_CODE)
		csv_u64(f, r->exit_code);
	else
		fputc(',', f);
	csv_u64(f, r->faults.total);
	csv_u64(f, r->faults.minor);
	csv_u64(f, r->faults.major);
	if (r->have & FA_HAVE_OUTCOMES) {
		csv_u64(f, r->faults.retry);
		csv_u64(f, r->faults.error);
	} else {
		fputs(",,", f);
	}
	csv_u64(f, r->pages.anon);
	csv_u64(f, r->pages.file);
	csv_u64(f, r->pages.shmem);
	csv_u64(f, r->uncharged.anon);
	csv_u64(f, r->uncharged.file);
	csv_u64(f, r->uncharged.shmem);
	csv_u64(f, r->cause.anon);
	csv_u64(f, r->cause.cow);
	csv_u64(f, r->cause.read);
	csv_u64(f, r->cause.shared);
	csv_u64(f, r->cause.swapin);
	csv_u64(f, r->cause.thp);
	csv_u64(f, r->cause.other);
	csv_u64(f, r->remote);
	csv_u64(f, r->lat.count);
	csv_u64(f, r->lat.sum_ns);
	if ((r->have & FA_HAVE_LATENCY) && r->lat.count)
		csv_u64(f, r->lat.max_ns);
	else
		fputc(',', f);
	csv_quantile(f, r, 0.50);
	csv_quantile(f, r, 0.99);
	if (r->have & FA_HAVE_RSS) {
		csv_u64(f, r->rss.anon);
		csv_u64(f, r->rss.file);
		csv_u64(f, r->rss.shmem);
	} else {
		fputs(",,,", f);
	}
	/* added after the first release: last, so no column moves */
	csv_u64(f, r->cause.mthp);
}

/* ---- text ---- */

/*
 * One row per process, 77 columns: the counters are net pages
 * (charged - uncharged), P99 is the fault latency.
 */
#define PROC_ROW_FMT	"%7s %7s %-15s %7s %5s %8s %7s %6s %7s\n"
/* width of the columns before ANON, so that the RSS line lines up */
#define PROC_ROW_LEFT	46

void fa_text_proc_header(FILE *f)
{
	fprintf(f, PROC_ROW_FMT, "PID", "PPID", "COMM", "FAULTS", "MAJOR",
		"ANON", "FILE", "SHMEM", "P99");
}

static void i64s(char *buf, size_t size, int64_t v)
{
	snprintf(buf, size, "%" PRId64, v);
}

static void u64s(char *buf, size_t size, uint64_t v)
{
	snprintf(buf, size, "%" PRIu64, v);
}

void fa_text_proc_row(FILE *f, const struct fa_record *r)
{
	char pid[16], ppid[16], comm[FA_COMM_LEN + 1], faults[24], major[24];
	char anon[24], file[24], shmem[24], p99[24];

	u64s(pid, sizeof(pid), r->tgid);
	u64s(ppid, sizeof(ppid), r->ppid);
	fa_sanitize(comm, sizeof(comm), r->comm);
	u64s(faults, sizeof(faults), r->faults.total);
	u64s(major, sizeof(major), r->faults.major);
	i64s(anon, sizeof(anon), fa_net(r->pages.anon, r->uncharged.anon));
	i64s(file, sizeof(file), fa_net(r->pages.file, r->uncharged.file));
	i64s(shmem, sizeof(shmem),
	     fa_net(r->pages.shmem, r->uncharged.shmem));
	fa_fmt_quantile(p99, sizeof(p99), r, 0.99);
	fprintf(f, PROC_ROW_FMT, pid, ppid, comm, faults, major, anon, file,
		shmem, p99);
}

static void rss_row(FILE *f, const struct fa_record *r)
{
	char anon[24], file[24], shmem[24];

	if (!(r->have & FA_HAVE_RSS)) {
		fprintf(f, "%*s%s\n", 17, "", "kernel RSS at exit: not reported");
		return;
	}
	u64s(anon, sizeof(anon), r->rss.anon);
	u64s(file, sizeof(file), r->rss.file);
	u64s(shmem, sizeof(shmem), r->rss.shmem);
	fprintf(f, "%*s%-*s%8s %7s %6s\n", 17, "", PROC_ROW_LEFT - 17,
		"kernel RSS at exit", anon, file, shmem);
}

/* The command line, shell-quoted where needed, printable, bounded. */
static void command_line(char *buf, size_t size, int argc,
			 char *const *argv)
{
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && o + 1 < size; i++) {
		const char *a = argv[i];
		bool quote = !*a || strpbrk(a, " \t\n'\"\\$`*?;&|<>()[]{}~#");
		char tmp[256];

		fa_sanitize(tmp, sizeof(tmp), a);
		o += (size_t)snprintf(buf + o, size - o, "%s%s%s%s",
				      i ? " " : "", quote ? "'" : "", tmp,
				      quote ? "'" : "");
	}
	if (o >= size - 1 && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

static double mib(int64_t pages, uint32_t page_size)
{
	return (double)pages * page_size / (1024.0 * 1024.0);
}

static void counter_row(FILE *f, const char *name, uint64_t pages,
			uint64_t uncharged, bool have_rss, uint64_t rss,
			uint32_t page_size, bool no_rss)
{
	char p[32], u[32], n[32], r[32];
	int64_t net = fa_net(pages, uncharged);

	fa_fmt_count(p, sizeof(p), pages);
	fa_fmt_count(u, sizeof(u), uncharged);
	fa_fmt_scount(n, sizeof(n), net);
	if (have_rss)
		fa_fmt_count(r, sizeof(r), rss);
	else
		snprintf(r, sizeof(r), "-");
	fprintf(f, "  %-7s %11s %9.1f %9s %11s %9.1f", name, p,
		mib((int64_t)(pages > INT64_MAX ? INT64_MAX : pages),
		    page_size), u, n, mib(net, page_size));
	if (!no_rss)
		fprintf(f, " %11s", r);
	fputc('\n', f);
}

static int64_t site_net(const struct fa_record *r, unsigned int s, int c)
{
	const struct fa_counters *ch = &r->site_charged[s];
	const struct fa_counters *un = &r->site_uncharged[s];

	switch (c) {
	case 0:
		return fa_net(ch->anon, un->anon);
	case 1:
		return fa_net(ch->file, un->file);
	default:
		return fa_net(ch->shmem, un->shmem);
	}
}

/* One row of the ledger: a name and a signed figure per counter. */
static void ledger_row(FILE *f, const char *name, int64_t anon, int64_t file,
		       int64_t shmem)
{
	char a[32], b[32], c[32];

	fprintf(f, "  %-12s %11s %11s %11s\n", name,
		fa_fmt_scount(a, sizeof(a), anon),
		fa_fmt_scount(b, sizeof(b), file),
		fa_fmt_scount(c, sizeof(c), shmem));
}

static int64_t u64s_i(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/*
 * The ledger of @r, a row per entry and a column per counter: the opening,
 * the faults' net charge, each site that moved a page (net), their sum, the
 * kernel's counters and what is unexplained. As many rows as sites moved
 * pages, never wider.
 */
static void ledger_text(FILE *f, const struct fa_record *r)
{
	int64_t sum[3], net[3];
	unsigned int s;
	int c;

	fprintf(f, "  %-12s %11s %11s %11s\n", "ledger", "anon", "file",
		"shmem");
	ledger_row(f, "opening", u64s_i(r->opening.anon),
		   u64s_i(r->opening.file), u64s_i(r->opening.shmem));
	net[0] = fa_net(r->pages.anon, r->uncharged.anon);
	net[1] = fa_net(r->pages.file, r->uncharged.file);
	net[2] = fa_net(r->pages.shmem, r->uncharged.shmem);
	ledger_row(f, "faults", net[0], net[1], net[2]);
	sum[0] = u64s_i(r->opening.anon) + net[0];
	sum[1] = u64s_i(r->opening.file) + net[1];
	sum[2] = u64s_i(r->opening.shmem) + net[2];
	for (s = 0; s < FA_NSITES; s++) {
		const struct fa_counters *ch = &r->site_charged[s];
		const struct fa_counters *un = &r->site_uncharged[s];

		if (!(ch->anon | ch->file | ch->shmem | un->anon | un->file |
		      un->shmem))
			continue;
		for (c = 0; c < 3; c++) {
			net[c] = site_net(r, s, c);
			sum[c] += net[c];
		}
		ledger_row(f, fa_site_name(s), net[0], net[1], net[2]);
	}
	ledger_row(f, "= ledger", sum[0], sum[1], sum[2]);
	ledger_row(f, "kernel", u64s_i(r->rss.anon), u64s_i(r->rss.file),
		   u64s_i(r->rss.shmem));
	ledger_row(f, "unexplained", r->unexplained.anon, r->unexplained.file,
		   r->unexplained.shmem);
}

void fa_report_sum(struct fa_report *rep)
{
	size_t i;

	memset(&rep->total, 0, sizeof(rep->total));
	for (i = 0; i < rep->nprocs; i++)
		fa_record_add(&rep->total, &rep->procs[i]);
}

void fa_report_text(FILE *f, const struct fa_report *rep)
{
	const struct fa_record *t = &rep->total;
	char cmd[160], a[32], b[32], c[32], d[32], e[32];
	bool rss = (t->have & FA_HAVE_RSS) && !rep->no_rss;
	uint32_t ps = rep->page_size ? rep->page_size : 4096;
	size_t i;

	command_line(cmd, sizeof(cmd), rep->argc, rep->argv);
	fprintf(f, "\n faultacct report for: %s\n", cmd);
	fprintf(f, " exit status %d; %zu process%s; kernel %s; page size %" PRIu32 "\n\n",
		rep->exit_status, rep->nprocs, rep->nprocs == 1 ? "" : "es",
		rep->kernel ? rep->kernel : "?", ps);

	fprintf(f, "  %-7s %11s %9s %9s %11s %9s", "pages", "charged", "MiB",
		"uncharged", "net", "net MiB");
	if (!rep->no_rss)
		fprintf(f, " %11s", "RSS at exit");
	fputc('\n', f);
	counter_row(f, "anon", t->pages.anon, t->uncharged.anon, rss,
		    t->rss.anon, ps, rep->no_rss);
	counter_row(f, "file", t->pages.file, t->uncharged.file, rss,
		    t->rss.file, ps, rep->no_rss);
	counter_row(f, "shmem", t->pages.shmem, t->uncharged.shmem, rss,
		    t->rss.shmem, ps, rep->no_rss);
	counter_row(f, "RSS",
		    t->pages.anon + t->pages.file + t->pages.shmem,
		    t->uncharged.anon + t->uncharged.file + t->uncharged.shmem,
		    rss, t->rss.anon + t->rss.file + t->rss.shmem, ps,
		    rep->no_rss);

	if (t->have & FA_HAVE_UNEXPLAINED) {
		size_t bad = 0;

		fputc('\n', f);
		ledger_text(f, t);
		for (i = 0; i < rep->nprocs; i++)
			bad += !fa_balanced(&rep->procs[i]);
		if (!bad)
			fprintf(f, "  balanced: every page of every process is explained\n");
		else
			fprintf(f, "  NOT BALANCED: %zu of %zu processes have pages faultacct cannot explain\n",
				bad, rep->nprocs);
	}

	if (t->have & FA_HAVE_OUTCOMES)
		fprintf(f, "\n  faults  %s total: %s minor, %s major, %s retry, %s error\n",
			fa_fmt_count(a, sizeof(a), t->faults.total),
			fa_fmt_count(b, sizeof(b), t->faults.minor),
			fa_fmt_count(c, sizeof(c), t->faults.major),
			fa_fmt_count(d, sizeof(d), t->faults.retry),
			fa_fmt_count(e, sizeof(e), t->faults.error));
	else
		fprintf(f, "\n  faults  %s total: %s minor, %s major\n"
			"          retry, error not counted (faultacct config --outcomes on)\n",
			fa_fmt_count(a, sizeof(a), t->faults.total),
			fa_fmt_count(b, sizeof(b), t->faults.minor),
			fa_fmt_count(c, sizeof(c), t->faults.major));
	fprintf(f, "          %s made by other processes (remote)\n",
		fa_fmt_count(a, sizeof(a), t->remote));
	fprintf(f, "  causes  anon %s, cow %s, read %s, shared %s,\n",
		fa_fmt_count(a, sizeof(a), t->cause.anon),
		fa_fmt_count(b, sizeof(b), t->cause.cow),
		fa_fmt_count(c, sizeof(c), t->cause.read),
		fa_fmt_count(d, sizeof(d), t->cause.shared));
	fprintf(f, "          swapin %s, thp %s, mthp %s, other %s\n",
		fa_fmt_count(a, sizeof(a), t->cause.swapin),
		fa_fmt_count(b, sizeof(b), t->cause.thp),
		fa_fmt_count(c, sizeof(c), t->cause.mthp),
		fa_fmt_count(d, sizeof(d), t->cause.other));
	if ((t->have & FA_HAVE_LATENCY) && t->lat.count)
		fprintf(f, "  latency p50 %s, p99 %s, max %s (%s faults timed)\n",
			fa_fmt_quantile(a, sizeof(a), t, 0.50),
			fa_fmt_quantile(b, sizeof(b), t, 0.99),
			fa_fmt_ns(c, sizeof(c), t->lat.max_ns),
			fa_fmt_count(d, sizeof(d), t->lat.count));
	else if (t->have & FA_HAVE_LATENCY)
		fprintf(f, "  latency: no fault timed\n");
	else
		fprintf(f, "  latency off (faultacct config --latency on)\n");

	if (rep->nprocs) {
		fprintf(f, "\n  net pages per process%s:\n",
			rep->no_rss ? "" : "; below each, the kernel's own RSS");
		fa_text_proc_header(f);
		for (i = 0; i < rep->nprocs; i++) {
			const struct fa_record *r = &rep->procs[i];

			fa_text_proc_row(f, r);
			if (!rep->no_rss)
				rss_row(f, r);
			if ((r->have & FA_HAVE_UNEXPLAINED) && !fa_balanced(r))
				fprintf(f, "                 unexplained (kernel - ledger) %7" PRId64 " %7" PRId64 " %6" PRId64 "\n",
					r->unexplained.anon,
					r->unexplained.file,
					r->unexplained.shmem);
		}
	}
	if (rep->root_missing)
		fprintf(f, "\n  warning: no exit record came for PID %" PRIu32 " (the command itself)\n",
			rep->root_pid);
	if (rep->lost)
		fprintf(f, "\n  warning: %s exit record%s lost: the totals are incomplete\n",
			fa_fmt_count(a, sizeof(a), rep->lost),
			rep->lost == 1 ? "" : "s");
	fputc('\n', f);
}

void fa_report_json(FILE *f, const struct fa_report *rep)
{
	struct fa_json j;
	size_t i;
	int k;

	fa_json_init(&j, f, true);
	fa_json_obj_begin(&j);
	fa_json_key(&j, "command");
	fa_json_arr_begin(&j);
	for (k = 0; k < rep->argc; k++)
		fa_json_str(&j, rep->argv[k]);
	fa_json_arr_end(&j);
	fa_json_kv_i64(&j, "exit_status", rep->exit_status);
	fa_json_kv_str(&j, "kernel", rep->kernel ? rep->kernel : "");
	fa_json_kv_u64(&j, "page_size", rep->page_size);
	fa_json_kv_u64(&j, "pid", rep->root_pid);

	fa_json_key(&j, "total");
	fa_json_obj_begin(&j);
	fa_json_rec_members(&j, &rep->total);
	json_counters(&j, "rss", &rep->total.rss);
	json_ledger(&j, &rep->total);
	fa_json_obj_end(&j);

	fa_json_key(&j, "processes");
	fa_json_arr_begin(&j);
	for (i = 0; i < rep->nprocs; i++)
		fa_json_proc(&j, &rep->procs[i]);
	fa_json_arr_end(&j);
	fa_json_kv_u64(&j, "lost", rep->lost);
	fa_json_kv_bool(&j, "complete", !rep->lost && !rep->root_missing);
	fa_json_obj_end(&j);
	fa_json_end(&j);
}

/* ---- status and config ---- */

static void filter_text(FILE *f, const struct fa_config *cfg)
{
	uint32_t i;

	fputs(fa_filter_name(cfg->filter_mode), f);
	for (i = 0; i < cfg->ntgids; i++)
		fprintf(f, "%s%" PRIu32, i ? "," : " ", cfg->tgids[i]);
	fputc('\n', f);
}

void fa_config_text(FILE *f, const struct fa_config *cfg)
{
	fprintf(f, "enabled:          %s\n", cfg->enabled ? "yes" : "no");
	fprintf(f, "filter:           ");
	filter_text(f, cfg);
	fprintf(f, "interval:         %" PRIu32 " ms\n", cfg->interval_ms);
	fprintf(f, "latency:          %s\n",
		cfg->flags & FAULTACCT_CONFIG_F_LATENCY ? "on" : "off");
	fprintf(f, "outcomes:         %s\n",
		cfg->flags & FAULTACCT_CONFIG_F_OUTCOMES ? "on" : "off");
	if (cfg->flags & ~(uint32_t)FAULTACCT_CONFIG_F_ALL)
		fprintf(f, "flags:            0x%" PRIx32 "\n", cfg->flags);
}

void fa_json_config(struct fa_json *j, const struct fa_config *cfg)
{
	uint32_t i;

	fa_json_obj_begin(j);
	fa_json_kv_bool(j, "enabled", cfg->enabled);
	fa_json_kv_str(j, "filter", fa_filter_name(cfg->filter_mode));
	fa_json_key(j, "tgids");
	fa_json_arr_begin(j);
	for (i = 0; i < cfg->ntgids; i++)
		fa_json_u64(j, cfg->tgids[i]);
	fa_json_arr_end(j);
	fa_json_kv_u64(j, "interval_ms", cfg->interval_ms);
	fa_json_kv_u64(j, "flags", cfg->flags);
	fa_json_kv_bool(j, "latency", cfg->flags & FAULTACCT_CONFIG_F_LATENCY);
	fa_json_kv_bool(j, "outcomes", cfg->flags & FAULTACCT_CONFIG_F_OUTCOMES);
	fa_json_obj_end(j);
}

void fa_status_text(FILE *f, const struct fa_status *st,
		    const struct fa_config *cfg, const char *kernel)
{
	char a[32], b[32], sym[40];
	uint32_t i;

	fprintf(f, "module:           faultacct %s, built for %s\n",
		st->version[0] ? st->version : "?",
		st->release[0] ? st->release : "?");
	fprintf(f, "kernel:           %s\n", kernel ? kernel : "?");
	if (cfg)
		fa_config_text(f, cfg);
	fprintf(f, "page size:        %" PRIu32 " bytes\n", st->page_size);
	fprintf(f, "table:            %" PRIu32 " of %" PRIu32 " slots used, %s overflowed, %" PRIu32 " bytes per slot\n",
		st->table_used, st->table_size,
		fa_fmt_count(a, sizeof(a), st->table_overflow),
		st->bytes_per_proc);
	fprintf(f, "messages:         %s sent, %s dropped\n",
		fa_fmt_count(a, sizeof(a), st->msgs_sent),
		fa_fmt_count(b, sizeof(b), st->msgs_dropped));
	fprintf(f, "untracked faults: %s\n",
		fa_fmt_count(a, sizeof(a), st->untracked_faults));
	if (st->have & (1U << FAULTACCT_STATUS_UNBALANCED))
		fprintf(f, "ledger:           %s exited process%s not balanced (%s pages unexplained)\n",
			fa_fmt_count(a, sizeof(a), st->unbalanced),
			st->unbalanced == 1 ? "" : "es",
			fa_fmt_count(b, sizeof(b), st->unbalanced_pages));
	fprintf(f, "probes:\n  %-26s %-10s %-10s %12s %8s %s\n", "SYMBOL",
		"KIND", "PLACEMENT", "HITS", "NMISSED", "ARMED");
	for (i = 0; i < st->nprobes; i++) {
		const struct fa_probe *p = &st->probes[i];

		fa_sanitize(sym, sizeof(sym), p->symbol);
		fprintf(f, "  %-26s %-10s %-10s %12s %8s %s\n", sym,
			fa_probe_kind_name(p->kind),
			fa_probe_placement_name(p->placement),
			fa_fmt_count(a, sizeof(a), p->hits),
			fa_fmt_count(b, sizeof(b), p->nmissed),
			/* an optional probe that this kernel does not need */
			p->placement == FAULTACCT_PROBE_PLACEMENT_NONE ?
			"not probed" : p->disarmed ? "no" : "yes");
	}
	if (st->probes_skipped)
		fprintf(f, "  (%" PRIu32 " more probes not shown)\n",
			st->probes_skipped);
}

void fa_status_json(FILE *f, const struct fa_status *st,
		    const struct fa_config *cfg, const char *kernel)
{
	struct fa_json j;
	uint32_t i;

	/* flat, named after the FAULTACCT_STATUS_* attributes */
	fa_json_init(&j, f, true);
	fa_json_obj_begin(&j);
	fa_json_kv_str(&j, "version", st->version);
	fa_json_kv_str(&j, "release", st->release);
	fa_json_kv_str(&j, "kernel", kernel ? kernel : "");
	fa_json_kv_u64(&j, "page_size", st->page_size);
	fa_json_kv_u64(&j, "table_size", st->table_size);
	fa_json_kv_u64(&j, "table_used", st->table_used);
	fa_json_kv_u64(&j, "table_overflow", st->table_overflow);
	fa_json_kv_u64(&j, "bytes_per_proc", st->bytes_per_proc);
	fa_json_kv_u64(&j, "msgs_sent", st->msgs_sent);
	fa_json_kv_u64(&j, "msgs_dropped", st->msgs_dropped);
	fa_json_kv_u64(&j, "untracked_faults", st->untracked_faults);
	fa_json_kv_u64(&j, "unbalanced", st->unbalanced);
	fa_json_kv_u64(&j, "unbalanced_pages", st->unbalanced_pages);
	fa_json_key(&j, "config");
	if (cfg)
		fa_json_config(&j, cfg);
	else
		fa_json_null(&j);
	fa_json_key(&j, "probes");
	fa_json_arr_begin(&j);
	for (i = 0; i < st->nprobes; i++) {
		const struct fa_probe *p = &st->probes[i];

		fa_json_obj_begin(&j);
		fa_json_kv_str(&j, "symbol", p->symbol);
		fa_json_kv_str(&j, "kind", fa_probe_kind_name(p->kind));
		fa_json_kv_str(&j, "placement",
			       fa_probe_placement_name(p->placement));
		fa_json_kv_u64(&j, "hits", p->hits);
		fa_json_kv_u64(&j, "nmissed", p->nmissed);
		fa_json_kv_bool(&j, "armed", !p->disarmed);
		fa_json_obj_end(&j);
	}
	fa_json_arr_end(&j);
	fa_json_obj_end(&j);
	fa_json_end(&j);
}

/* ---- watch ---- */

void fa_event_csv_header(FILE *f)
{
	fa_csv_header(f, "time,ts_ns,group,seq,");
	fputc('\n', f);
}

static void event_text(FILE *f, const struct fa_event *ev,
		       const struct fa_record *r)
{
	char comm[FA_COMM_LEN + 1], p50[24], p99[24];

	fa_sanitize(comm, sizeof(comm), r->comm);
	fprintf(f, "%s %-5s", ev->time, ev->group);
	if (ev->have_seq)
		fprintf(f, " seq=%" PRIu64, ev->seq);
	fprintf(f, " pid=%" PRIu32 " ppid=%" PRIu32 " comm=%s", r->tgid,
		r->ppid, comm);
	if (r->exited && (r->have & FA_HAVE_EXIT_CODE))
		fprintf(f, " exit=%d", fa_wait_status_code(r->exit_code));
	fprintf(f, " faults=%" PRIu64 " minor=%" PRIu64 " major=%" PRIu64,
		r->faults.total, r->faults.minor, r->faults.major);
	fprintf(f, " anon=%" PRId64 " file=%" PRId64 " shmem=%" PRId64,
		fa_net(r->pages.anon, r->uncharged.anon),
		fa_net(r->pages.file, r->uncharged.file),
		fa_net(r->pages.shmem, r->uncharged.shmem));
	if (r->have & FA_HAVE_RSS)
		fprintf(f, " rss=%" PRIu64 "/%" PRIu64 "/%" PRIu64,
			r->rss.anon, r->rss.file, r->rss.shmem);
	fprintf(f, " p50=%s p99=%s\n",
		fa_fmt_quantile(p50, sizeof(p50), r, 0.50),
		fa_fmt_quantile(p99, sizeof(p99), r, 0.99));
}

static void event_json(FILE *f, const struct fa_event *ev,
		       const struct fa_record *r)
{
	struct fa_json j;

	fa_json_init(&j, f, false);
	fa_json_obj_begin(&j);
	fa_json_kv_str(&j, "time", ev->time);
	fa_json_kv_str(&j, "group", ev->group);
	fa_json_key(&j, "seq");
	if (ev->have_seq)
		fa_json_u64(&j, ev->seq);
	else
		fa_json_null(&j);
	fa_json_key(&j, "ts_ns");
	if (ev->have_ts)
		fa_json_u64(&j, ev->ts_ns);
	else
		fa_json_null(&j);
	fa_json_key(&j, "process");
	fa_json_proc(&j, r);
	fa_json_obj_end(&j);
	fa_json_end(&j);
}

static void event_csv(FILE *f, const struct fa_event *ev,
		      const struct fa_record *r)
{
	fa_csv_field(f, ev->time);
	fputc(',', f);
	if (ev->have_ts)
		fprintf(f, "%" PRIu64, ev->ts_ns);
	fprintf(f, ",%s,", ev->group);
	if (ev->have_seq)
		fprintf(f, "%" PRIu64, ev->seq);
	fputc(',', f);
	fa_csv_record(f, r);
	fputc('\n', f);
}

void fa_event_line(FILE *f, enum fa_format fmt, const struct fa_event *ev,
		   const struct fa_record *r)
{
	switch (fmt) {
	case FA_FMT_TEXT:
		event_text(f, ev, r);
		break;
	case FA_FMT_JSON:
		event_json(f, ev, r);
		break;
	case FA_FMT_CSV:
		event_csv(f, ev, r);
		break;
	}
}
