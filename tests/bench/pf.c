// SPDX-License-Identifier: GPL-2.0
/*
 * pf: page-fault throughput, in the manner of will-it-scale's page_fault*.
 *
 *   pf [-t NPROCS] [-d SECONDS] [-w WARMUP] [-D DIR] WORKLOAD
 *
 * Each of NPROCS processes loops: mmap a 32 MiB region, touch one byte of
 * every page, munmap. Prints one JSON line:
 *
 *   {"workload":"pf1","procs":1,"seconds":2.000,"iterations":9,
 *    "pages":73728,"pages_per_sec":36863.3,"faults":73741}
 *
 * Only whole iterations count, so the cost of munmap is in every figure in
 * the same proportion: each process stamps the time when it starts and at
 * the end of each of its iterations. After WARMUP seconds (default 0) the
 * parent notes each process's page count and last stamp; after SECONDS more
 * (default 0.2), once every process has finished at least one more
 * iteration, it notes them again. pages_per_sec is the sum over the
 * processes of pages / time between their two stamps; pages and iterations
 * are the totals in those windows, seconds the parent's window. With the
 * defaults, a slow workload is timed over exactly its first iteration; the
 * first is like the others, as munmap frees the page tables too.
 *
 * "faults" counts the page faults of the processes in the same windows
 * (getrusage(): minor and major faults), so pages / faults is exact: about
 * 16 with fault-around (pf4), about 1 otherwise.
 *
 * WORKLOAD:
 *   pf1  anonymous private memory, written (MADV_NOHUGEPAGE: 4 KiB faults)
 *   pf2  private mapping of a file in DIR, written (a COW copy per page)
 *   pf3  shared mapping of a file in DIR, written
 *   pf4  private mapping of a file in DIR, read (fault-around: about one
 *        fault per 16 pages)
 *
 * File workloads use one 32 MiB file per process, DIR/pf-file-N, filled with
 * data and synced once (so no fault allocates blocks) and then reused by
 * every later run: its pages stay in the page cache. DIR must be a disk
 * filesystem (default /scratch); on tmpfs the pages would be shmem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REGION		(32UL << 20)
#define MAX_PROCS	256

enum workload { PF1 = 1, PF2, PF3, PF4 };

/* Shared between processes: every access goes through these. */
#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/*
 * One cache line per process, written only by it. seq is odd while the
 * process updates the other fields (a seqcount), so the parent reads a
 * consistent set.
 */
struct slot {
	uint64_t seq;
	uint64_t iters;
	uint64_t pages;
	uint64_t stamp_ns;
	uint64_t faults;
	char pad[24];
};

struct shared {
	int go;
	int stop;
	int ready;
	char pad[52];
	struct slot slot[MAX_PROCS];
};

struct snap {
	uint64_t iters, pages, stamp_ns, faults;
};

static long page_size;

