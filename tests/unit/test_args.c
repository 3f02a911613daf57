// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parsing of every subcommand: what is accepted, and that
 * whatever is refused exits 2 with exactly one line on stderr.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd.h"
#include "util.h"

#define ARGV(...)	((char *[]){ __VA_ARGS__, NULL })
#define ARGC(v)		((int)(sizeof(v) / sizeof((v)[0])) - 1)

/* stderr goes to a file while a parser runs: its lines are counted */
static int saved_fd = -1;
static FILE *captured;

static void capture_start(void)
{
	fflush(stderr);
	captured = tmpfile();
	assert_non_null(captured);
	saved_fd = dup(STDERR_FILENO);
	dup2(fileno(captured), STDERR_FILENO);
}

static int capture_end(char *last, size_t size)
{
	int lines = 0, c;
	size_t n = 0;

	fflush(stderr);
	dup2(saved_fd, STDERR_FILENO);
	close(saved_fd);
	rewind(captured);
	while ((c = fgetc(captured)) != EOF) {
		if (c == '\n') {
			lines++;
			n = 0;
			continue;
		}
		if (n + 1 < size) {
			last[n++] = (char)c;
			last[n] = '\0';
		}
	}
	fclose(captured);
	return lines;
}

/* Calls PARSE(argc, argv, opts), expects exit 2 and one stderr line. */
#define EXPECT_USAGE(parse, opts, ...) do {				\
	char *v_[] = { __VA_ARGS__, NULL };				\
	char line_[512] = "";						\
	int rc_, lines_;						\
	capture_start();						\
	rc_ = parse(ARGC(v_), v_, opts);				\
	lines_ = capture_end(line_, sizeof(line_));			\
	if (rc_ != FA_EXIT_USAGE || lines_ != 1)			\
		print_error("%s: rc %d, %d lines: %s\n", v_[1] ? v_[1] : "", \
			    rc_, lines_, line_);			\
	assert_int_equal(rc_, FA_EXIT_USAGE);				\
	assert_int_equal(lines_, 1);					\
	assert_true(strncmp(line_, "faultacct", 9) == 0);		\
} while (0)

/* static: the options keep pointers into argv after the block */
#define EXPECT_OK(parse, opts, ...) do {				\
	static char *v_[] = { __VA_ARGS__, NULL };			\
	assert_int_equal(parse(ARGC(v_), v_, opts), 0);			\
} while (0)

static void pids(void **state)
{
	uint32_t pid, list[4];
	size_t n;

	(void)state;
	assert_true(fa_parse_pid("1", &pid) && pid == 1);
	assert_true(fa_parse_pid("4194304", &pid) && pid == 4194304);
	assert_true(fa_parse_pid("007", &pid) && pid == 7);
	assert_false(fa_parse_pid("0", &pid));
	assert_false(fa_parse_pid("4194305", &pid));
	assert_false(fa_parse_pid("", &pid));
	assert_false(fa_parse_pid("-1", &pid));
	assert_false(fa_parse_pid("+5", &pid));
	assert_false(fa_parse_pid(" 5", &pid));
	assert_false(fa_parse_pid("5 ", &pid));
	assert_false(fa_parse_pid("5x", &pid));
	assert_false(fa_parse_pid("0x10", &pid));
	assert_false(fa_parse_pid("99999999999999999999999", &pid));
	assert_false(fa_parse_pid("18446744073709551617", &pid));

	n = 0;
	assert_true(fa_parse_pid_list("1,2,3", list, 4, &n) && n == 3);
	assert_int_equal(list[2], 3);
	assert_true(fa_parse_pid_list("4", list, 4, &n) && n == 4);
	assert_false(fa_parse_pid_list("5", list, 4, &n));	/* full */
	n = 0;
	assert_false(fa_parse_pid_list("1,,2", list, 4, &n));
	n = 0;
	assert_false(fa_parse_pid_list(",1", list, 4, &n));
	n = 0;
	assert_false(fa_parse_pid_list("1,", list, 4, &n));
	n = 0;
	assert_false(fa_parse_pid_list("", list, 4, &n));
	n = 0;
	assert_false(fa_parse_pid_list("1,0", list, 4, &n));
}

