#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 50 cycles of rmmod/insmod while every vCPU faults (mmap/touch/munmap, and
# fork/exit) and `faultacct watch` listens. No WARN/oops (the harness reads
# the console), no leaked module reference (refcnt 0 and rmmod works
# afterwards), and watch reports the module leaving and coming back and is
# still running, still printing records, at the end.
set -u
name=32-unload-storm
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
cycles=${FAULTACCT_STORM_CYCLES:-50}
tmp=$(mktemp -d /tmp/$name.XXXXXX)
fpid= wpid=
cleanup() {
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
rel_fault "$ncpu" >"$tmp/fault.out" &
fpid=$!
faultacct watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
wpid=$!
sleep 3
kill -0 "$wpid" 2>/dev/null || fail "watch did not start: $(cat "$tmp/watch.err")"
[[ -s $tmp/watch.out ]] || echo "$name: note: watch printed nothing in its first 3 s"

busy=0 done=0
t0=$(date +%s.%N)
for ((i = 1; i <= cycles; i++)); do
	tries=0
	until rmmod faultacct 2>"$tmp/rmmod.err"; do
		busy=$((busy + 1))
		tries=$((tries + 1))
		((tries < 50)) || fail "cycle $i: rmmod keeps failing: $(cat "$tmp/rmmod.err")"
		sleep 0.1
	done
	# vary the time the module is away: sometimes none, sometimes a beat
	((RANDOM % 2)) && sleep 0.$((RANDOM % 5))
	insmod "$ko" || fail "cycle $i: insmod failed"
	((RANDOM % 2)) && sleep 0.$((RANDOM % 5))
	done=$i
done
t1=$(date +%s.%N)
awk -v n="$name" -v c="$done" -v b="$busy" -v a="$t0" -v z="$t1" \
	'BEGIN { printf "%s: %d cycles of rmmod/insmod in %.1f s, %d rmmod retries (EBUSY)\n", n, c, z - a, b }'

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
