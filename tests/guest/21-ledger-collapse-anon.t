#!/bin/sh
# MADV_COLLAPSE of 2 MiB of anonymous memory with N pages written: the
# collapse fills the 512 - N holes, outside any fault (site collapse), and
# maps one huge page that no fault made (cause.thp must not move).
exec tests/guest/lib/accuracy --exit-rss --sites-strict collapse-anon 100 1 \
	pages.anon=N cause.anon=N faults.total=N charged.collapse.anon=512-N
