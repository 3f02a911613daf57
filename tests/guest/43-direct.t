#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The per-page probe (set_pte_range on 6.12, do_set_pte on 6.1) is an
# ftrace direct call: `faultacct status` says so, ftrace's
# enabled_functions shows the function calling straight into the module,
# and a fault-around read is counted exactly. With direct=0 it is an ftrace
# callback, as exact. A function takes one direct call only: while the
# module holds it, a BPF fentry program (bpftrace kfunc:) cannot attach
# there, and the module keeps counting; when such a program holds it first,
# the module falls back to a callback, says so in the kernel log, and is
# still exact; once the program is gone, the module gets it again.
set -u
name=43-direct
failed=0
fail() { echo "$name: FAIL: $*"; failed=1; }
ko=${FAULTACCT_VM_MODULE:-build/kmod/$(uname -r)/faultacct.ko}
enabled=/sys/kernel/debug/tracing/enabled_functions
tmp=$(mktemp -d)
bt_pid=
cleanup() {
	[[ -z $bt_pid ]] || kill "$bt_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

[[ -r $enabled ]] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[[ -r $enabled ]] || { echo "$name: FAIL: no $enabled"; exit 1; }
if grep -q ' set_pte_range$' /proc/kallsyms; then
	sym=set_pte_range
else
	sym=do_set_pte
fi

# placement of $sym in the module's status ("direct", "ftrace", ...)
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

# default: a direct call
reload
p=$(placement)
t=$(direct_target)
echo "$name: $sym: $p, ftrace calls ${t:-nothing} directly"
[[ $p == ftrace:direct ]] || fail "$sym is $p, want ftrace:direct"
[[ $t == "${sym}_direct" ]] || fail "$sym's entry calls \"$t\" directly, want ${sym}_direct"
exact_read "direct call"

# while the module holds the direct call, a BPF fentry program cannot
# attach (bpftrace fails, and exits; had it attached, it would exit 0)
if timeout 600 bpftrace -e "kfunc:$sym { @n = count(); } interval:s:1 { exit(); }" \
	>"$tmp/bt.out" 2>&1; then
	fail "bpftrace kfunc:$sym attached beside the module's direct call"
else
	echo "$name: bpftrace kfunc:$sym beside the direct call: exit $?, $(grep -m1 -i 'error\|fail\|busy' "$tmp/bt.out")"
fi
[[ $(direct_target) == "${sym}_direct" ]] ||
	fail "after bpftrace's attempt, $sym's entry calls \"$(direct_target)\" directly"
exact_read "direct call, after bpftrace's attempt"

# direct=0: a callback
reload direct=0
p=$(placement)
t=$(direct_target)
echo "$name: direct=0: $sym: $p, ftrace calls ${t:-nothing} directly"
[[ $p == ftrace:ftrace ]] || fail "direct=0: $sym is $p, want ftrace:ftrace"
[[ -z $t ]] || fail "direct=0: $sym's entry still calls $t directly"
exact_read "direct=0"

# a BPF trampoline holds the direct call first: the module falls back
rmmod faultacct || fail "rmmod"
bpftrace -e "kfunc:$sym { @n = count(); }" >"$tmp/bt.out" 2>&1 &
bt_pid=$!
for ((i = 0; i < 1200; i++)); do
	t=$(direct_target)
	[[ -z $t ]] || break
	kill -0 "$bt_pid" 2>/dev/null || break
	sleep 0.1
done
echo "$name: bpftrace kfunc:$sym: ftrace calls ${t:-nothing} directly"
if [[ $t != bpf_trampoline* ]]; then
	fail "bpftrace kfunc:$sym did not attach: $(tail -3 "$tmp/bt.out" | tr '\n' ' ')"
else
	dmesg -C
	reload
	p=$(placement)
	echo "$name: with a BPF trampoline on $sym: $p"
	[[ $p == ftrace:ftrace ]] || fail "with a BPF trampoline on $sym: $p, want ftrace:ftrace"
	dmesg | grep -q "no direct call on $sym" ||
		fail "no \"no direct call on $sym\" in the kernel log: $(dmesg | tail -3 | tr '\n' ' ')"
	exact_read "beside a BPF trampoline"
	[[ $(direct_target) == bpf_trampoline* ]] ||
		fail "the BPF trampoline lost $sym's direct call"
	rmmod faultacct || fail "rmmod beside the BPF trampoline"
	[[ $(direct_target) == bpf_trampoline* ]] ||
		fail "rmmod took $sym's direct call from the BPF trampoline"
fi
kill "$bt_pid" 2>/dev/null
wait "$bt_pid" 2>/dev/null
bt_pid=

# the BPF program gone, the direct call is the module's again
reload
p=$(placement)
[[ $p == ftrace:direct ]] || fail "after bpftrace: $sym is $p, want ftrace:direct"
exact_read "direct call again"

((failed == 0)) && echo "$name: ok"
exit $failed