static void numbers(void **state)
{
	uint32_t v;
	double d;

	(void)state;
	assert_true(fa_parse_u32("10", 10, 60000, &v) && v == 10);
	assert_false(fa_parse_u32("9", 10, 60000, &v));
	assert_false(fa_parse_u32("60001", 10, 60000, &v));
	assert_true(fa_parse_u32("4294967295", 0, UINT32_MAX, &v));
	assert_false(fa_parse_u32("4294967296", 0, UINT32_MAX, &v));
	assert_true(fa_parse_secs("0.5", 0.1, 10, &d) && d == 0.5);
	assert_true(fa_parse_secs(".25", 0.1, 10, &d) && d == 0.25);
	assert_true(fa_parse_secs("3", 0.1, 10, &d) && d == 3);
	assert_false(fa_parse_secs("0.05", 0.1, 10, &d));
	assert_false(fa_parse_secs("nan", 0, 10, &d));
	assert_false(fa_parse_secs("inf", 0, 10, &d));
	assert_false(fa_parse_secs("1e400", 0, 10, &d));
	assert_false(fa_parse_secs("-1", -5, 10, &d));
	assert_false(fa_parse_secs("1s", 0, 10, &d));
	assert_false(fa_parse_secs("", 0, 10, &d));
}

static void run_args(void **state)
{
	struct run_opts o;

	(void)state;
	EXPECT_OK(run_parse, &o, "run", "--", "ls", "-l");
	assert_int_equal(o.argc, 2);
	assert_string_equal(o.argv[0], "ls");
	assert_string_equal(o.argv[1], "-l");
	assert_false(o.json);
	assert_null(o.output);
	assert_true(o.grace == FA_RUN_GRACE_S && o.timeout == FA_RUN_TIMEOUT_S);

	/* the command's own options are its own, -- or not */
	EXPECT_OK(run_parse, &o, "run", "make", "-j2", "--json");
	assert_int_equal(o.argc, 3);
	assert_false(o.json);

	EXPECT_OK(run_parse, &o, "run", "--json", "-o", "r.json", "--no-rss",
		  "--grace", "0.5", "--timeout", "2", "--", "sh", "-c", "x");
	assert_true(o.json && o.no_rss);
	assert_string_equal(o.output, "r.json");
	assert_true(o.grace == 0.5 && o.timeout == 2);
	assert_int_equal(o.argc, 3);

	EXPECT_OK(run_parse, &o, "run", "--output=x", "true");
	assert_string_equal(o.output, "x");

	EXPECT_OK(run_parse, &o, "run", "--help");
	assert_true(o.help);

	EXPECT_USAGE(run_parse, &o, "run");
	EXPECT_USAGE(run_parse, &o, "run", "--");
	EXPECT_USAGE(run_parse, &o, "run", "--json");
	EXPECT_USAGE(run_parse, &o, "run", "-o");
	EXPECT_USAGE(run_parse, &o, "run", "-o", "", "true");
	EXPECT_USAGE(run_parse, &o, "run", "--grace", "soon", "true");
	EXPECT_USAGE(run_parse, &o, "run", "--grace", "-1", "true");
	EXPECT_USAGE(run_parse, &o, "run", "--timeout", "1e9", "true");
	EXPECT_USAGE(run_parse, &o, "run", "--bogus", "true");
	EXPECT_USAGE(run_parse, &o, "run", "-q", "true");
}

static void top_args(void **state)
{
	struct top_opts o;

	(void)state;
	EXPECT_OK(top_parse, &o, "top");
	assert_true(o.delay == 1.0);
	assert_int_equal(o.key, TOP_FAULTS);
	assert_int_equal(o.npids, 0);
	assert_null(o.comm);
	assert_int_equal(o.iterations, 0);
	assert_false(o.batch);

	EXPECT_OK(top_parse, &o, "top", "-d", "0.5", "-s", "major", "-p",
		  "1,2", "-p", "3", "-c", "bash", "-n", "3", "-b");
	assert_true(o.delay == 0.5);
	assert_int_equal(o.key, TOP_MAJOR);
	assert_int_equal(o.npids, 3);
	assert_int_equal(o.pids[2], 3);
	assert_string_equal(o.comm, "bash");
	assert_int_equal(o.iterations, 3);
	assert_true(o.batch);

	EXPECT_OK(top_parse, &o, "top", "--sort=lat", "--batch",
		  "--iterations=1", "--delay=0.1");
	assert_int_equal(o.key, TOP_LAT);

	EXPECT_USAGE(top_parse, &o, "top", "-d", "0");
	EXPECT_USAGE(top_parse, &o, "top", "-d", "0.05");
	EXPECT_USAGE(top_parse, &o, "top", "-d", "x");
	EXPECT_USAGE(top_parse, &o, "top", "-s", "size");
	EXPECT_USAGE(top_parse, &o, "top", "-p", "0");
	EXPECT_USAGE(top_parse, &o, "top", "-p", "1,,2");
	EXPECT_USAGE(top_parse, &o, "top", "-p", "4194305");
	EXPECT_USAGE(top_parse, &o, "top", "-c", "");
	EXPECT_USAGE(top_parse, &o, "top", "-c", "sixteen-bytes-xx");
	EXPECT_USAGE(top_parse, &o, "top", "-n", "0");
	EXPECT_USAGE(top_parse, &o, "top", "-n", "-1");
	EXPECT_USAGE(top_parse, &o, "top", "-d");
	EXPECT_USAGE(top_parse, &o, "top", "extra");
	EXPECT_USAGE(top_parse, &o, "top", "--bogus");
}

