#!/bin/sh
# anon write: one page charged to MM_ANONPAGES per fault
exec tests/guest/lib/accuracy --exit-rss anon-write 1000 1 pages.anon=N cause.anon=N faults.total=N faults.minor=N
