#!/bin/sh
# fork, then the child writes: COW of anon pages changes no counter.
# Parent and child also race on their shared stack pages after fork: whoever
# writes second finds the page its own (a reuse, cause other) instead of
# copying it. So copies and reuses are exact only together.
exec tests/guest/lib/accuracy --racy cause.cow,cause.other fork-cow 1000 2 pages.anon=N cause.anon=N cause.cow+cause.other=N faults.total=2*N
