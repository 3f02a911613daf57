#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The YNL spec is a working description of the family: the kernel's own YNL
# client (tools/net/ynl/cli.py of linux-source-6.12, with the kernel's
# genetlink-c schema) drives the module with nothing but
# include/uapi/faultacct.yaml.
set -euo pipefail
ynl=(/usr/bin/python3 build/ynl/tools/net/ynl/cli.py --spec include/uapi/faultacct.yaml
	--schema build/ynl/Documentation/netlink/genetlink-c.yaml)
fail=0
check() {
	local what=$1 pattern=$2 out=$3
	# (a match, not grep -q: grep stopping early would SIGPIPE this shell)
	if [[ $out == *"$pattern"* ]]; then
		echo "ynl: $what: ok"
	else
		echo "ynl: $what: '$pattern' not in:"; sed 's/^/    /' <<<"$out" | head -n 20
		fail=1
	fi
}

out=$("${ynl[@]}" --do status)
check "status names the kernel" "'release': '$(uname -r)'" "$out"
check "status lists the fault probe" "'symbol': 'handle_mm_fault'" "$out"
check "status carries the config" "'filter-mode': 'all'" "$out"

out=$("${ynl[@]}" --dump get)
check "dump has init" "'tgid': 1," "$out"
check "dump has the nested counters" "'pages': {'anon':" "$out"

out=$("${ynl[@]}" --do get --json '{"tgid": 1}')
check "get one process" "'comm': 'busybox'" "$out"

out=$("${ynl[@]}" --do config --json '{"config": {"interval-ms": 500}}')
check "config replies with the new interval" "'interval-ms': 500" "$out"
out=$("${ynl[@]}" --do config --json '{"config": {"interval-ms": 1000}}')
check "config restores the interval" "'interval-ms': 1000" "$out"

if out=$("${ynl[@]}" --do config --json '{"config": {"interval-ms": 5}}' 2>&1); then
	echo "ynl: an interval of 5 ms was accepted"; fail=1
fi
check "out-of-range interval refused with extack" "'bad-attr': '.config.interval-ms'" "$out"
exit $fail
