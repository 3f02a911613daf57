#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm fails closed: a failing command, a timeout and a missing
# module all give a non-zero status and say why.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() {
	local what=$1 want_rc=$2 want_err=$3
	shift 3
	local rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [[ $rc != "$want_rc" ]] || { [[ -n $want_err ]] && ! grep -q -- "$want_err" "$tmp/err"; }; then
		echo "$what: exit $rc (want $want_rc), stderr:"
		cat "$tmp/err"
		fail=1
	else
		echo "$what: exit $rc${want_err:+, $(head -n1 "$tmp/err")}"
	fi
}

expect "false" 1 "" scripts/vm --no-module -- false
expect "timeout" 124 "timeout" scripts/vm --no-module --timeout 2 -- true
expect "missing module" 125 "not found" scripts/vm --module /nonexistent/x.ko -- true
expect "no command" 2 "no command" scripts/vm --no-module
exit $fail
