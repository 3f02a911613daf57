// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_check: hold the module's counters for this very process against the
 * kernel's own, over a window that contains only the scenario's faults.
 *
 *   kmod_check SCENARIO NPAGES [DIR]
 *
 * The process asks the module (FAULTACCT_CMD_GET on its own tgid, or on
 * the child that does the work) for its record just before and just after
 * the scenario, and reads /proc/self/status at the same points. It prints
 * one line per counter and exits 1 unless, for each of anon, file and
 * shmem, the module's PAGES - UNCHARGED moved exactly as much as the
 * kernel's RSS counter did, and the scenario's own expectations (pages,
 * causes, faults) hold. Runs under the module's default filter (all
 * processes); needs CAP_NET_ADMIN. File scenarios use DIR (default
 * /scratch), a disk filesystem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/linux/faultacct.h"

#define PAGE	4096UL
#define HPAGE	(2UL << 20)

enum { ANON, FILE_, SHMEM, NRSS };
static const char *const rss_name[NRSS] = { "anon", "file", "shmem" };
static const char *const cause_name[] = {
	"anon", "cow", "read", "shared", "swapin", "thp", "other", "mthp"
};
#define NCAUSE 8

struct rec {
	uint64_t faults[5];	/* total minor major retry error */
	uint64_t pages[NRSS], unch[NRSS], cause[NCAUSE], remote;
	uint64_t rss[NRSS];
};

struct snap {
	struct rec m;		/* the module's record */
	long status[NRSS];	/* /proc/self/status, pages */
};

static struct mnl_socket *nl;
static uint16_t family;
static unsigned int nlseq;
static long npages;
static const char *dir = "/scratch";
static int failed;

static void die(const char *what)
{
	fprintf(stderr, "kmod_check: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int family_cb(const struct nlmsghdr *nlh, void *data __attribute__((unused)))
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static void nested_u64(const struct nlattr *nest, uint64_t *out, int first,
		       int n)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		int t = mnl_attr_get_type(a);

		if (t >= first && t < first + n)
			out[t - first] = mnl_attr_get_u64(a);
	}
}

static int proc_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rec *r = data;
	struct nlattr *a, *p;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != FAULTACCT_A_PROC)
			continue;
		mnl_attr_for_each_nested(p, a) {
			switch (mnl_attr_get_type(p)) {
			case FAULTACCT_PROC_FAULTS:
				nested_u64(p, r->faults,
					   FAULTACCT_FAULTS_TOTAL, 5);
				break;
			case FAULTACCT_PROC_PAGES:
				nested_u64(p, r->pages,
					   FAULTACCT_COUNTER_ANON, NRSS);
				break;
			case FAULTACCT_PROC_UNCHARGED:
				nested_u64(p, r->unch,
					   FAULTACCT_COUNTER_ANON, NRSS);
				break;
			case FAULTACCT_PROC_CAUSE:
				nested_u64(p, r->cause,
					   FAULTACCT_CAUSE_ANON, NCAUSE);
				break;
			case FAULTACCT_PROC_RSS:
				nested_u64(p, r->rss,
					   FAULTACCT_COUNTER_ANON, NRSS);
				break;
			case FAULTACCT_PROC_REMOTE:
				r->remote = mnl_attr_get_u64(p);
				break;
			}
		}
	}
	return MNL_CB_OK;
}

static int request(uint16_t type, uint8_t cmd, uint16_t attr, uint32_t val,
		   const char *name, mnl_cb_t cb, void *data)
{
	static char buf[16384];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	unsigned int portid = mnl_socket_get_portid(nl);
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nlseq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	if (name)
		mnl_attr_put_strz(nlh, attr, name);
	else if (attr)
		mnl_attr_put_u32(nlh, attr, val);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	do {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0)
			die("recvfrom");
		ret = mnl_cb_run(buf, ret, nlseq, portid, cb, data);
	} while (ret > 0);
	return ret;
}

static void nl_open(void)
{
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink");
	if (request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME, 0,
		    FAULTACCT_GENL_NAME, family_cb, NULL) < 0 || !family)
		die("family faultacct");
}

static void get(pid_t pid, struct rec *r)
{
	memset(r, 0, sizeof(*r));
	if (request(family, FAULTACCT_CMD_GET, FAULTACCT_A_TGID, pid, NULL,
		    proc_cb, r) < 0)
		die("FAULTACCT_CMD_GET");
}

