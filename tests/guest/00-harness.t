#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The test VM is what every other guest test assumes: the right kernel,
# the host's files at their own paths and read-only, a writable ext4
# /scratch whose files can be mapped, tmpfs /tmp, tracing and bpf mounted,
# warnings fatal, and the module loaded when scripts/vm loaded one.
set -uo pipefail

failed=0
check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok - $what"
	else
		echo "FAILED - $what"
		failed=1
	fi
}

fstype() {
	awk -v m="$1" '$2 == m { t = $3 } END { print t }' /proc/mounts
}

check "uname -r is FAULTACCT_KVER ($FAULTACCT_KVER)" \
	test "$(uname -r)" = "$FAULTACCT_KVER"
check "cwd is the repository root ($REPO)" \
	test "$(pwd -P)" = "$REPO"
check "the repository is visible at its host path" \
	test -f "$REPO/tests/run-guest" -a -f "$REPO/Makefile"
check "the host root is read-only" \
	bash -c "! touch '$REPO/.faultacct-guest-write' 2>/dev/null"

check "/scratch is ext4" test "$(fstype /scratch)" = ext4
check "/scratch is writable" \
	bash -c 'echo hello >/scratch/harness && test "$(cat /scratch/harness)" = hello'
check "a /scratch file can be written, mmapped and read back" \
	scratch_mmap /scratch/harness.map 256
check "the workload that did it is the repository's build" \
	test "$(command -v scratch_mmap)" = "$REPO/build/tests/scratch_mmap"

check "/tmp is tmpfs" test "$(fstype /tmp)" = tmpfs
check "/tmp is writable" bash -c 'f=$(mktemp) && echo x >"$f" && rm "$f"'

check "tracefs is mounted" test -e /sys/kernel/tracing/available_events
check "debugfs is mounted (kprobes list)" test -e /sys/kernel/debug/kprobes/list
check "bpffs is mounted" test "$(fstype /sys/fs/bpf)" = bpf
check "/ is the root of the mount namespace (not a chroot)" \
	test "$(stat -c %i /)" = "$(stat -c %i /proc/1/root/)"
check "user namespaces can be created" unshare -Ur true
check "panic_on_warn is set" test "$(cat /proc/sys/kernel/panic_on_warn)" = 1

if [[ -n ${FAULTACCT_VM_MODULE:-} ]]; then
	mod=$(basename "$FAULTACCT_VM_MODULE" .ko)
	check "module $mod is loaded" test -d "/sys/module/$mod"
else
	echo "note - no module was loaded (scripts/vm --no-module)"
fi

exit $failed
