#!/bin/sh
# read maps the zero page (no charge: a cause only when faults are bracketed),
# the write copies it (anon)
exec tests/guest/lib/accuracy --exit-rss anon-read-write 1000 1 pages.anon=N bracket:cause.anon=N cause.cow=N faults.total=2*N faults.minor=2*N
