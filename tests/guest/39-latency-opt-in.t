#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fault latency is opt-in, and costs no memory while off: after insmod it is
# off, a process slot costs no more than its counters and ledger (at most
# 1024 bytes: the ledger's sites took it from 253 to about 925; the 256
# bytes of the performance issue need a compact ledger) and no record
# carries latency; `config --latency on` allocates the table (the
# slot cost grows by its entry) and every fault of a run is then timed;
# off frees it again. Toggling while every vCPU faults must not WARN
# (panic_on_warn) nor lose the counts. Prints the bytes per slot both ways.
set -u
name=39-latency-opt-in
failed=0
fail() { echo "$name: FAIL: $*"; failed=1; }
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Reload: the state right after insmod is what is tested first.
[[ -d /sys/module/faultacct ]] && { rmmod faultacct || fail "rmmod"; }
insmod "$ko" || { echo "$name: FAIL: insmod"; exit 1; }

status_field() {
	faultacct status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}
latency_flag() {
	faultacct config --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["latency"])'
}

# run_latency: "TOTAL TIMED" of a run of 1000 anonymous pages written
# (TIMED is latency_ns.count: 0 when nothing was timed).
run_latency() {
	faultacct run --json -o "$tmp/run.json" -- fa_work anon-write 1000 >/dev/null 2>"$tmp/err" ||
		{ echo "run failed: $(cat "$tmp/err")"; return; }
	python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["total"]
print(t["faults"]["total"], t["latency_ns"]["count"])' "$tmp/run.json"
}

[[ $(latency_flag) == False ]] || fail "latency is on after insmod"
off=$(status_field bytes_per_proc)
echo "$name: latency off: $off bytes per process slot"
((off <= 1024)) || fail "$off bytes per slot with latency off, want <= 1024"
read -r total timed <<<"$(run_latency)"
echo "$name: latency off: run of $total faults, latency timed: $timed"
[[ $timed == 0 ]] || fail "latency off, yet the run timed $timed faults"
faultacct run -- fa_work anon-write 100 2>&1 >/dev/null | grep -q 'latency off' ||
	fail "the text report does not say latency is off"

faultacct config --latency on >/dev/null || fail "config --latency on"
[[ $(latency_flag) == True ]] || fail "latency not on after config --latency on"
on=$(status_field bytes_per_proc)
echo "$name: latency on: $on bytes per process slot"
((on > off)) || fail "the latency table did not show in bytes_per_proc ($on, off $off)"
read -r total timed <<<"$(run_latency)"
echo "$name: latency on: run of $total faults, $timed timed"
[[ $timed == "$total" && $total -ge 1000 ]] || fail "latency on: $timed of $total faults timed"

faultacct config --latency off >/dev/null || fail "config --latency off"
again=$(status_field bytes_per_proc)
[[ $again == "$off" ]] || fail "latency off again: $again bytes per slot, want $off"

# on/off while every vCPU faults and a dump reads latency
for i in $(seq "$(nproc)"); do
	(while :; do fa_work anon-write 500 >/dev/null; done) &
done
for i in $(seq 20); do
	faultacct config --latency on >/dev/null || fail "cycle $i: on"
	faultacct dump --json >/dev/null || fail "cycle $i: dump"
	faultacct config --latency off >/dev/null || fail "cycle $i: off"
done
kill $(jobs -p) 2>/dev/null
wait 2>/dev/null
echo "$name: 20 on/off cycles under load"
if out=$(tests/guest/lib/accuracy --exit-rss anon-write 1000 1 \
	pages.anon=N cause.anon=N faults.total=N faults.minor=N 2>&1); then
	echo "$name: counts exact after the cycles"
else
	fail "counts not exact after the cycles: $(tail -3 <<<"$out" | tr '\n' ' ')"
fi

((failed == 0)) && echo "$name: ok"
exit $failed
