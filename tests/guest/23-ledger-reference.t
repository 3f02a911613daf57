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

work=/scratch/reference
rm -rf "$work" && mkdir -p "$work" || exit 1
. tests/guest/lib/reference
ref_start "$work" || exit 1

n=0
failed=0
run() {
	n=$((n + 1))
	faultacct run --json -o "$work/r$n.json" -- "$@" >/dev/null 2>"$work/err" && return
	echo "FAILED - faultacct run -- $*: $(tail -n 2 "$work/err")"
	failed=1
}
run sh -c 'fa_work fork-cow 500; fa_work file-read-write 300'
run sh -c 'fa_work memfd 200; fa_work uffd-shmem 100; fa_work collapse-anon 100; fa_work collapse-shmem 100'
run sh -c 'fa_work children 20; fa_work threads 400; fa_work remote 200'
for i in 1 2; do printf 'int f%d(void) { return %d; }\n' "$i" "$i" >"$work/f$i.c"; done
run sh -c "cd $work && gcc -O2 -c f1.c && gcc -O2 -c f2.c && ls -l | sort | wc -l"
ref_stop || failed=1
ref_check "$work"/r*.json
rc=$((failed | $?))
[[ $rc == 0 ]] && rm -rf "$work"
exit $rc
