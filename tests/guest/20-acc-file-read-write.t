#!/bin/sh
# private file read then write: the file page is replaced by an anon copy
exec tests/guest/lib/accuracy --exit-rss file-read-write 1024 1 pages.file=N pages.anon=N uncharged.file=N cause.cow=N 'cause.read<=N//8'
