// SPDX-License-Identifier: GPL-2.0
/*
 * rel_reuse: two processes, one pid.
 *
 *   rel_reuse natural|fast [PAIRS]
 *
 * For each pair, a first child writes 100 pages of anonymous memory and
 * exits; once it is reaped, a second child that gets the same pid writes
 * 300 pages and exits. Every other child (a filler) does the same work
 * with 0 pages, so its record is the baseline of what a child costs
 * without the writes.
 *
 *  natural  forks fillers until the pid allocator wraps around to the
 *           first child's pid (lower /proc/sys/kernel/pid_max first, or
 *           this takes a while)
 *  fast     writes pid - 1 to /proc/sys/kernel/ns_last_pid, so the very
 *           next fork reuses the pid microseconds after the exit (root)
 *
 * With REUSE_HOLD_CMD in the environment, the second child of each pair
 * waits after its writes while that shell command runs with REUSE_PID
 * set, so a live view (dump) of the reused pid can be checked.
 *
 * The children name themselves reuse_first, reuse_second, reuse_filler.
 * Prints one JSON line per pair: {"pid", "first_pages", "second_pages",
 * "fillers"}, and a last line with the parent's pid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE		4096UL
#define REGION		512
#define FIRST_PAGES	100
#define SECOND_PAGES	300

static const char *hold_cmd;

/*
 * The work of every child: name itself (reuse_first, reuse_second or
 * reuse_filler, so the records tell which is which even when a later
 * filler gets the pid once more), map, write n pages, exit.
 */
static void __attribute__((noreturn)) child(const char *name, long n,
					    int ready, int release)
{
	char *p;
	char c = 0;

	prctl(PR_SET_NAME, name);
	p = mmap(NULL, REGION * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || madvise(p, REGION * PAGE, MADV_NOHUGEPAGE))
		_exit(1);
	for (long i = 0; i < n; i++)
		p[i * PAGE] = 1;
	if (ready >= 0) {
		if (write(ready, &c, 1) != 1 || read(release, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static pid_t spawn(const char *name, long n)
{
	pid_t c = fork();

	if (c < 0) {
		perror("rel_reuse: fork");
		exit(1);
	}
	if (c == 0)
		child(name, n, -1, -1);
	return c;
}

static int reap(pid_t c)
{
	int status;

	while (waitpid(c, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int set_last_pid(pid_t pid)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	int len = snprintf(buf, sizeof(buf), "%d", pid - 1);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, buf, (size_t)len) == len;
	close(fd);
	return ok ? 0 : -1;
}

/* The second child of a pair, held while REUSE_HOLD_CMD runs. */
static pid_t spawn_second(pid_t want, long *fillers, int fast)
{
	int ready[2], release[2];
	char c;

	for (;;) {
		pid_t p;

		if (pipe(ready) || pipe(release)) {
			perror("rel_reuse: pipe");
			exit(1);
		}
		if (fast && set_last_pid(want)) {
			perror("rel_reuse: ns_last_pid");
			exit(1);
		}
		p = fork();
		if (p < 0) {
			perror("rel_reuse: fork");
			exit(1);
		}
		if (p == 0) {
			close(ready[0]);
			close(release[1]);
			/* not the pid we wait for: a filler */
			if (getpid() != want)
				child("reuse_filler", 0, -1, -1);
			child("reuse_second", SECOND_PAGES,
			      hold_cmd ? ready[1] : -1, release[0]);
		}
		close(ready[1]);
		close(release[0]);
		if (p != want) {
			close(ready[0]);
			close(release[1]);
			if (reap(p))
				exit(1);
			if (++*fillers > 1000000) {
				fprintf(stderr, "rel_reuse: pid %d never came back\n",
					want);
				exit(1);
			}
			continue;
		}
		if (hold_cmd) {
			char env[32];

			if (read(ready[0], &c, 1) != 1)
				exit(1);
			snprintf(env, sizeof(env), "%d", want);
			setenv("REUSE_PID", env, 1);
			if (system(hold_cmd) != 0)
				fprintf(stderr, "rel_reuse: REUSE_HOLD_CMD failed\n");
			if (write(release[1], &c, 1) != 1)
				exit(1);
		}
		close(ready[0]);
		close(release[1]);
		return p;
	}
}

int main(int argc, char **argv)
{
	int fast = argc > 1 && !strcmp(argv[1], "fast");
	long pairs = argc > 2 ? atol(argv[2]) : 1;

	if (argc < 2 || (!fast && strcmp(argv[1], "natural")) || pairs < 1) {
		fprintf(stderr, "usage: rel_reuse natural|fast [PAIRS]\n");
		return 2;
	}
	hold_cmd = getenv("REUSE_HOLD_CMD");
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* two fillers first, so every run has a baseline */
	for (int i = 0; i < 2; i++)
		if (reap(spawn("reuse_filler", 0)))
			return 1;
	for (long i = 0; i < pairs; i++) {
		long fillers = 0;
		pid_t first = spawn("reuse_first", FIRST_PAGES), second;

		if (reap(first))
			return 1;
		second = spawn_second(first, &fillers, fast);
		if (reap(second))
			return 1;
		printf("{\"pid\": %d, \"first_pages\": %d, \"second_pages\": %d, \"fillers\": %ld}\n",
		       first, FIRST_PAGES, SECOND_PAGES, fillers);
	}
	printf("{\"parent\": %d}\n", getpid());
	return 0;
}
