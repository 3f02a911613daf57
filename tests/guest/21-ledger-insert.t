#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Pages a driver maps with vm_insert_page() at mmap() time, outside any
# fault: an AF_PACKET receive ring (build/tests/packet_ring). The kernel
# charges MM_FILEPAGES for each; on 6.1 into the task's own RSS cache
# (add_mm_counter_fast()), which the mm sees only when a later fault or
# the exit folds it, and the ledger took that fold for a fault's: the
# process did not balance. Now: site insert holds exactly the ring's pages
# (two mappings of N), no fault counts them (a ring 4 times larger changes
# no fault figure), the process balances, and the independent reference
# agrees field by field.
set -uo pipefail
py=/usr/bin/python3
work=/scratch/insert
rm -rf "$work" && mkdir -p "$work" || exit 1
fail=0
echo 0 >/proc/sys/kernel/randomize_va_space
. tests/guest/lib/reference
ref_start "$work" || exit 1
ref_at_exit "echo 2 >/proc/sys/kernel/randomize_va_space"

for n in 16 64; do
	# packet_ring is sh's child, so that the reference sees its whole life
	faultacct run --json -o "$work/r$n.json" -- \
		sh -c "packet_ring $n >/dev/null; exit \$?" >/dev/null 2>"$work/err" ||
		{ echo "FAILED - faultacct run -- packet_ring $n: $(tail -n 2 "$work/err")"; fail=1; }
done
ref_stop || fail=1
ref_check "$work"/r16.json "$work"/r64.json || fail=1

"$py" - "$work/r16.json" "$work/r64.json" <<'PY' || fail=1
import json, sys
errors = []
ring = {}
for path, n in zip(sys.argv[1:3], (16, 64)):
    procs = [p for p in json.load(open(path))["processes"] if p["comm"] == "packet_ring"]
    if len(procs) != 1:
        errors.append(f"{path}: {len(procs)} packet_ring processes in the report")
        continue
    p = ring[n] = procs[0]
    ins = p["sites"]["charged"]["insert"]
    print(f"packet_ring {n}: site insert {ins}, unmap uncharged "
          f"{p['sites']['uncharged']['unmap']}, fault pages {p['pages']}, "
          f"unexplained {p['unexplained']}")
    if ins != {"anon": 0, "file": 2 * n, "shmem": 0}:
        errors.append(f"ring of {n} pages mapped twice: site insert {ins}, want file {2 * n}")
    if p["sites"]["uncharged"]["unmap"]["file"] < n:
        errors.append(f"ring of {n} pages unmapped: unmap uncharged only "
                      f"{p['sites']['uncharged']['unmap']['file']} file pages")
    if not p["balanced"]:
        errors.append(f"packet_ring {n} did not balance: {p['unexplained']}")
if len(ring) == 2:
    for what in ("pages", "uncharged"):
        if ring[16][what] != ring[64][what]:
            errors.append(f"the ring's size changed the faults' {what}: "
                          f"{ring[16][what]} for 16 pages, {ring[64][what]} for 64")
for e in errors:
    print("FAILED -", e)
sys.exit(1 if errors else 0)
PY
[[ $fail == 0 ]] && rm -rf "$work"
exit $fail
