#!/bin/sh
# process_vm_writev: charged to the target, counted as remote
exec tests/guest/lib/accuracy remote 1000 2 pages.anon=N cause.anon=N remote=N faults.total=N
