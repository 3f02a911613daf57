#!/bin/sh
# memfd: shared, swap-backed: MM_SHMEMPAGES
exec tests/guest/lib/accuracy --exit-rss memfd 1000 1 pages.shmem=N cause.shared=N faults.total=N
