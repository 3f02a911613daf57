#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo's guest half runs to the end and shows what it explains: each
# lesson's report, the full report of one run and a dump of a mixed load.
set -euo pipefail
out=$(scripts/demo-guest 2>&1)
echo "$out" | sed 's/^/  /'
fail=0
want() {
	grep -qE -- "$1" <<<"$out" || { echo "demo: missing: $1"; fail=1; }
}
for title in "Anonymous memory" "A file read through mmap" "copy-on-write" \
	"Shared memory \(memfd\)" "fork, then copy-on-write" "The full report" "A mixed load"; do
	want "== .*$title.* =="
done
# memfd lesson: exactly the 2560 pages written are shmem
want "pages charged: +anon [0-9]+ +file [0-9]+ +shmem 2560$"
# the file COW lesson moves at least the 2560 written pages out of file
want "pages uncharged: +anon 0 +file 25[6-9][0-9] +shmem 0"
want "faultacct report for: fa_work fork-cow 2560"
# every lesson's ledger balances against the kernel's counters
[[ $(grep -c "ledger vs the kernel: unexplained anon 0 file 0 shmem 0: every process balanced" <<<"$out") -ge 5 ]] ||
	{ echo "demo: a lesson's ledger did not balance"; fail=1; }
# the fork lesson shows the child's copy, made by fork, not by a fault
want "outside faults: fork 25[6-9][0-9]/"
want "balanced: every page of every process is explained"
[[ $(grep -cE '^ +[0-9]+ +[0-9]+ fa_work ' <<<"$out") -ge 5 ]] ||
	{ echo "demo: the dump does not show the three workloads"; fail=1; }
exit $fail
