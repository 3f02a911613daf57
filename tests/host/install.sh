#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make install honours DESTDIR and PREFIX: the tool, the man page and one
# module per kernel built, at the usual places, and nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s install DESTDIR="$dest" PREFIX=/usr >/dev/null
fail=0
want() {
	if [[ -e $dest/$1 ]]; then echo "install: $1"; else echo "install: missing $1"; fail=1; fi
}
want usr/sbin/faultacct
want usr/share/man/man8/faultacct.8
n=0
for ko in build/kmod/*/faultacct.ko; do
	v=${ko#build/kmod/}; v=${v%/faultacct.ko}
	# install is for the kernels with headers installed; the debug
	# kernel's module (make check-debug) is built against its own tree
	[[ -e /lib/modules/$v/build ]] || { echo "install: not for $v (no /lib/modules/$v/build)"; continue; }
	want "lib/modules/$v/updates/faultacct.ko"
	n=$((n + 1))
done
[[ $n -ge 2 ]] || { echo "install: only $n kernel(s) built"; fail=1; }
"$dest/usr/sbin/faultacct" --version
man -l "$dest/usr/share/man/man8/faultacct.8" 2>/dev/null | grep -q 'faultacct run' ||
	{ echo "install: the man page does not render"; fail=1; }
extra=$(cd "$dest" && find . -type f | grep -vE '^\./(usr/sbin/faultacct|usr/share/man/man8/faultacct\.8|lib/modules/[^/]+/updates/faultacct\.ko)$' || true)
[[ -z $extra ]] || { echo "install: unexpected files: $extra"; fail=1; }
exit $fail
