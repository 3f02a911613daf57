/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hands a buffer to a Python script (as the file named by sys.argv[1]) and
 * returns the script's exit status. The prelude reads the file as strict
 * UTF-8 and gives the script load(), a JSON parser that also refuses
 * NaN/Infinity and duplicate keys. Header-only, for the unit tests.
 */
#ifndef FA_PYCHECK_H
#define FA_PYCHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char pycheck_prelude[] =
	"import csv, io, json, sys\n"
	"def _nodup(pairs):\n"
	"    keys = [k for k, _ in pairs]\n"
	"    assert len(keys) == len(set(keys)), 'duplicate keys: %r' % keys\n"
	"    return dict(pairs)\n"
	"def _const(c):\n"
	"    raise ValueError('not JSON: ' + c)\n"
	"def load(s):\n"
	"    return json.loads(s, object_pairs_hook=_nodup, parse_constant=_const)\n"
	"data = open(sys.argv[1], encoding='utf-8', errors='strict', newline='').read()\n";

static inline int pycheck(const char *script, const char *data, size_t len)
{
	char dir[] = "/tmp/fa-unit-XXXXXX", py[64], in[64], cmd[256];
	FILE *f;
	int rc;

	if (!mkdtemp(dir))
		return -1;
	snprintf(py, sizeof(py), "%s/check.py", dir);
	snprintf(in, sizeof(in), "%s/data", dir);
	f = fopen(py, "w");
	if (!f)
		return -1;
	fputs(pycheck_prelude, f);
	fputs(script, f);
	fclose(f);
	f = fopen(in, "w");
	if (!f)
		return -1;
	fwrite(data, 1, len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 %s %s", py, in);
	rc = system(cmd);
	unlink(py);
	unlink(in);
	rmdir(dir);
	if (rc == -1 || !WIFEXITED(rc))
		return -1;
	return WEXITSTATUS(rc);
}

#endif
