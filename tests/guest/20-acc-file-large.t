#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# File large folios: a file on /scratch (ext4) read cold. From 7.x on, ext4
# reads ahead into large folios, which set_pte_range() maps nr pages at a
# time. First make sure that happens here (/proc/kpageflags says how many
# of the mapped pages are in compound folios), then hold faultacct's file
# pages to the kernel's counters (accuracy: exact, and balanced). How many
# faults it takes depends on readahead and fault-around: not checked.
# faultacct-series: 7.2 7.3
# faultacct-needs: /sys/kernel/mm/transparent_hugepage
set -uo pipefail

n=4096
out=$(FA_FOLIO_REPORT=1 fa_work cold-read $n /scratch 2>&1 >/dev/null)
echo "$out"
large=$(sed -n 's/^fa_work: cold-read: \(-\{0,1\}[0-9]*\) of .*/\1/p' <<<"$out")
if [[ -z $large || $large -le 0 ]]; then
	echo "FAILED - no large folios in a cold read of ext4 on $(uname -r) (${large:-no report}): this test would not test them"
	exit 1
fi
exec tests/guest/lib/accuracy --racy cause.read --exit-rss cold-read $n 1 pages.file=N
