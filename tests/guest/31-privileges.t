#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Without CAP_NET_ADMIN every command (GET do and dump, CONFIG, RESET,
# STATUS) fails with EPERM and neither multicast group can be joined: as
# nobody, as root with CAP_NET_ADMIN dropped, and as root of a user
# namespace. The tool turns it into one line that names CAP_NET_ADMIN.
set -u
name=31-privileges
fail() { echo "$name: FAIL: $*"; failed=1; }
failed=0

command -v setpriv >/dev/null || { echo "$name: FAIL: no setpriv in the guest"; exit 1; }
# The repo may not be readable by nobody: run copies from a 0755 directory.
tmp=$(mktemp -d /tmp/$name.XXXXXX)
chmod 755 "$tmp"
cp "$(command -v rel_unpriv)" "$(command -v faultacct)" "$tmp/"
chmod 755 "$tmp"/*
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)

echo "$name: as root (every request must succeed, so the EPERMs below mean something)"
"$tmp/rel_unpriv" --expect-ok || fail "root could not use the family"

echo "$name: as nobody"
"${nobody[@]}" "$tmp/rel_unpriv" || fail "nobody was not refused everything"

echo "$name: as root without CAP_NET_ADMIN"
setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$tmp/rel_unpriv" ||
	fail "root without CAP_NET_ADMIN was not refused everything"

# Root of a new user namespace has every capability there, none in the
# initial one. The kernel refuses new user namespaces to a chrooted
# process (the harness runs commands in a chroot), so this case runs only
# where it can.
if unshare -U -r true 2>/dev/null; then
	echo "$name: as root of a user namespace (CAP_NET_ADMIN there only)"
	unshare -U -r "$tmp/rel_unpriv" ||
		fail "root of a user namespace was not refused everything"
else
	echo "$name: note: no user namespace here (chroot or sysctl): that case not run"
fi

out=$("${nobody[@]}" "$tmp/faultacct" status 2>&1)
rc=$?
lines=$(printf '%s\n' "$out" | grep -c .)
echo "$name: 'faultacct status' as nobody: exit $rc, $lines line(s): $out"
[[ $rc == 1 ]] || fail "faultacct status as nobody exited $rc, want 1"
[[ $lines == 1 ]] || fail "faultacct status as nobody printed $lines lines, want 1"
grep -q CAP_NET_ADMIN <<<"$out" || fail "faultacct status as nobody does not mention CAP_NET_ADMIN"

out=$(timeout 20 "${nobody[@]}" "$tmp/faultacct" watch 2>&1 </dev/null)
rc=$?
echo "$name: 'faultacct watch' as nobody: exit $rc: $(head -n3 <<<"$out")"
[[ $rc == 1 ]] || fail "faultacct watch as nobody exited $rc, want 1"
grep -q CAP_NET_ADMIN <<<"$out" || fail "faultacct watch as nobody does not mention CAP_NET_ADMIN"

rm -rf "$tmp"
[[ $failed == 0 ]] && echo "$name: ok"
exit $failed
