#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A recycled pid never merges two processes. With pid_max lowered, a child
# writes 100 pages and exits, fillers are forked until the pid comes round
# again, and the child that gets it writes 300 pages; then the same with
# the pid reused at once (ns_last_pid). `faultacct run --json`, the exit
# records of `faultacct watch` and a `faultacct dump` taken while the second
# process lives must each show two records per pid, with different start
# times, each holding only its own pages (over the fillers' baseline).
set -u
name=35-pid-reuse
tmp=$(mktemp -d /tmp/$name.XXXXXX)
old_max=$(cat /proc/sys/kernel/pid_max)
wpid=
cleanup() {
	echo "$old_max" >/proc/sys/kernel/pid_max
	[[ -z $wpid ]] || kill "$wpid" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT
fail() { echo "$name: FAIL: $*"; exit 1; }

if echo 300 >/proc/sys/kernel/pid_max 2>/dev/null; then
	echo "$name: note: pid_max 300 was accepted"
else
	echo "$name: pid_max 300 refused (the minimum is 301 here)"
fi
echo 400 >/proc/sys/kernel/pid_max || fail "cannot set pid_max to 400"
echo "$name: pid_max $old_max -> $(cat /proc/sys/kernel/pid_max)"

faultacct watch --exit-only --format json >"$tmp/watch.out" 2>"$tmp/watch.err" &
wpid=$!
sleep 2
kill -0 "$wpid" || fail "watch did not start: $(cat "$tmp/watch.err")"

export REUSE_HOLD_CMD="faultacct dump --json -p \$REUSE_PID >$tmp/dump.\$REUSE_PID.json 2>&1"
t0=$(date +%s)
faultacct run --json -o "$tmp/run-natural.json" -- rel_reuse natural 3 >"$tmp/natural.out" ||
	fail "faultacct run -- rel_reuse natural: $(cat "$tmp/natural.out")"
faultacct run --json -o "$tmp/run-fast.json" -- rel_reuse fast 20 >"$tmp/fast.out" ||
	fail "faultacct run -- rel_reuse fast: $(cat "$tmp/fast.out")"
echo "$name: natural pid wrap: $(grep -c first_pages "$tmp/natural.out") pairs, $(grep -o '"fillers": [0-9]*' "$tmp/natural.out" | tr '\n' ' '); immediate reuse: $(grep -c first_pages "$tmp/fast.out") pairs; $(($(date +%s) - t0)) s"
echo "$old_max" >/proc/sys/kernel/pid_max
sleep 2
kill -INT "$wpid"
wait "$wpid"
wpid=

python3 - "$tmp" <<'PY'
import glob, json, os, sys

tmp = sys.argv[1]
name = "35-pid-reuse"
errors = []

def records(obj, out):
    if isinstance(obj, dict):
        if "pid" in obj and "start_time_ns" in obj and "pages" in obj:
            out.append(obj)
        for v in obj.values():
            records(v, out)
    elif isinstance(obj, list):
        for v in obj:
            records(v, out)
    return out

def load_lines(path):
    out = []
    with open(path, errors="replace") as f:
        data = f.read()
    try:
        return records(json.loads(data), out)
    except ValueError:
        pass
    for line in data.splitlines():
        try:
            records(json.loads(line), out)
        except ValueError:
            pass
    return out

def baseline(recs, parent):
    fill = sorted(r["pages"]["anon"] for r in recs
                  if r.get("ppid") == parent and r.get("comm") == "reuse_filler")
    return fill

def check(source, recs, pairs, parent):
    fill = baseline(recs, parent)
    if not fill:
        errors.append(f"{source}: no filler records (ppid {parent})")
        return
    base = fill[len(fill) // 2]
    if fill[0] != fill[-1]:
        print(f"{name}: {source}: filler baseline varies {fill[0]}..{fill[-1]}, median {base}")
    ok = 0
    for p in pairs:
        pid = p["pid"]
        same = [r for r in recs if r["pid"] == pid and r.get("ppid") == parent]
        first = [r for r in same if r.get("comm") == "reuse_first"]
        second = [r for r in same if r.get("comm") == "reuse_second"]
        if len(first) != 1 or len(second) != 1:
            errors.append(f"{source}: pid {pid}: {len(first)} first and {len(second)} second "
                          f"records, want 1 and 1 ({len(same)} records with that pid)")
            continue
        a, b = first[0], second[0]
        da = a["pages"]["anon"] - base
        db = b["pages"]["anon"] - base
        if a["start_time_ns"] >= b["start_time_ns"]:
            errors.append(f"{source}: pid {pid}: start times {a['start_time_ns']} and "
                          f"{b['start_time_ns']} (the reuser must start later)")
        elif da != p["first_pages"] or db != p["second_pages"]:
            errors.append(f"{source}: pid {pid}: first +{da} pages, second +{db} "
                          f"(want +{p['first_pages']}, +{p['second_pages']}; baseline {base})")
        else:
            ok += 1
    print(f"{name}: {source}: {ok} of {len(pairs)} reused pids kept apart exactly "
          f"(baseline {base} anon pages per child, {len(fill)} fillers)")

watch = load_lines(os.path.join(tmp, "watch.out"))
for mode in ("natural", "fast"):
    pairs, parent = [], None
    with open(os.path.join(tmp, f"{mode}.out")) as f:
        for line in f:
            d = json.loads(line)
            if "parent" in d:
                parent = d["parent"]
            else:
                pairs.append(d)
    if parent is None or not pairs:
        errors.append(f"{mode}: rel_reuse printed no pairs")
        continue
    check(f"run --json ({mode})", load_lines(os.path.join(tmp, f"run-{mode}.json")), pairs, parent)
    check(f"watch exit records ({mode})", watch, pairs, parent)
    # the live view, taken while the second process of each pair was alive
    dumps = 0
    for p in pairs:
        path = os.path.join(tmp, f"dump.{p['pid']}.json")
        if not os.path.exists(path):
            continue
        live = [r for r in load_lines(path) if r["pid"] == p["pid"]]
        if live and live[0].get("comm") != "reuse_second":
            errors.append(f"dump ({mode}) pid {p['pid']}: the live record is {live[0].get('comm')}, want reuse_second")
        dumps += 1
        if len(live) != 1:
            errors.append(f"dump ({mode}) pid {p['pid']}: {len(live)} records, want 1 (the live one)")
            continue
        fill = baseline(load_lines(os.path.join(tmp, f"run-{mode}.json")), parent)
        base = fill[len(fill) // 2] if fill else 0
        got = live[0]["pages"]["anon"]
        # alive, its writes done: its own 300 pages over the baseline, none of the first's
        if got - base != p["second_pages"]:
            errors.append(f"dump ({mode}) pid {p['pid']}: {got} anon pages live, want {p['second_pages']} over the baseline {base}")
    print(f"{name}: dump ({mode}): {dumps} live records of a reused pid checked")
for e in errors:
    print(f"{name}: FAIL: {e}")
sys.exit(1 if errors else 0)
PY
rc=$?
((rc == 0)) || exit 1
echo "$name: ok"
