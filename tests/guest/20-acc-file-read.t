#!/bin/sh
# private file read: fault-around maps many file pages per fault
exec tests/guest/lib/accuracy --exit-rss file-read 1024 1 pages.file=N 'cause.read<=N//8' 'faults.total<=N//8' 'faults.minor<=N//8'
