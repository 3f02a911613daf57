#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Anonymous multi-size THP: every anonymous size below a PMD that the kernel
# offers (/sys/kernel/mm/transparent_hugepage/hugepages-*kB with anon
# statistics: 7.x lists 8 KiB for file and shmem only), one at a time, alone
# and for madvise. One fault of a 64 KiB folio charges 16 pages with cause
# mthp. Held two ways against the kernel:
#   - accuracy's own checks: faultacct's net charge equals the change of
#     /proc/self/status, and every process balances (the ledger);
#   - the kernel's own mTHP statistics for that size: anon_fault_alloc grew
#     by the number of mthp faults faultacct counted, and
#     anon_fault_fallback did not grow (a fallback would make the workload
#     charge fewer pages per fault, and the figures inexact).
# faultacct-series: 6.12 7.2 7.3
set -uo pipefail

thp=/sys/kernel/mm/transparent_hugepage
compgen -G "$thp/hugepages-*kB" >/dev/null ||
	{ echo "FAILED - no $thp/hugepages-*kB: no mTHP on $(uname -r)"; exit 1; }
pmd_kb=$(($(cat "$thp/hpage_pmd_size") / 1024))

# Save every size's setting, and put them back on exit.
declare -A saved=()
for d in "$thp"/hugepages-*kB; do
	saved[$d]=$(sed 's/.*\[\(.*\)\].*/\1/' "$d/enabled")
done
old_top=$(sed 's/.*\[\(.*\)\].*/\1/' "$thp/enabled")
restore() {
	local d
	for d in "${!saved[@]}"; do
		echo "${saved[$d]}" >"$d/enabled"
	done
	echo "$old_top" >"$thp/enabled"
}
trap restore EXIT
echo madvise >"$thp/enabled"

stat_of() { cat "$thp/hugepages-${1}kB/stats/$2"; }

fail=0 sizes=0
for d in "$thp"/hugepages-*kB; do
	kb=${d##*/hugepages-}
	kb=${kb%kB}
	[[ $kb -lt $pmd_kb ]] || continue
	# a size for file and shmem only (7.x: 8 KiB, order 1) has no anon stats
	[[ -f $d/stats/anon_fault_alloc ]] || { echo "mthp ${kb} KiB: not an anonymous size"; continue; }
	sizes=$((sizes + 1))
	for o in "$thp"/hugepages-*kB; do
		echo never >"$o/enabled"
	done
	echo madvise >"$d/enabled"
	per=$((kb / 4))
	n=$((16 * per))		# 16 folios
	alloc0=$(stat_of "$kb" anon_fault_alloc)
	fb0=$(stat_of "$kb" anon_fault_fallback)
	out=$(FA_MTHP_KB=$kb tests/guest/lib/accuracy --exit-rss mthp "$n" 1 \
		pages.anon=N cause.mthp=N//$per faults.total=N//$per 2>&1)
	rc=$?
	sed 's/^/  /' <<<"$out"
	[[ $rc == 0 ]] || { echo "FAILED - mthp ${kb} KiB: accuracy"; fail=1; }
	alloc=$(($(stat_of "$kb" anon_fault_alloc) - alloc0))
	fb=$(($(stat_of "$kb" anon_fault_fallback) - fb0))
	# accuracy runs the measured workload once per mode (direct, bracket):
	# 16 folios each; its warm-up and baseline runs map none
	echo "mthp ${kb} KiB: kernel anon_fault_alloc +$alloc, anon_fault_fallback +$fb"
	if [[ $alloc != 32 || $fb != 0 ]]; then
		echo "FAILED - mthp ${kb} KiB: the kernel allocated $alloc folios of this size (fallback $fb), want 32 (0)"
		fail=1
	fi
done
[[ $sizes -gt 0 ]] || { echo "FAILED - no mTHP size below the PMD size ($pmd_kb KiB)"; fail=1; }
echo "mthp: $sizes sizes"
exit $fail
