/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * faultacct: per-process page-fault RSS accounting, over generic netlink.
 *
 * The faultacct module watches the page-fault path and counts, for every
 * tracked process, which faults happened and which of the mm's RSS counters
 * (MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES) they charged, page by page,
 * and what every other kernel path added to or removed from them (fork,
 * unmap, reclaim, ...): a ledger that balances against the kernel's own
 * counters.
 * This header is the whole protocol. The same family is described for YNL in
 * include/uapi/faultacct.yaml; a test keeps the two in agreement.
 *
 * Family "faultacct", version 1. Every command and both multicast groups
 * need CAP_NET_ADMIN. The family lives in the initial network namespace
 * only; pids are those of the initial pid namespace. All counters are u64
 * (each u64 is padded with the PAD attribute of its set) and count events or
 * pages (of PAGE_SIZE bytes, FAULTACCT_STATUS_PAGE_SIZE); times are in ns.
 * Unknown attributes in requests are refused (strict validation); clients
 * must skip unknown attributes in replies, which later versions may add.
 *
 * Commands
 * --------
 *
 * FAULTACCT_CMD_GET
 *   do:   request  FAULTACCT_A_TGID: u32 (required)
 *         reply    FAULTACCT_A_PROC: nest (see "process record")
 *         ENOENT when the process is not tracked.
 *   dump: request  (nothing)
 *         reply    one message per tracked process, each with one
 *                  FAULTACCT_A_PROC. The dump is consistent: if the table
 *                  changes under it, NLM_F_DUMP_INTR is set and the client
 *                  retries.
 *
 * FAULTACCT_CMD_CONFIG
 *   do:   request  FAULTACCT_A_CONFIG: nest, any subset of
 *                    FAULTACCT_CONFIG_ENABLED: u8 (0 or 1); 0 disarms
 *                      the probes on the fault path, 1 arms them
 *                    FAULTACCT_CONFIG_FILTER_MODE: u32, enum faultacct_filter
 *                    FAULTACCT_CONFIG_FILTER_TGID: u32, repeated, at most
 *                      FAULTACCT_FILTER_MAX_TGIDS; replaces the whole list
 *                    FAULTACCT_CONFIG_INTERVAL_MS: u32, 10..60000
 *                    FAULTACCT_CONFIG_FLAGS: u32, FAULTACCT_CONFIG_F_*
 *                  Attributes left out keep their value. Setting the filter
 *                  stops tracking processes it excludes.
 *         reply    FAULTACCT_A_CONFIG: nest, the whole configuration now
 *                  in force.
 *
 * FAULTACCT_CMD_RESET
 *   do:   request  FAULTACCT_A_TGID: u32 (optional; all processes if absent)
 *         Zeroes the counters; the processes stay tracked.
 *
 * FAULTACCT_CMD_STATUS
 *   do:   request  (nothing)
 *         reply    FAULTACCT_A_STATUS: nest
 *                    FAULTACCT_STATUS_VERSION: string, module version
 *                    FAULTACCT_STATUS_RELEASE: string, kernel release the
 *                      module was built for
 *                    FAULTACCT_STATUS_PAGE_SIZE: u32, bytes
 *                    FAULTACCT_STATUS_TABLE_SIZE: u32, process slots
 *                    FAULTACCT_STATUS_TABLE_USED: u32
 *                    FAULTACCT_STATUS_TABLE_OVERFLOW: u64, processes that
 *                      could not be tracked because the table was full
 *                    FAULTACCT_STATUS_BYTES_PER_PROC: u32, kernel memory
 *                      per process slot
 *                    FAULTACCT_STATUS_MSGS_SENT: u64, multicast messages
 *                    FAULTACCT_STATUS_MSGS_DROPPED: u64, multicast
 *                      messages lost in the kernel (no memory, or no
 *                      room); listeners see them as sequence gaps
 *                    FAULTACCT_STATUS_UNTRACKED_FAULTS: u64, faults of
 *                      processes that matched the filter but had no slot
 *                    FAULTACCT_STATUS_UNBALANCED: u64, exited processes
 *                      whose exit record had an unexplained page
 *                    FAULTACCT_STATUS_UNBALANCED_PAGES: u64, the sum of
 *                      their unexplained pages, each counter's taken
 *                      without its sign
 *                    FAULTACCT_STATUS_PROBE: nest, repeated, one per probe
 *                      FAULTACCT_PROBE_SYMBOL: string
 *                      FAULTACCT_PROBE_KIND: u32, enum faultacct_probe_kind
 *                      FAULTACCT_PROBE_PLACEMENT: u32,
 *                        enum faultacct_probe_placement
 *                      FAULTACCT_PROBE_HITS: u64
 *                      FAULTACCT_PROBE_NMISSED: u64
 *                      FAULTACCT_PROBE_DISARMED: flag, registered but
 *                        disarmed: faults do not hit it (accounting is
 *                        off, or it is the handle_mm_fault() return probe
 *                        and neither outcomes nor latency is on)
 *                  FAULTACCT_A_CONFIG: nest, as in the CONFIG reply
 *
 * Multicast groups
 * ----------------
 *
 * "stats" (FAULTACCT_MCGRP_STATS), command FAULTACCT_CMD_STATS_NTF
 *   Every interval (FAULTACCT_CONFIG_INTERVAL_MS, default 1000), one or more
 *   messages with the processes whose counters changed since the previous
 *   interval, as many per message as fit:
 *     FAULTACCT_A_SEQ: u64
 *     FAULTACCT_A_TIMESTAMP_NS: u64, CLOCK_BOOTTIME
 *     FAULTACCT_A_PROC: nest, repeated
 *   Counters in a record are cumulative since tracking (or the last RESET)
 *   began: a listener gets the delta by subtracting, and a lost message costs
 *   resolution, never counts. Nothing is built when nobody listens.
 *
 * "exit" (FAULTACCT_MCGRP_EXIT), command FAULTACCT_CMD_EXIT_NTF
 *   One message per tracked process that exited, with its final record:
 *     FAULTACCT_A_SEQ: u64
 *     FAULTACCT_A_TIMESTAMP_NS: u64, CLOCK_BOOTTIME
 *     FAULTACCT_A_PROC: nest, with FAULTACCT_PROC_EXITED set
 *
 *   FAULTACCT_A_SEQ counts the messages of each group from 1, without
 *   gaps, for as long as the module is loaded: a listener that sees a gap
 *   knows exactly how many messages it missed.
 *
 * Process record (FAULTACCT_A_PROC)
 * ---------------------------------
 *
 *   FAULTACCT_PROC_TGID: u32
 *   FAULTACCT_PROC_PPID: u32, parent's tgid when tracking began
 *   FAULTACCT_PROC_START_TIME_NS: u64, CLOCK_BOOTTIME at process start; with
 *     the tgid it names one process, even when pids are reused
 *   FAULTACCT_PROC_COMM: string, at most 16 bytes with the NUL
 *   FAULTACCT_PROC_UID: u32, real uid in the initial user namespace
 *   FAULTACCT_PROC_EXITED: flag, the process has exited; final record
 *   FAULTACCT_PROC_EXIT_CODE: u32, as wait(2) status (exit records only)
 *   FAULTACCT_PROC_FAULTS: nest
 *     FAULTACCT_FAULTS_TOTAL: u64, minor + major + retry + error
 *     FAULTACCT_FAULTS_MINOR: u64, completed without I/O, by the
 *       process's threads: the kernel's own min_flt since tracking began
 *       (a GUP fault counts in the task that made it, as in the kernel)
 *     FAULTACCT_FAULTS_MAJOR: u64, completed after I/O (VM_FAULT_MAJOR, or
 *       completed on a retry): the kernel's maj_flt, likewise
 *     FAULTACCT_FAULTS_RETRY: u64, faults on the process's memory that
 *       returned VM_FAULT_RETRY (tried again); only while faults are
 *       bracketed (FAULTACCT_CONFIG_F_OUTCOMES or _LATENCY), else absent
 *     FAULTACCT_FAULTS_ERROR: u64, returned VM_FAULT_ERROR (SIGSEGV,
 *       SIGBUS, OOM, ...); likewise
 *   FAULTACCT_PROC_PAGES: nest, pages the fault path added to each counter
 *     FAULTACCT_COUNTER_ANON: u64, MM_ANONPAGES
 *     FAULTACCT_COUNTER_FILE: u64, MM_FILEPAGES
 *     FAULTACCT_COUNTER_SHMEM: u64, MM_SHMEMPAGES
 *   FAULTACCT_PROC_UNCHARGED: nest, pages the fault path removed from each
 *     counter (a COW of a mapped file page moves one page from FILE to
 *     ANON); same attributes as FAULTACCT_PROC_PAGES
 *   FAULTACCT_PROC_CAUSE: nest, faults by the handler that resolved them;
 *     unless faults are bracketed, only faults that charged pages or
 *     copied an anonymous page (not the zero page, nor OTHER)
 *     FAULTACCT_CAUSE_ANON: u64, zero-fill of anonymous memory (also the
 *       shared zero page)
 *     FAULTACCT_CAUSE_COW: u64, a private copy was made (of a file page or
 *       an anonymous page)
 *     FAULTACCT_CAUSE_READ: u64, page-cache pages mapped (file or shmem),
 *       fault-around included
 *     FAULTACCT_CAUSE_SHARED: u64, write fault on a shared mapping
 *     FAULTACCT_CAUSE_SWAPIN: u64
 *     FAULTACCT_CAUSE_THP: u64, a PMD-sized huge page mapped at once
 *     FAULTACCT_CAUSE_OTHER: u64, anything else (e.g. a write-protect fault
 *       that reused the page, a fault raced by another thread)
 *     FAULTACCT_CAUSE_MTHP: u64, an anonymous multi-size THP (mTHP, more
 *       than one page but less than a PMD, 7.x) mapped at once
 *   FAULTACCT_PROC_REMOTE: u64, faults on this process's memory made by
 *     another process (GUP: ptrace, process_vm_writev, ...); unless faults
 *     are bracketed, only those that charged pages
 *   FAULTACCT_PROC_LATENCY: nest, fault service time (absent while latency
 *     collection is off, see FAULTACCT_CONFIG_F_LATENCY; off by default;
 *     turning it on starts every process's latency from zero)
 *     FAULTACCT_LATENCY_COUNT: u64, faults timed
 *     FAULTACCT_LATENCY_SUM_NS: u64
 *     FAULTACCT_LATENCY_MAX_NS: u64
 *     FAULTACCT_LATENCY_BUCKET: nest, repeated, non-empty buckets only
 *       FAULTACCT_BUCKET_LOG2: u32, n: the bucket holds times t with
 *         2^n <= t < 2^(n+1) ns (n = 0 also holds t = 0)
 *       FAULTACCT_BUCKET_COUNT: u64
 *   FAULTACCT_PROC_RSS: nest, the mm's own RSS counters (pages) when the
 *     record was made; in an exit record, just before the address space was
 *     torn down. Same attributes as FAULTACCT_PROC_PAGES.
 *   FAULTACCT_PROC_OPENING: nest, the mm's counters when tracking began
 *     (or at the last RESET); 0 for a child tracked from its fork, whose
 *     copy of the parent's pages is the fork site's charge. Same
 *     attributes as FAULTACCT_PROC_PAGES.
 *   FAULTACCT_PROC_SITE_CHARGED: nest, pages added to the counters outside
 *     faults, by site (only sites that added any):
 *     FAULTACCT_SITE_FORK..FAULTACCT_SITE_OTHER: nest, same attributes as
 *       FAULTACCT_PROC_PAGES
 *   FAULTACCT_PROC_SITE_UNCHARGED: nest, pages removed outside faults,
 *     likewise
 *   FAULTACCT_PROC_UNEXPLAINED: nest, the kernel's counters (PROC_RSS)
 *     minus the ledger, OPENING + PAGES - UNCHARGED + SITE_CHARGED -
 *     SITE_UNCHARGED; present with PROC_RSS. 0 when every change was
 *     seen: exactly so in an exit record. While the process runs, changes
 *     in flight on other CPUs, and on 6.1 the pages the threads' RSS
 *     caches still hold (at most 64 events a thread), show here too.
 *     FAULTACCT_BALANCE_ANON, _FILE, _SHMEM: s64
 *
 * Invariant: for each counter, OPENING + PAGES - UNCHARGED + SITE_CHARGED -
 * SITE_UNCHARGED is the mm's counter (PROC_RSS), and PAGES - UNCHARGED is
 * the change caused by the process's faults while it was tracked.
 *
 * Sites (enum faultacct_site_attr), by what the kernel did:
 *   FORK      the child's copy of its parent's pages (copy_pte_range())
 *   UNMAP     munmap, madvise(DONTNEED, FREE, REMOVE...), mremap,
 *             truncation, huge-page splits (zap_pte_range(), zap_huge_pmd())
 *   EXIT      the address space torn down while its owner was tracked
 *   EXEC      the old address space given up by execve()
 *   RECLAIM   pages unmapped for reclaim or swap-out (try_to_unmap_one())
 *   MIGRATE   migration (try_to_migrate_one(), device migration)
 *   KSM       pages merged by KSM (replace_page())
 *   COLLAPSE  THP collapse by khugepaged or MADV_COLLAPSE
 *   UFFD      userfaultfd fills (UFFDIO_COPY, _ZEROPAGE, _CONTINUE)
 *   SWAPOFF   pages brought back by swapoff (unuse_pte())
 *   INSERT    pages a driver or the network maps (vm_insert_page())
 *   OTHER     anything else (uprobes' page replacement, and any path the
 *             module does not know by name)
 */

#ifndef _UAPI_LINUX_FAULTACCT_H
#define _UAPI_LINUX_FAULTACCT_H

#define FAULTACCT_GENL_NAME		"faultacct"
#define FAULTACCT_GENL_VERSION		1

#define FAULTACCT_MCGRP_STATS		"stats"
#define FAULTACCT_MCGRP_EXIT		"exit"

#define FAULTACCT_FILTER_MAX_TGIDS	64
#define FAULTACCT_INTERVAL_MIN_MS	10
#define FAULTACCT_INTERVAL_MAX_MS	60000

enum faultacct_cmd {
	FAULTACCT_CMD_UNSPEC,
	FAULTACCT_CMD_GET,
	FAULTACCT_CMD_CONFIG,
	FAULTACCT_CMD_RESET,
	FAULTACCT_CMD_STATUS,
	FAULTACCT_CMD_STATS_NTF,
	FAULTACCT_CMD_EXIT_NTF,

	__FAULTACCT_CMD_MAX
};
#define FAULTACCT_CMD_MAX (__FAULTACCT_CMD_MAX - 1)

/* Which processes are tracked. */
enum faultacct_filter {
	/* every user process */
	FAULTACCT_FILTER_ALL,
	/* only the processes listed with FAULTACCT_CONFIG_FILTER_TGID */
	FAULTACCT_FILTER_TGIDS,
	/* the listed processes and every process they fork from now on */
	FAULTACCT_FILTER_TREE,

	__FAULTACCT_FILTER_MAX
};
#define FAULTACCT_FILTER_MAX (__FAULTACCT_FILTER_MAX - 1)

/* FAULTACCT_CONFIG_FLAGS */
enum faultacct_config_flags {
	/*
	 * time every fault and keep the latency histogram: off by default;
	 * on, it costs two clock reads per fault and a table of about 200
	 * bytes per process slot, allocated when it is turned on and freed
	 * when it is turned off
	 */
	FAULTACCT_CONFIG_F_LATENCY = 1U << 0,
	/*
	 * bracket every fault with a return probe on handle_mm_fault(), as
	 * latency does: off by default. On, it counts retry and error
	 * faults (FAULTACCT_FAULTS_RETRY, _ERROR are absent while it and
	 * latency are off), gives every completed fault a cause, also one
	 * that charged nothing, and counts every remote fault; it costs
	 * about as much again as the rest of the module on the fault path
	 */
	FAULTACCT_CONFIG_F_OUTCOMES = 1U << 1,
};
#define FAULTACCT_CONFIG_F_ALL	(FAULTACCT_CONFIG_F_LATENCY | \
				 FAULTACCT_CONFIG_F_OUTCOMES)

