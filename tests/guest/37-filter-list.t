#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The filter's pid list does not outlive the filter. After
# `config --filter tgids --pid P` then `config --filter all`, the
# configuration must not go on listing P: status would show "filter: all"
# followed by stale pids, and a later `--filter tgids` without --pid would
# quietly bring them back. Regression test: FAULTACCT_CONFIG_FILTER_TGID
# must be >= 1 and leaving it out keeps the list, so once set the list
# could never be emptied (nlfuzz leaves dozens of stale pids behind).
set -u
name=37-filter-list
fail() { echo "$name: FAIL: $*"; faultacct config --filter all >/dev/null; exit 1; }
tgids() { faultacct config --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["tgids"])'; }

faultacct config --filter tgids --pid $$ >/dev/null || fail "config --filter tgids --pid $$"
echo "$name: filter tgids: tgids $(tgids)"
faultacct config --filter all >/dev/null || fail "config --filter all"
list=$(tgids)
echo "$name: filter all: tgids $list"
faultacct status | grep -i '^filter'
[[ $list == "[]" ]] || fail "the pid list $list outlived the filter that used it"
echo "$name: ok"
