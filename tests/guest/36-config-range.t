#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CONFIG's range checks, at and past each end: interval 10 and 60000 are
# taken, 9 and 60001 refused; enabled/filter/flags past their maximum
# refused. Regression test: a policy whose bound does not fit the policy's
# s16 min/max (NLA_POLICY_RANGE(NLA_U32, 10, 60000)) makes the kernel WARN
# in nla_get_range_unsigned() on the first CONFIG carrying the attribute,
# and then accepts any value; the harness fails the run on the WARN.
set -u
name=36-config-range
failed=0
fail() { echo "$name: FAIL: $*"; failed=1; }

# try WANT ARGS...: run `faultacct config ARGS`, want "ok" or "refused"
try() {
	local want=$1 out rc
	shift
	out=$(faultacct config "$@" 2>&1)
	rc=$?
	if [[ $want == ok && $rc != 0 ]]; then
		fail "config $* refused (exit $rc): $out"
	elif [[ $want == refused && $rc == 0 ]]; then
		fail "config $* accepted: $(tr '\n' ' ' <<<"$out")"
	else
		echo "$name: config $*: $want (exit $rc)"
	fi
}

try ok --interval 10
try ok --interval 60000
try ok --interval 1000
# the tool may refuse these itself; the raw requests follow
try refused --interval 9
try refused --interval 60001
for spec in "interval 9" "interval 60001" "interval 4294967295" \
	    "enabled 2" "mode 3" "flags 4" "flags 0x80000000"; do
	# shellcheck disable=SC2086  # two words on purpose
	out=$(rel_config $spec 2>&1)
	rc=$?
	echo "$name: raw $out"
	[[ $rc == 0 ]] || fail "raw CONFIG $spec: $out"
done
try ok --interval 1000
interval=$(faultacct config --json | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c.get("interval_ms", c))')
echo "$name: interval now $interval"
[[ $interval == 1000 ]] || fail "interval is $interval after the refused requests, want 1000"
((failed == 0)) && echo "$name: ok"
exit $failed
