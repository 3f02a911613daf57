// SPDX-License-Identifier: GPL-2.0
/*
 * The built tool, run as a user runs it: exit statuses and what reaches
 * stdout and stderr, for what needs no module (help, version, usage
 * errors) and for the module's absence, when it is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#ifndef FA_TOOL_PATH
#error "FA_TOOL_PATH: the faultacct binary under test"
#endif

struct result {
	int status;
	char out[16384];
	char err[4096];
	int err_lines;
};

static void slurp(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
}

/* Runs the tool with argv (NULL-terminated); stdin is /dev/null. */
static void run(struct result *res, char *const argv[])
{
	int out[2], err[2], st;
	char *p;
	pid_t pid;

	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		if (!freopen("/dev/null", "r", stdin))
			_exit(99);
		execv(FA_TOOL_PATH, argv);
		_exit(98);
	}
	close(out[1]);
	close(err[1]);
	/* small outputs: reading one pipe after the other cannot block */
	slurp(out[0], res->out, sizeof(res->out));
	slurp(err[0], res->err, sizeof(res->err));
	close(out[0]);
	close(err[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	res->status = WEXITSTATUS(st);
	res->err_lines = 0;
	for (p = res->err; *p; p++)
		res->err_lines += *p == '\n';
}

#define RUN(res, ...)	run(res, (char *const[]){ "faultacct", __VA_ARGS__, NULL })

static struct result res;

static void version_and_help(void **state)
{
	(void)state;
	RUN(&res, "--version");
	assert_int_equal(res.status, 0);
	assert_non_null(strstr(res.out, "faultacct "));
	assert_non_null(strstr(res.out, "protocol version 1"));

	RUN(&res, "--help");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.err, "");
	for (const char *c = "run\0top\0watch\0dump\0status\0config\0reset\0";
	     *c; c += strlen(c) + 1)
		assert_non_null(strstr(res.out, c));

	RUN(&res, "help", "run");
	assert_int_equal(res.status, 0);
	assert_non_null(strstr(res.out, "usage: faultacct run"));
}

/* Every subcommand has --help, on stdout, exit 0, no module needed. */
static void every_command_has_help(void **state)
{
	static const char *const cmds[] = { "run", "top", "watch", "dump",
		"status", "config", "reset" };
	char usage[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		RUN(&res, (char *)cmds[i], "--help");
		assert_int_equal(res.status, 0);
		snprintf(usage, sizeof(usage), "usage: faultacct %s", cmds[i]);
		assert_non_null(strstr(res.out, usage));
		assert_string_equal(res.err, "");
		RUN(&res, "help", (char *)cmds[i]);
		assert_int_equal(res.status, 0);
		assert_non_null(strstr(res.out, usage));
	}
}

static void expect_usage_error(void)
{
	assert_int_equal(res.status, 2);
	assert_int_equal(res.err_lines, 1);
	assert_true(strncmp(res.err, "faultacct", 9) == 0);
	assert_string_equal(res.out, "");
}

static void usage_errors(void **state)
{
	(void)state;
	RUN(&res, "bogus");
	expect_usage_error();
	assert_non_null(strstr(res.err, "unknown command 'bogus'"));
	RUN(&res, "--bogus");
	expect_usage_error();
	run(&res, (char *const[]){ "faultacct", NULL });
	expect_usage_error();
	RUN(&res, "help", "nope");
	expect_usage_error();
	RUN(&res, "run");
	expect_usage_error();
	RUN(&res, "dump", "-p", "0");
	expect_usage_error();
	RUN(&res, "dump", "-p", "4194305");
	expect_usage_error();
	RUN(&res, "reset", "-p", "1x");
	expect_usage_error();
	RUN(&res, "top", "-s", "size");
	expect_usage_error();
	RUN(&res, "watch", "--format", "xml");
	expect_usage_error();
	RUN(&res, "config", "--interval", "5");
	expect_usage_error();
	RUN(&res, "status", "extra");
	expect_usage_error();
}

/*
 * Where the module is not loaded (always, on a host that cannot load
 * modules), every command that needs it says so in one line and exits 1.
 */
static void module_not_loaded(void **state)
{
	static const char *const argvs[][4] = {
		{ "status" }, { "dump" }, { "dump", "-p", "1" }, { "watch" },
		{ "top", "-b", "-n", "1" }, { "config" }, { "reset" },
		{ "run", "--", "true" },
	};
	size_t i;

	(void)state;
	RUN(&res, "status");
	if (res.status == 0)
		skip();		/* the module is loaded here */
	for (i = 0; i < sizeof(argvs) / sizeof(argvs[0]); i++) {
		char *argv[6] = { "faultacct" };

		memcpy(argv + 1, argvs[i], sizeof(argvs[i]));
		run(&res, argv);
		if (res.status != 1 || res.err_lines != 1)
			print_error("%s: exit %d, stderr: %s", argvs[i][0],
				    res.status, res.err);
		assert_int_equal(res.status, 1);
		assert_int_equal(res.err_lines, 1);
		assert_non_null(strstr(res.err,
			"faultacct: the faultacct module is not loaded (try: modprobe faultacct, or insmod build/kmod/"));
		assert_string_equal(res.out, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(version_and_help),
		cmocka_unit_test(every_command_has_help),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(module_not_loaded),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
