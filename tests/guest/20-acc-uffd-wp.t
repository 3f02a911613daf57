#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A fault on a userfaultfd write-protect marker is not a swap-in (issue 18,
# defect 9). fa_work uffd-wp-anon write-protects empty anonymous memory
# (UFFD_FEATURE_WP_UNPOPULATED: a PTE marker in every PTE, 6.5 on; the
# kernel resolves the write-protect faults itself: WP_ASYNC, 6.7 on), then
# writes N pages. Each first write reaches do_swap_page(), which finds the
# marker and maps a zero-filled page: cause anon, as without the marker.
# The kernel's word that nothing was swapped in: /proc/vmstat's pswpin
# does not move. The write-protect fault that follows each one charges
# nothing (cause other, counted only when a probe brackets the fault).
# faultacct-series: 6.12 7.2 7.3
set -uo pipefail

pswpin() { awk '$1 == "pswpin" { print $2 }' /proc/vmstat; }
before=$(pswpin)
tests/guest/lib/accuracy --exit-rss uffd-wp-anon 256 1 \
	pages.anon=N cause.anon=N faults.total=2*N faults.minor=2*N \
	bracket:cause.other=N
rc=$?
after=$(pswpin)
echo "    pswpin: $before before, $after after"
if [[ $before != "$after" ]]; then
	echo "FAILED - the kernel swapped pages in meanwhile: this test cannot tell"
	exit 1
fi
exit $rc
