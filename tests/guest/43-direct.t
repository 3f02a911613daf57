#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The per-page probe (set_pte_range on 6.12, do_set_pte on 6.1) is an
# ftrace direct call: `faultacct status` says so, ftrace's
# enabled_functions shows the function calling straight into the module,
# and a fault-around read is counted exactly. With direct=0 it is an ftrace
# callback, as exact.
#
# A function takes one direct call only. When another module's holds it
# first (the floor module's directs=, a call that only returns), faultacct
# falls back to a callback, says so in the kernel log, and is as exact;
# once the other is gone, a reload gets the direct call again. Where the
# kernel has BTF (Debian's do; the debug kernel does not), the same with a
# BPF trampoline (bpftrace kfunc:): one cannot attach beside the module's
# direct call, which keeps counting, and one that attached first makes the
# module fall back.
set -u
name=43-direct
failed=0
fail() { echo "$name: FAIL: $*"; failed=1; }
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
floor_ko=build/tests/floor/$(uname -r)/faultacct_floor.ko
enabled=/sys/kernel/debug/tracing/enabled_functions
tmp=$(mktemp -d)
bt_pid=
cleanup() {
	[[ -z $bt_pid ]] || kill "$bt_pid" 2>/dev/null
	rmmod faultacct_floor 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

[[ -r $enabled ]] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[[ -r $enabled ]] || { echo "$name: FAIL: no $enabled"; exit 1; }
[[ -f $floor_ko ]] || { echo "$name: FAIL: no $floor_ko (make workloads)"; exit 1; }
if grep -q ' set_pte_range$' /proc/kallsyms; then
	sym=set_pte_range
else
	sym=do_set_pte
fi

# "KIND:PLACEMENT" of $sym in the module's status
placement() {
	faultacct status --json | python3 -c '
import json, sys
for p in json.load(sys.stdin)["probes"]:
    if p["symbol"] == sys.argv[1]:
        print(p["kind"] + ":" + p["placement"])' "$sym"
}

# what ftrace calls directly from $sym's entry ("" if nothing)
direct_target() {
	grep -A1 "^$sym " "$enabled" | sed -n 's/.*direct-->\([^+]*\).*/\1/p'
}

exact_read() {
	local what=$1 out
	if out=$(tests/guest/lib/accuracy --exit-rss file-read 1024 1 pages.file=N \
		'cause.read<=N//8' 'faults.total<=N//8' 'faults.minor<=N//8' 2>&1); then
		echo "$name: $what: fault-around read exact"
	else
		fail "$what: fault-around read not exact: $(tail -3 <<<"$out" | tr '\n' ' ')"
	fi
}

reload() {
	[[ ! -d /sys/module/faultacct ]] || rmmod faultacct || fail "rmmod"
	insmod "$ko" "$@" || fail "insmod $*"
}

want_placement() {
	local want=$1 what=$2 p t
	p=$(placement)
	t=$(direct_target)
	echo "$name: $what: $sym is $p; ftrace calls ${t:-nothing} directly"
	[[ $p == "$want" ]] || fail "$what: $sym is $p, want $want"
	if [[ $want == ftrace:direct ]]; then
		[[ $t == "${sym}_direct" ]] ||
			fail "$what: $sym's entry calls \"$t\" directly, want ${sym}_direct"
	else
		[[ $t != "${sym}_direct" ]] || fail "$what: $sym's entry still calls ${sym}_direct"
	fi
}

# Another direct call holds $sym first: the module falls back, logs it,
# counts exactly, and leaves the other one in place.
fallback() {
	local what=$1 other=$2
	dmesg -C
	reload
	want_placement ftrace:ftrace "beside $what"
	dmesg | grep -q "no direct call on $sym" ||
		fail "beside $what: no \"no direct call on $sym\" in the kernel log"
	exact_read "beside $what"
	rmmod faultacct || fail "rmmod beside $what"
	[[ $(direct_target) == $other ]] ||
		fail "beside $what: after rmmod, $sym's entry calls \"$(direct_target)\" directly, want $other"
}

# default: a direct call
reload
want_placement ftrace:direct "default"
exact_read "direct call"

# direct=0: a callback
reload direct=0
want_placement ftrace:ftrace "direct=0"
exact_read "direct=0"

# another module's direct call first
rmmod faultacct || fail "rmmod"
insmod "$floor_ko" directs="$sym" || fail "insmod $floor_ko directs=$sym"
[[ $(direct_target) == floor_direct ]] ||
	fail "the floor module's direct call is not on $sym: \"$(direct_target)\""
fallback "the floor module's direct call" floor_direct
rmmod faultacct_floor || fail "rmmod faultacct_floor"
reload
want_placement ftrace:direct "after the floor module"
exact_read "direct call again"

# a BPF trampoline, where the kernel has BTF for bpftrace's kfunc:
if [[ ! -e /sys/kernel/btf/vmlinux ]]; then
	echo "$name: no /sys/kernel/btf/vmlinux: no BPF trampoline can be placed here, that part not run"
else
	if timeout 600 bpftrace -e "kfunc:$sym { @n = count(); } interval:s:1 { exit(); }" \
		>"$tmp/bt.out" 2>&1; then
		fail "bpftrace kfunc:$sym attached beside the module's direct call"
	else
		echo "$name: bpftrace kfunc:$sym beside the direct call: exit $?, $(grep -m1 -i 'error' "$tmp/bt.out")"
	fi
	want_placement ftrace:direct "after bpftrace's attempt"
	exact_read "direct call, after bpftrace's attempt"

	rmmod faultacct || fail "rmmod"
	bpftrace -e "kfunc:$sym { @n = count(); }" >"$tmp/bt.out" 2>&1 &
	bt_pid=$!
	for ((i = 0; i < 1200; i++)); do
		t=$(direct_target)
		[[ -z $t ]] || break
		kill -0 "$bt_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [[ $t != bpf_trampoline* ]]; then
		fail "bpftrace kfunc:$sym did not attach: $(tail -3 "$tmp/bt.out" | tr '\n' ' ')"
	else
		fallback "a BPF trampoline" "bpf_trampoline*"
	fi
	kill "$bt_pid" 2>/dev/null
	wait "$bt_pid" 2>/dev/null
	bt_pid=
	reload
	want_placement ftrace:direct "after bpftrace"
fi

((failed == 0)) && echo "$name: ok"
exit $failed
