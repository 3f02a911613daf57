#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Disabled means free: with accounting off (`faultacct config --disable`,
# the enabled module parameter, or insmod enabled=0) the probes a fault
# hits are disarmed (a kprobe [DISABLED] in debugfs's kprobe list, an
# ftrace callback gone from tracing's enabled_functions, their hit counts
# frozen while a workload faults), and turning it back on re-arms them and
# counts exactly again. `faultacct run` on a disabled module arms them for
# its child and disarms them again at the end. The probes at function
# entries are ftrace callbacks, or kprobes with the kprobes=1 parameter:
# both ways are checked. Prints the hits seen while disabled.
set -u
name=38-disarm
failed=0
fail() { echo "$name: FAIL: $*"; failed=1; }
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
kplist=/sys/kernel/debug/kprobes/list
enabled=/sys/kernel/debug/tracing/enabled_functions
param=/sys/module/faultacct/parameters/enabled
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[[ -r $kplist ]] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[[ -r $kplist ]] || { echo "$name: FAIL: no $kplist"; exit 1; }
[[ -r $enabled ]] || { echo "$name: FAIL: no $enabled"; exit 1; }
[[ -d /sys/module/faultacct ]] || insmod "$ko" || { echo "$name: FAIL: insmod"; exit 1; }

# The module's fault-path probes, from its own status: "KIND:SYMBOL".
fault_probes() {
	faultacct status --json | python3 -c '
import json, sys
for p in json.load(sys.stdin)["probes"]:
    if p["kind"] in ("kprobe", "kretprobe", "ftrace") and p["placement"] != "none":
        print(p["kind"] + ":" + p["symbol"])'
}

