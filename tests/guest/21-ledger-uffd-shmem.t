#!/bin/sh
# UFFDIO_COPY into shmem maps pages outside any fault, through
# mfill_atomic_install_pte(): the ledger's uffd site, not the fault path's
# (no fault probe sees it). The file read right after must come out as
# file pages of its own faults: a charge outside a fault once made the next
# fault's pages go where the earlier charge went. (The N anonymous pages
# are the copy's source, written before the window that /proc/self/status
# is read across: only file and shmem are compared with it.)
exec tests/guest/lib/accuracy --net file,shmem --sites-strict uffd-shmem 200 1 \
	charged.uffd.shmem=N pages.file=N pages.anon=N cause.anon=N \
	'cause.read<=N//8' 'faults.total<=N+N//8' 'faults.minor<=N+N//8'