enum faultacct_probe_kind {
	FAULTACCT_PROBE_KIND_KPROBE,
	FAULTACCT_PROBE_KIND_KRETPROBE,
	FAULTACCT_PROBE_KIND_TRACEPOINT,
	/* an ftrace_ops callback at the function's entry */
	FAULTACCT_PROBE_KIND_FTRACE,
};

enum faultacct_probe_placement {
	/* not attached */
	FAULTACCT_PROBE_PLACEMENT_NONE,
	/* breakpoint (int3) */
	FAULTACCT_PROBE_PLACEMENT_INT3,
	/* through ftrace, at the function's entry */
	FAULTACCT_PROBE_PLACEMENT_FTRACE,
	/* jump-optimized kprobe */
	FAULTACCT_PROBE_PLACEMENT_OPTIMIZED,
	/* a tracepoint: a direct call */
	FAULTACCT_PROBE_PLACEMENT_TRACEPOINT,
	/* an ftrace direct call from the function's entry to the handler */
	FAULTACCT_PROBE_PLACEMENT_DIRECT,
};

enum faultacct_attr {
	FAULTACCT_A_UNSPEC,
	FAULTACCT_A_PAD,
	FAULTACCT_A_TGID,		/* u32 */
	FAULTACCT_A_PROC,		/* nest: enum faultacct_proc_attr */
	FAULTACCT_A_SEQ,		/* u64 */
	FAULTACCT_A_TIMESTAMP_NS,	/* u64 */
	FAULTACCT_A_CONFIG,		/* nest: enum faultacct_config_attr */
	FAULTACCT_A_STATUS,		/* nest: enum faultacct_status_attr */

