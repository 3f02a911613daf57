#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# faultacct top, driven for real in tmux on an 80x24 terminal: it shows the
# busy processes, a key changes the sort, q quits and leaves the shell usable.
set -euo pipefail
export TERM=xterm-256color
s=fa-top-$$
dir=$(mktemp -d)
cleanup() { tmux kill-server 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
FA_WORK_HOLD=30 fa_work memfd 2048 >/dev/null &
tmux new-session -d -s "$s" -x 80 -y 24 "faultacct top -d 1; echo TOP-EXITED \$?; sleep 30"
fail=0
screen() { tmux capture-pane -p -t "$s"; }
for _ in $(seq 30); do
	screen >"$dir/screen"
	grep -q 'fa_work' "$dir/screen" && break
	sleep 1
done
sed 's/^/  | /' "$dir/screen"
grep -q '^faultacct top' "$dir/screen" || { echo "top: no header"; fail=1; }
grep -q 'fa_work' "$dir/screen" || { echo "top: the busy process is not shown"; fail=1; }
awk 'length($0) > 80 { bad = 1 } END { exit bad }' "$dir/screen" || { echo "top: a line is wider than 80"; fail=1; }
[[ $(wc -l <"$dir/screen") -le 24 ]] || { echo "top: more than 24 lines"; fail=1; }

tmux send-keys -t "$s" s
sleep 2
screen >"$dir/screen2"
grep -q 'sort: shmem' "$dir/screen2" || { echo "top: 's' did not sort by shmem:"; head -n 3 "$dir/screen2"; fail=1; }

tmux send-keys -t "$s" q
for _ in $(seq 10); do
	screen >"$dir/screen3"
	grep -q 'TOP-EXITED' "$dir/screen3" && break
	sleep 1
done
grep -q 'TOP-EXITED 0' "$dir/screen3" || { echo "top: q did not quit with status 0"; fail=1; }
kill %1 2>/dev/null || true
exit $fail
