#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm boots each supported kernel series (two VMs at once), runs the
# command with its arguments intact, and hands back its stdout, stderr and
# exit status separately. FAULTACCT_KERNELS (set by make check KERNELS=...)
# narrows the series.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

read -r -a series <<<"${FAULTACCT_KERNELS:-6.1 6.12 7.2 7.3 7.3-rt}"
series=("${series[@]%%=*}")	# scripts/check's KERNEL=PATTERNS
for s in "${series[@]}"; do
	(
		# shellcheck disable=SC2016  # literal on purpose
		scripts/vm --kernel "$s" --no-module -- bash -c \
			'uname -r; printf "[%s]" "$@"; echo; echo to-stderr >&2; exit 7' \
			argv0 'a b' "c'd" '$HOME' '*' >"$tmp/$s.out" 2>"$tmp/$s.err"
		echo $? >"$tmp/$s.rc"
	) &
done
wait

fail=0
for s in "${series[@]}"; do
	if ! kver=$(scripts/vm --kernel "$s" --print-kver); then
		echo "$s: no such kernel installed"
		fail=1
		continue
	fi
	# 7.3 is 7.3.N+debM-amd64; 7.3-rt is 7.3.N+debM-rt-amd64
	case $s:$kver in
	*-rt:"${s%-rt}".*-rt-amd64) ;;
	*-rt:*) echo "$s: --kernel $s resolved to $kver"; fail=1 ;;
	*:*-rt-*|*:*-cloud-*) echo "$s: --kernel $s resolved to $kver, another flavour"; fail=1 ;;
	"$s:$s".*|"$s:$s"-*) ;;
	*) echo "$s: --kernel $s resolved to $kver"; fail=1 ;;
	esac
	expected=$(printf '%s\n%s' "$kver" "[a b][c'd][\$HOME][*]")
	if [[ $(<"$tmp/$s.out") != "$expected" ]]; then
		echo "$s: stdout differs; expected:"; echo "$expected"; echo "got:"; cat "$tmp/$s.out"
		fail=1
	fi
	if [[ $(<"$tmp/$s.err") != to-stderr ]]; then
		echo "$s: stderr differs; got:"; cat "$tmp/$s.err"
		fail=1
	fi
	if [[ $(<"$tmp/$s.rc") != 7 ]]; then
		echo "$s: exit status $(<"$tmp/$s.rc"), expected 7"
		fail=1
	fi
	[[ $fail == 1 ]] || echo "$s: $kver boots; stdout, stderr, argv and exit status come through"
done
exit $fail
