#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real Debian programs under `faultacct run`, not workloads of ours: every
# process of each must balance, its exit record's ledger against the
# kernel's own counters (unexplained 0 for anon, file and shmem), and the
# module's count of unbalanced exits must stay 0. Between them they take
# the paths outside faults: fork and exec (make, gcc, the shell), vfork
# (dash runs commands that way), posix_spawn (python), munmap and exit
# (everyone), reclaim and swap-in (a program squeezed by a memory cgroup
# with swap), swapoff under a process whose pages are out, and
# compaction's migration.
set -uo pipefail

py=/usr/bin/python3
work=/scratch/ledger
failed=0
rm -rf "$work" && mkdir -p "$work" || exit 1
# THP only where asked for (MADV_COLLAPSE still collapses): khugepaged's
# background collapses, zeroing 2 MiB at a time under emulation beside
# bpftrace, once stalled RCU for 21 s (a splat fails the harness). No THP
# at all on PREEMPT_RT kernels.
thp=/sys/kernel/mm/transparent_hugepage/enabled
if [[ -f $thp ]]; then
	thp_old=$(sed 's/.*\[\(.*\)\].*/\1/' "$thp")
	echo madvise >"$thp"
	trap 'echo "$thp_old" >"$thp"' EXIT
fi

# check NAME CMD...: run CMD under faultacct run; every process balanced
check() {
	local name=$1
	shift
	if ! faultacct run --json -o "$work/r.json" -- "$@" >"$work/out" 2>&1; then
		echo "FAILED - $name: faultacct run -- $* failed: $(tail -n 3 "$work/out")"
		failed=1
		return
	fi
	if "$py" - "$name" "$work/r.json" <<'PY'; then
import json, sys
name, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
procs = r["processes"]
bad = [p for p in procs
       if p.get("unexplained") is None or any(p["unexplained"].values())]
sites = {}
for p in procs:
    for way in ("charged", "uncharged"):
        for s, v in p["sites"][way].items():
            if sum(v.values()):
                sites[(way, s)] = sites.get((way, s), 0) + sum(v.values())
used = ", ".join(f"{w} {s} {n}" for (w, s), n in sorted(sites.items()))
if not r["complete"] or not procs:
    print(f"FAILED - {name}: report incomplete ({len(procs)} processes, lost {r['lost']})")
    sys.exit(1)
for p in bad:
    print(f"  pid {p['pid']} {p['comm']}: unexplained {p.get('unexplained')}, "
          f"rss {p['rss']}, opening {p['opening']}")
if bad:
    print(f"FAILED - {name}: {len(bad)} of {len(procs)} processes did not balance")
    sys.exit(1)
print(f"ok - {name}: {len(procs)} processes, every one balanced ({used})")
PY
		:
	else
		failed=1
	fi
}

# a make + gcc build of a few files
for i in 1 2 3; do
	printf 'int f%d(int x) { return x * %d; }\n' "$i" "$i" >"$work/f$i.c"
done
printf 'int f1(int), f2(int), f3(int);\nint main(void) { return f1(1) + f2(2) + f3(3) - 14; }\n' \
	>"$work/main.c"
printf 'prog: main.o f1.o f2.o f3.o\n\tgcc -o $@ $^\n%%.o: %%.c\n\tgcc -O2 -c $<\n' \
	>"$work/Makefile"
check "make -j2 with gcc" make -s -j2 -C "$work"
"$work/prog" || { echo "FAILED - the program make built does not run"; failed=1; }

check "python3" "$py" -c 'import json, re, collections; print(len(json.dumps(collections.Counter(re.findall("[a-z]+", open("/etc/services").read())))))'

git_env=(env HOME="$work" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t)
check "git init, add, commit, log" "${git_env[@]}" sh -c \
	"cd $work && git init -q repo && cd repo && cp ../*.c . && git add . && git commit -qm one && git log --oneline >/dev/null && git gc -q"

check "a shell pipeline" sh -c 'seq 1 20000 | sort -r | uniq | grep -c 7 >/dev/null'

check "posix_spawn (python)" "$py" -c 'import os; pid = os.posix_spawn("/bin/true", ["true"], os.environ); os.waitpid(pid, 0)'

# memory pressure with swap: 64 MiB written twice in a 24 MiB cgroup
swap=$work/swapfile
if dd if=/dev/zero of="$swap" bs=1M count=96 status=none && chmod 600 "$swap" &&
	mkswap -q "$swap" >/dev/null && swapon "$swap"; then
	cg=/sys/fs/cgroup/faultacct-ledger
	grep -qw memory /sys/fs/cgroup/cgroup.subtree_control ||
		echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "$cg"
	echo 24M >"$cg/memory.max"
	check "64 MiB under a 24 MiB memory.max, with swap" sh -c \
		"echo \$\$ > $cg/cgroup.procs && exec $py -c 'b = bytearray(64 << 20)
for i in range(0, len(b), 4096): b[i] = 1
print(sum(b[::4096]))'"
	if grep -q "^pswpout [1-9]" /proc/vmstat && grep -q "^pswpin [1-9]" /proc/vmstat; then
		echo "ok - pages were swapped out and in: $(grep -E '^psw(pin|pout)' /proc/vmstat | tr '\n' ' ')"
	else
		echo "FAILED - nothing was swapped out and in: the pressure test tested nothing"
		failed=1
	fi
	# swapoff under a process whose pages are out: unuse_pte() brings
	# them back outside any fault (site swapoff)
	check "swapoff under a process with swapped-out pages" sh -c \
		"echo \$\$ > $cg/cgroup.procs && { $py -c 'import time; b = bytearray(48 << 20)
for i in range(0, len(b), 4096): b[i] = 1
time.sleep(6)' & } && sleep 4 && echo max > $cg/memory.max && swapoff $swap && wait"
	if grep -q '"swapoff": {"anon": [1-9]' "$work/r.json" ||
		"$py" -c 'import json, sys; r = json.load(open(sys.argv[1]))
sys.exit(0 if sum(p["sites"]["charged"]["swapoff"]["anon"] for p in r["processes"]) else 1)' "$work/r.json"; then
		echo "ok - swapoff brought pages back into the ledger (site swapoff)"
	else
		echo "FAILED - no page came back through swapoff: the test tested nothing"
		failed=1
	fi
	echo $$ >/sys/fs/cgroup/cgroup.procs
	rmdir "$cg"
	swapoff "$swap" 2>/dev/null
else
	echo "FAILED - could not make a swap file on /scratch"
	failed=1
fi

# compaction migrates pages of a live process while it holds them
check "compaction under a live process" sh -c \
	"$py -c 'import time; b = bytearray(32 << 20); b[::4096] = b\"x\" * (len(b) // 4096); time.sleep(2)' &
	sleep 1; echo 1 > /proc/sys/vm/compact_memory; wait"

unbalanced=$(faultacct status --json | "$py" -c 'import json, sys; print(json.load(sys.stdin)["unbalanced"])')
if [[ $unbalanced == 0 ]]; then
	echo "ok - faultacct status: 0 exited processes unbalanced"
else
	echo "FAILED - faultacct status: $unbalanced exited processes unbalanced"
	failed=1
fi
rm -rf "$work"
exit $failed
