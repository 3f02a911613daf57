// SPDX-License-Identifier: GPL-2.0
/*
 * fa_work: workloads whose page charges are known exactly.
 *
 *   fa_work SCENARIO NPAGES [DIR]
 *
 * Every process that does the scenario's work prints one JSON line on
 * stdout: the change of its own RssAnon/RssFile/RssShmem (from
 * /proc/self/status, in pages) across that work, so a test can hold the
 * module's numbers against the kernel's own. The work does not depend on
 * NPAGES other than through the pages touched: a run with NPAGES = 0 does
 * every other fault of the run with NPAGES = N, so the difference of the two
 * is exactly the scenario's charge. File scenarios use DIR (default
 * /scratch), which must be a disk filesystem: on tmpfs a file is shmem.
 * With FA_WORK_HOLD=SECONDS in the environment the process stays alive that
 * long after its work, with its memory still mapped, for live views.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#define NCHILDREN	100
#define NTHREADS	4

struct rss {
	long anon, file, shmem;
};

static long npages;
static const char *dir = "/scratch";

static void die(const char *what)
{
	fprintf(stderr, "fa_work: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long status_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/*
 * Kernels with SPLIT_RSS_COUNTING (6.1) keep each thread's recent charges in
 * a per-task cache and fold it into the mm when a fault begins with more
 * than 64 faults since the last fold, so /proc/self/status lags. Reading 70
 * fresh pages of anonymous memory maps the zero page (no charge) and forces
 * that fold. Both runs of a test do it equally, so it adds nothing to their
 * difference.
 */
#define SYNC_PAGES	70

