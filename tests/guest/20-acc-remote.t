#!/bin/sh
# process_vm_writev: charged to the target, counted as remote.
# After fork, parent and child race to write their shared stack pages (a copy
# or a reuse); the child's /proc window sees its own file faults at varying
# times. The remote charge itself is exact.
exec tests/guest/lib/accuracy --racy cause.cow,cause.other --net anon remote 1000 2 pages.anon=N cause.anon=N remote=N faults.total=N