	__FAULTACCT_A_MAX
};
#define FAULTACCT_A_MAX (__FAULTACCT_A_MAX - 1)

enum faultacct_proc_attr {
	FAULTACCT_PROC_UNSPEC,
	FAULTACCT_PROC_PAD,
	FAULTACCT_PROC_TGID,		/* u32 */
	FAULTACCT_PROC_PPID,		/* u32 */
	FAULTACCT_PROC_START_TIME_NS,	/* u64 */
	FAULTACCT_PROC_COMM,		/* string */
	FAULTACCT_PROC_UID,		/* u32 */
	FAULTACCT_PROC_EXITED,		/* flag */
	FAULTACCT_PROC_EXIT_CODE,	/* u32 */
	FAULTACCT_PROC_FAULTS,		/* nest: enum faultacct_faults_attr */
	FAULTACCT_PROC_PAGES,		/* nest: enum faultacct_counter_attr */
	FAULTACCT_PROC_UNCHARGED,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_PROC_CAUSE,		/* nest: enum faultacct_cause_attr */
	FAULTACCT_PROC_REMOTE,		/* u64 */
	FAULTACCT_PROC_LATENCY,		/* nest: enum faultacct_latency_attr */
	FAULTACCT_PROC_RSS,		/* nest: enum faultacct_counter_attr */
	FAULTACCT_PROC_OPENING,		/* nest: enum faultacct_counter_attr */
	FAULTACCT_PROC_SITE_CHARGED,	/* nest: enum faultacct_site_attr */
	FAULTACCT_PROC_SITE_UNCHARGED,	/* nest: enum faultacct_site_attr */
	FAULTACCT_PROC_UNEXPLAINED,	/* nest: enum faultacct_balance_attr */