static void rss_sync(void)
{
	static char *p;

	if (!p) {
		p = mmap(NULL, SYNC_PAGES * PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
	}
	for (int i = 0; i < SYNC_PAGES; i++)
		(void)*(volatile const char *)(p + i * PAGE);
	if (madvise(p, SYNC_PAGES * PAGE, MADV_DONTNEED))
		die("madvise");
}

static void rss_read(struct rss *r)
{
	char buf[4096];
	ssize_t n;
	int fd;

	rss_sync();
	fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		die("/proc/self/status");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		die("read /proc/self/status");
	buf[n] = '\0';
	r->anon = status_kb(buf, "RssAnon:") / 4;
	r->file = status_kb(buf, "RssFile:") / 4;
	r->shmem = status_kb(buf, "RssShmem:") / 4;
}

static void rss_report(const struct rss *before)
{
	struct rss after;

	rss_read(&after);
	printf("{\"pid\": %d, \"anon\": %ld, \"file\": %ld, \"shmem\": %ld}\n",
	       getpid(), after.anon - before->anon, after.file - before->file,
	       after.shmem - before->shmem);
	fflush(stdout);
}

static char *map_anon(size_t len, int advice)
{
	char *p;

	if (!len)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	/* without THP (PREEMPT_RT kernels) there is nothing to opt out of */
	if (madvise(p, len, advice) &&
	    !(advice == MADV_NOHUGEPAGE && errno == EINVAL))
		die("madvise");
	return p;
}

static void touch_write(char *p, long pages, size_t stride)
{
	for (long i = 0; i < pages; i++)
		p[i * stride] = 1;
}

static void touch_read(const char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		(void)*(volatile const char *)(p + i * PAGE);
}

/* A file of npages pages on DIR, filled through write(2), not mmap. */
static int make_file(void)
{
	static char page[PAGE];
	char path[4096];
	int fd;

	memset(page, 'x', sizeof(page));
	snprintf(path, sizeof(path), "%s/fa_work.%d", dir, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(path);
	unlink(path);
	for (long i = 0; i < npages; i++)
		if (write(fd, page, PAGE) != (ssize_t)PAGE)
			die("write");
	return fd;
}

static char *map_fd(int fd, int flags)
{
	char *p;

	if (!npages)
		return NULL;
	p = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	return p;
}

static void scen_anon_write(void)
{
	struct rss r;
	char *p = map_anon(npages * PAGE, MADV_NOHUGEPAGE);

	rss_read(&r);
	touch_write(p, npages, PAGE);
	rss_report(&r);
}

static void scen_anon_read_write(void)
{
	struct rss r;
	char *p = map_anon(npages * PAGE, MADV_NOHUGEPAGE);

	rss_read(&r);
	touch_read(p, npages);
	touch_write(p, npages, PAGE);
	rss_report(&r);
}

static void scen_file(int flags, int read, int write)
{
	struct rss r;
	int fd = make_file();
	char *p = map_fd(fd, flags);

	rss_read(&r);
	if (read)
		touch_read(p, npages);
	if (write)
		touch_write(p, npages, PAGE);
	rss_report(&r);
	close(fd);
}

static void scen_file_read(void)
{
	scen_file(MAP_PRIVATE, 1, 0);
}

static void scen_file_shared_write(void)
{
	scen_file(MAP_SHARED, 0, 1);
}

static void scen_file_private_write(void)
{
	scen_file(MAP_PRIVATE, 0, 1);
}

static void scen_file_read_write(void)
{
	scen_file(MAP_PRIVATE, 1, 1);
}

static void scen_memfd(void)
{
	struct rss r;
	int fd = memfd_create("fa_work", 0);
	char *p;

	if (fd < 0)
		die("memfd_create");
	if (ftruncate(fd, npages * PAGE))
		die("ftruncate");
	p = map_fd(fd, MAP_SHARED);
	rss_read(&r);
	touch_write(p, npages, PAGE);
	rss_report(&r);
	close(fd);
}

static void scen_shared_anon(void)
{
	struct rss r;
	char *p = NULL;

	if (npages) {
		p = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
	}
	rss_read(&r);
	touch_write(p, npages, PAGE);
	rss_report(&r);
}

/*
 * One write per @size bytes (a power of 2, @size / PAGE pages) into a
 * MADV_HUGEPAGE region of npages pages aligned to @size: one huge page or
 * mTHP folio per write, where the kernel maps them. @what names the
 * scenario in errors.
 */
static void write_per_folio(const char *what, size_t size)
{
	long per = (long)(size / PAGE), folios = npages / per;
	struct rss r;
	char *p = NULL;

	if (npages % per) {
		fprintf(stderr, "fa_work: %s needs a multiple of %ld pages\n",
			what, per);
		exit(2);
	}
	if (folios) {
		p = mmap(NULL, folios * size + size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		p = (char *)(((unsigned long)p + size - 1) & ~(size - 1));
		if (madvise(p, folios * size, MADV_HUGEPAGE))
			die("madvise");
	}
	rss_read(&r);
	touch_write(p, folios, size);
	rss_report(&r);
}

/* One write per huge page, into a 2 MiB-aligned MADV_HUGEPAGE region. */
static void scen_thp(void)
{
	write_per_folio("thp", HPAGE);
}

/*
 * Anonymous multi-size THP: one write per $FA_MTHP_KB KiB (the test
 * enables that size only, for madvise).
 */
static void scen_mthp(void)
{
	const char *e = getenv("FA_MTHP_KB");
	long kb = e ? atol(e) : 0;

	if (kb < 8 || (kb & (kb - 1))) {
		fprintf(stderr, "fa_work: mthp needs FA_MTHP_KB, a power of 2 >= 8\n");
		exit(2);
	}
	write_per_folio("mthp", (size_t)kb << 10);
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

/*
 * UFFDIO_COPY into a registered shmem (memfd) range: the kernel maps the
 * pages outside any fault (mfill_atomic_install_pte()) and charges
 * MM_SHMEMPAGES. Then a read of a file mapping right away: the next fault
 * must not be taken for part of that copy.
 */
static void scen_uffd_shmem(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_copy copy = { 0 };
	int uffd, mfd = memfd_create("fa_work", 0), ffd = make_file();
	char *p, *src, *f;
	struct rss r;

	if (mfd < 0)
		die("memfd_create");
	if (ftruncate(mfd, (npages + 1) * PAGE))
		die("ftruncate");
	p = mmap(NULL, (npages + 1) * PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, mfd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	f = map_fd(ffd, MAP_PRIVATE);
	src = map_anon((npages + 1) * PAGE, MADV_NOHUGEPAGE);
	touch_write(src, npages, PAGE);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		die("userfaultfd");
	reg.range.start = (unsigned long)p;
	reg.range.len = (npages + 1) * PAGE;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	rss_read(&r);
	if (npages) {
		copy.dst = (unsigned long)p;
		copy.src = (unsigned long)src;
		copy.len = npages * PAGE;
		if (ioctl(uffd, UFFDIO_COPY, &copy) || copy.copy != (long)(npages * PAGE))
			die("UFFDIO_COPY");
	}
	touch_read(f, npages);
	rss_report(&r);
	close(uffd);
}

#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED	(1 << 13)	/* 6.5 */
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC		(1 << 15)	/* 6.7 */
#endif

/*
 * Anonymous memory write-protected by userfaultfd before it is touched:
 * UFFD_FEATURE_WP_UNPOPULATED puts a PTE marker in every empty PTE, and
 * UFFD_FEATURE_WP_ASYNC lets the kernel resolve the write-protect faults
 * itself. Then NPAGES writes: each first write reaches do_swap_page(),
 * which finds a marker, not a swap entry, and maps a new zero-filled page.
 * That is a zero-fill fault, not a swap-in.
 */
static void scen_uffd_wp_anon(void)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_WP_UNPOPULATED | UFFD_FEATURE_WP_ASYNC,
	};
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	size_t len = (npages + 1) * PAGE;
	char *p = map_anon(len, MADV_NOHUGEPAGE);
	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	struct rss r;

	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		die("userfaultfd with WP_UNPOPULATED and WP_ASYNC (6.7 or later)");
	reg.range.start = wp.range.start = (unsigned long)p;
	reg.range.len = wp.range.len = len;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		die("UFFDIO_WRITEPROTECT");
	rss_read(&r);
	touch_write(p, npages, PAGE);
	rss_report(&r);
	close(uffd);
}

/*
 * MADV_COLLAPSE of a 2 MiB-aligned region of which NPAGES (at most 511)
 * pages were written: khugepaged's code fills the holes (charges them
 * outside any fault) and maps one huge page, which is no fault either.
 * @shmem: a memfd mapping, whose collapse replaces the page-table mapping
 * of the pages with a PMD mapping of the new huge page.
 */
static void collapse(int shmem)
{
	char *p, *base;
	struct rss r;

	if (npages >= (long)(HPAGE / PAGE)) {
		fprintf(stderr, "fa_work: collapse needs fewer than %lu pages\n",
			HPAGE / PAGE);
		exit(2);
	}
	if (shmem) {
		int fd = memfd_create("fa_work", 0);

		if (fd < 0 || ftruncate(fd, 2 * HPAGE))
			die("memfd");
		base = mmap(NULL, 3 * HPAGE, PROT_READ | PROT_WRITE,
			    MAP_SHARED, fd, 0);
		if (base == MAP_FAILED)
			die("mmap");
		/* the file offset must be aligned like the address */
		p = (char *)(((unsigned long)base + HPAGE - 1) & ~(HPAGE - 1));
		munmap(base, 3 * HPAGE);
		p = mmap(p, HPAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap");
	} else {
		base = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED)
			die("mmap");
		p = (char *)(((unsigned long)base + HPAGE - 1) & ~(HPAGE - 1));
	}
	/* one page at a time: no fault may map a huge page here */
	if (madvise(p, HPAGE, MADV_NOHUGEPAGE))
		die("madvise");
	rss_read(&r);
	touch_write(p, npages, PAGE);
	if (madvise(p, HPAGE, MADV_HUGEPAGE))
		die("madvise");
	if (npages && madvise(p, HPAGE, MADV_COLLAPSE))
		die("MADV_COLLAPSE");
	rss_report(&r);
}

static void scen_collapse_anon(void)
{
	collapse(0);
}

static void scen_collapse_shmem(void)
{
	collapse(1);
}

static void wait_all(void)
{
	int status;

	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			exit(1);
}

/* The parent writes the region, then a child writes it again: COW. */
static void scen_fork_cow(void)
{
	struct rss r;
	char *p = map_anon(npages * PAGE, MADV_NOHUGEPAGE);
	pid_t pid;

	rss_read(&r);
	touch_write(p, npages, PAGE);
	rss_report(&r);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		rss_read(&r);
		touch_write(p, npages, PAGE);
		rss_report(&r);
		_exit(0);
	}
	wait_all();
}

/* How many of @pages pages at @p only this process maps (pagemap bit 56). */
static long exclusive_pages(const char *p, long pages)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	long i, n = 0;
	uint64_t e;

	if (fd < 0)
		die("/proc/self/pagemap");
	for (i = 0; i < pages; i++) {
		if (pread(fd, &e, sizeof(e),
			  ((uintptr_t)p / PAGE + i) * sizeof(e)) != sizeof(e))
			die("pread /proc/self/pagemap");
		n += (e >> 63) & (e >> 56) & 1;	/* present, exclusive */
	}
	close(fd);
	return n;
}

/*
 * The parent writes NPAGES and pins them (io_uring's registered buffers:
 * FOLL_PIN | FOLL_LONGTERM), then forks. A pinned page cannot be shared
 * copy-on-write: fork copies it for the child at once (copy_present_page(),
 * which maps a new anonymous page in the child's mm), inside copy_mm(),
 * before the child has a tgid of its own. The copies are the child's,
 * from the fork: none of them is the parent's, none is a fault.
 */
static void scen_fork_pinned(void)
{
	struct io_uring_params params = { 0 };
	char *p = map_anon((npages + 1) * PAGE, MADV_NOHUGEPAGE);
	struct iovec iov = { .iov_base = p, .iov_len = npages * PAGE };
	int ring = syscall(__NR_io_uring_setup, 1, &params);
	struct rss r;
	pid_t pid;

	if (ring < 0)
		die("io_uring_setup");
	rss_read(&r);
	touch_write(p, npages, PAGE);
	if (npages && syscall(__NR_io_uring_register, ring,
			      IORING_REGISTER_BUFFERS, &iov, 1))
		die("IORING_REGISTER_BUFFERS");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		/* the kernel's word that fork copied them: mapped here only */
		fprintf(stderr, "fa_work: fork-pinned: %ld of %ld pages exclusive in the child\n",
			exclusive_pages(p, npages), npages);
		_exit(0);
	}
	wait_all();
	rss_report(&r);
	close(ring);
}