static long status_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* 6.1 caches RSS per task; 65 zero-page reads make it fold the cache. */
static void rss_sync(void)
{
	static char *p;

	if (!p) {
		p = mmap(NULL, 65 * PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
	}
	for (int i = 0; i < 65; i++)
		(void)*(volatile const char *)(p + i * PAGE);
	if (madvise(p, 65 * PAGE, MADV_DONTNEED))
		die("madvise");
}

static void status(long *out)
{
	static char buf[4096];
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
	out[ANON] = status_kb(buf, "RssAnon:") / 4;
	out[FILE_] = status_kb(buf, "RssFile:") / 4;
	out[SHMEM] = status_kb(buf, "RssShmem:") / 4;
}

/*
 * The window: the module's record is read after the status, at both ends,
 * so both see the same faults (the code and data they use are warm).
 */
static void snap(pid_t who, struct snap *s)
{
	status(s->status);
	get(who, &s->m);
}

/*
 * FAULTACCT_BRACKETED=1 in the environment: the module brackets faults
 * (faultacct config --outcomes on), and gives a read of the zero page,
 * which charges nothing, the cause anon. Without, only charging faults
 * have a cause.
 */
static int bracketed;

struct expect {
	long pages[NRSS], unch[NRSS], cause[NCAUSE], faults, remote;
	long zero_reads;	/* faults that mapped the zero page */
	int faults_max;		/* faults is an upper bound */
	int cause_max;		/* cause[] values are upper bounds */
};

static void check(const char *what, long got, long want, int max)
{
	int ok = max ? got <= want : got == want;

	printf("  %-14s %8ld  want %s %ld%s\n", what, got, max ? "<=" : "=",
	       want, ok ? "" : "  MISMATCH");
	if (!ok)
		failed = 1;
}

static void compare(const struct snap *a, const struct snap *b,
		    const struct expect *want, int with_status)
{
	struct expect x = *want, *e = &x;
	char name[32];
	int i;

	/* the closing snapshot's rss_sync(): 65 zero-page reads */
	e->faults += 65;
	e->zero_reads += 65;
	if (bracketed)
		e->cause[0] += e->zero_reads;

	for (i = 0; i < NRSS; i++) {
		long net = (long)(b->m.pages[i] - a->m.pages[i]) -
			   (long)(b->m.unch[i] - a->m.unch[i]);

		snprintf(name, sizeof(name), "pages.%s", rss_name[i]);
		check(name, b->m.pages[i] - a->m.pages[i], e->pages[i], 0);
		snprintf(name, sizeof(name), "uncharged.%s", rss_name[i]);
		check(name, b->m.unch[i] - a->m.unch[i], e->unch[i], 0);
		if (with_status) {
			snprintf(name, sizeof(name), "net.%s=status",
				 rss_name[i]);
			check(name, net, b->status[i] - a->status[i], 0);
		}
	}
	for (i = 0; i < NCAUSE; i++) {
		long d = b->m.cause[i] - a->m.cause[i];

		if (!d && !e->cause[i])
			continue;
		snprintf(name, sizeof(name), "cause.%s", cause_name[i]);
		check(name, d, e->cause[i], e->cause_max);
	}
	check("faults.total", b->m.faults[0] - a->m.faults[0], e->faults,
	      e->faults_max);
	check("faults.ok", (b->m.faults[1] + b->m.faults[2]) -
			   (a->m.faults[1] + a->m.faults[2]),
	      b->m.faults[0] - a->m.faults[0], 0);
	check("remote", b->m.remote - a->m.remote, e->remote, 0);
}

static char *map_anon(size_t len, int flags, int advice)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	/* without THP (PREEMPT_RT kernels) there is nothing to opt out of */
	if (advice >= 0 && madvise(p, len, advice) &&
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

static int make_file(void)
{
	static char page[PAGE];
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/kmod_check.%d", dir, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(path);
	unlink(path);
	memset(page, 'x', sizeof(page));
	for (long i = 0; i < npages; i++)
		if (write(fd, page, PAGE) != (ssize_t)PAGE)
			die("write");
	fsync(fd);
	return fd;
}

static char *map_file(int fd, int flags)
{
	char *p = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE, flags, fd,
		       0);

	if (p == MAP_FAILED)
		die("mmap file");
	return p;
}

/* Write the object's first and last bytes: a stack page may be COW. */
static void prefault(void *obj, size_t len)
{
	((volatile char *)obj)[0] = 0;
	((volatile char *)obj)[len - 1] = 0;
}

/* Run @work between two snapshots of this process and compare. */
#define WINDOW(e, work) do {				\
		struct snap a_, b_;			\
		/* its stack page must not fault inside */ \
		prefault(&b_, sizeof(b_));		\
		snap(getpid(), &a_);			\
		snap(getpid(), &a_);			\
		work;					\
		snap(getpid(), &b_);			\
		compare(&a_, &b_, (e), 1);		\
	} while (0)

