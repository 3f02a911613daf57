#!/bin/sh
# MADV_COLLAPSE of 2 MiB of a memfd with N pages written: the N page-table
# mappings go and one PMD mapping of the new huge page comes, both outside
# any fault (site collapse; do_set_pmd() called by khugepaged is not a THP
# fault: cause.thp must not move).
exec tests/guest/lib/accuracy --exit-rss --sites-strict collapse-shmem 100 1 \
	pages.shmem=N cause.shared=N faults.total=N \
	charged.collapse.shmem=512 uncharged.collapse.shmem=N
