#!/bin/sh
# memfd: shared, swap-backed: MM_SHMEMPAGES
exec tests/guest/lib/accuracy memfd 1000 1 pages.shmem=N cause.shared=N faults.total=N