static void scen_anon_write(void)
{
	char *p = map_anon(npages * PAGE, MAP_PRIVATE, MADV_NOHUGEPAGE);
	struct expect e = { .pages[ANON] = npages, .cause[0] = npages,
			    .faults = npages };

	WINDOW(&e, touch_write(p, npages, PAGE));
}

static void scen_anon_read_write(void)
{
	char *p = map_anon(npages * PAGE, MAP_PRIVATE, MADV_NOHUGEPAGE);
	struct expect e = { .pages[ANON] = npages, .zero_reads = npages,
			    .cause[1] = npages, .faults = 2 * npages };

	WINDOW(&e, { touch_read(p, npages); touch_write(p, npages, PAGE); });
}

static void scen_file_read(void)
{
	int fd = make_file();
	char *p;
	struct expect e = { .pages[FILE_] = npages, .cause[2] = npages,
			    .faults = npages, .faults_max = 1,
			    .cause_max = 1 };

	posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
	p = map_file(fd, MAP_PRIVATE);
	WINDOW(&e, touch_read(p, npages));
}

static void scen_file_shared_write(void)
{
	int fd = make_file();
	char *p = map_file(fd, MAP_SHARED);
	struct expect e = { .pages[FILE_] = npages, .cause[3] = npages,
			    .faults = npages };

	WINDOW(&e, touch_write(p, npages, PAGE));
}

static void scen_file_private_write(void)
{
	int fd = make_file();
	char *p = map_file(fd, MAP_PRIVATE);
	struct expect e = { .pages[ANON] = npages, .cause[1] = npages,
			    .faults = npages };

	WINDOW(&e, touch_write(p, npages, PAGE));
}

static void scen_file_read_write(void)
{
	int fd = make_file();
	char *p = map_file(fd, MAP_PRIVATE);
	struct expect e = { .pages[FILE_] = npages, .pages[ANON] = npages,
			    .unch[FILE_] = npages, .cause[1] = npages,
			    .cause[2] = npages, .faults = 2 * npages,
			    .faults_max = 1, .cause_max = 1 };

	WINDOW(&e, { touch_read(p, npages); touch_write(p, npages, PAGE); });
}

static void scen_memfd(void)
{
	int fd = memfd_create("kmod_check", 0);
	char *p;
	struct expect e = { .pages[SHMEM] = npages, .cause[3] = npages,
			    .faults = npages };

	if (fd < 0 || ftruncate(fd, npages * PAGE))
		die("memfd");
	p = map_file(fd, MAP_SHARED);
	WINDOW(&e, touch_write(p, npages, PAGE));
}

/* Reading a shmem hole allocates a page: a read charge to shmem. */
static void scen_memfd_read(void)
{
	int fd = memfd_create("kmod_check", 0);
	char *p;
	struct expect e = { .pages[SHMEM] = npages, .cause[2] = npages,
			    .faults = npages };

	if (fd < 0 || ftruncate(fd, npages * PAGE))
		die("memfd");
	p = map_file(fd, MAP_SHARED);
	WINDOW(&e, touch_read(p, npages));
}

/* Private mapping of a written memfd: read (shmem), then COW (shmem -> anon) */
static void scen_memfd_private_rw(void)
{
	int fd = memfd_create("kmod_check", 0);
	char *p, *w;
	struct expect e = { .pages[SHMEM] = npages, .pages[ANON] = npages,
			    .unch[SHMEM] = npages, .cause[1] = npages,
			    .cause[2] = npages, .faults = 2 * npages,
			    .faults_max = 1, .cause_max = 1 };

	if (fd < 0 || ftruncate(fd, npages * PAGE))
		die("memfd");
	w = map_file(fd, MAP_SHARED);
	touch_write(w, npages, PAGE);
	munmap(w, npages * PAGE);
	p = map_file(fd, MAP_PRIVATE);
	WINDOW(&e, { touch_read(p, npages); touch_write(p, npages, PAGE); });
}

