#!/bin/sh
# shared file write: one file page per write fault
exec tests/guest/lib/accuracy --exit-rss file-shared-write 1000 1 pages.file=N cause.shared=N faults.total=N
