#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# README.md does not rot: every `faultacct` command line in its code blocks
# names a subcommand that exists and options that its --help lists, and the
# examples of the introduction really run.
set -euo pipefail
fail=0
n=0
# (no process substitution: the guest has no /dev/fd)
awk '/^```/ { inblock = !inblock; next } inblock' README.md |
	grep -E '^(\$ )?faultacct [a-z]' >/tmp/readme-cmds || true
while IFS= read -r line; do
	line=${line#\$ }
	line=${line%%#*}
	read -r -a words <<<"$line"
	sub=${words[1]:-}
	[[ -n $sub && $sub != -* ]] || continue
	if ! help=$(faultacct "$sub" --help 2>&1); then
		echo "readme: 'faultacct $sub' has no --help: $line"; fail=1; continue
	fi
	for w in "${words[@]:2}"; do
		[[ $w == --* && $w != -- ]] || continue
		opt=${w%%[=\[]*}
		grep -qF -- "$opt" <<<"$help" || { echo "readme: faultacct $sub: $opt is not in its --help"; fail=1; }
	done
	n=$((n + 1))
done </tmp/readme-cmds
echo "readme: $n command lines checked against --help"
[[ $n -ge 8 ]] || { echo "readme: too few command lines found"; fail=1; }

# The introduction's examples, for real.
dir=$(mktemp -d)
printf 'all: a b\na:\n\t@echo a >/dev/null\nb:\n\t@echo b >/dev/null\n' >"$dir/Makefile"
(cd "$dir" && faultacct run -o "$dir/report" -- make -j2)
grep -q 'faultacct report for: make -j2' "$dir/report" || { echo "readme: run -- make -j2 gave no report"; fail=1; }
grep -qE 'processes' "$dir/report" && sed 's/^/  /' "$dir/report" | head -n 8
faultacct top -b -n 1 >"$dir/top" || { echo "readme: top failed"; fail=1; }
head -n 5 "$dir/top" | sed 's/^/  /'
faultacct status >/dev/null || { echo "readme: status failed"; fail=1; }
rm -rf "$dir"
exit $fail
