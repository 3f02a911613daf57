// SPDX-License-Identifier: GPL-2.0
/*
 * rel_hold: many sleeping processes that each faulted once.
 *
 *   rel_hold NPROCS
 *
 * Forks NPROCS children; each writes one page of fresh anonymous memory
 * (so it is tracked) and sleeps. When all have written, the parent prints
 * "rel_hold: N ready" and its pid, and waits. SIGTERM or SIGINT to the
 * parent kills and reaps the children, then it exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t mask, old;
	pid_t *kids;
	int pfd[2];
	char c;

	if (n < 1) {
		fprintf(stderr, "usage: rel_hold NPROCS\n");
		return 2;
	}
	kids = calloc((size_t)n, sizeof(*kids));
	if (!kids || pipe(pfd))
		return 1;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigprocmask(SIG_BLOCK, &mask, &old);
	for (long i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			perror("rel_hold: fork");
			n = i;
			break;
		}
		if (kids[i] == 0) {
			char *p;

			sigprocmask(SIG_SETMASK, &old, NULL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			close(pfd[0]);
			p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p != MAP_FAILED)
				p[0] = 1;
			if (write(pfd[1], "x", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	close(pfd[1]);
	for (long i = 0; i < n; i++)
		if (read(pfd[0], &c, 1) != 1)
			break;
	printf("rel_hold: %ld ready, pid %d\n", n, getpid());
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
	for (long i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