	__FAULTACCT_PROC_MAX
};
#define FAULTACCT_PROC_MAX (__FAULTACCT_PROC_MAX - 1)

enum faultacct_faults_attr {
	FAULTACCT_FAULTS_UNSPEC,
	FAULTACCT_FAULTS_PAD,
	FAULTACCT_FAULTS_TOTAL,		/* u64 */
	FAULTACCT_FAULTS_MINOR,		/* u64 */
	FAULTACCT_FAULTS_MAJOR,		/* u64 */
	FAULTACCT_FAULTS_RETRY,		/* u64 */
	FAULTACCT_FAULTS_ERROR,		/* u64 */

	__FAULTACCT_FAULTS_MAX
};
#define FAULTACCT_FAULTS_MAX (__FAULTACCT_FAULTS_MAX - 1)

enum faultacct_counter_attr {
	FAULTACCT_COUNTER_UNSPEC,
	FAULTACCT_COUNTER_PAD,
	FAULTACCT_COUNTER_ANON,		/* u64 */
	FAULTACCT_COUNTER_FILE,		/* u64 */
	FAULTACCT_COUNTER_SHMEM,	/* u64 */

	__FAULTACCT_COUNTER_MAX
};
#define FAULTACCT_COUNTER_MAX (__FAULTACCT_COUNTER_MAX - 1)

