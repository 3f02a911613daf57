#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 10,000 short-lived processes (each writes 4 pages and exits) while
# `faultacct watch --exit-only --format json` listens with default settings:
# every one of them must arrive as an exit record. Prints received/missed,
# the losses the tool and the module report, and the time taken.
set -u
name=33-exit-flood
n=${FAULTACCT_FLOOD_N:-10000}
tmp=$(mktemp -d /tmp/$name.XXXXXX)
wpid=
trap '[[ -z $wpid ]] || kill $wpid 2>/dev/null; wait 2>/dev/null' EXIT
fail() { echo "$name: FAIL: $*"; tail -n 5 "$tmp/watch.err"; exit 1; }

# exit records in FILE whose ppid is PID (any JSON layout: every object
# with pid and ppid, however nested)
count_children() {
	python3 - "$1" "$2" <<'PY'
import json, sys
path, ppid = sys.argv[1], int(sys.argv[2])
pids = set()
dups = 0
def walk(o):
    global dups
    if isinstance(o, dict):
        if "pid" in o and "ppid" in o and o["ppid"] == ppid:
            key = (o["pid"], o.get("start_time_ns"))
            if key in pids:
                dups += 1
            pids.add(key)
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
with open(path, errors="replace") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        try:
            walk(json.loads(line))
        except ValueError:
            pass
print(len(pids), dups)
PY
}

status_field() {
	faultacct status --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], -1))' "$1"
}

dropped0=$(status_field msgs_dropped)
faultacct watch --exit-only --format json >"$tmp/watch.out" 2>"$tmp/watch.err" &
wpid=$!

# ready when a canary's exit record comes through
ready=0
for ((try = 0; try < 30 && !ready; try++)); do
	cpid=$(rel_flood 1 | sed -n 's/^rel_flood: pid //p')
	for ((k = 0; k < 20; k++)); do
		read -r got _ <<<"$(count_children "$tmp/watch.out" "$cpid")"
		if ((got == 1)); then ready=1; break; fi
		sleep 0.1
	done
done
((ready)) || fail "watch never showed a canary's exit record"

t0=$(date +%s.%N)
rel_flood "$n" 100 >"$tmp/flood.out" || fail "rel_flood failed"
t1=$(date +%s.%N)
fpid=$(sed -n 's/^rel_flood: pid //p' "$tmp/flood.out")
cat "$tmp/flood.out"

# wait until all arrived, or no line came for 5 s (line counts are cheap;
# the JSON is read only when enough lines are there)
lines=-1 quiet=0
while ((quiet < 50)); do
	now=$(wc -l <"$tmp/watch.out")
	if ((now >= n)); then
		read -r got dups <<<"$(count_children "$tmp/watch.out" "$fpid")"
		((got >= n)) && break
	fi
	if ((now == lines)); then quiet=$((quiet + 1)); else quiet=0; lines=$now; fi
	sleep 0.1
done
t2=$(date +%s.%N)
kill -INT "$wpid"
wait "$wpid"
wrc=$?
wpid=
read -r got dups <<<"$(count_children "$tmp/watch.out" "$fpid")"
dropped1=$(status_field msgs_dropped)
missed=$((n - got))

awk -v n="$name" -v a="$t0" -v b="$t1" -v c="$t2" \
	'BEGIN { printf "%s: flood %.1f s, last record %.1f s after the flood ended\n", n, b - a, c - b }'
echo "$name: received $got of $n exit records, missed $missed, duplicates $dups"
echo "$name: module msgs_dropped: $dropped0 -> $dropped1 (+$((dropped1 - dropped0)))"
echo "$name: watch exit status $wrc; its stderr:"
head -n 10 "$tmp/watch.err"
((dups == 0)) || fail "$dups duplicate exit records"
if ((missed != 0)); then
	lossline=$(grep -ciE 'lost|miss|gap|drop' "$tmp/watch.err")
	fail "missed $missed exit records (watch reported loss on $lossline stderr lines; module dropped $((dropped1 - dropped0)))"
fi
echo "$name: ok"