# armed|disarmed: the state of every fault-path probe in debugfs (except
# mm_update_next_owner, which follows exits, and collapse_huge_page, which
# marks collapses (kretprobe), both always armed, and the
# handle_mm_fault return probe, armed only with --outcomes or --latency:
# 41-outcomes); "mixed" or "missing" otherwise.
arm_state() {
	local s k line n_on=0 n_off=0
	for s in $(fault_probes); do
		k=${s%%:*}
		s=${s#*:}
		[[ $s == mm_update_next_owner || $s == collapse_huge_page ||
			$s == handle_mm_fault ]] && continue
		if [[ $k == ftrace ]]; then
			# nothing else hooks these functions in the test VM
			if grep -q "^$s " "$enabled"; then
				n_on=$((n_on + 1))
			else
				n_off=$((n_off + 1))
			fi
			continue
		fi
		# the probe at the function's entry: the lowest offset (the
		# ledger's kprobes on calls inside the same function stay armed)
		line= best=
		# (a here-string: the guest has no /dev/fd for < <(...))
		while read -r l; do
			[[ -n $l ]] || continue
			off=$(grep -oE "$s\+0x[0-9a-f]+" <<<"$l" | head -1)
			off=$((16#${off##*+0x}))
			[[ -n $best && $off -ge $best ]] && continue
			best=$off line=$l
		done <<<"$(grep -E " ${s}\+0x[0-9a-f]+ " "$kplist")"
		if [[ -z $line ]]; then
			echo "missing:$s"
			return
		fi
		if [[ $line == *DISABLED* ]]; then
			n_off=$((n_off + 1))
		else
			n_on=$((n_on + 1))
		fi
	done
	if ((n_on && !n_off)); then echo armed
	elif ((n_off && !n_on)); then echo disarmed
	else echo "mixed ($n_on armed, $n_off disarmed)"
	fi
}

# Total hits of the probes on handle_mm_fault and below.
fault_hits() {
	faultacct status --json | python3 -c '
import json, sys
print(sum(p["hits"] for p in json.load(sys.stdin)["probes"]
          if p["symbol"] not in ("mm_update_next_owner", "collapse_huge_page",
                                 "sched_process_fork", "sched_process_exit")))'
}

want_state() {
	local want=$1 what=$2 got
	got=$(arm_state)
	echo "$name: $what: probes $got"
	[[ $got == "$want" ]] || fail "$what: probes $got, want $want"
}

# An exact run: tests/guest/lib/accuracy's anon-write, the mm's counters
# at exit as the reference.
exact_run() {
	local what=$1 out
	if out=$(tests/guest/lib/accuracy --exit-rss anon-write 1000 1 \
		pages.anon=N cause.anon=N faults.total=N faults.minor=N 2>&1); then
		echo "$name: $what: run exact"
	else
		fail "$what: run not exact: $(tail -3 <<<"$out" | tr '\n' ' ')"
	fi
}

# Hits while a workload faults; want WANT (0 or "some").
hits_during() {
	local want=$1 what=$2 h0 h1
	h0=$(fault_hits)
	fa_work anon-write 2000 >/dev/null
	fa_work file-read 256 /scratch >/dev/null 2>&1 || true
	h1=$(fault_hits)
	echo "$name: $what: $((h1 - h0)) fault-path probe hits while faulting"
	if [[ $want == 0 ]]; then
		((h1 == h0)) || fail "$what: probes hit $((h1 - h0)) times, want 0"
	else
		((h1 > h0 + 2000)) || fail "$what: probes hit only $((h1 - h0)) times"
	fi
}

# The kinds of the entry probes on the fault path (all but handle_mm_fault's).
entry_kinds() {
	faultacct status --json | python3 -c '
import json, sys
print(" ".join(sorted({p["kind"] for p in json.load(sys.stdin)["probes"]
                       if p["kind"] in ("kprobe", "ftrace")})))'
}

faultacct config --enable --filter all >/dev/null || fail "config --enable"
want_state armed "loaded, enabled"
kinds=$(entry_kinds)
echo "$name: entry probes: $kinds"
[[ $kinds == ftrace ]] || fail "entry probes are \"$kinds\", want ftrace callbacks"
hits_during some "enabled"

faultacct config --disable >/dev/null || fail "config --disable"
want_state disarmed "config --disable"
hits_during 0 "disabled"
[[ $(cat "$param") == N ]] || fail "parameter enabled reads $(cat "$param") while disabled"

# run arms them for its child, and leaves them as it found them
exact_run "run on a disabled module"
want_state disarmed "after run"

faultacct config --enable >/dev/null || fail "config --enable"
want_state armed "config --enable"
exact_run "re-enabled"

echo 0 >"$param" || fail "write 0 to $param"
want_state disarmed "parameter enabled=0"
[[ $(faultacct config --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["enabled"])') == False ]] ||
	fail "config does not show the parameter's enabled=0"
echo 1 >"$param" || fail "write 1 to $param"
want_state armed "parameter enabled=1"

# loaded disabled: registered disarmed, armed on enable
rmmod faultacct || fail "rmmod"
insmod "$ko" enabled=0 || fail "insmod enabled=0"
want_state disarmed "insmod enabled=0"
hits_during 0 "loaded disabled"
faultacct config --enable >/dev/null || fail "config --enable"
want_state armed "enabled after insmod enabled=0"
exact_run "enabled after insmod enabled=0"

# disarming and re-arming while every vCPU faults, then unload
for i in $(seq "$(nproc)"); do
	(while :; do fa_work anon-write 500 >/dev/null; done) &
done
for i in $(seq 20); do
	faultacct config --disable >/dev/null || fail "cycle $i: disable"
	faultacct config --enable >/dev/null || fail "cycle $i: enable"
done
echo "$name: 20 disarm/arm cycles under load"
kill $(jobs -p) 2>/dev/null
wait 2>/dev/null
want_state armed "after the cycles"
exact_run "after the cycles"
rmmod faultacct || fail "rmmod after the cycles"

# the same with kprobes at the entries
insmod "$ko" kprobes=1 || fail "insmod kprobes=1"
faultacct config --enable --filter all >/dev/null || fail "kprobes=1: config --enable"
kinds=$(entry_kinds)
echo "$name: kprobes=1: entry probes: $kinds"
[[ $kinds == kprobe ]] || fail "kprobes=1: entry probes are \"$kinds\", want kprobes"
want_state armed "kprobes=1"
exact_run "kprobes=1"
faultacct config --disable >/dev/null || fail "kprobes=1: config --disable"
want_state disarmed "kprobes=1, disabled"
hits_during 0 "kprobes=1, disabled"
rmmod faultacct || fail "rmmod kprobes=1"
insmod "$ko" || fail "insmod"

((failed == 0)) && echo "$name: ok"
exit $failed