struct slice {
	char *p;
	long pages;
};

static void *thread_write(void *arg)
{
	struct slice *s = arg;

	touch_write(s->p, s->pages, PAGE);
	return NULL;
}

static void scen_threads(void)
{
	struct slice s[NTHREADS];
	pthread_t t[NTHREADS];
	struct rss r;
	char *p = map_anon(npages * PAGE, MADV_NOHUGEPAGE);
	long each = npages / NTHREADS;

	rss_read(&r);
	for (int i = 0; i < NTHREADS; i++) {
		s[i].p = p + i * each * PAGE;
		s[i].pages = i == NTHREADS - 1 ? npages - i * each : each;
		if (pthread_create(&t[i], NULL, thread_write, &s[i]))
			die("pthread_create");
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	rss_report(&r);
}

/* The parent writes into the child's untouched memory with process_vm_writev. */
static void scen_remote(void)
{
	static char page[PAGE];
	char *p = map_anon(npages * PAGE, MADV_NOHUGEPAGE);
	int ready[2], done[2];
	struct rss r;
	char c;
	pid_t pid;

	if (pipe(ready) || pipe(done))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		rss_read(&r);
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
			die("child pipe");
		rss_report(&r);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		die("parent pipe");
	memset(page, 'r', sizeof(page));
	for (long i = 0; i < npages; i++) {
		struct iovec local = { page, PAGE };
		struct iovec remote = { p + i * PAGE, PAGE };

		if (process_vm_writev(pid, &local, 1, &remote, 1, 0) != PAGE)
			die("process_vm_writev");
	}
	if (write(done[1], "d", 1) != 1)
		die("parent pipe");
	wait_all();
}

static void scen_children(void)
{
	for (int i = 0; i < NCHILDREN; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			scen_anon_write();
			_exit(0);
		}
	}
	wait_all();
}