static void top_keys(void **state)
{
	static const char *const names[] = { "faults", "major", "anon",
		"file", "shmem", "lat", "pid" };
	enum top_key k;
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_true(top_key_parse(names[i], &k));
		assert_int_equal(k, i);
		assert_string_equal(top_key_name(k), names[i]);
	}
	assert_false(top_key_parse("FAULTS", &k));
	assert_int_equal(top_key_for_char('f'), TOP_FAULTS);
	assert_int_equal(top_key_for_char('F'), TOP_FILE);
	assert_int_equal(top_key_for_char('l'), TOP_LAT);
	assert_int_equal(top_key_for_char('p'), TOP_PID);
	assert_int_equal(top_key_for_char('z'), -1);
}

static void watch_args(void **state)
{
	struct watch_opts o;

	(void)state;
	EXPECT_OK(watch_parse, &o, "watch");
	assert_int_equal(o.format, FA_FMT_TEXT);
	assert_true(o.stats && o.exit);
	EXPECT_OK(watch_parse, &o, "watch", "--format", "csv");
	assert_int_equal(o.format, FA_FMT_CSV);
	EXPECT_OK(watch_parse, &o, "watch", "--format=json", "--stats-only");
	assert_int_equal(o.format, FA_FMT_JSON);
	assert_true(o.stats && !o.exit);
	EXPECT_OK(watch_parse, &o, "watch", "--exit-only");
	assert_true(!o.stats && o.exit);

	EXPECT_USAGE(watch_parse, &o, "watch", "--format", "xml");
	EXPECT_USAGE(watch_parse, &o, "watch", "--format");
	EXPECT_USAGE(watch_parse, &o, "watch", "--stats-only", "--exit-only");
	EXPECT_USAGE(watch_parse, &o, "watch", "now");
	EXPECT_USAGE(watch_parse, &o, "watch", "-x");
}

static void dump_args(void **state)
{
	struct dump_opts o;

	(void)state;
	EXPECT_OK(dump_parse, &o, "dump");
	assert_int_equal(o.format, FA_FMT_TEXT);
	assert_false(o.have_pid);
	EXPECT_OK(dump_parse, &o, "dump", "--json", "-p", "42");
	assert_int_equal(o.format, FA_FMT_JSON);
	assert_true(o.have_pid);
	assert_int_equal(o.pid, 42);
	EXPECT_OK(dump_parse, &o, "dump", "--csv", "--csv");
	assert_int_equal(o.format, FA_FMT_CSV);

	EXPECT_USAGE(dump_parse, &o, "dump", "--json", "--csv");
	EXPECT_USAGE(dump_parse, &o, "dump", "-p", "0");
	EXPECT_USAGE(dump_parse, &o, "dump", "-p", "12ab");
	EXPECT_USAGE(dump_parse, &o, "dump", "-p");
	EXPECT_USAGE(dump_parse, &o, "dump", "1234");
}

static void status_args(void **state)
{
	struct status_opts o;

	(void)state;
	EXPECT_OK(status_parse, &o, "status");
	assert_false(o.json);
	EXPECT_OK(status_parse, &o, "status", "--json");
	assert_true(o.json);
	EXPECT_OK(status_parse, &o, "status", "-h");
	assert_true(o.help);
	EXPECT_USAGE(status_parse, &o, "status", "--jsn");
	EXPECT_USAGE(status_parse, &o, "status", "all");
}

#define HAVE(a)	(1U << (a))

