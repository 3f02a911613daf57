#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fill the tracked-process table past its size (max_procs=256) with sleeping
# processes that each faulted once: the overflow is counted, the module's
# memory does not grow (all slots are allocated at load), nothing crashes,
# and the table recovers when they exit: used goes back down and new
# processes are tracked again. The module is reloaded with its default
# parameters at the end.
set -u
name=34-table-overflow
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
size=${FAULTACCT_TABLE_SIZE:-256}
nproc=$((size * 3 / 2 + 16))
tmp=$(mktemp -d /tmp/$name.XXXXXX)
hpid=
h2=
cleanup() {
	[[ -z $hpid ]] || kill "$hpid" 2>/dev/null
	[[ -z $h2 ]] || kill "$h2" 2>/dev/null
	wait 2>/dev/null
	if ! grep -q "^$default_size\$" /sys/module/faultacct/parameters/max_procs 2>/dev/null; then
		rmmod faultacct 2>/dev/null
		insmod "$ko"
	fi
}
default_size=
trap cleanup EXIT
fail() { echo "$name: FAIL: $*"; exit 1; }
# a failed check that lets the rest of the test run (and print its figures)
failed=0
soft_fail() { echo "$name: FAIL: $*"; failed=1; }

# status FIELD...: the values of top-level fields of `faultacct status --json`.
# Through a file, not a pipe: python3 is forked after faultacct has read the
# counters, every time, so that each call's own processes (the command
# substitution's subshell, faultacct, python3: the table is full, each one
# adds to table_overflow) fall on the same side of its reading.
status() {
	faultacct status --json >"$tmp/status.json" || return
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(" ".join(str(s.get(k, -1)) for k in sys.argv[2:]))' "$tmp/status.json" "$@"
}
# KiB of vmalloc space the module holds (its table lives there)
vmalloc_kb() {
	awk '/\[faultacct\]/ { s += $2 } END { printf "%d\n", s / 1024 }' /proc/vmallocinfo
}
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
# the tracked pids whose ppid is $1, from a dump
tracked_children() {
	faultacct dump --json | python3 -c '
import json, sys
ppid = int(sys.argv[1])
pids = set()
def walk(o):
    if isinstance(o, dict):
        if "pid" in o and o.get("ppid") == ppid:
            pids.add(o["pid"])
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
data = sys.stdin.read()
try:
    walk(json.loads(data))
except ValueError:
    for line in data.splitlines():
        if line.strip():
            walk(json.loads(line))
print(len(pids))' "$1"
}
# hold_wait FILE: until rel_hold's "ready" is in FILE, 60 s at most. With
# shell builtins only (the fifo on fd 9 never has data): a sleep or grep
# forked while the table fills would be tracked, exit, and free its slot
# after the table is full, which nothing would take again.
hold_wait() {
	local line= k

	for ((k = 0; k < 600; k++)); do
		read -r line <"$1"
		[[ $line == *ready* ]] && return 0
		read -r -t 0.1 -u 9 _
	done
	return 1
}
# start_hold N: rel_hold N, ready, its pid in hpid. Each call has its own
# output file, created before rel_hold starts: with one file, the wait
# could read the last call's "ready" before the new rel_hold's redirection
# truncated it, and go on while it still forked.
nhold=0
start_hold() {
	hout=$tmp/hold$((++nhold)).out
	: >"$hout"
	rel_hold "$1" >"$hout" &
	hpid=$!
	hold_wait "$hout" || fail "rel_hold $1 never got ready"
}
stop_hold() {
	kill -TERM "$hpid"
	wait "$hpid"
	hpid=
}

