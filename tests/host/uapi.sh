#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The YNL spec and the UAPI header agree, and the checker notices when they
# don't: each mutation below must be caught.
set -euo pipefail
cd "$(dirname "$0")/../.."
spec=include/uapi/faultacct.yaml
hdr=include/uapi/linux/faultacct.h
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tests/host/uapi-spec "$spec" "$hdr"

# The spec is valid for the kernel's own genetlink-c schema (make ynl).
schema=build/ynl/Documentation/netlink/genetlink-c.yaml
[[ -f $schema ]] || { echo "uapi: $schema is missing: run make ynl"; exit 1; }
/usr/bin/python3 - "$spec" "$schema" <<'PY'
import sys, jsonschema, yaml
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2])))
print(f"uapi: {sys.argv[1]} is valid for the kernel's {sys.argv[2].split('/')[-1]}")
PY

fail=0
mutant() {
	local what=$1 file=$2
	if tests/host/uapi-spec "$3" "$4" >/dev/null 2>&1; then
		echo "uapi: the checker missed a mutation: $what ($file)"
		fail=1
	else
		echo "uapi: mutation caught: $what"
	fi
}
sed 's/name: minor/name: minr/' "$spec" >"$tmp/a.yaml"
mutant "renamed attribute" spec "$tmp/a.yaml" "$hdr"
/usr/bin/python3 - "$spec" "$tmp/b.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("name: uid\n        type: u32", "name: uid\n        type: u64", 1)
open(sys.argv[2], "w").write(s)
PY
mutant "changed type" spec "$tmp/b.yaml" "$hdr"
sed 's/^\tFAULTACCT_CAUSE_SWAPIN,.*$//' "$hdr" >"$tmp/c.h"
mutant "entry missing from the header" header "$spec" "$tmp/c.h"
sed 's/^\tFAULTACCT_FAULTS_MAJOR,/\tFAULTACCT_FAULTS_MAJOR = 9,/' "$hdr" >"$tmp/d.h"
mutant "value changed in the header" header "$spec" "$tmp/d.h"
sed 's/"exit"$/"exits"/' "$hdr" >"$tmp/e.h"
mutant "multicast group renamed" header "$spec" "$tmp/e.h"
exit $fail
