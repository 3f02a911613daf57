#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The unit tests again, built with AddressSanitizer and UBSan: any report
# (or a failed test) fails this.
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make -s -C user O="$PWD/build" unit-asan >"$log" 2>&1; then
	tail -n 40 "$log"; exit 1
fi
if grep -qE 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$log"; then
	grep -E -A5 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$log" | head -n 40; exit 1
fi
grep -E '^\[  PASSED  \]' "$log" | awk '{ n += $4 } END { print "unit-asan: " n " tests passed under ASan and UBSan" }'
