// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "util.h"

int fa_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "faultacct%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'faultacct %s%s--help')\n", cmd ? cmd : "",
		cmd ? " " : "");
	return FA_EXIT_USAGE;
}

int fa_bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (optopt && optopt != '?') {
		if (c == ':')
			return fa_usage_error(cmd, "option '-%c' needs a value",
					      optopt);
		return fa_usage_error(cmd, "unknown option '-%c'", optopt);
	}
	if (c == ':')
		return fa_usage_error(cmd, "option '%s' needs a value", arg);
	return fa_usage_error(cmd, "unknown option '%s'", arg);
}

int fa_no_more_args(const char *cmd, int argc, char **argv)
{
	if (optind < argc)
		return fa_usage_error(cmd, "unexpected argument '%s'",
				      argv[optind]);
	return 0;
}

int fa_opt_pid(const char *cmd, const char *arg, uint32_t *pid)
{
	if (!fa_parse_pid(arg, pid))
		return fa_usage_error(cmd, "bad pid '%s' (1..%u)", arg,
				      FA_PID_MAX);
	return 0;
}

void fa_getopt_reset(void)
{
	/* 0, not 1: glibc then forgets the state of the previous parse */
	optind = 0;
	opterr = 0;
	optopt = 0;
}

void fa_error(const char *fmt, ...)
{
	va_list ap;

	fputs("faultacct: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool fa_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	/* strtoull takes signs and blanks; a number here is digits only */
	if (!s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return false;
	*v = (uint32_t)x;
	return true;
}

bool fa_parse_pid(const char *s, uint32_t *pid)
{
	return fa_parse_u32(s, 1, FA_PID_MAX, pid);
}

bool fa_parse_pid_list(const char *s, uint32_t *pids, size_t max,
		       size_t *n)
{
	char buf[32];
	const char *p = s, *comma;
	size_t len;

	do {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof(buf) || *n >= max)
			return false;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (!fa_parse_pid(buf, &pids[*n]))
			return false;
		(*n)++;
		p = comma + 1;
	} while (comma);
	return true;
}

bool fa_parse_secs(const char *s, double min, double max, double *v)
{
	double x;
	char *end;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return false;
	errno = 0;
	x = strtod(s, &end);
	if (errno || *end || !isfinite(x) || x < min || x > max)
		return false;
	*v = x;
	return true;
}

uint64_t fa_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void fa_wall_time(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char sec[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03ld", sec, ts.tv_nsec / 1000000);
}

const char *fa_kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		strcpy(u.release, "unknown");
	return u.release;
}
