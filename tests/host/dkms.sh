#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# DKMS builds the module from dkms.conf for every installed kernel, the way
# `make dkms-install` sets it up, in private trees (the system's DKMS state
# is not touched). Each build must give a module for its own kernel.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
src=$tmp/src/faultacct-$ver
mkdir -p "$src" "$tmp/dkms"
cp -r kmod include dkms.conf "$src/"
dk=(dkms --sourcetree "$tmp/src" --dkmstree "$tmp/dkms")
"${dk[@]}" add -m faultacct -v "$ver" >/dev/null
fail=0 n=0
for hdr in /usr/src/linux-headers-*-amd64; do
	k=${hdr#/usr/src/linux-headers-}
	[[ -d /lib/modules/$k ]] || continue
	n=$((n + 1))
	if ! "${dk[@]}" build -m faultacct -v "$ver" -k "$k" >"$tmp/build.log" 2>&1; then
		echo "dkms: build for $k failed:"; tail -n 20 "$tmp/build.log"; fail=1; continue
	fi
	ko=$(find "$tmp/dkms/faultacct/$ver/$k" -name 'faultacct.ko*' | head -n1)
	vm=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	if [[ $vm == "$k" ]]; then
		echo "dkms: built for $k ($(stat -c %s "$ko") bytes)"
	else
		echo "dkms: module built for $k has vermagic $vm"; fail=1
	fi
done
[[ $n -ge 2 ]] || { echo "dkms: only $n kernel(s) with headers"; fail=1; }
exit $fail
