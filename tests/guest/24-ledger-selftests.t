#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own mm selftests under faultacct run, against the
# independent reference (tests/reference): tools/testing/selftests/mm of
# linux-source-6.12 on 6.12, tools/testing/selftests/vm of linux-source-6.1
# on 6.1, as built by `make selftests` (build/selftests/SERIES/). Each must
# pass as it does without faultacct, every one of its processes must
# balance (unexplained 0), and each process's faults and sites must agree
# with the kernel's trace field by field. The selftest runs as a child of
# the command (sh), so that the reference sees its whole life.
#
# Left out, and why:
#   transhuge-stress      runs until killed
#   split_huge_page_test  110 s under emulation without faultacct
#   mremap_test           failed 4 of its tests without faultacct in a
#                         1 GiB guest (its large mappings); not tried
#                         since the guests have 2 GiB
#   migration             needs two NUMA nodes
#   gup_test, hmm-tests   need CONFIG_GUP_TEST / the test_hmm module, which
#                         Debian does not build; gup_longterm skips all of
#                         its tests for the same reason
#   hugetlb tests         hugetlb pages are not RSS counters
#   ksm_tests -U (6.1)    asserts the system-wide KSM counters are 0 after
#                         one scan: "Not OK" once in 4 runs, with every
#                         process of that run balanced and agreeing with
#                         the reference; cause not found
#   mkdirty, ksm_functional_tests (7.x)
#                         write through /proc/self/mem and ptrace: Debian's
#                         7.x kernels (PROC_MEM_FORCE_PTRACE) refuse the
#                         forced write, and 2 of mkdirty's 6 and 1 of
#                         ksm_functional_tests' 8 fail the same way without
#                         faultacct
#   khugepaged, context khugepaged: waits for the daemon (and its RCU
#                         stall under emulation); MADV_COLLAPSE is tested
#
# Under emulation: 10 minutes on 6.12 (1.1 million counter changes, 375
# MiB of trace; rss_reference takes 2.5 of them), 2.5 on 6.1.
# On 7.2 and 7.3, the 6.12 build runs (linux-source-7.3 is not built): the
# same tests, against 6.12's uapi, which 7.x keeps. Not in make check's
# quick tier there (the full tier runs it): 10 more minutes a kernel.
# faultacct-series: 6.1 6.12 7.2 7.3
# faultacct-timeout: 1200
set -uo pipefail

case $FAULTACCT_KVER in
6.1.*) series=6.1 ;;
6.12.* | 7.2.* | 7.3.*) series=6.12 ;;
*) echo "FAILED - no selftests for $FAULTACCT_KVER"; exit 1 ;;
esac
bin=$REPO/build/selftests/$series
[[ -x $bin/madv_populate ]] ||
	{ echo "FAILED - $bin/madv_populate: not built (make selftests)"; exit 1; }

work=/scratch/selftests
rm -rf "$work" && mkdir -p "$work" || exit 1
. tests/guest/lib/reference
ref_start "$work" || exit 1
# khugepaged's swap-in tests page out with MADV_PAGEOUT
swap=$work/swapfile
dd if=/dev/zero of="$swap" bs=1M count=128 status=none && chmod 600 "$swap" &&
	mkswap -q "$swap" >/dev/null && swapon "$swap" ||
	{ echo "FAILED - could not make a swap file on /scratch"; exit 1; }
ref_at_exit "swapoff $swap 2>/dev/null"

common=(madv_populate soft-dirty mremap_dontunmap map_populate
	map_fixed_noreplace mlock2-tests mrelease_test compaction_test
	"khugepaged madvise:anon" "khugepaged madvise:shmem")
if [[ $series == 6.12 && $FAULTACCT_KVER == 7.* ]]; then
	tests=("${common[@]}" droppable "ksm_tests -M" pagemap_ioctl cow
		uffd-unit-tests "uffd-stress anon 8 4" "uffd-stress shmem 8 4")
elif [[ $series == 6.12 ]]; then
	tests=("${common[@]}" mkdirty droppable ksm_functional_tests "ksm_tests -M"
		pagemap_ioctl cow uffd-unit-tests "uffd-stress anon 8 4"
		"uffd-stress shmem 8 4")
else
	tests=("${common[@]}" "ksm_tests -M" "ksm_tests -Z -z 1"
		"userfaultfd anon 8 4" "userfaultfd shmem 8 4")
fi

# FAULTACCT_SELFTESTS="cow soft-dirty": only those (when debugging)
if [[ -n ${FAULTACCT_SELFTESTS:-} ]]; then
	pick=()
	for t in "${tests[@]}"; do
		[[ " $FAULTACCT_SELFTESTS " == *" ${t%% *} "* ]] && pick+=("$t")
	done
	tests=("${pick[@]}")
fi

# why OUT ERR: a failed selftest's failures (its last three), or its end
why() {
	{ grep -aiE 'fail|not ok' "$1" | tail -n 3 | grep . || tail -n 3 "$1"; tail -n 2 "$2"; } |
		tr -s '\r\n' '  ' | tail -c 400
}

# lockup_watch on|off: the soft-lockup and RCU-stall detectors. khugepaged's
# tests fault in 2 MiB pages one after another (collapse_compound_extreme:
# 512 of them). Under emulation, with the reference's bpftrace taking a
# stack at each of their counter changes, the vCPU went 22-26 s without
# the watchdog's thread getting to run on it (6.12: soft lockup; 6.1: RCU
# stall, both in clear_page_erms()); four runs without the trace, two of
# them under faultacct, had none. Off for those tests only.
lockup_watch() {
	local sw=/proc/sys/kernel/soft_watchdog
	local rcu=/sys/module/rcupdate/parameters/rcu_cpu_stall_suppress
	if [[ $1 == off ]]; then
		echo 0 >"$sw" && echo 1 >"$rcu"
	else
		echo 1 >"$sw" && echo 0 >"$rcu"
	fi
}
ref_at_exit "lockup_watch on"

failed=0 n=0
cd "$work" || exit 1
for t in "${tests[@]}"; do
	n=$((n + 1))
	# khugepaged's tests need free huge pages, and the trace on /scratch
	# fills the guest's memory with page cache in small pieces
	sync
	echo 1 >/proc/sys/vm/drop_caches
	echo 1 >/proc/sys/vm/compact_memory
	[[ $t != khugepaged* ]] || lockup_watch off
	# the selftest is sh's child: sh runs more after it, so it forks
	faultacct run --json -o "$work/r$n.json" -- \
		sh -c "timeout 300 $bin/$t >$work/out$n 2>&1; rc=\$?; exit \$rc" \
		>/dev/null 2>"$work/err"
	rc=$?
	[[ $t != khugepaged* ]] || lockup_watch on
	if [[ $rc != 0 ]]; then
		echo "FAILED - $t: exit $rc under faultacct: $(why "$work/out$n" "$work/err")"
		failed=1
		continue
	fi
	echo "$t: $(grep -aE '^# Totals' "$work/out$n" | tail -n 1 | grep . || echo passed)"
done
cd "$REPO" || exit 1
swapoff "$swap"
ref_stop || failed=1
ref_check "$work"/r*.json
rc=$((failed | $?))
[[ $rc == 0 ]] && rm -rf "$work"
exit $rc
