// SPDX-License-Identifier: GPL-2.0
/* faultacct status: what the module says about itself. */
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "nl.h"
#include "ops.h"
#include "util.h"

void status_usage(FILE *f)
{
	fputs("usage: faultacct status [--json]\n"
	      "\n"
	      "Shows the module's version, the kernel it was built for, its\n"
	      "configuration, its probes (symbol, kind, placement, hits, misses),\n"
	      "its process table and its message counters.\n"
	      "\n"
	      "  --json      one JSON object instead of text\n"
	      "  -h, --help  this text\n", f);
}

int status_parse(int argc, char **argv, struct status_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	fa_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case 'J':
			o->json = true;
			break;
		default:
			return fa_bad_option("status", c, argv);
		}
	}
	return fa_no_more_args("status", argc, argv);
}

int cmd_status(int argc, char **argv)
{
	struct status_opts o;
	struct fa_status st;
	struct fa_config cfg;
	struct fa_nl nl;
	int err;

	err = status_parse(argc, argv, &o);
	if (err)
		return err;
	if (o.help) {
		status_usage(stdout);
		return FA_EXIT_OK;
	}
	err = fa_nl_connect(&nl);
	if (err)
		return fa_nl_fail(NULL, NULL, err);
	err = fa_op_status(&nl, &st, &cfg);
	if (err) {
		fa_nl_fail(&nl, "status", err);
		fa_nl_close(&nl);
		return FA_EXIT_FAIL;
	}
	fa_nl_close(&nl);
	if (o.json)
		fa_status_json(stdout, &st, &cfg, fa_kernel_release());
	else
		fa_status_text(stdout, &st, &cfg, fa_kernel_release());
	return FA_EXIT_OK;
}
