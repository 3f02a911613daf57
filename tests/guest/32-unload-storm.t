#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 50 cycles of rmmod/insmod while every vCPU faults (mmap/touch/munmap, and
# fork/exit), `faultacct watch` listens, and CONFIG requests and dumps run
# in a loop. No WARN/oops (the harness reads
# the console), no leaked module reference (refcnt 0 and rmmod works
# afterwards), and watch reports the module leaving and coming back and is
# still running, still printing records, at the end.
set -u
name=32-unload-storm
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
cycles=${FAULTACCT_STORM_CYCLES:-50}
tmp=$(mktemp -d /tmp/$name.XXXXXX)
fpid= wpid= hpid=
cleanup() {
	[[ -z $hpid ]] || kill "$hpid" 2>/dev/null
	[[ -z $fpid ]] || kill "$fpid" 2>/dev/null
	[[ -z $wpid ]] || kill "$wpid" 2>/dev/null
	wait 2>/dev/null
	[[ -d /sys/module/faultacct ]] || insmod "$ko"
}
trap cleanup EXIT
fail() {
	echo "$name: FAIL: $*"
	for f in "$tmp"/watch.err; do echo "--- $f (tail)"; tail -n 20 "$f"; done
	exit 1
}

ncpu=$(nproc)
# niced, so the CPUs stay busy faulting but rmmod/insmod (and the grace
# periods they wait for) still get their turn
nice -n 19 rel_fault "$ncpu" >"$tmp/fault.out" &
fpid=$!
faultacct watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
wpid=$!
# requests racing with the unloads: a CONFIG that puts a filter in force
# (set_filter kicks the exit work) and dumps (which pin the module)
(
	n=0
	while :; do
		rel_config mode 0 >/dev/null 2>&1
		faultacct dump >/dev/null 2>&1
		n=$((n + 1))
		echo "$n" >"$tmp/hammer.count"
	done
) &
hpid=$!
sleep 3
kill -0 "$wpid" 2>/dev/null || fail "watch did not start: $(cat "$tmp/watch.err")"
[[ -s $tmp/watch.out ]] || echo "$name: note: watch printed nothing in its first 3 s"

busy=0 done=0 t_rm=0 t_ins=0
t0=$(date +%s.%N)
for ((i = 1; i <= cycles; i++)); do
	tries=0
	a=${EPOCHREALTIME/./}
	until rmmod faultacct 2>"$tmp/rmmod.err"; do
		busy=$((busy + 1))
		tries=$((tries + 1))
		((tries < 100)) || fail "cycle $i: rmmod keeps failing: $(cat "$tmp/rmmod.err")"
		sleep 0.1
	done
	b=${EPOCHREALTIME/./}
	t_rm=$((t_rm + b - a))
	# vary the time the module is away: sometimes none, sometimes a beat
	((RANDOM % 2)) && sleep 0.$((RANDOM % 5))
	a=${EPOCHREALTIME/./}
	insmod "$ko" || fail "cycle $i: insmod failed"
	b=${EPOCHREALTIME/./}
	t_ins=$((t_ins + b - a))
	((RANDOM % 2)) && sleep 0.$((RANDOM % 5))
	done=$i
done
t1=$(date +%s.%N)
awk -v n="$name" -v c="$done" -v b="$busy" -v a="$t0" -v z="$t1" \
	-v r="$t_rm" -v s="$t_ins" \
	'BEGIN { printf "%s: %d cycles of rmmod/insmod in %.1f s (rmmod %.2f s, insmod %.2f s on average), %d rmmod retries (EBUSY)\n", n, c, z - a, r / c / 1e6, s / c / 1e6, b }'

# watch must follow the module back and keep printing
size0=$(stat -c %s "$tmp/watch.out")
sleep 4
size1=$(stat -c %s "$tmp/watch.out")
kill -0 "$wpid" 2>/dev/null || fail "watch died during the storm: $(tail -n 5 "$tmp/watch.err")"
echo "$name: watch still running; $((size1 - size0)) bytes of records in the 4 s after the last reload"
echo "$name: watch stderr: $(wc -l <"$tmp/watch.err") lines, e.g.:"
sort "$tmp/watch.err" | uniq -c | sort -rn | head -n 5
grep -qiE 'unload|gone|went away|removed|disappear|vanish|lost' "$tmp/watch.err" ||
	fail "watch's stderr never says the module went away"
grep -qiE 'back|reload|return|reappear|again|loaded' "$tmp/watch.err" ||
	fail "watch's stderr never says the module came back"
((size1 > size0)) || fail "watch printed no records after the last reload"

kill "$hpid"
wait "$hpid" 2>/dev/null
hpid=
echo "$name: $(cat "$tmp/hammer.count" 2>/dev/null || echo 0) rounds of CONFIG + dump raced with the unloads"
kill -TERM "$fpid"
wait "$fpid"
fpid=
cat "$tmp/fault.out"
kill -INT "$wpid"
wait "$wpid"
echo "$name: watch exited $? on SIGINT"
wpid=

refcnt=$(cat /sys/module/faultacct/refcnt)
echo "$name: /sys/module/faultacct/refcnt = $refcnt with no users"
[[ $refcnt == 0 ]] || fail "module refcnt $refcnt after the storm, want 0 (a leaked reference)"
rmmod faultacct || fail "rmmod after the storm"
insmod "$ko" || fail "insmod after the storm"
faultacct status >/dev/null || fail "faultacct status after the storm"
echo "$name: ok"