enum faultacct_cause_attr {
	FAULTACCT_CAUSE_UNSPEC,
	FAULTACCT_CAUSE_PAD,
	FAULTACCT_CAUSE_ANON,		/* u64 */
	FAULTACCT_CAUSE_COW,		/* u64 */
	FAULTACCT_CAUSE_READ,		/* u64 */
	FAULTACCT_CAUSE_SHARED,		/* u64 */
	FAULTACCT_CAUSE_SWAPIN,		/* u64 */
	FAULTACCT_CAUSE_THP,		/* u64 */
	FAULTACCT_CAUSE_OTHER,		/* u64 */
	FAULTACCT_CAUSE_MTHP,		/* u64 */

	__FAULTACCT_CAUSE_MAX
};
#define FAULTACCT_CAUSE_MAX (__FAULTACCT_CAUSE_MAX - 1)

enum faultacct_site_attr {
	FAULTACCT_SITE_UNSPEC,
	FAULTACCT_SITE_FORK,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_UNMAP,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_EXIT,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_EXEC,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_RECLAIM,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_MIGRATE,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_KSM,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_COLLAPSE,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_UFFD,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_SWAPOFF,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_INSERT,	/* nest: enum faultacct_counter_attr */
	FAULTACCT_SITE_OTHER,	/* nest: enum faultacct_counter_attr */

