#!/bin/sh
# THP: one fault charges 512 pages
exec tests/guest/lib/accuracy --exit-rss thp 1024 1 pages.anon=N cause.thp=N//512 faults.total=N//512