/*
 * Read a private mapping of a file that is not in the page cache: major
 * faults, and (with the mmap lock dropped for the I/O) retried ones.
 */
/*
 * How many of the @pages pages mapped at @p belong to a large folio (a
 * compound page: KPF_COMPOUND_HEAD or _TAIL in /proc/kpageflags, found
 * through /proc/self/pagemap's PFNs; root only). -1 if unknown.
 */
static long pages_in_large_folios(const char *p, long pages)
{
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	long n = 0;

	if (pm < 0 || kf < 0)
		n = -1;
	for (long i = 0; n >= 0 && i < pages; i++) {
		uint64_t ent, flags;
		off_t off = (off_t)((uintptr_t)(p + i * PAGE) / PAGE) * 8;

		if (pread(pm, &ent, 8, off) != 8) {
			n = -1;
			break;
		}
		/* bit 63: present; bits 0-54: the PFN (0 without CAP_SYS_ADMIN) */
		if (!(ent >> 63) || !(ent & ((1ULL << 55) - 1)))
			continue;
		if (pread(kf, &flags, 8, (off_t)(ent & ((1ULL << 55) - 1)) * 8) != 8) {
			n = -1;
			break;
		}
		if (flags & ((1ULL << 15) | (1ULL << 16)))	/* COMPOUND_HEAD, _TAIL */
			n++;
	}
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return n;
}

