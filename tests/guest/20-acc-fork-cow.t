#!/bin/sh
# fork, then the child writes: COW of anon pages changes no counter
exec tests/guest/lib/accuracy fork-cow 1000 2 pages.anon=N cause.anon=N cause.cow=N faults.total=2*N