static void config_args(void **state)
{
	struct config_opts o;

	(void)state;
	EXPECT_OK(config_parse, &o, "config");
	assert_int_equal(o.set.have, 0);
	assert_int_equal(o.flags_on | o.flags_off, 0);

	EXPECT_OK(config_parse, &o, "config", "--enable", "--filter", "tree",
		  "--pid", "10,20", "--pid", "30", "--interval", "500",
		  "--latency", "off", "--json");
	assert_int_equal(o.set.have, HAVE(FAULTACCT_CONFIG_ENABLED) |
			 HAVE(FAULTACCT_CONFIG_FILTER_MODE) |
			 HAVE(FAULTACCT_CONFIG_FILTER_TGID) |
			 HAVE(FAULTACCT_CONFIG_INTERVAL_MS));
	assert_true(o.set.enabled);
	assert_int_equal(o.set.filter_mode, FAULTACCT_FILTER_TREE);
	assert_int_equal(o.set.ntgids, 3);
	assert_int_equal(o.set.tgids[2], 30);
	assert_int_equal(o.set.interval_ms, 500);
	assert_int_equal(o.flags_on, 0);
	assert_int_equal(o.flags_off, FAULTACCT_CONFIG_F_LATENCY);
	assert_true(o.json);

	EXPECT_OK(config_parse, &o, "config", "--disable");
	assert_false(o.set.enabled);
	assert_int_equal(o.set.have, HAVE(FAULTACCT_CONFIG_ENABLED));
	EXPECT_OK(config_parse, &o, "config", "--enable", "--enable");
	EXPECT_OK(config_parse, &o, "config", "--filter", "all");
	assert_int_equal(o.set.filter_mode, FAULTACCT_FILTER_ALL);
	EXPECT_OK(config_parse, &o, "config", "--filter", "tgids", "-p", "1");
	assert_int_equal(o.set.filter_mode, FAULTACCT_FILTER_TGIDS);
	EXPECT_OK(config_parse, &o, "config", "--interval", "10");
	EXPECT_OK(config_parse, &o, "config", "--interval", "60000");
	EXPECT_OK(config_parse, &o, "config", "--latency", "on");
	assert_int_equal(o.flags_on, FAULTACCT_CONFIG_F_LATENCY);
	assert_int_equal(o.flags_off, 0);
	/* each flag on its own; the last word on one flag wins */
	EXPECT_OK(config_parse, &o, "config", "--outcomes", "on", "--latency",
		  "off", "--outcomes", "off", "--outcomes", "on");
	assert_int_equal(o.flags_on, FAULTACCT_CONFIG_F_OUTCOMES);
	assert_int_equal(o.flags_off, FAULTACCT_CONFIG_F_LATENCY);

	EXPECT_USAGE(config_parse, &o, "config", "--enable", "--disable");
	EXPECT_USAGE(config_parse, &o, "config", "--filter", "some");
	EXPECT_USAGE(config_parse, &o, "config", "--filter", "all", "--pid",
		     "1");
	EXPECT_USAGE(config_parse, &o, "config", "--pid", "0");
	EXPECT_USAGE(config_parse, &o, "config", "--interval", "9");
	EXPECT_USAGE(config_parse, &o, "config", "--interval", "60001");
	EXPECT_USAGE(config_parse, &o, "config", "--interval", "1s");
	EXPECT_USAGE(config_parse, &o, "config", "--latency", "yes");
	EXPECT_USAGE(config_parse, &o, "config", "--latency");
	EXPECT_USAGE(config_parse, &o, "config", "--outcomes", "1");
	EXPECT_USAGE(config_parse, &o, "config", "enable");
}

static void config_too_many_pids(void **state)
{
	char list[65 * 8] = "", *v[] = { "config", "--pid", list, NULL };
	struct config_opts o;
	char line[512];
	int i, rc;

	(void)state;
	for (i = 1; i <= 64; i++)
		sprintf(list + strlen(list), "%s%d", i > 1 ? "," : "", i);
	assert_int_equal(config_parse(3, v, &o), 0);
	assert_int_equal(o.set.ntgids, 64);
	strcat(list, ",65");
	capture_start();
	rc = config_parse(3, v, &o);
	assert_int_equal(capture_end(line, sizeof(line)), 1);
	assert_int_equal(rc, FA_EXIT_USAGE);
}

static void reset_args(void **state)
{
	struct reset_opts o;

	(void)state;
	EXPECT_OK(reset_parse, &o, "reset");
	assert_false(o.have_pid);
	EXPECT_OK(reset_parse, &o, "reset", "-p", "99");
	assert_true(o.have_pid);
	assert_int_equal(o.pid, 99);
	EXPECT_OK(reset_parse, &o, "reset", "--pid=4194304");
	EXPECT_USAGE(reset_parse, &o, "reset", "-p", "x");
	EXPECT_USAGE(reset_parse, &o, "reset", "-p", "1,2");
	EXPECT_USAGE(reset_parse, &o, "reset", "7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pids),
		cmocka_unit_test(numbers),
		cmocka_unit_test(run_args),
		cmocka_unit_test(top_args),
		cmocka_unit_test(top_keys),
		cmocka_unit_test(watch_args),
		cmocka_unit_test(dump_args),
		cmocka_unit_test(status_args),
		cmocka_unit_test(config_args),
		cmocka_unit_test(config_too_many_pids),
		cmocka_unit_test(reset_args),
	};

	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
