#!/bin/sh
# 4 threads of one process, each writing its own quarter.
# Threads that fault on the same page at once (glibc's shared data, thread
# start and exit) make a fault that finds the page already mapped: one more
# fault, cause other, no page. The pages are exact.
exec tests/guest/lib/accuracy --exit-rss --racy faults.total,faults.minor,cause.other threads 1000 1 pages.anon=N cause.anon=N
