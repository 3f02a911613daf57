#!/bin/sh
# 100 short-lived children
exec tests/guest/lib/accuracy children 64 101 pages.anon=100*N cause.anon=100*N faults.total=100*N
