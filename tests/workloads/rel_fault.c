// SPDX-License-Identifier: GPL-2.0
/*
 * rel_fault: keep the fault path busy until told to stop.
 *
 *   rel_fault NWORKERS
 *
 * Forks NWORKERS workers (one per CPU is the idea). Each loops: map 16
 * anonymous pages, write each, unmap; every 32nd round it forks a child
 * that writes 4 pages and exits, so exits and new processes race with
 * whatever else is going on (module unload, table churn). On SIGTERM or
 * SIGINT the workers stop and the parent prints the rounds and forks done.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE	4096UL

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void touch(unsigned long pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	munmap(p, pages * PAGE);
}

/* Each worker reports its totals through a pipe. */
static void worker(int out)
{
	uint64_t tally[2] = { 0, 0 };	/* rounds, forks */

	while (!stop) {
		touch(16);
		if (++tally[0] % 32 == 0) {
			pid_t c = fork();

			if (c == 0) {
				touch(4);
				_exit(0);
			}
			if (c > 0) {
				tally[1]++;
				while (waitpid(c, NULL, 0) < 0 && errno == EINTR)
					;
			}
		}
	}
	if (write(out, tally, sizeof(tally)) != sizeof(tally))
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	struct sigaction sa = { .sa_handler = on_stop };
	uint64_t rounds = 0, forks = 0, t[2];
	pid_t *w;
	int pfd[2];

	if (n < 1 || n > 1024) {
		fprintf(stderr, "usage: rel_fault NWORKERS\n");
		return 2;
	}
	sigset_t mask, old;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (pipe(pfd))
		return 1;
	w = calloc((size_t)n, sizeof(*w));
	/* blocked until sigsuspend(), so a stop cannot slip past the check */
	sigprocmask(SIG_BLOCK, &mask, &old);
	for (int i = 0; i < n; i++) {
		w[i] = fork();
		if (w[i] == 0) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			close(pfd[0]);
			worker(pfd[1]);
		}
	}
	close(pfd[1]);
	printf("rel_fault: %d workers started\n", n);
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
	for (int i = 0; i < n; i++)
		if (w[i] > 0)
			kill(w[i], SIGTERM);
	while (read(pfd[0], t, sizeof(t)) == sizeof(t)) {
		rounds += t[0];
		forks += t[1];
	}
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("rel_fault: %d workers: %llu rounds of 16 pages, %llu forks\n",
	       n, (unsigned long long)rounds, (unsigned long long)forks);
	return 0;
}