/* With $FA_FOLIO_REPORT set, also says how many pages were in large folios. */
static void scen_cold_read(void)
{
	struct rss r;
	int fd = make_file();
	char *p;

	if (fsync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die("dropping the file's pages");
	p = map_fd(fd, MAP_PRIVATE);
	rss_read(&r);
	touch_read(p, npages);
	rss_report(&r);
	if (getenv("FA_FOLIO_REPORT"))
		fprintf(stderr, "fa_work: cold-read: %ld of %ld pages in large folios\n",
			pages_in_large_folios(p, npages), npages);
}

/* Pin the calling process to CPU 0. */
static void on_cpu0(void)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		die("sched_setaffinity");
}

/*
 * Faults that map by fault-around and then sleep for I/O in the same
 * fault, while another task faults on the same CPU. A file of 16 * NPAGES
 * pages is all in the page cache but for page 8 of each 16, which
 * POSIX_FADV_DONTNEED evicted (mincore() says so, or this fails). A read of
 * such a page maps its 15 cached neighbours by fault-around, then reads the
 * page itself from the disk (MADV_RANDOM: that page only), sleeping, and
 * maps it: NPAGES faults, each of 16 pages. All the while a child on the
 * same CPU writes anonymous pages, a fault each, until it is killed.
 */
static void scen_evicted_read(void)
{
	long total = npages * 16, i, cached = 0;
	unsigned char *vec;
	struct rss r;
	int fd, st = 0, ready[2];
	pid_t child;
	char *p;

	npages = total;
	fd = make_file();
	npages = total / 16;
	if (fsync(fd))
		die("fsync");
	for (i = 0; i < npages; i++)
		if (posix_fadvise(fd, (i * 16 + 8) * PAGE, PAGE, POSIX_FADV_DONTNEED))
			die("posix_fadvise");
	on_cpu0();
	if (pipe(ready))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		size_t len = 4096 * PAGE;
		char *a = map_anon(len, MADV_NOHUGEPAGE);

		/* a first round, then the parent may start: the same in every run */
		touch_write(a, len / PAGE, PAGE);
		if (write(ready[1], "", 1) != 1)
			die("write");
		for (;;) {
			if (madvise(a, len, MADV_DONTNEED))
				die("madvise");
			touch_write(a, len / PAGE, PAGE);
		}
	}
	if (read(ready[0], &st, 1) != 1)
		die("read");
	if (!total) {
		p = NULL;
	} else {
		p = mmap(NULL, total * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		vec = malloc(total);
		if (p == MAP_FAILED || !vec || madvise(p, total * PAGE, MADV_RANDOM) ||
		    mincore(p, total * PAGE, vec))
			die("mmap, madvise or mincore");
		for (i = 0; i < total; i++)
			cached += vec[i] & 1;
		if (cached != total - npages) {
			fprintf(stderr, "fa_work: evicted-read: %ld of %ld pages cached, "
				"want all but every 16th\n", cached, total);
			kill(child, SIGKILL);
			exit(1);
		}
		free(vec);
	}
	rss_read(&r);
	for (i = 0; i < npages; i++)
		(void)*(volatile const char *)(p + (i * 16 + 8) * PAGE);
	rss_report(&r);
	kill(child, SIGKILL);
	if (waitpid(child, &st, 0) != child)
		die("waitpid");
}

