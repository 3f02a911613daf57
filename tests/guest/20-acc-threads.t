#!/bin/sh
# 4 threads of one process
exec tests/guest/lib/accuracy --exit-rss threads 1000 1 pages.anon=N cause.anon=N faults.total=N
