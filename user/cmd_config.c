// SPDX-License-Identifier: GPL-2.0
/* faultacct config and faultacct reset: thin wrappers of the commands. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "nl.h"
#include "ops.h"
#include "util.h"

#define HAVE(attr)	(1U << (attr))

void config_usage(FILE *f)
{
	fputs("usage: faultacct config [--enable|--disable] [--filter all|tgids|tree]\n"
	      "                        [--pid PID[,PID...]]... [--interval MS]\n"
	      "                        [--latency on|off] [--outcomes on|off] [--json]\n"
	      "\n"
	      "Changes the module's configuration (what is not named keeps its\n"
	      "value) and prints the configuration then in force. Without options,\n"
	      "only prints it.\n"
	      "\n"
	      "  --enable, --disable   turn accounting on or off\n"
	      "  --filter MODE         all: every user process; tgids: only the --pid\n"
	      "                        processes; tree: those and all they fork\n"
	      "  --pid PID[,PID...]    the processes of the filter (repeatable, at\n"
	      "                        most 64); replaces the whole list\n"
	      "  --interval MS         period of the \"stats\" messages, 10..60000\n"
	      "  --latency on|off      time every fault (latency histograms); like\n"
	      "                        --outcomes, it brackets every fault\n"
	      "  --outcomes on|off     bracket every fault with a return probe: count\n"
	      "                        retry and error faults, a cause for every fault;\n"
	      "                        off (the default) costs faults half as much\n"
	      "  --json                print the configuration as JSON\n"
	      "  -h, --help            this text\n", f);
}

void reset_usage(FILE *f)
{
	fputs("usage: faultacct reset [-p PID]\n"
	      "\n"
	      "Zeroes the counters of every tracked process, or of one. The\n"
	      "processes stay tracked.\n"
	      "\n"
	      "  -p, --pid PID  only this process\n"
	      "  -h, --help     this text\n", f);
}

static bool parse_filter(const char *s, uint32_t *mode)
{
	if (!strcmp(s, "all"))
		*mode = FAULTACCT_FILTER_ALL;
	else if (!strcmp(s, "tgids"))
		*mode = FAULTACCT_FILTER_TGIDS;
	else if (!strcmp(s, "tree"))
		*mode = FAULTACCT_FILTER_TREE;
	else
		return false;
	return true;
}

static bool parse_on_off(const char *s, bool *on)
{
	if (!strcmp(s, "on"))
		*on = true;
	else if (!strcmp(s, "off"))
		*on = false;
	else
		return false;
	return true;
}

int config_parse(int argc, char **argv, struct config_opts *o)
{
	enum { O_ENABLE = 256, O_DISABLE, O_FILTER, O_INTERVAL, O_LATENCY,
	       O_OUTCOMES, O_JSON };
	static const struct option longopts[] = {
		{ "enable", no_argument, NULL, O_ENABLE },
		{ "disable", no_argument, NULL, O_DISABLE },
		{ "filter", required_argument, NULL, O_FILTER },
		{ "pid", required_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, O_INTERVAL },
		{ "latency", required_argument, NULL, O_LATENCY },
		{ "outcomes", required_argument, NULL, O_OUTCOMES },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fa_config *s = &o->set;
	uint32_t flag;
	size_t n = 0;
	bool on;
	int c, err;

	memset(o, 0, sizeof(*o));
	fa_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:hp:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case O_ENABLE:
		case O_DISABLE:
			if ((s->have & HAVE(FAULTACCT_CONFIG_ENABLED)) &&
			    s->enabled != (c == O_ENABLE))
				return fa_usage_error("config",
					"--enable and --disable contradict each other");
			s->have |= HAVE(FAULTACCT_CONFIG_ENABLED);
			s->enabled = c == O_ENABLE;
			break;
		case O_FILTER:
			if (!parse_filter(optarg, &s->filter_mode))
				return fa_usage_error("config",
					"--filter takes all, tgids or tree, not '%s'",
					optarg);
			s->have |= HAVE(FAULTACCT_CONFIG_FILTER_MODE);
			break;
		case 'p':
			if (!fa_parse_pid_list(optarg, s->tgids,
					       FAULTACCT_FILTER_MAX_TGIDS, &n))
				return fa_usage_error("config",
					"bad pid list '%s' (pids are 1..%u, at most %d in all)",
					optarg, FA_PID_MAX,
					FAULTACCT_FILTER_MAX_TGIDS);
			s->ntgids = (uint32_t)n;
			s->have |= HAVE(FAULTACCT_CONFIG_FILTER_TGID);
			break;
		case O_INTERVAL:
			if (!fa_parse_u32(optarg, FAULTACCT_INTERVAL_MIN_MS,
					  FAULTACCT_INTERVAL_MAX_MS,
					  &s->interval_ms))
				return fa_usage_error("config",
					"--interval takes milliseconds, %d..%d, not '%s'",
					FAULTACCT_INTERVAL_MIN_MS,
					FAULTACCT_INTERVAL_MAX_MS, optarg);
			s->have |= HAVE(FAULTACCT_CONFIG_INTERVAL_MS);
			break;
		case O_LATENCY:
		case O_OUTCOMES:
			if (!parse_on_off(optarg, &on))
				return fa_usage_error("config",
					"--%s takes on or off, not '%s'",
					c == O_LATENCY ? "latency" :
							 "outcomes", optarg);
			flag = c == O_LATENCY ? FAULTACCT_CONFIG_F_LATENCY :
						FAULTACCT_CONFIG_F_OUTCOMES;
			o->flags_on = on ? o->flags_on | flag :
					   o->flags_on & ~flag;
			o->flags_off = on ? o->flags_off & ~flag :
					    o->flags_off | flag;
			break;
		case O_JSON:
			o->json = true;
			break;
		default:
			return fa_bad_option("config", c, argv);
		}
	}
	err = fa_no_more_args("config", argc, argv);
	if (err)
		return err;
	if ((s->have & HAVE(FAULTACCT_CONFIG_FILTER_TGID)) &&
	    (s->have & HAVE(FAULTACCT_CONFIG_FILTER_MODE)) &&
	    s->filter_mode == FAULTACCT_FILTER_ALL)
		return fa_usage_error("config",
				      "--pid makes no sense with --filter all");
	return 0;
}

int cmd_config(int argc, char **argv)
{
	struct config_opts o;
	struct fa_status st;
	struct fa_config now;
	struct fa_nl nl;
	bool set_flags;
	int err;

	err = config_parse(argc, argv, &o);
	if (err)
		return err;
	if (o.help) {
		config_usage(stdout);
		return FA_EXIT_OK;
	}
	err = fa_nl_connect(&nl);
	if (err)
		return fa_nl_fail(NULL, NULL, err);
	/* the flags are a set: change the bits named, keep the others */
	set_flags = o.flags_on || o.flags_off;
	if (set_flags || !o.set.have) {
		err = fa_op_status(&nl, &st, &now);
		if (err)
			goto fail;
	}
	if (set_flags) {
		o.set.flags = (now.flags & ~o.flags_off) | o.flags_on;
		o.set.have |= HAVE(FAULTACCT_CONFIG_FLAGS);
	}
	if (o.set.have) {
		err = fa_op_config(&nl, &o.set, &now);
		if (err)
			goto fail;
	}
	fa_nl_close(&nl);
	if (o.json) {
		struct fa_json j;

		fa_json_init(&j, stdout, true);
		fa_json_config(&j, &now);
		fa_json_end(&j);
	} else {
		fa_config_text(stdout, &now);
	}
	return FA_EXIT_OK;

