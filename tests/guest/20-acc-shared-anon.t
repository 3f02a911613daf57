#!/bin/sh
# MAP_SHARED|MAP_ANONYMOUS is shmem too
exec tests/guest/lib/accuracy --exit-rss shared-anon 1000 1 pages.shmem=N cause.shared=N faults.total=N
