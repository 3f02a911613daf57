#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A process that faulted while no filter took it, then is added to the
# filter, is counted exactly from then on. The module remembers, per CPU,
# that the last faulting task was not tracked, so that its next faults skip
# the lookup; adding a process (or changing the filter, or turning
# accounting on) must end that. Checked with the filter's pid list, with
# `--filter all` and after --disable/--enable, each on a process that
# faulted untracked on the same CPU just before.
set -u
name=42-tracked-later
failed=0
fail() { echo "$name: FAIL: $*"; failed=1; }
n1=3000
n2=2000

# phases faults alone on CPU 0; this script and the tool run on CPU 1, so
# that nothing else faults on CPU 0 between phases' two phases and the
# module's memory of that CPU's last fault is what phases left there.
(($(nproc) >= 2)) || { echo "$name: FAIL: needs 2 vCPUs, has $(nproc)"; exit 1; }
taskset -pc 1 $$ >/dev/null || { echo "$name: FAIL: taskset"; exit 1; }

# one_case WHAT SETUP... : phases runs untracked (the filter lists only pid
# 1), faults n1 pages, then SETUP makes it tracked; its n2 next pages must
# all be counted.
one_case() {
	local what=$1 pid line rec
	shift
	faultacct config --enable --filter tgids --pid 1 >/dev/null || { fail "$what: config"; return; }
	coproc PH { exec taskset -c 0 phases "$n1" "$n2"; }
	read -r line <&"${PH[0]}" || { fail "$what: phases did not start"; return; }
	pid=${line#ready }
	if faultacct dump --json -p "$pid" 2>/dev/null | grep -q '"pid"'; then
		fail "$what: pid $pid tracked before it was added"
	fi
	"$@" "$pid" || fail "$what: setup failed"
	echo go >&"${PH[1]}"
	read -r line <&"${PH[0]}"
	[[ $line == done ]] || fail "$what: phases said \"$line\""
	rec=$(faultacct dump --json -p "$pid" 2>&1)
	echo go >&"${PH[1]}"
	wait "$PH_PID" 2>/dev/null
	python3 - "$what" "$n2" "$rec" <<'PY' || failed=1
import json, sys
what, n2, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
recs = []
def walk(o):
    if isinstance(o, dict):
        if "pid" in o and "pages" in o:
            recs.append(o)
        else:
            for v in o.values():
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
try:
    walk(json.loads(text))
except ValueError:
    pass
if len(recs) != 1:
    print(f"42-tracked-later: FAIL: {what}: {len(recs)} records: {text[:200]}")
    sys.exit(1)
r = recs[0]
anon, cause = r["pages"]["anon"], r["cause"]["anon"]
print(f"42-tracked-later: {what}: pages.anon {anon}, cause.anon {cause} (want {n2})")
if anon != n2 or cause != n2:
    print(f"42-tracked-later: FAIL: {what}: pages.anon {anon}, cause.anon {cause}, want {n2} each")
    sys.exit(1)
PY
}

add_pid() { faultacct config --filter tgids --pid 1 --pid "$1" >/dev/null; }
filter_all() { faultacct config --filter all >/dev/null; }
# off while untracked, then on with the process listed
off_on() {
	faultacct config --disable >/dev/null &&
		faultacct config --filter tgids --pid 1 --pid "$1" >/dev/null &&
		faultacct config --enable >/dev/null
}

one_case "added to the pid list" add_pid
one_case "filter all" filter_all
one_case "listed while disabled, then enabled" off_on

faultacct config --enable --filter all >/dev/null
((failed == 0)) && echo "$name: ok"
exit $failed
