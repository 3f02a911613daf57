// SPDX-License-Identifier: GPL-2.0
/*
 * sleepers: N live processes, each of which has faulted one page of its own.
 *
 *   sleepers N
 *
 * Forks N children; each writes one byte to a fresh anonymous page (one
 * zero-fill fault, one page charged to its mm) and sleeps. When all of them
 * have done so, prints "ready N" on stdout and waits for SIGTERM or SIGINT;
 * then kills and reaps every child, prints "done" and exits 0. The benchmark
 * reads the kernel's memory counters while they sleep, to learn what a
 * tracked process costs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "sleepers: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void child(int ready_fd)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(1);
	__atomic_store_n(p, 1, __ATOMIC_RELAXED);	/* one write fault */
	if (write(ready_fd, "x", 1) != 1)
		_exit(1);
	close(ready_fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, old;
	long n, got = 0;
	pid_t *pids;
	int fds[2];
	char *end;

	n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (n < 1 || *end) {
		fprintf(stderr, "usage: sleepers N\n");
		return 2;
	}
	pids = calloc(n, sizeof(*pids));
	if (!pids)
		die("calloc");
	if (pipe(fds))
		die("pipe");

	/* Signals stay blocked but for sigsuspend(): no lost wake-up. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (long i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			fprintf(stderr, "sleepers: fork %ld of %ld: %s\n", i + 1,
				n, strerror(errno));
			for (long j = 0; j < i; j++)
				kill(pids[j], SIGKILL);
			return 1;
		}
		if (pids[i] == 0) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			close(fds[0]);
			child(fds[1]);
		}
	}
	close(fds[1]);
	while (got < n) {
		char buf[4096];
		ssize_t r = read(fds[0], buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("a child failed before it was ready");
		got += r;
	}
	printf("ready %ld\n", n);
	fflush(stdout);

	while (!stop)
		sigsuspend(&old);
	for (long i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (long i = 0; i < n; i++)
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	printf("done\n");
	return 0;
}
