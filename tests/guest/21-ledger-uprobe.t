#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installing a uprobe replaces the probed page of every mapping of the file
# with an anonymous copy, once per mapping of the page.
#   - Up to 6.12 __replace_page() does it, outside any fault (file -1,
#     anon +1). It was counted as a copy-on-write fault (cause cow, no file
#     uncharge). Now: no fault is counted for it, the ledger's site "other"
#     holds the move, and the process balances.
#   - 7.x has no __replace_page(): uprobe_write() breaks COW with a real
#     write fault (GUP, FOLL_WRITE), and only then writes the breakpoint.
#     That is a COW fault (anon +1 by the fault path), with nothing at
#     site "other", and the process balances.
set -uo pipefail
if grep -qE ' __replace_page$' /proc/kallsyms; then
	mode=replace
else
	mode=fault
fi
py=/usr/bin/python3
tmp=$(mktemp -d)
fail=0
echo 0 >/proc/sys/kernel/randomize_va_space

run() {	# run OUT: fa_work anon-write 100 under faultacct run
	faultacct run --json -o "$1" -- fa_work anon-write 100 >/dev/null 2>"$tmp/err" ||
		{ echo "FAILED - faultacct run: $(cat "$tmp/err")"; fail=1; }
}
run "$tmp/plain.json"
bpftrace -e "uprobe:$REPO/build/tests/fa_work:main { } BEGIN { printf(\"ready\n\"); }" >"$tmp/bt" 2>&1 &
bt=$!
for i in $(seq 300); do grep -q ready "$tmp/bt" && break; sleep 0.1; done
grep -q ready "$tmp/bt" || { echo "FAILED - bpftrace did not attach: $(cat "$tmp/bt")"; kill $bt; exit 1; }
run "$tmp/probed.json"
# stop bpftrace, and do not wait for ever for it to go
kill -INT $bt
for i in $(seq 300); do kill -0 $bt 2>/dev/null || break; sleep 0.1; done
kill -KILL $bt 2>/dev/null
wait $bt 2>/dev/null
"$py" - "$tmp/plain.json" "$tmp/probed.json" "$mode" <<'PY' || fail=1
import json, sys
plain, probed = (json.load(open(f))["processes"][0] for f in sys.argv[1:3])
mode = sys.argv[3]
errors = []
if not probed["balanced"]:
    errors.append(f"the probed process did not balance: {probed['unexplained']}")
other = (probed["sites"]["charged"]["other"]["anon"],
         probed["sites"]["uncharged"]["other"]["file"])
print(f"uprobe: site other: anon +{other[0]}, file -{other[1]}; "
      f"cause.cow {plain['cause']['cow']} without the probe, {probed['cause']['cow']} with it")
# one replacement per mapping of the probed page (two segments of the ELF
# may map it): a move from file to anon, of at least one page
cow = probed["cause"]["cow"] - plain["cause"]["cow"]
anon = probed["pages"]["anon"] - plain["pages"]["anon"]
unfile = probed["uncharged"]["file"] - plain["uncharged"]["file"]
print(f"uprobe ({mode}): fault path cow +{cow}, pages.anon +{anon}, uncharged.file +{unfile}")
if mode == "replace":
    if other[0] < 1 or other[0] != other[1]:
        errors.append(f"site other is anon +{other[0]}, file -{other[1]}, want +n, -n, n >= 1")
    if cow:
        errors.append("the uprobe's page replacement was counted as a COW fault")
    if anon:
        errors.append(f"fault pages.anon {probed['pages']['anon']} with the probe, {plain['pages']['anon']} without")
else:
    if other != (0, 0):
        errors.append(f"site other is anon +{other[0]}, file -{other[1]}: the COW is a fault's")
    # the page is not mapped yet when exec's mmap installs the probe:
    # do_cow_fault() copies it from the page cache, no file page to drop
    if cow < 1 or anon != cow:
        errors.append(f"the COW fault: cause.cow +{cow}, pages.anon +{anon}; want n, n, n >= 1")
for e in errors:
    print("FAILED -", e)
sys.exit(1 if errors else 0)
PY
echo 2 >/proc/sys/kernel/randomize_va_space
rm -rf "$tmp"
exit $fail
