#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A fault that maps by fault-around, then sleeps for I/O and maps its own
# page, while another task faults on the same CPU (issue 18, defect 5). In
# the default mode "this fault was counted already" was kept per CPU: the
# other task's fault replaced it, and the sleeping fault's second charge
# counted its cause again (cause.read 2N for N faults). fa_work
# evicted-read: N such faults of 16 file pages each, their 15 cached
# neighbours by fault-around, beside a child writing anonymous pages on the
# same CPU until it is killed (how many: not checked).
# faultacct-series: 6.1 6.12
exec tests/guest/lib/accuracy --net file,shmem --racy pages.anon,cause.anon,cause.cow,cause.other,uncharged.unmap.anon \
	evicted-read 128 2 pages.file=16*N cause.read=N