fail:
	fa_nl_fail(&nl, "config", err);
	fa_nl_close(&nl);
	return FA_EXIT_FAIL;
}

int reset_parse(int argc, char **argv, struct reset_opts *o)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	memset(o, 0, sizeof(*o));
	fa_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:hp:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case 'p':
			err = fa_opt_pid("reset", optarg, &o->pid);
			if (err)
				return err;
			o->have_pid = true;
			break;
		default:
			return fa_bad_option("reset", c, argv);
		}
	}
	return fa_no_more_args("reset", argc, argv);
}

int cmd_reset(int argc, char **argv)
{
	struct reset_opts o;
	struct fa_nl nl;
	int err;

	err = reset_parse(argc, argv, &o);
	if (err)
		return err;
	if (o.help) {
		reset_usage(stdout);
		return FA_EXIT_OK;
	}
	err = fa_nl_connect(&nl);
	if (err)
		return fa_nl_fail(NULL, NULL, err);
	err = fa_op_reset(&nl, o.have_pid ? o.pid : 0);
	if (err == -ENOENT && o.have_pid)
		fa_error("process %u is not tracked", o.pid);
	else if (err)
		fa_nl_fail(&nl, "reset", err);
	fa_nl_close(&nl);
	return err ? FA_EXIT_FAIL : FA_EXIT_OK;
}
