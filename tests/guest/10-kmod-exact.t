#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's page charges, fault for fault, against the kernel's own RSS
# counters: kmod_check reads its own record (FAULTACCT_CMD_GET) and
# /proc/self/status just before and after each scenario, so nothing else
# the process does is in the window. Needs the default filter (all).
# Everything runs twice: as configured by default (no probe brackets a
# fault), then with `faultacct config --outcomes on`.
set -uo pipefail

failed=0
run() {
	if ! kmod_check "$@" | sed 's/^/  /'; then
		echo "FAILED - kmod_check $*"
		failed=1
	fi
}

# No THP at all on Debian's PREEMPT_RT kernels: the THP cases do not apply
thp=/sys/kernel/mm/transparent_hugepage
if [[ -f $thp/enabled ]]; then
	old_thp=$(sed 's/.*\[\(.*\)\].*/\1/' $thp/enabled)
	echo madvise >$thp/enabled
else
	old_thp=
	echo "no THP on $(uname -r) (CONFIG_TRANSPARENT_HUGEPAGE off): thp, thp-read and memfd-thp not run"
fi

suite() {
	local s shmem old_shmem

	for s in anon-write anon-read-write file-read file-shared-write \
		 file-private-write file-read-write memfd memfd-read \
		 memfd-private-rw shared-anon fork-cow threads remote; do
		run "$s" 1000
	done
	if [[ -n $old_thp ]]; then
		run thp 4
		run thp-read 4
		# huge shmem pages: mapped by do_set_pmd
		shmem=$thp/shmem_enabled
		old_shmem=$(sed 's/.*\[\(.*\)\].*/\1/' $shmem)
		echo always >$shmem
		run memfd-thp 4
		echo "$old_shmem" >$shmem
	fi

	# swap-in needs swap: a file on /scratch
	if dd if=/dev/zero of=/scratch/swapfile bs=1M count=32 status=none &&
	   chmod 600 /scratch/swapfile &&
	   mkswap /scratch/swapfile >/dev/null &&
	   swapon /scratch/swapfile; then
		run swapin 1000
		swapoff /scratch/swapfile
		rm -f /scratch/swapfile
	else
		echo "FAILED - cannot set up swap"
		failed=1
	fi
}

echo "== direct (the default)"
suite
echo "== bracketed (faultacct config --outcomes on)"
faultacct config --outcomes on >/dev/null || failed=1
FAULTACCT_BRACKETED=1 suite
faultacct config --outcomes off >/dev/null || failed=1

[[ -z $old_thp ]] || echo "$old_thp" >$thp/enabled
exit $failed
