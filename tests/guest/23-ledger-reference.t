#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# faultacct's ledger against an independent reference: the kernel's own
# kmem:rss_stat tracepoint, recorded by bpftrace (tests/reference/rss.bt)
# and worked out by tests/reference/rss_reference, which shares no code
# with kmod/. Workloads of ours and real programs run under faultacct run
# while the trace records; every process but the command itself (tracked
# from the middle of its life) must agree field by field: the fault path's
# charges and uncharges, the fork's copy, and everything outside faults.
set -uo pipefail

py=/usr/bin/python3
work=/scratch/reference
rm -rf "$work" && mkdir -p "$work" || exit 1
# THP only where asked for (MADV_COLLAPSE still collapses): khugepaged's
# background collapses, zeroing 2 MiB at a time under emulation beside
# bpftrace, once stalled RCU for 21 s (a splat fails the harness)
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp_old=$(sed 's/.*\[\(.*\)\].*/\1/' "$thp")
echo madvise >"$thp"
trap 'echo "$thp_old" >"$thp"' EXIT
trace=$work/trace

BPFTRACE_PERF_RB_PAGES=4096 bpftrace -o "$trace" tests/reference/rss.bt &
bt=$!
for i in $(seq 300); do
	grep -q "^ready" "$trace" 2>/dev/null && break
	sleep 0.1
done
grep -q "^ready" "$trace" || { echo "FAILED - bpftrace did not attach"; kill $bt; exit 1; }

n=0
run() {
	n=$((n + 1))
	faultacct run --json -o "$work/r$n.json" -- "$@" >/dev/null 2>"$work/err" ||
		echo "FAILED - faultacct run -- $*: $(tail -n 2 "$work/err")"
}
run sh -c 'fa_work fork-cow 500; fa_work file-read-write 300'
run sh -c 'fa_work memfd 200; fa_work uffd-shmem 100; fa_work collapse-anon 100; fa_work collapse-shmem 100'
run sh -c 'fa_work children 20; fa_work threads 400; fa_work remote 200'
for i in 1 2; do printf 'int f%d(void) { return %d; }\n' "$i" "$i" >"$work/f$i.c"; done
run sh -c "cd $work && gcc -O2 -c f1.c && gcc -O2 -c f2.c && ls -l | sort | wc -l"
# bpftrace reads its buffer slowly under emulation and drops what it has
# not read when it is stopped: wait (in one process, which changes no
# counter while it waits) until the trace has not grown for 2 s
/usr/bin/python3 -c '
import os, sys, time
last, still = -1, 0
for _ in range(600):
    size = os.path.getsize(sys.argv[1])
    still = still + 1 if size == last else 0
    if still >= 2:
        break
    last = size
    time.sleep(1)
' "$trace"
kill -INT $bt
wait $bt
echo "trace: $(grep -c '^@' "$trace") counter changes"
tests/reference/rss_reference "$trace" "$work"/r*.json
rc=$?
[[ $rc == 0 ]] && rm -rf "$work"
exit $rc
