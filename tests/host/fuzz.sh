#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# libFuzzer on the tool's netlink record parser, for a bounded time
# (FUZZ_SECONDS, default 60; `make fuzz FUZZ_SECONDS=600` runs longer).
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make -s -C user O="$PWD/build" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}" >"$log" 2>&1; then
	tail -n 40 "$log"; exit 1
fi
grep -E '^Done [0-9]+ runs' "$log" || { tail -n 20 "$log"; echo "fuzz: no 'Done N runs' line"; exit 1; }