/*
 * Touch a page of a mapping past the end of its file: the fault fails
 * (VM_FAULT_SIGBUS) and the process dies of SIGBUS.
 */
static void scen_sigbus(void)
{
	int fd;
	char *p;

	npages = 1;
	fd = make_file();
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	(void)*(volatile const char *)(p + PAGE);
	fprintf(stderr, "fa_work: no SIGBUS past the end of the file\n");
	exit(1);
}

static const struct {
	const char *name;
	void (*run)(void);
	const char *help;
} scenarios[] = {
	{ "anon-write", scen_anon_write, "write private anonymous pages" },
	{ "anon-read-write", scen_anon_read_write,
	  "read (zero page), then write (COW) private anonymous pages" },
	{ "file-read", scen_file_read, "read a private file mapping (fault-around)" },
	{ "file-shared-write", scen_file_shared_write, "write a shared file mapping" },
	{ "file-private-write", scen_file_private_write, "write a private file mapping (COW)" },
	{ "file-read-write", scen_file_read_write,
	  "read, then write a private file mapping (file page replaced)" },
	{ "memfd", scen_memfd, "write a shared memfd mapping (shmem)" },
	{ "shared-anon", scen_shared_anon,
	  "write a MAP_SHARED|MAP_ANONYMOUS mapping (shmem)" },
	{ "thp", scen_thp, "write one byte per 2 MiB of a MADV_HUGEPAGE region" },
	{ "mthp", scen_mthp,
	  "write one byte per $FA_MTHP_KB KiB of a MADV_HUGEPAGE region" },
	{ "fork-cow", scen_fork_cow, "write pages, fork, write them in the child" },
	{ "fork-pinned", scen_fork_pinned,
	  "write pages, pin them (io_uring buffers), fork: fork copies them" },
	{ "threads", scen_threads, "4 threads write a quarter each" },
	{ "remote", scen_remote,
	  "write a child's memory with process_vm_writev" },
	{ "children", scen_children, "100 children write NPAGES each" },
	{ "cold-read", scen_cold_read,
	  "read a private mapping of a file not in the page cache (major faults)" },
	{ "evicted-read", scen_evicted_read,
	  "fault-around, then I/O in the same fault, beside a task faulting on the same CPU" },
	{ "sigbus", scen_sigbus, "read past the end of a mapped file: SIGBUS" },
	{ "uffd-shmem", scen_uffd_shmem,
	  "UFFDIO_COPY into a memfd range, then read a file mapping" },
	{ "uffd-wp-anon", scen_uffd_wp_anon,
	  "write anonymous memory write-protected by uffd while empty (markers)" },
	{ "collapse-anon", scen_collapse_anon,
	  "write NPAGES of 2 MiB of anonymous memory, then MADV_COLLAPSE" },
	{ "collapse-shmem", scen_collapse_shmem,
	  "write NPAGES of 2 MiB of a memfd, then MADV_COLLAPSE" },
};

int main(int argc, char **argv)
{
	char *end;
	size_t i;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: fa_work SCENARIO NPAGES [DIR]\nscenarios:\n");
		for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			fprintf(stderr, "  %-20s %s\n", scenarios[i].name,
				scenarios[i].help);
		return 2;
	}
	errno = 0;
	npages = strtol(argv[2], &end, 10);
	if (errno || *end || npages < 0 || npages > (1L << 22)) {
		fprintf(stderr, "fa_work: bad page count '%s'\n", argv[2]);
		return 2;
	}
	if (argc == 4)
		dir = argv[3];
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (!strcmp(argv[1], scenarios[i].name)) {
			const char *hold = getenv("FA_WORK_HOLD");

			scenarios[i].run();
			if (hold)
				sleep(atoi(hold));
			return 0;
		}
	}
	fprintf(stderr, "fa_work: unknown scenario '%s'\n", argv[1]);
	return 2;
}
