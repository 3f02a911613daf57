#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm --module loads any .ko before the command, and a kernel
# warning fails the run (panic_on_warn) with the WARNING line as the
# reason, whatever the command's status.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# a kernel whose headers the host can build against (not a 7.x one,
# which builds in scripts/kernels' Debian 13 root)
kver=$(scripts/vm --kernel 6.12 --print-kver) || exit 1
dir=$PWD/build/kmod-harness/$kver
mkdir -p "$dir"
cp tests/kmod-harness/Kbuild tests/kmod-harness/*.c "$dir/"
if ! make -s -C "/lib/modules/$kver/build" M="$dir" modules >"$tmp/build" 2>&1; then
	echo "cannot build tests/kmod-harness for $kver:"
	cat "$tmp/build"
	exit 1
fi

scripts/vm --kernel "$kver" --module "$dir/fa_harness_ok.ko" -- test -d /sys/module/fa_harness_ok \
	>"$tmp/ok.out" 2>&1 &
ok_pid=$!
scripts/vm --kernel "$kver" --module "$dir/fa_harness_warn.ko" -- echo survived \
	>"$tmp/warn.out" 2>"$tmp/warn.err" &
warn_pid=$!
ok_rc=0
wait $ok_pid || ok_rc=$?
warn_rc=0
wait $warn_pid || warn_rc=$?

fail=0
if [[ $ok_rc == 0 ]]; then
	echo "fa_harness_ok.ko: loaded"
else
	echo "fa_harness_ok.ko: exit $ok_rc"
	cat "$tmp/ok.out"
	fail=1
fi
if [[ $warn_rc == 125 ]] && grep -q 'kernel splat: .*WARNING:' "$tmp/warn.err" &&
	! grep -q survived "$tmp/warn.out"; then
	echo "fa_harness_warn.ko: $(grep 'kernel splat' "$tmp/warn.err")"
else
	echo "fa_harness_warn.ko: exit $warn_rc (want 125 and a WARNING splat), stdout:"
	cat "$tmp/warn.out"
	echo "stderr:"
	cat "$tmp/warn.err"
	fail=1
fi
exit $fail
