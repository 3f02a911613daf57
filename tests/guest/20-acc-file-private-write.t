#!/bin/sh
# private file write: COW straight from the page cache, charged anon
exec tests/guest/lib/accuracy --exit-rss file-private-write 1000 1 pages.anon=N cause.cow=N faults.total=N
