/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands. Each has an options struct, a parser that fills it
 * (0, or FA_EXIT_USAGE after printing one line on stderr), a usage text
 * and an entry point that returns the process exit status.
 */
#ifndef FA_CMD_H
#define FA_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format.h"
#include "record.h"
#include "uapi/linux/faultacct.h"

/* run */
#define FA_RUN_GRACE_S		1.0
#define FA_RUN_TIMEOUT_S	5.0

struct run_opts {
	bool help;
	bool json;
	bool no_rss;
	const char *output;
	double grace;		/* s to wait for descendants after CMD */
	double timeout;		/* s to wait for the last exit records */
	int argc;		/* CMD and its arguments */
	char **argv;
};

int run_parse(int argc, char **argv, struct run_opts *o);
void run_usage(FILE *f);
int cmd_run(int argc, char **argv);

/* top */
enum top_key {
	TOP_FAULTS,
	TOP_MAJOR,
	TOP_ANON,
	TOP_FILE,
	TOP_SHMEM,
	TOP_LAT,
	TOP_PID,
	TOP_NKEYS,
};

#define FA_TOP_MAX_PIDS	64

struct top_opts {
	bool help;
	bool batch;
	double delay;
	enum top_key key;
	uint32_t pids[FA_TOP_MAX_PIDS];
	size_t npids;
	const char *comm;
	uint32_t iterations;	/* 0: until quit */
};

/* One process in a frame: rates over the last interval. */
struct top_row {
	uint32_t pid;
	uint32_t ppid;
	char comm[FA_COMM_LEN + 1];
	double faults;
	double major;
	double anon;
	double file;
	double shmem;
	bool have_p99;
	uint64_t p99_ns;
};

struct top_frame {
	const char *time;
	double delay;
	enum top_key key;
	bool have_status;
	struct fa_status status;
	struct fa_config config;
	size_t nprocs;		/* tracked, before -p/-c */
	struct top_row total;
	bool first;		/* no earlier sample: no rates yet */
	bool ansi;		/* draw in place with escapes */
};

int top_parse(int argc, char **argv, struct top_opts *o);
void top_usage(FILE *f);
int cmd_top(int argc, char **argv);
const char *top_key_name(enum top_key key);
bool top_key_parse(const char *name, enum top_key *key);
/* The key a keypress selects, or -1. */
int top_key_for_char(int c);
/*
 * Rates of cur against prev (matched by tgid and start time) over dt
 * seconds; a process with no earlier record counts from zero unless
 * first. Rows are kept only if they pass the -p/-c filter of o.
 * Returns the number of rows written (at most ncur); total gets the sums.
 */
size_t top_rates(const struct fa_record *prev, size_t nprev,
		 const struct fa_record *cur, size_t ncur, double dt,
		 bool first, const struct top_opts *o, struct top_row *rows,
		 struct top_row *total);
void top_sort(struct top_row *rows, size_t n, enum top_key key);
/* Draws a frame in at most width columns and height lines (0: no limit). */
void top_render(FILE *f, const struct top_frame *fr,
		const struct top_row *rows, size_t n, unsigned int width,
		unsigned int height);

/* watch */
struct watch_opts {
	bool help;
	enum fa_format format;
	bool stats;
	bool exit;
};

int watch_parse(int argc, char **argv, struct watch_opts *o);
void watch_usage(FILE *f);
int cmd_watch(int argc, char **argv);

/* dump */
struct dump_opts {
	bool help;
	enum fa_format format;
	bool have_pid;
	uint32_t pid;
};

int dump_parse(int argc, char **argv, struct dump_opts *o);
void dump_usage(FILE *f);
int cmd_dump(int argc, char **argv);
/* The table `dump` prints, for records sorted by pid. */
void dump_print(FILE *f, enum fa_format fmt, const struct fa_record *recs,
		size_t n);

/* status */
struct status_opts {
	bool help;
	bool json;
};

int status_parse(int argc, char **argv, struct status_opts *o);
void status_usage(FILE *f);
int cmd_status(int argc, char **argv);

/* config */
struct config_opts {
	bool help;
	bool json;
	uint32_t flags_on;	/* FAULTACCT_CONFIG_F_* to turn on */
	uint32_t flags_off;	/* and off */
	struct fa_config set;	/* set.have: what to change */
};

int config_parse(int argc, char **argv, struct config_opts *o);
void config_usage(FILE *f);
int cmd_config(int argc, char **argv);

/* reset */
struct reset_opts {
	bool help;
	bool have_pid;
	uint32_t pid;
};

int reset_parse(int argc, char **argv, struct reset_opts *o);
void reset_usage(FILE *f);
int cmd_reset(int argc, char **argv);

#endif
