#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nlfuzz: 100,000 generated and mutated generic netlink messages, then the
# module still answers, still tracks, and unloads and loads cleanly (the
# harness fails the run on any WARN/BUG/oops in the console log).
#
# FAULTACCT_FUZZ_SEED and FAULTACCT_FUZZ_COUNT override the seed and count;
# the seed is printed, so a failure can be replayed with
#   scripts/vm -e FAULTACCT_FUZZ_SEED=S -- tests/guest/30-nlfuzz.t
set -u
name=30-nlfuzz
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
seed=${FAULTACCT_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
count=${FAULTACCT_FUZZ_COUNT:-100000}
fail() { echo "$name: FAIL: $*"; exit 1; }

t0=$(date +%s.%N)
nlfuzz --seed "$seed" --count "$count" || fail "nlfuzz (seed $seed) exited $?"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$name" 'BEGIN { printf "%s: fuzzing took %.1f s\n", n, b - a }'

faultacct status >/tmp/$name.status 2>&1 || { cat /tmp/$name.status; fail "faultacct status after fuzzing"; }
grep -iE 'enabled|filter|interval' /tmp/$name.status | head -5
faultacct run --json -o /tmp/$name.run.json -- true || fail "faultacct run -- true exited $?"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
n = len(r["processes"])
print("'$name': faultacct run -- true: %d process(es), %d faults, lost %d" % (n, r["total"]["faults"]["total"], r["lost"]))
sys.exit(0 if n >= 1 and r["total"]["faults"]["total"] > 0 else 1)
' /tmp/$name.run.json || fail "faultacct run -- true saw no faults: $(cat /tmp/$name.run.json)"

rmmod faultacct || fail "rmmod after fuzzing"
insmod "$ko" || fail "insmod after fuzzing"
faultacct status >/dev/null || fail "faultacct status after reload"
echo "$name: ok (seed $seed, $count messages)"
