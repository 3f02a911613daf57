#!/bin/sh
# fork, then the child writes: COW of anon pages changes no counter.
# Parent and child also race on their shared stack pages after fork: whoever
# writes second finds the page its own (a reuse, cause other) instead of
# copying it, or neither copies if the child exits first. So copies and
# reuses are exact only together, and only when faults are bracketed: a
# reuse has no cause otherwise, and the copies are N, give or take a few.
exec tests/guest/lib/accuracy --racy cause.cow,cause.other fork-cow 1000 2 pages.anon=N cause.anon=N \
	bracket:cause.cow+cause.other=N 'direct:cause.cow>=N-8' 'direct:cause.cow<=N+8' faults.total=2*N