static void die(const char *what)
{
	fprintf(stderr, "pf: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t my_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static void sleep_for(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A file of REGION bytes of real data: no hole, no block left to allocate. */
static int prepare_file(const char *dir, int i)
{
	char path[4096], *buf;
	struct stat st;
	size_t off;
	int fd;

	snprintf(path, sizeof(path), "%s/pf-file-%d", dir, i);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		die(path);
	if (fstat(fd, &st))
		die("fstat");
	if ((size_t)st.st_size == REGION)
		return fd;
	buf = malloc(1 << 20);
	if (!buf)
		die("malloc");
	memset(buf, 0x5a, 1 << 20);
	for (off = 0; off < REGION; off += 1 << 20)
		if (pwrite(fd, buf, 1 << 20, off) != 1 << 20)
			die("pwrite");
	if (fsync(fd))
		die("fsync");
	free(buf);
	return fd;
}

/* An iteration of @pages pages ended now (or, with 0, the worker started). */
static void publish(struct slot *slot, uint64_t pages, uint64_t faults)
{
	STORE(slot->seq, slot->seq + 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (pages) {
		STORE(slot->iters, slot->iters + 1);
		STORE(slot->pages, slot->pages + pages);
	}
	STORE(slot->faults, faults);
	STORE(slot->stamp_ns, now_ns());
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	STORE(slot->seq, slot->seq + 1);
}

static void worker(struct shared *sh, int idx, enum workload w, const char *dir)
{
	struct slot *slot = &sh->slot[idx];
	int prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE, fd = -1;
	size_t npages = REGION / page_size;
	char sink = 0;

	if (w == PF1)
		flags |= MAP_ANONYMOUS;
	else
		fd = prepare_file(dir, idx);
	if (w == PF3)
		flags = MAP_SHARED;
	if (w == PF4)
		prot = PROT_READ;

	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!LOAD(sh->go))
		sleep_for(0.0001);
	publish(slot, 0, my_faults());
	while (!LOAD(sh->stop)) {
		char *p = mmap(NULL, REGION, prot, flags, fd, 0);
		size_t i;

		if (p == MAP_FAILED)
			die("mmap");
		if (w == PF1 && madvise(p, REGION, MADV_NOHUGEPAGE))
			die("madvise");
		for (i = 0; i < npages && !LOAD(sh->stop); i++) {
			/* atomic: the compiler keeps every access */
			if (w == PF4)
				sink += LOAD(p[i * page_size]);
			else
				STORE(p[i * page_size], 1);
		}
		if (munmap(p, REGION))
			die("munmap");
		if (i < npages)
			break;
		publish(slot, npages, my_faults());
	}
	(void)sink;
}

static void read_slot(struct slot *s, struct snap *out)
{
	uint64_t seq;

	do {
		while ((seq = LOAD(s->seq)) & 1)
			;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		out->iters = LOAD(s->iters);
		out->pages = LOAD(s->pages);
		out->stamp_ns = LOAD(s->stamp_ns);
		out->faults = LOAD(s->faults);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while (LOAD(s->seq) != seq);
}

/* Waits until every process has done more than @after[i].iters iterations. */
static int wait_iters(struct shared *sh, int n, const struct snap *after,
		      double timeout)
{
	uint64_t end = now_ns() + (uint64_t)(timeout * 1e9);
	struct snap s;

	for (int i = 0; i < n; i++) {
		for (;;) {
			read_slot(&sh->slot[i], &s);
			if (s.iters > after[i].iters)
				break;
			if (now_ns() > end)
				return -1;
			sleep_for(0.001);
		}
	}
	return 0;
}

static void usage(void)
{
	fputs("usage: pf [-t NPROCS] [-d SECONDS] [-w WARMUP] [-D DIR] pf1|pf2|pf3|pf4\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct snap s0[MAX_PROCS], s1[MAX_PROCS];
	double secs = 0.2, warmup = 0, rate = 0;
	uint64_t t0, t1, pages = 0, iters = 0, faults = 0;
	const char *dir = "/scratch";
	pid_t pids[MAX_PROCS];
	int nprocs = 1, c, status, rc = 0;
	struct shared *sh;
	enum workload w;
	char *end;

	while ((c = getopt(argc, argv, "t:d:w:D:h")) != -1) {
		switch (c) {
		case 't':
			nprocs = strtol(optarg, &end, 10);
			if (*end || nprocs < 1 || nprocs > MAX_PROCS)
				usage();
			break;
		case 'd':
			secs = strtod(optarg, &end);
			if (*end || secs < 0)
				usage();
			break;
		case 'w':
			warmup = strtod(optarg, &end);
			if (*end || warmup < 0)
				usage();
			break;
		case 'D':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	if (!strcmp(argv[optind], "pf1"))
		w = PF1;
	else if (!strcmp(argv[optind], "pf2"))
		w = PF2;
	else if (!strcmp(argv[optind], "pf3"))
		w = PF3;
	else if (!strcmp(argv[optind], "pf4"))
		w = PF4;
	else
		usage();

	page_size = sysconf(_SC_PAGESIZE);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	memset(sh, 0, sizeof(*sh));

	for (int i = 0; i < nprocs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			worker(sh, i, w, dir);
			_exit(0);
		}
	}
	while (LOAD(sh->ready) < nprocs) {
		if (waitpid(-1, &status, WNOHANG) > 0) {
			fprintf(stderr, "pf: a worker died before starting\n");
			rc = 1;
			goto out;
		}
		sleep_for(0.001);
	}
	t0 = now_ns();
	STORE(sh->go, 1);
	if (warmup > 0) {
		sleep_for(warmup);
		t0 = now_ns();
	}
	/* Every worker has stamped its start (or an iteration) by now. */
	for (int i = 0; i < nprocs; i++) {
		do
			read_slot(&sh->slot[i], &s0[i]);
		while (!s0[i].stamp_ns);
	}
	sleep_for(secs);
	/* A generous timeout: it only catches a stuck worker. */
	if (wait_iters(sh, nprocs, s0, 60 + 100 * secs)) {
		fprintf(stderr, "pf: a worker made no progress\n");
		rc = 1;
		goto out;
	}
	for (int i = 0; i < nprocs; i++)
		read_slot(&sh->slot[i], &s1[i]);
	t1 = now_ns();

	for (int i = 0; i < nprocs; i++) {
		pages += s1[i].pages - s0[i].pages;
		iters += s1[i].iters - s0[i].iters;
		faults += s1[i].faults - s0[i].faults;
		rate += (s1[i].pages - s0[i].pages) * 1e9 /
			(s1[i].stamp_ns - s0[i].stamp_ns);
	}
	printf("{\"workload\":\"%s\",\"procs\":%d,\"seconds\":%.3f,"
	       "\"iterations\":%llu,\"pages\":%llu,\"pages_per_sec\":%.1f,"
	       "\"faults\":%llu}\n",
	       argv[optind], nprocs, (t1 - t0) / 1e9,
	       (unsigned long long)iters, (unsigned long long)pages, rate,
	       (unsigned long long)faults);
out:
	STORE(sh->stop, 1);
	STORE(sh->go, 1);
	for (int i = 0; i < nprocs; i++) {
		if (waitpid(pids[i], &status, 0) < 0)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	}
	return rc;
}
