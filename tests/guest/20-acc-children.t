#!/bin/sh
# 100 short-lived children, each writing N anon pages.
# The parent forks while earlier children still run: who writes a shared page
# first decides between COW and reuse, and which file pages fault-around finds
# mapped (and fault-around skips pages another process holds locked). The
# anon charges of the children are exact.
exec tests/guest/lib/accuracy --racy faults.total,faults.minor,cause.cow,cause.other,cause.read,pages.file,uncharged.file --net anon children 64 101 pages.anon=100*N cause.anon=100*N
