#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/reference/rss_reference on a made-up trace: a race that the trace
# shows (a change of size 0) lets a process's fault and outside figures
# differ by opposite amounts, within the size of the change before it;
# nothing else does. Each case says what rss_reference must do.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One anon change: ns pid value-in-pages caller
change() {
	printf '@ %d 100 100 1 1 7 %d aa\n %s+0x10\n do_syscall_64+0x40\n' \
		"$1" $(($2 * 4096)) "$3"
}

# Truth: 2 fault pages, 1 userfaultfd page. The fill at ns 2 read the value
# after the fault of ns 3 had added to it too: the trace says fault 1,
# outside 2, and the fault's own change shows as size 0.
{
	change 1 1 handle_mm_fault
	change 2 3 mfill_atomic_install_pte
	change 3 3 handle_mm_fault
} >"$tmp/raced"
# The same numbers with no race shown: fault 2, outside 2.
{
	change 1 1 handle_mm_fault
	change 2 3 mfill_atomic_install_pte
	change 3 4 handle_mm_fault
} >"$tmp/plain"

# Per-CPU counters (6.2 on; this host's release decides): a fault's +1
# read with another CPU's -1 in it shows as a fault's -1, then an unmap of
# size 0. Truth: 1 fault page, nothing uncharged.
if python3 -c 'import platform, sys; sys.exit(tuple(map(int, platform.release().split(".")[:2])) < (6, 2))'; then
	percpu=1
else
	percpu=0
fi
{
	change 1 1 handle_mm_fault
	change 2 2 handle_mm_fault
	change 3 1 handle_mm_fault
	change 4 1 zap_pte_range
} >"$tmp/split"
head -n -3 "$tmp/split" >"$tmp/split-plain"

report() {	# pages.anon uffd.anon
	cat >"$tmp/report.json" <<EOF
{"pid": 1, "processes": [{"pid": 100, "comm": "t",
 "unexplained": {"anon": 0, "file": 0, "shmem": 0},
 "opening": {"anon": 0, "file": 0, "shmem": 0},
 "pages": {"anon": $1, "file": 0, "shmem": 0},
 "uncharged": {"anon": 0, "file": 0, "shmem": 0},
 "sites": {"charged": {"fork": {"anon": 0, "file": 0, "shmem": 0},
                       "uffd": {"anon": $2, "file": 0, "shmem": 0}},
           "uncharged": {"fork": {"anon": 0, "file": 0, "shmem": 0},
                         "uffd": {"anon": 0, "file": 0, "shmem": 0}}}}]}
EOF
}

fail=0
case_() {	# want(0 agree, 1 differ) trace pages uffd what
	local out rc=0
	report "$3" "$4"
	out=$(tests/reference/rss_reference "$tmp/$2" "$tmp/report.json" 2>&1) || rc=$?
	if [[ $rc != "$1" ]]; then
		echo "reference: FAILED - $5: exit $rc, want $1"
		echo "$out" | sed 's/^/    /'
		fail=1
	else
		echo "reference: ok - $5 (exit $rc)"
	fi
	if [[ $1 == 0 && $2 == raced && $out != *"a race the trace shows"* ]]; then
		echo "reference: FAILED - $5: the race is not named"
		fail=1
	fi
}
case_ 0 raced 2 1 "the truth, through a race the trace shows"
case_ 0 plain 2 2 "the truth, no race"
case_ 1 plain 3 1 "faults +1, outside -1 with no race shown"
case_ 1 raced 3 1 "a race, but the sum is off by one"
case_ 1 raced 5 -2 "a race, off by more than the change before it"
if [[ $percpu == 1 ]]; then
	case_ 0 split 1 0 "a fault's charge and uncharge swapped by a race the trace shows"
	case_ 1 split-plain 1 0 "a fault's charges and uncharges off, no race shown"
	case_ 1 split 2 0 "a race, but the net is off"
fi
exit $fail