mkfifo "$tmp/tick"
exec 9<>"$tmp/tick"
read -r default_size _ <<<"$(status table_size)"
echo "$name: default table: $default_size slots"
vm_default=$(vmalloc_kb)
rmmod faultacct || fail "rmmod"
vm_none=$(vmalloc_kb)
insmod "$ko" max_procs="$size" || fail "insmod max_procs=$size"
vm_small=$(vmalloc_kb)
read -r tsize used0 over0 bpp untr0 <<<"$(status table_size table_used table_overflow bytes_per_proc untracked_faults)"
echo "$name: max_procs=$size: table_size $tsize, used $used0, overflow $over0, $bpp bytes per slot (status)"
echo "$name: module vmalloc: $vm_none KiB unloaded, $vm_small KiB with $size slots, $vm_default KiB with $default_size slots"
[[ $tsize == "$size" ]] || fail "table_size $tsize, want $size"
echo "$name: $((size * bpp / 1024)) KiB by status ($size x $bpp), $((vm_small - vm_none)) KiB vmalloc measured"

slab_a=$(slab_kb)
start_hold "$nproc"
cat "$hout"
read -r used1 over1 untr1 <<<"$(status table_used table_overflow untracked_faults)"
tracked=$(tracked_children "$hpid")
vm_full=$(vmalloc_kb)
slab_b=$(slab_kb)
echo "$name: with $nproc sleepers: used $used1/$tsize, $tracked of the sleepers tracked, overflow +$((over1 - over0)), untracked faults +$((untr1 - untr0))"
echo "$name: module vmalloc $vm_full KiB (was $vm_small); slab +$((slab_b - slab_a)) KiB for $nproc processes (their own task/mm structures included)"
((used1 == tsize)) || fail "table_used $used1 with $nproc sleepers, want $tsize (full)"
# table_overflow counts processes (UAPI: "processes that could not be
# tracked"): at least the untracked sleepers
missed=$((nproc - tracked))
((over1 - over0 >= missed)) || fail "overflow grew by $((over1 - over0)), but $missed sleepers are untracked"

# One count per process, measured in a quiet moment of the full table:
# the cost of a status call itself (c), then 51 new processes (rel_hold 50
# and its children), waited for with shell builtins only.
read -r o1 <<<"$(status table_overflow)"
read -r o2 <<<"$(status table_overflow)"
c=$((o2 - o1))
: >"$tmp/hold50.out"
rel_hold 50 >"$tmp/hold50.out" &
h2=$!
hold_wait "$tmp/hold50.out" || fail "rel_hold 50 never got ready"
read -r o3 <<<"$(status table_overflow)"
kill -TERM "$h2"
wait "$h2"
h2=
extra=$((o3 - o2 - c))
echo "$name: table full: a status call adds $c to overflow; 51 new processes added $extra"
((extra >= 51)) || soft_fail "51 processes that found the table full added only $extra to table_overflow"
((extra <= 51 + 3)) || soft_fail "51 processes that found the table full added $extra to table_overflow: it counts a process more than once"
((untr1 > untr0)) || fail "untracked_faults did not grow"
((vm_full == vm_small)) || fail "the module's vmalloc use grew from $vm_small to $vm_full KiB"
dmesg_over=$(dmesg | grep -ci 'faultacct.*\(full\|overflow\)')
echo "$name: $dmesg_over console lines about the full table"

stop_hold
# the slots come back after exit records go out and a grace period passes
for ((k = 0; k < 100; k++)); do
	read -r used2 <<<"$(status table_used)"
	((used2 <= used0 + 8)) && break
	sleep 0.2
done
echo "$name: after the sleepers exited: used $used2 (before them: $used0), $((k * 200)) ms"
((used2 <= used0 + 8)) || fail "table_used still $used2 after the sleepers exited (was $used0)"
read -r over2 <<<"$(status table_overflow)"

start_hold 20
tracked=$(tracked_children "$hpid")
read -r used3 over3 <<<"$(status table_used table_overflow)"
stop_hold
echo "$name: 20 new sleepers: $tracked tracked, used $used3, overflow +$((over3 - over2))"
((tracked == 20)) || fail "only $tracked of 20 new processes tracked after recovery"
((over3 == over2)) || fail "overflow still grows ($over2 -> $over3) with free slots"

rmmod faultacct || fail "rmmod"
insmod "$ko" || fail "insmod with default parameters"
read -r tsize <<<"$(status table_size)"
[[ $tsize == "$default_size" ]] || fail "table_size $tsize after reload, want $default_size"
((failed == 0)) || exit 1
echo "$name: ok"