static void scen_shared_anon(void)
{
	char *p = map_anon(npages * PAGE, MAP_SHARED, -1);
	struct expect e = { .pages[SHMEM] = npages, .cause[3] = npages,
			    .faults = npages };

	WINDOW(&e, touch_write(p, npages, PAGE));
}

static char *map_huge(long n)
{
	char *p = map_anon((n + 1) * HPAGE, MAP_PRIVATE, -1);

	p = (char *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
	if (madvise(p, n * HPAGE, MADV_HUGEPAGE))
		die("madvise");
	return p;
}

/* npages here counts huge pages */
static void scen_thp(void)
{
	char *p = map_huge(npages);
	struct expect e = { .pages[ANON] = npages * 512, .cause[5] = npages,
			    .faults = npages };

	WINDOW(&e, touch_write(p, npages, HPAGE));
}

/* huge zero page: no charge */
static void scen_thp_read(void)
{
	char *p = map_huge(npages);
	struct expect e = { .zero_reads = npages, .faults = npages };

	WINDOW(&e, for (long i = 0; i < npages; i++)
		       (void)*(volatile const char *)(p + i * HPAGE));
}

/*
 * Huge shmem pages (shmem_enabled must allow them): one fault maps 512
 * pages with a pmd (do_set_pmd). npages counts huge pages.
 */
static void scen_memfd_thp(void)
{
	int fd = memfd_create("kmod_check", 0);
	char *p = map_huge(npages);
	struct expect e = { .pages[SHMEM] = npages * 512, .cause[5] = npages,
			    .faults = npages };

	if (fd < 0 || ftruncate(fd, npages * HPAGE))
		die("memfd");
	if (mmap(p, npages * HPAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0) != p)
		die("mmap memfd");
	WINDOW(&e, touch_write(p, npages, HPAGE));
}

/* The child writes inherited anon pages: COW of anon pages, no net charge. */
static void scen_fork_cow(void)
{
	char *p = map_anon(npages * PAGE, MAP_PRIVATE, MADV_NOHUGEPAGE);
	int st;
	pid_t pid;

	touch_write(p, npages, PAGE);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		struct expect e = { .cause[1] = npages, .faults = npages };

		nl_open();
		WINDOW(&e, touch_write(p, npages, PAGE));
		fflush(stdout);
		_exit(failed);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		failed = 1;
}

struct thr {
	char *p;
	long n;
};

static void *thr_fn(void *arg)
{
	struct thr *t = arg;

	touch_write(t->p, t->n, PAGE);
	return NULL;
}

#define TSTACK	(256 * 1024)

/* Stacks faulted in beforehand: the window holds only the threads' work. */
static void run_threads(char *p, char *stacks)
{
	pthread_attr_t attr;
	pthread_t th[4];
	struct thr t[4];
	long q = npages / 4;

	for (int i = 0; i < 4; i++) {
		t[i].p = p + i * q * PAGE;
		t[i].n = i == 3 ? npages - 3 * q : q;
		if (pthread_attr_init(&attr) ||
		    pthread_attr_setstack(&attr, stacks + i * TSTACK, TSTACK) ||
		    pthread_create(&th[i], &attr, thr_fn, &t[i]))
			die("pthread_create");
		pthread_attr_destroy(&attr);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
}

static void scen_threads(void)
{
	char *p = map_anon(npages * PAGE, MAP_PRIVATE, MADV_NOHUGEPAGE);
	char *stacks = map_anon(4 * TSTACK, MAP_PRIVATE, MADV_NOHUGEPAGE);
	struct expect e = { .pages[ANON] = npages, .cause[0] = npages,
			    .faults = npages };
	long saved = npages;

	touch_write(stacks, 4 * TSTACK / PAGE, PAGE);
	/* a first round warms up thread creation (TLS, glibc state) */
	npages = 0;
	run_threads(p, stacks);
	npages = saved;
	WINDOW(&e, run_threads(p, stacks));
}

/*
 * The parent writes into the child: the pages are charged to the child, as
 * remote; the faults are the parent's, as the kernel counts them (min_flt
 * of the task that faulted).
 */
static void scen_remote(void)
{
	char *p = map_anon(npages * PAGE, MAP_PRIVATE, MADV_NOHUGEPAGE);
	static char page[PAGE];
	int go[2], done[2], st;
	struct snap a, b;
	pid_t pid;
	char c;

	if (pipe(go) || pipe(done))
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		struct expect e = { .pages[ANON] = npages,
				    .cause[0] = npages, .remote = npages };

		nl_open();
		prefault(&b, sizeof(b));
		snap(getpid(), &a);
		snap(getpid(), &a);
		if (write(done[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			die("pipe");
		snap(getpid(), &b);
		compare(&a, &b, &e, 1);
		fflush(stdout);
		_exit(failed);
	}
	if (read(done[0], &c, 1) != 1)
		die("pipe");
	memset(page, 'r', sizeof(page));
	for (long i = 0; i < npages; i++) {
		struct iovec l = { page, PAGE };
		struct iovec r = { p + i * PAGE, PAGE };

		if (process_vm_writev(pid, &l, 1, &r, 1, 0) != (ssize_t)PAGE)
			die("process_vm_writev");
	}
	if (write(go[1], "g", 1) != 1)
		die("pipe");
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		failed = 1;
}

/* Needs swap: pages written, paged out, read back. */
static void scen_swapin(void)
{
	char *p = map_anon(npages * PAGE, MAP_PRIVATE, MADV_NOHUGEPAGE);
	struct expect e = { .pages[ANON] = npages, .cause[4] = npages,
			    .faults = npages, .faults_max = 1,
			    .cause_max = 1 };
	struct snap a, b;

	cpu_set_t one, all;
	int cpu = sched_getcpu();

	/*
	 * On one CPU: MADV_PAGEOUT drains only its own CPU's batch of pages
	 * not yet on the LRU, and cannot page out those of another (a debug
	 * kernel run paged out 978 of 1000). Not a check of the module.
	 */
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (cpu < 0 || sched_getaffinity(0, sizeof(all), &all) ||
	    sched_setaffinity(0, sizeof(one), &one))
		die("sched_setaffinity");
	touch_write(p, npages, PAGE);
	if (madvise(p, npages * PAGE, MADV_PAGEOUT))
		die("madvise(MADV_PAGEOUT)");
	if (sched_setaffinity(0, sizeof(all), &all))
		die("sched_setaffinity");
	prefault(&b, sizeof(b));
	snap(getpid(), &a);
	snap(getpid(), &a);
	touch_read(p, npages);
	snap(getpid(), &b);
	/* swap readahead may bring neighbours back with one fault */
	e.pages[ANON] = b.status[ANON] - a.status[ANON];
	compare(&a, &b, &e, 1);
	check("swapped-in", b.status[ANON] - a.status[ANON], npages, 0);
}

static const struct {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
	{ "anon-write", scen_anon_write },
	{ "anon-read-write", scen_anon_read_write },
	{ "file-read", scen_file_read },
	{ "file-shared-write", scen_file_shared_write },
	{ "file-private-write", scen_file_private_write },
	{ "file-read-write", scen_file_read_write },
	{ "memfd", scen_memfd },
	{ "memfd-read", scen_memfd_read },
	{ "memfd-private-rw", scen_memfd_private_rw },
	{ "shared-anon", scen_shared_anon },
	{ "thp", scen_thp },
	{ "thp-read", scen_thp_read },
	{ "memfd-thp", scen_memfd_thp },
	{ "fork-cow", scen_fork_cow },
	{ "threads", scen_threads },
	{ "remote", scen_remote },
	{ "swapin", scen_swapin },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: kmod_check SCENARIO NPAGES [DIR]\n");
		for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			fprintf(stderr, "  %s\n", scenarios[i].name);
		return 2;
	}
	npages = atol(argv[2]);
	if (argc > 3)
		dir = argv[3];
	bracketed = getenv("FAULTACCT_BRACKETED") &&
		    !strcmp(getenv("FAULTACCT_BRACKETED"), "1");
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (strcmp(argv[1], scenarios[i].name))
			continue;
		printf("%s %ld:\n", argv[1], npages);
		nl_open();
		scenarios[i].fn();
		printf("%s %ld: %s\n", argv[1], npages,
		       failed ? "FAILED" : "exact");
		return failed;
	}
	fprintf(stderr, "kmod_check: no scenario %s\n", argv[1]);
	return 2;
}
