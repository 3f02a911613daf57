#!/bin/sh
# 4 threads of one process, each writing its own quarter.
# Threads that fault on the same page at once (glibc's shared data, thread
# start and exit) make a fault that finds the page already mapped: one more
# fault, cause other, no page. Fault-around skips a page-cache folio that
# another thread holds locked at that moment, so which read fault maps a
# libc page (and whether an untouched neighbour gets mapped at all) depends
# on timing too: seen once on 6.1 as one more read fault. The anon pages
# are exact, and every counter's net charge is still held against the
# kernel's own counters.
exec tests/guest/lib/accuracy --exit-rss --racy faults.total,faults.minor,cause.other,cause.read,pages.file threads 1000 1 pages.anon=N cause.anon=N