	__FAULTACCT_SITE_MAX
};
#define FAULTACCT_SITE_MAX (__FAULTACCT_SITE_MAX - 1)

enum faultacct_balance_attr {
	FAULTACCT_BALANCE_UNSPEC,
	FAULTACCT_BALANCE_PAD,
	FAULTACCT_BALANCE_ANON,		/* s64 */
	FAULTACCT_BALANCE_FILE,		/* s64 */
	FAULTACCT_BALANCE_SHMEM,	/* s64 */

	__FAULTACCT_BALANCE_MAX
};
#define FAULTACCT_BALANCE_MAX (__FAULTACCT_BALANCE_MAX - 1)

enum faultacct_latency_attr {
	FAULTACCT_LATENCY_UNSPEC,
	FAULTACCT_LATENCY_PAD,
	FAULTACCT_LATENCY_COUNT,	/* u64 */
	FAULTACCT_LATENCY_SUM_NS,	/* u64 */
	FAULTACCT_LATENCY_MAX_NS,	/* u64 */
	FAULTACCT_LATENCY_BUCKET,	/* nest: enum faultacct_bucket_attr */

	__FAULTACCT_LATENCY_MAX
};
#define FAULTACCT_LATENCY_MAX (__FAULTACCT_LATENCY_MAX - 1)

