#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fork copies the pages a process has pinned (io_uring's registered
# buffers) into the child at once: copy_present_page() maps a new anonymous
# page in the child's mm, inside copy_mm(), before the child's tgid is its
# own. /proc/PID/pagemap says it did: in the child, each of the N pages is
# mapped exclusively (an ordinary fork shares them). Those N pages are the
# child's fork charge and nothing else: not a fault, and not the parent's
# (issue 18, defect 8: they were charged to the parent, which then did not
# balance). The parent's own N pages are zero-fill faults. (After the
# fork, parent and child race on their stack pages, as in 20-acc-fork-cow:
# a copy or a reuse of each, whoever writes first. Not checked.)
set -uo pipefail

n=200
out=$(fa_work fork-pinned $n 2>&1 >/dev/null)
echo "    $out"
got=$(sed -n 's/^fa_work: fork-pinned: \([0-9]*\) of .*/\1/p' <<<"$out")
if [[ $got != "$n" ]]; then
	echo "FAILED - fork copied ${got:-no} pinned pages of $n: this test would not test the copy"
	exit 1
fi
exec tests/guest/lib/accuracy --racy cause.cow,cause.other fork-pinned $n 2 \
	pages.anon=N cause.anon=N charged.fork.anon=N
