// SPDX-License-Identifier: GPL-2.0
/* faultacct dump: every tracked process, now. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "nl.h"
#include "ops.h"
#include "util.h"

void dump_usage(FILE *f)
{
	fputs("usage: faultacct dump [--json|--csv] [-p PID]\n"
	      "\n"
	      "Prints the counters of every tracked process (a consistent dump of\n"
	      "the module's table), or of one process. The text table shows net\n"
	      "pages (charged - uncharged) per counter and the p99 fault latency.\n"
	      "\n"
	      "  --json          a JSON object {\"processes\": [...]}\n"
	      "  --csv           CSV with a header row\n"
	      "  -p, --pid PID   only this process (exit 1 if it is not tracked)\n"
	      "  -h, --help      this text\n", f);
}

int dump_parse(int argc, char **argv, struct dump_opts *o)
{
	enum { O_JSON = 256, O_CSV };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool fmt_set = false;
	int c, err;

	memset(o, 0, sizeof(*o));
	o->format = FA_FMT_TEXT;
	fa_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:hp:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case O_JSON:
		case O_CSV:
			if (fmt_set && o->format != (c == O_JSON ? FA_FMT_JSON :
							       FA_FMT_CSV))
				return fa_usage_error("dump",
					"choose one of --json and --csv");
			o->format = c == O_JSON ? FA_FMT_JSON : FA_FMT_CSV;
			fmt_set = true;
			break;
		case 'p':
			err = fa_opt_pid("dump", optarg, &o->pid);
			if (err)
				return err;
			o->have_pid = true;
			break;
		default:
			return fa_bad_option("dump", c, argv);
		}
	}
	return fa_no_more_args("dump", argc, argv);
}

void dump_print(FILE *f, enum fa_format fmt, const struct fa_record *recs,
		size_t n)
{
	struct fa_json j;
	size_t i;

	switch (fmt) {
	case FA_FMT_TEXT:
		fa_text_proc_header(f);
		for (i = 0; i < n; i++)
			fa_text_proc_row(f, &recs[i]);
		break;
	case FA_FMT_CSV:
		fa_csv_header(f, "");
		fputc('\n', f);
		for (i = 0; i < n; i++) {
			fa_csv_record(f, &recs[i]);
			fputc('\n', f);
		}
		break;
	case FA_FMT_JSON:
		fa_json_init(&j, f, true);
		fa_json_obj_begin(&j);
		fa_json_kv_str(&j, "kernel", fa_kernel_release());
		fa_json_key(&j, "processes");
		fa_json_arr_begin(&j);
		for (i = 0; i < n; i++)
			fa_json_proc(&j, &recs[i]);
		fa_json_arr_end(&j);
		fa_json_obj_end(&j);
		fa_json_end(&j);
		break;
	}
}

static int by_pid(const void *a, const void *b)
{
	const struct fa_record *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->start_time_ns < y->start_time_ns ? -1 :
	       x->start_time_ns > y->start_time_ns;
}

int cmd_dump(int argc, char **argv)
{
	struct fa_record *recs = NULL;
	struct dump_opts o;
	struct fa_nl nl;
	size_t n = 0;
	int err;

	err = dump_parse(argc, argv, &o);
	if (err)
		return err;
	if (o.help) {
		dump_usage(stdout);
		return FA_EXIT_OK;
	}
	err = fa_nl_connect(&nl);
	if (err)
		return fa_nl_fail(NULL, NULL, err);
	if (o.have_pid) {
		recs = malloc(sizeof(*recs));
		if (!recs) {
			err = -ENOMEM;
		} else {
			err = fa_op_get(&nl, o.pid, recs);
			n = err ? 0 : 1;
		}
	} else {
		err = fa_op_dump(&nl, &recs, &n);
	}
	if (err == -ENOENT && o.have_pid)
		fa_error("process %u is not tracked", o.pid);
	else if (err == -EAGAIN)
		fa_error("dump: the process table kept changing; gave up after %d tries",
			 FA_NL_DUMP_TRIES);
	else if (err)
		fa_nl_fail(&nl, "dump", err);
	fa_nl_close(&nl);
	if (!err) {
		if (n)
			qsort(recs, n, sizeof(*recs), by_pid);
		dump_print(stdout, o.format, recs, n);
	}
	free(recs);
	return err ? FA_EXIT_FAIL : FA_EXIT_OK;
}
