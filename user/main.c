// SPDX-License-Identifier: GPL-2.0
/*
 * faultacct: the command-line tool of the faultacct module. This file only
 * dispatches to the subcommands (cmd_*.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

#ifndef FAULTACCT_VERSION
#define FAULTACCT_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *f);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, run_usage,
	  "run a command and report its page faults when it exits" },
	{ "top", cmd_top, top_usage,
	  "live view of the processes that fault the most" },
	{ "watch", cmd_watch, watch_usage,
	  "stream the periodic and exit records, one line each" },
	{ "dump", cmd_dump, dump_usage,
	  "print the counters of every tracked process" },
	{ "status", cmd_status, status_usage,
	  "show the module's version, configuration, probes and table" },
	{ "config", cmd_config, config_usage,
	  "change what is tracked and how" },
	{ "reset", cmd_reset, reset_usage,
	  "zero the counters" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: faultacct [--help] [--version] COMMAND [ARGS...]\n"
	      "\n"
	      "Per-process page-fault accounting: which faults charged which RSS\n"
	      "counter (anon, file, shmem), by how many pages, why, and how fast.\n"
	      "Talks to the faultacct kernel module; needs CAP_NET_ADMIN.\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fputs("  help CMD  the options of one command\n"
	      "\n"
	      "Exit status: 0 success, 1 failure, 2 usage error; `run` exits with\n"
	      "the command's status. See faultacct(8).\n", f);
}

static const struct command *find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		usage(stdout);
		return FA_EXIT_OK;
	}
	if (argc > 2)
		return fa_usage_error("help", "takes one command name");
	c = find(argv[1]);
	if (!c)
		return fa_usage_error("help", "no command '%s'", argv[1]);
	c->usage(stdout);
	return FA_EXIT_OK;
}

/* A full disk must not pass for a successful dump. */
static int finish(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	if (errno == EPIPE)
		return status;
	fa_error("writing the output: %s", strerror(errno));
	return status ? status : FA_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return fa_usage_error(NULL, "no command given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return finish(FA_EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("faultacct %s (protocol version %d)\n",
		       FAULTACCT_VERSION, FAULTACCT_GENL_VERSION);
		return finish(FA_EXIT_OK);
	}
	if (!strcmp(argv[1], "help"))
		return finish(help(argc - 1, argv + 1));
	c = find(argv[1]);
	if (!c) {
		if (argv[1][0] == '-')
			return fa_usage_error(NULL, "unknown option '%s'",
					      argv[1]);
		return fa_usage_error(NULL, "unknown command '%s'", argv[1]);
	}
	return finish(c->run(argc - 1, argv + 1));
}
