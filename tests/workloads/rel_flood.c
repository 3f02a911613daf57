// SPDX-License-Identifier: GPL-2.0
/*
 * rel_flood: a flood of short-lived processes.
 *
 *   rel_flood NPROCS [BATCH]
 *
 * Forks NPROCS children, BATCH (default 100) at a time, reaping each batch
 * before the next. Every child writes 4 pages of fresh anonymous memory and
 * _exits, so each is tracked and leaves one exit record whose ppid is this
 * process. Prints its pid first (a listener can pick its children out),
 * then how many children ran and how long it took.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096UL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	long batch = argc > 2 ? atol(argv[2]) : 100;
	long started = 0, failed = 0, bad_status = 0;
	double t0;

	if (n < 1 || batch < 1) {
		fprintf(stderr, "usage: rel_flood NPROCS [BATCH]\n");
		return 2;
	}
	printf("rel_flood: pid %d\n", getpid());
	fflush(stdout);
	t0 = now();
	while (started < n) {
		long k, m = n - started < batch ? n - started : batch;
		int status;

		for (k = 0; k < m; k++) {
			pid_t c = fork();

			if (c < 0) {
				/* out of pids or memory: reap and retry */
				failed++;
				break;
			}
			if (c == 0) {
				char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (p == MAP_FAILED)
					_exit(1);
				for (int i = 0; i < 4; i++)
					p[i * PAGE] = 1;
				_exit(0);
			}
		}
		started += k;
		while (wait(&status) > 0 || errno == EINTR)
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				bad_status++;
		if (failed > 1000) {
			fprintf(stderr, "rel_flood: fork keeps failing\n");
			return 1;
		}
	}
	printf("rel_flood: %ld children in %.2f s (%.0f/s), %ld fork retries, %ld bad exits\n",
	       started, now() - t0, started / (now() - t0), failed, bad_status);
	return bad_status ? 1 : 0;
}
