#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The return probe on handle_mm_fault() is opt-in. By default it is
# registered but disarmed ([DISABLED] in debugfs, not hit while faulting,
# "armed": false in status), and a run reports retry and error as not
# counted. `config --outcomes on` arms it: a failed fault (SIGBUS) counts
# as an error, and a cold file read retries; `--latency on` arms it too.
# Turning it on and off while every vCPU faults must not WARN
# (panic_on_warn), and runs stay exact in pages while it flips.
set -u
name=41-outcomes
failed=0
fail() { echo "$name: FAIL: $*"; failed=1; }
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
kplist=/sys/kernel/debug/kprobes/list
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[[ -r $kplist ]] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[[ -r $kplist ]] || { echo "$name: FAIL: no $kplist"; exit 1; }
# Reload: the state right after insmod is what is tested first.
[[ -d /sys/module/faultacct ]] && { rmmod faultacct || fail "rmmod"; }
insmod "$ko" || { echo "$name: FAIL: insmod"; exit 1; }

# "ARMED HITS" of the handle_mm_fault probe, from faultacct status
probe() {
	faultacct status --json | python3 -c '
import json, sys
p = [p for p in json.load(sys.stdin)["probes"] if p["symbol"] == "handle_mm_fault"][0]
print(p["armed"], p["hits"])'
}
# yes|no: armed in debugfs (no [DISABLED])
debugfs_armed() {
	local line
	line=$(grep -E " handle_mm_fault\+0x[0-9a-f]+ " "$kplist" | head -1)
	[[ -n $line ]] || { echo missing; return; }
	[[ $line == *DISABLED* ]] && echo no || echo yes
}
want_armed() {
	local want=$1 what=$2 armed hits d
	read -r armed hits <<<"$(probe)"
	d=$(debugfs_armed)
	echo "$name: $what: status armed $armed, debugfs armed $d"
	if [[ $want == yes ]]; then
		[[ $armed == True && $d == yes ]] || fail "$what: return probe not armed"
	else
		[[ $armed == False && $d == no ]] || fail "$what: return probe armed"
	fi
}
# HITS of the return probe while 1000 pages are faulted in
hits_while_faulting() {
	local a b
	read -r _ a <<<"$(probe)"
	fa_work anon-write 1000 >/dev/null
	read -r _ b <<<"$(probe)"
	echo $((b - a))
}
# FIELD of the total of a run's JSON report
field() {
	python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))["total"]
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$tmp/run.json" "$1"
}

# --- default: disarmed, retry and error not counted
[[ $(faultacct config --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["outcomes"])') == False ]] ||
	fail "outcomes is on after insmod"
want_armed no "after insmod"
h=$(hits_while_faulting)
echo "$name: default: $h return-probe hits while faulting"
[[ $h == 0 ]] || fail "the return probe was hit $h times while disarmed"
faultacct run --json -o "$tmp/run.json" -- fa_work sigbus 1 >/dev/null 2>&1
[[ $(field faults.error) == None && $(field faults.retry) == None ]] ||
	fail "default: retry/error reported ($(field faults.retry)/$(field faults.error)), want null"
faultacct run -- fa_work anon-write 10 2>&1 >/dev/null |
	grep -q 'retry, error not counted (faultacct config --outcomes on)' ||
	fail "the text report does not say retry and error are not counted"

# --- outcomes on: armed, a SIGBUS is an error, a cold read retries
faultacct config --outcomes on >/dev/null || fail "config --outcomes on"
want_armed yes "outcomes on"
h=$(hits_while_faulting)
echo "$name: outcomes on: $h return-probe hits while faulting"
((h >= 1000)) || fail "the return probe was hit $h times for 1000 faults"
faultacct run --json -o "$tmp/run.json" -- fa_work sigbus 1 >/dev/null 2>&1
rc=$?
echo "$name: sigbus: exit $rc, error $(field faults.error)"
((rc == 128 + 7)) || fail "fa_work sigbus exited $rc, want 135 (SIGBUS)"
[[ $(field faults.error) == 1 ]] || fail "SIGBUS fault: error $(field faults.error), want 1"
faultacct run --json -o "$tmp/run.json" -- fa_work cold-read 256 /scratch >/dev/null ||
	fail "run cold-read"
echo "$name: cold read: major $(field faults.major), retry $(field faults.retry), pages.file $(field pages.file)"
(($(field faults.major) >= 1)) || fail "cold read: no major fault"
(($(field faults.retry) >= 1)) || fail "cold read: no retried fault"
# minor + major + retry + error
[[ $(field faults.total) == $(($(field faults.minor) + $(field faults.major) + $(field faults.retry) + $(field faults.error))) ]] ||
	fail "total is not minor + major + retry + error"

faultacct config --outcomes off >/dev/null || fail "config --outcomes off"
want_armed no "outcomes off"
faultacct config --latency on >/dev/null || fail "config --latency on"
want_armed yes "latency on"
faultacct config --outcomes on >/dev/null || fail "config --outcomes on"
faultacct config --latency off >/dev/null || fail "config --latency off"
want_armed yes "outcomes on, latency off"
faultacct config --outcomes off >/dev/null || fail "config --outcomes off"
want_armed no "both off"
faultacct config --disable >/dev/null || fail "config --disable"
faultacct config --outcomes on >/dev/null || fail "config --outcomes on while disabled"
want_armed no "outcomes on, accounting disabled"
faultacct config --enable >/dev/null || fail "config --enable"
want_armed yes "outcomes on, enabled again"
faultacct config --outcomes off >/dev/null || fail "config --outcomes off"

# --- flipping while every vCPU faults; exact runs while it flips
for i in $(seq "$(nproc)"); do
	(while :; do fa_work anon-write 500 >/dev/null; done) &
done
for i in $(seq 20); do
	faultacct config --outcomes on >/dev/null || fail "cycle $i: on"
	faultacct config --outcomes off >/dev/null || fail "cycle $i: off"
done
echo "$name: 20 on/off cycles under load"
kill $(jobs -p) 2>/dev/null
wait 2>/dev/null
(while :; do
	faultacct config --outcomes on >/dev/null
	sleep 0.2
	faultacct config --outcomes off >/dev/null
	sleep 0.2
done) &
flipper=$!
# Pages, uncharged pages, minor and major faults are the same in both
# modes; causes are not (a zero-page read has one only when bracketed).
causes=cause.anon,cause.cow,cause.read,cause.shared,cause.swapin,cause.thp,cause.other,cause.mthp
for s in "anon-write 1000 1 pages.anon=N faults.minor=N" \
	 "file-read-write 1024 1 pages.file=N pages.anon=N uncharged.file=N"; do
	# shellcheck disable=SC2086
	if out=$(tests/guest/lib/accuracy --modes direct --racy "$causes,faults.total" \
		 --exit-rss $s 2>&1); then
		echo "$name: ${s%% *} exact while the return probe flips"
	else
		fail "${s%% *} not exact while the return probe flips:"
		grep -E '^accuracy: |want' <<<"$out"
	fi
done
kill "$flipper" 2>/dev/null
wait 2>/dev/null
faultacct config --outcomes off >/dev/null || fail "config --outcomes off"
rmmod faultacct || fail "rmmod"
insmod "$ko" || fail "insmod"

((failed == 0)) && echo "$name: ok"
exit $failed