enum faultacct_bucket_attr {
	FAULTACCT_BUCKET_UNSPEC,
	FAULTACCT_BUCKET_PAD,
	FAULTACCT_BUCKET_LOG2,		/* u32 */
	FAULTACCT_BUCKET_COUNT,		/* u64 */

	__FAULTACCT_BUCKET_MAX
};
#define FAULTACCT_BUCKET_MAX (__FAULTACCT_BUCKET_MAX - 1)

enum faultacct_config_attr {
	FAULTACCT_CONFIG_UNSPEC,
	FAULTACCT_CONFIG_PAD,
	FAULTACCT_CONFIG_ENABLED,	/* u8 */
	FAULTACCT_CONFIG_FILTER_MODE,	/* u32: enum faultacct_filter */
	FAULTACCT_CONFIG_FILTER_TGID,	/* u32, repeated */
	FAULTACCT_CONFIG_INTERVAL_MS,	/* u32 */
	FAULTACCT_CONFIG_FLAGS,		/* u32: enum faultacct_config_flags */

	__FAULTACCT_CONFIG_MAX
};
#define FAULTACCT_CONFIG_MAX (__FAULTACCT_CONFIG_MAX - 1)

enum faultacct_status_attr {
	FAULTACCT_STATUS_UNSPEC,
	FAULTACCT_STATUS_PAD,
	FAULTACCT_STATUS_VERSION,		/* string */
	FAULTACCT_STATUS_RELEASE,		/* string */
	FAULTACCT_STATUS_PAGE_SIZE,		/* u32 */
	FAULTACCT_STATUS_TABLE_SIZE,		/* u32 */
	FAULTACCT_STATUS_TABLE_USED,		/* u32 */
	FAULTACCT_STATUS_TABLE_OVERFLOW,	/* u64 */
	FAULTACCT_STATUS_BYTES_PER_PROC,	/* u32 */
	FAULTACCT_STATUS_MSGS_SENT,		/* u64 */
	FAULTACCT_STATUS_MSGS_DROPPED,		/* u64 */
	FAULTACCT_STATUS_UNTRACKED_FAULTS,	/* u64 */
	FAULTACCT_STATUS_PROBE,			/* nest: enum faultacct_probe_attr */
	FAULTACCT_STATUS_UNBALANCED,		/* u64 */
	FAULTACCT_STATUS_UNBALANCED_PAGES,	/* u64 */

	__FAULTACCT_STATUS_MAX
};
#define FAULTACCT_STATUS_MAX (__FAULTACCT_STATUS_MAX - 1)

enum faultacct_probe_attr {
	FAULTACCT_PROBE_UNSPEC,
	FAULTACCT_PROBE_PAD,
	FAULTACCT_PROBE_SYMBOL,		/* string */
	FAULTACCT_PROBE_KIND,		/* u32: enum faultacct_probe_kind */
	FAULTACCT_PROBE_PLACEMENT,	/* u32: enum faultacct_probe_placement */
	FAULTACCT_PROBE_HITS,		/* u64 */
	FAULTACCT_PROBE_NMISSED,	/* u64 */
	FAULTACCT_PROBE_DISARMED,	/* flag */

	__FAULTACCT_PROBE_MAX
};
#define FAULTACCT_PROBE_MAX (__FAULTACCT_PROBE_MAX - 1)

#endif /* _UAPI_LINUX_FAULTACCT_H */
