/* SPDX-License-Identifier: GPL-2.0 */
/* Argument parsing, messages and clocks shared by the subcommands. */
#ifndef FA_UTIL_H
#define FA_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FA_EXIT_OK	0
#define FA_EXIT_FAIL	1
#define FA_EXIT_USAGE	2

/* The highest pid Linux allows (PID_MAX_LIMIT on 64-bit). */
#define FA_PID_MAX	4194304U

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * "faultacct CMD: <message> (see 'faultacct CMD --help')" on stderr;
 * returns FA_EXIT_USAGE.
 */
int fa_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The usage line for what getopt_long() returned (':' for a missing
 * argument, '?' for an unknown option): call right after it.
 */
int fa_bad_option(const char *cmd, int c, char **argv);
/*
 * After getopt_long(): a usage error naming the first argument left over,
 * or 0 when there is none.
 */
int fa_no_more_args(const char *cmd, int argc, char **argv);
/* --pid's value: 0, or a usage error naming it. */
int fa_opt_pid(const char *cmd, const char *arg, uint32_t *pid);
/* Sets getopt up for a fresh parse of another argv, quietly. */
void fa_getopt_reset(void);
/* "faultacct: <message>" on stderr. */
void fa_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole-string decimal parsers; false on anything else. */
bool fa_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);
/* A pid: 1..FA_PID_MAX. */
bool fa_parse_pid(const char *s, uint32_t *pid);
/* "PID[,PID...]", appended to pids[*n] (at most max in all). */
bool fa_parse_pid_list(const char *s, uint32_t *pids, size_t max,
		       size_t *n);
/* Seconds, decimal fraction allowed, min <= v <= max. */
bool fa_parse_secs(const char *s, double min, double max, double *v);

uint64_t fa_now_ns(void);		/* CLOCK_MONOTONIC */
/* Local wall-clock time, "2024-05-01T12:34:56.789". */
void fa_wall_time(char *buf, size_t size);
/* uname -r */
const char *fa_kernel_release(void);

#endif
