// SPDX-License-Identifier: GPL-2.0
/*
 * The outputs: JSON checked by a real parser (Python's, strict), CSV by a
 * real CSV reader, text for its content and its width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "format.h"
#include "nlbuild.h"
#include "pycheck.h"

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	return o->f;
}

static void out_close(struct out *o)
{
	fclose(o->f);
}

static void out_free(struct out *o)
{
	free(o->buf);
}

static const char *json_str(const char *s, size_t n)
{
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	fa_json_write_string(f, s, n);
	fclose(f);
	return buf;
}

#define JS(lit)	json_str(lit, sizeof(lit) - 1)

static void json_escaping(void **state)
{
	(void)state;
	assert_string_equal(JS("plain"), "\"plain\"");
	assert_string_equal(JS("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
	assert_string_equal(JS("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
	assert_string_equal(JS("\x01\x1f"), "\"\\u0001\\u001f\"");
	assert_string_equal(JS("nul\0in"), "\"nul\\u0000in\"");
	assert_string_equal(JS("\x7f"), "\"\x7f\"");
	/* valid UTF-8 passes: é, €, an emoji */
	assert_string_equal(JS("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
			    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	/* everything else is U+FFFD, byte by byte */
	assert_string_equal(JS("\x80"), "\"\\ufffd\"");
	assert_string_equal(JS("\xff"), "\"\\ufffd\"");
	assert_string_equal(JS("\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong */
	assert_string_equal(JS("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(JS("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	assert_string_equal(JS("\xf4\x90\x80\x80"),
			    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	assert_string_equal(JS("a\xe2\x82"), "\"a\\ufffd\\ufffd\"");	/* cut short */
	assert_string_equal(JS("\xc3("), "\"\\ufffd(\"");
}

/* Every byte string becomes valid JSON that Python reads back. */
static void json_escaping_all_bytes(void **state)
{
	struct out o;
	unsigned int seed = 99, i, k;
	char s[24];

	(void)state;
	out_open(&o);
	fputc('[', o.f);
	for (i = 0; i < 3000; i++) {
		size_t n = 1 + rand_r(&seed) % sizeof(s);

		for (k = 0; k < n; k++)
			s[k] = (char)rand_r(&seed);
		fa_json_write_string(o.f, s, n);
		fputc(',', o.f);
	}
	for (i = 0; i < 256; i++) {
		s[0] = (char)i;
		fa_json_write_string(o.f, s, 1);
		fputc(i < 255 ? ',' : ']', o.f);
	}
	out_close(&o);
	assert_int_equal(pycheck("v = load(data)\n"
				 "assert len(v) == 3256\n"
				 "assert v[3000 + 0x22] == '\"'\n"
				 "assert v[3000 + 0x0a] == '\\n'\n"
				 "assert v[3000 + 0x80] == '\\ufffd'\n",
				 o.buf, o.len), 0);
	out_free(&o);
}

static void sample_report(struct fa_report *rep, struct fa_record *procs)
{
	static char *argv[] = { "sh", "-c", "echo \"hi\"\n", "caf\xc3\xa9",
				"bad\xff", NULL };

	nb_sample(&procs[0], 100, 99, "sh");
	nb_sample(&procs[1], 101, 100, "we\"ird,na\nme");
	nb_sample(&procs[2], 102, 100, "x\xff\x01");
	procs[2].have &= ~(uint32_t)(FA_HAVE_LATENCY | FA_HAVE_RSS);
	memset(&procs[2].lat, 0, sizeof(procs[2].lat));
	memset(rep, 0, sizeof(*rep));
	rep->argc = 5;
	rep->argv = argv;
	rep->exit_status = 3;
	rep->kernel = "6.12.0-test";
	rep->page_size = 4096;
	rep->root_pid = 100;
	rep->lost = 2;
	rep->procs = procs;
	rep->nprocs = 3;
	fa_report_sum(rep);
}

static void report_json(void **state)
{
	struct fa_record procs[3];
	struct fa_report rep;
	struct out o;

	(void)state;
	sample_report(&rep, procs);
	fa_report_json(out_open(&o), &rep);
	out_close(&o);
	assert_int_equal(pycheck(
		"r = load(data)\n"
		"assert r['command'] == ['sh', '-c', 'echo \"hi\"\\n', 'caf\\u00e9', 'bad\\ufffd'], r['command']\n"
		"assert r['exit_status'] == 3\n"
		"assert r['kernel'] == '6.12.0-test'\n"
		"assert r['page_size'] == 4096\n"
		"assert r['lost'] == 2\n"
		"t = r['total']\n"
		"assert t['faults'] == {'total': 3000, 'minor': 2970, 'major': 30, 'retry': 6, 'error': 3}, t['faults']\n"
		"assert t['pages'] == {'anon': 2400, 'file': 450, 'shmem': 60}\n"
		"assert t['uncharged'] == {'anon': 0, 'file': 15, 'shmem': 0}\n"
		"assert t['cause'] == {'anon': 2100, 'cow': 150, 'read': 600, 'shared': 30, 'swapin': 9, 'thp': 6, 'other': 105, 'mthp': 12}\n"
		"assert t['remote'] == 12\n"
		"assert set(t['latency_ns']) >= {'p50', 'p99', 'max'}\n"
		"assert t['latency_ns']['max'] == 90000\n"
		"# merged: 1200 in [1024,2048), 780 in [2048,4096), 20 above\n"
		"assert t['latency_ns']['p50'] == 1024 + 1024 * 1000 // 1200, t['latency_ns']\n"
		"assert t['latency_ns']['p99'] == 4096, t['latency_ns']\n"
		"assert t['latency_ns']['count'] == 2000\n"
		"p = r['processes']\n"
		"assert [x['pid'] for x in p] == [100, 101, 102]\n"
		"assert [x['ppid'] for x in p] == [99, 100, 100]\n"
		"assert p[1]['comm'] == 'we\"ird,na\\nme'\n"
		"assert p[2]['comm'] == 'x\\ufffd\\u0001'\n"
		"assert p[0]['rss'] == {'anon': 790, 'file': 400, 'shmem': 20}\n"
		"assert p[2]['rss'] is None\n"
		"assert p[2]['latency_ns']['p99'] is None and p[2]['latency_ns']['max'] is None\n"
		"assert p[0]['exit_code'] == 768 and p[0]['exit_status'] == 3\n"
		"assert p[0]['start_time_ns'] == 1000000100\n"
		"for x in p + [t]:\n"
		"    for k in ('faults', 'pages', 'uncharged', 'cause', 'remote', 'latency_ns'):\n"
		"        assert k in x, k\n",
		o.buf, o.len), 0);
	out_free(&o);
}

static void assert_width(const char *text, size_t max)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if ((size_t)(nl - p) > max)
			fail_msg("line of %zu columns: %.*s", (size_t)(nl - p),
				 (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

static void report_text(void **state)
{
	struct fa_record procs[3];
	struct fa_report rep;
	struct out o;

	(void)state;
	sample_report(&rep, procs);
	fa_report_text(out_open(&o), &rep);
	out_close(&o);
	assert_width(o.buf, 80);
	assert_non_null(strstr(o.buf, "exit status 3"));
	assert_non_null(strstr(o.buf, "3 processes"));
	/* anon: 2,400 charged, 9.4 MiB; file net 435 */
	assert_non_null(strstr(o.buf, "2,400"));
	assert_non_null(strstr(o.buf, "9.4"));
	assert_non_null(strstr(o.buf, "435"));
	assert_non_null(strstr(o.buf, "RSS at exit"));
	assert_non_null(strstr(o.buf, "kernel RSS at exit"));
	assert_non_null(strstr(o.buf, "2 exit records lost"));
	/* control characters in names never reach the terminal */
	assert_null(strchr(o.buf, '\x01'));
	assert_null(strstr(o.buf, "\xff"));
	assert_non_null(strstr(o.buf, "we\"ird,na?me"));
	out_free(&o);

	rep.no_rss = true;
	rep.lost = 0;
	fa_report_text(out_open(&o), &rep);
	out_close(&o);
	assert_null(strstr(o.buf, "RSS at exit"));
	assert_null(strstr(o.buf, "lost"));
	assert_non_null(strstr(o.buf, "6 retry, 3 error"));
	assert_null(strstr(o.buf, "not counted"));
	out_free(&o);
}

/* Without the return probe, retry and error are not counted: none shown. */
static void report_no_outcomes(void **state)
{
	struct fa_record procs[3];
	struct fa_report rep;
	struct out o;
	int i;

	(void)state;
	sample_report(&rep, procs);
	for (i = 0; i < 3; i++)
		procs[i].have &= ~(uint32_t)FA_HAVE_OUTCOMES;
	fa_report_sum(&rep);
	fa_report_text(out_open(&o), &rep);
	out_close(&o);
	assert_width(o.buf, 80);
	assert_non_null(strstr(o.buf, "30 major\n"));
	assert_non_null(strstr(o.buf, "retry, error not counted (faultacct config --outcomes on)"));
	assert_null(strstr(o.buf, "6 retry"));
	out_free(&o);

	fa_report_json(out_open(&o), &rep);
	out_close(&o);
	assert_int_equal(pycheck(
		"r = load(data)\n"
		"for x in r['processes'] + [r['total']]:\n"
		"    assert x['faults']['retry'] is None and x['faults']['error'] is None, x\n"
		"    assert x['faults']['minor'] > 0\n",
		o.buf, o.len), 0);
	out_free(&o);
}

static void status_outputs(void **state)
{
	struct fa_status st = { 0 };
	struct fa_config cfg = { 0 };
	const char *line;
	struct out o;

	(void)state;
	strcpy(st.version, "0.1.0");
	strcpy(st.release, "6.1.0-test");
	st.page_size = 4096;
	st.table_size = 16384;
	st.table_used = 12;
	st.table_overflow = 1;
	st.bytes_per_proc = 444;
	st.msgs_sent = 1000;
	st.msgs_dropped = 7;
	st.untracked_faults = 3;
	st.nprobes = 3;
	strcpy(st.probes[0].symbol, "handle_mm_fault");
	st.probes[0].kind = FAULTACCT_PROBE_KIND_KRETPROBE;
	st.probes[0].placement = FAULTACCT_PROBE_PLACEMENT_FTRACE;
	st.probes[0].hits = 123456;
	st.probes[0].disarmed = true;
	strcpy(st.probes[1].symbol, "sched_process_exit");
	st.probes[1].kind = FAULTACCT_PROBE_KIND_TRACEPOINT;
	st.probes[1].placement = 99;
	strcpy(st.probes[2].symbol, "set_pte_range");
	st.probes[2].kind = FAULTACCT_PROBE_KIND_FTRACE;
	st.probes[2].placement = FAULTACCT_PROBE_PLACEMENT_DIRECT;
	st.probes[2].hits = 42;
	st.probes[2].nmissed = 1;
	cfg.enabled = true;
	cfg.filter_mode = FAULTACCT_FILTER_TREE;
	cfg.ntgids = 2;
	cfg.tgids[0] = 10;
	cfg.tgids[1] = 20;
	cfg.interval_ms = 1000;
	cfg.flags = FAULTACCT_CONFIG_F_LATENCY;

	fa_status_json(out_open(&o), &st, &cfg, "6.1.0-test");
	out_close(&o);
	assert_int_equal(pycheck(
		"s = load(data)\n"
		"assert s['version'] == '0.1.0' and s['release'] == '6.1.0-test'\n"
		"assert s['table_size'] == 16384 and s['table_used'] == 12\n"
		"assert s['table_overflow'] == 1 and s['bytes_per_proc'] == 444\n"
		"assert s['msgs_sent'] == 1000 and s['msgs_dropped'] == 7\n"
		"assert s['untracked_faults'] == 3 and s['page_size'] == 4096\n"
		"assert s['config'] == {'enabled': True, 'filter': 'tree', 'tgids': [10, 20], 'interval_ms': 1000, 'flags': 1, 'latency': True, 'outcomes': False}, s['config']\n"
		"assert s['probes'][0] == {'symbol': 'handle_mm_fault', 'kind': 'kretprobe', 'placement': 'ftrace', 'hits': 123456, 'nmissed': 0, 'armed': False}\n"
		"assert s['probes'][1]['placement'] == 'unknown' and s['probes'][1]['armed']\n"
		"assert s['probes'][2] == {'symbol': 'set_pte_range', 'kind': 'ftrace', 'placement': 'direct', 'hits': 42, 'nmissed': 1, 'armed': True}, s['probes'][2]\n",
		o.buf, o.len), 0);
	out_free(&o);

	fa_status_text(out_open(&o), &st, &cfg, "6.1.0-test");
	out_close(&o);
	assert_width(o.buf, 80);
	assert_non_null(strstr(o.buf, "enabled:          yes"));
	assert_non_null(strstr(o.buf, "filter:           tree 10,20"));
	assert_non_null(strstr(o.buf, "interval:         1000 ms"));
	assert_non_null(strstr(o.buf, "12 of 16384 slots"));
	assert_non_null(strstr(o.buf, "7 dropped"));
	assert_non_null(strstr(o.buf, "123,456"));
	assert_non_null(strstr(o.buf, "latency:          on"));
	assert_non_null(strstr(o.buf, "outcomes:         off"));
	/* the disarmed return probe, the armed tracepoint */
	assert_non_null(strstr(o.buf, "123,456        0 no\n"));
	assert_non_null(strstr(o.buf, "0        0 yes\n"));
	/* the direct call, its kind and placement named, one hit missed */
	line = strstr(o.buf, "set_pte_range");
	assert_non_null(line);
	assert_non_null(strstr(line, "ftrace"));
	assert_non_null(strstr(line, "direct"));
	assert_non_null(strstr(line, "42        1 yes\n"));
	out_free(&o);
}

static void dump_outputs(void **state)
{
	struct fa_record recs[3];
	struct out o;

	(void)state;
	nb_sample(&recs[0], 1, 0, "init");
	nb_sample(&recs[1], 20, 1, "a,b\"c");
	nb_sample(&recs[2], 4194304, 20, "last");
	recs[2].have &= ~(uint32_t)FA_HAVE_EXIT_CODE;
	recs[2].exited = false;

	dump_print(out_open(&o), FA_FMT_JSON, recs, 3);
	out_close(&o);
	assert_int_equal(pycheck(
		"d = load(data)\n"
		"p = d['processes']\n"
		"assert [x['pid'] for x in p] == [1, 20, 4194304]\n"
		"assert p[1]['comm'] == 'a,b\"c'\n"
		"assert p[2]['exit_code'] is None and p[2]['exited'] is False\n"
		"assert p[0]['net'] == {'anon': 800, 'file': 145, 'shmem': 20}\n",
		o.buf, o.len), 0);
	out_free(&o);

	dump_print(out_open(&o), FA_FMT_JSON, recs, 0);
	out_close(&o);
	assert_int_equal(pycheck("assert load(data)['processes'] == []\n",
				 o.buf, o.len), 0);
	out_free(&o);

	dump_print(out_open(&o), FA_FMT_CSV, recs, 3);
	out_close(&o);
	assert_int_equal(pycheck(
		"rows = list(csv.reader(io.StringIO(data)))\n"
		"assert len(rows) == 4, rows\n"
		"h = rows[0]\n"
		"assert all(len(r) == len(h) for r in rows), [len(r) for r in rows]\n"
		"d = [dict(zip(h, r)) for r in rows[1:]]\n"
		"assert d[1]['comm'] == 'a,b\"c'\n"
		"assert d[0]['pages_anon'] == '800' and d[0]['rss_file'] == '400'\n"
		"assert d[2]['pid'] == '4194304' and d[2]['exit_code'] == ''\n"
		"assert int(d[0]['latency_p99_ns']) > 0\n"
		"assert h[-1] == 'cause_mthp' and d[0]['cause_mthp'] == '4'\n",
		o.buf, o.len), 0);
	out_free(&o);

	dump_print(out_open(&o), FA_FMT_TEXT, recs, 3);
	out_close(&o);
	assert_width(o.buf, 80);
	assert_non_null(strstr(o.buf, "4194304"));
	assert_non_null(strstr(o.buf, "PID"));
	out_free(&o);
}

static void watch_lines(void **state)
{
	struct fa_event ev = { .time = "2024-01-02T03:04:05.678",
			       .group = "exit", .have_seq = true, .seq = 42,
			       .have_ts = true, .ts_ns = 123 };
	struct fa_record r;
	struct out o;

	(void)state;
	nb_sample(&r, 300, 1, "tab\there");
	fa_event_line(out_open(&o), FA_FMT_JSON, &ev, &r);
	ev.group = "dump";
	ev.have_seq = ev.have_ts = false;
	fa_event_line(o.f, FA_FMT_JSON, &ev, &r);
	out_close(&o);
	assert_int_equal(pycheck(
		"lines = data.split('\\n')\n"
		"assert lines[-1] == '' and len(lines) == 3\n"
		"a, b = load(lines[0]), load(lines[1])\n"
		"assert a['group'] == 'exit' and a['seq'] == 42 and a['ts_ns'] == 123\n"
		"assert a['time'] == '2024-01-02T03:04:05.678'\n"
		"assert a['process']['pid'] == 300 and a['process']['comm'] == 'tab\\there'\n"
		"assert b['group'] == 'dump' and b['seq'] is None\n",
		o.buf, o.len), 0);
	out_free(&o);

	ev.group = "stats";
	ev.have_seq = ev.have_ts = true;
	out_open(&o);
	fa_event_csv_header(o.f);
	fa_event_line(o.f, FA_FMT_CSV, &ev, &r);
	out_close(&o);
	assert_int_equal(pycheck(
		"rows = list(csv.reader(io.StringIO(data)))\n"
		"assert len(rows) == 2 and len(rows[0]) == len(rows[1])\n"
		"d = dict(zip(*rows))\n"
		"assert d['group'] == 'stats' and d['seq'] == '42' and d['pid'] == '300'\n",
		o.buf, o.len), 0);
	out_free(&o);

	fa_event_line(out_open(&o), FA_FMT_TEXT, &ev, &r);
	out_close(&o);
	assert_non_null(strstr(o.buf, "stats seq=42 pid=300 ppid=1 comm=tab?here"));
	assert_non_null(strstr(o.buf, "exit=3"));
	assert_int_equal(o.buf[o.len - 1], '\n');
	assert_null(strchr(o.buf, '\t'));
	out_free(&o);
}

static void counts(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(fa_fmt_count(b, sizeof(b), 0), "0");
	assert_string_equal(fa_fmt_count(b, sizeof(b), 999), "999");
	assert_string_equal(fa_fmt_count(b, sizeof(b), 1000), "1,000");
	assert_string_equal(fa_fmt_count(b, sizeof(b), 1234567), "1,234,567");
	assert_string_equal(fa_fmt_count(b, sizeof(b), UINT64_MAX),
			    "18,446,744,073,709,551,615");
	assert_string_equal(fa_fmt_scount(b, sizeof(b), -1234), "-1,234");
	assert_string_equal(fa_fmt_scount(b, sizeof(b), INT64_MIN),
			    "-9,223,372,036,854,775,808");
	assert_string_equal(fa_fmt_count(b, 4, 123456), "123");
	fa_sanitize(b, sizeof(b), "\033[2Jx\x80");
	assert_string_equal(b, "?[2Jx?");
	assert_int_equal(fa_wait_status_code(3 << 8), 3);
	assert_int_equal(fa_wait_status_code(9), 137);
	assert_string_equal(fa_filter_name(FAULTACCT_FILTER_ALL), "all");
	assert_string_equal(fa_filter_name(77), "unknown");
}

static struct fa_record live(uint32_t pid, uint64_t start, uint64_t faults,
			     uint64_t anon)
{
	struct fa_record r;

	memset(&r, 0, sizeof(r));
	r.have = FA_HAVE_TGID | FA_HAVE_LATENCY;
	r.tgid = pid;
	r.start_time_ns = start;
	snprintf(r.comm, sizeof(r.comm), "p%u", pid);
	r.faults.total = faults;
	r.faults.major = faults / 10;
	r.pages.anon = anon;
	r.lat.bucket[10] = faults;
	r.lat.count = faults;
	return r;
}

static void top_rates_and_sort(void **state)
{
	/* prev and cur are sorted by tgid, start, as cmd_top keeps them */
	struct fa_record prev[] = { live(10, 1, 100, 50), live(20, 2, 10, 0),
				    live(30, 3, 500, 0) };
	struct fa_record cur[] = { live(10, 1, 300, 150), live(20, 9, 40, 4),
				   live(30, 3, 20, 20), live(40, 4, 7, 0) };
	struct top_opts o = { .delay = 1 };
	struct top_row rows[4], total;
	size_t n;

	(void)state;
	n = top_rates(prev, 3, cur, 4, 2.0, false, &o, rows, &total);
	assert_int_equal(n, 4);
	/* 10: +200 faults in 2 s */
	assert_true(rows[0].faults == 100 && rows[0].anon == 50);
	/* 20 started again (another start time): all of it is new */
	assert_true(rows[1].faults == 20);
	/* 30 was reset: its counters went back, count from zero */
	assert_true(rows[2].faults == 10);
	/* 40 is new */
	assert_true(rows[3].faults == 3.5);
	assert_true(total.faults == 133.5);
	assert_true(rows[0].have_p99 && rows[0].p99_ns >= 1024 &&
		    rows[0].p99_ns <= 2048);

	top_sort(rows, n, TOP_FAULTS);
	assert_int_equal(rows[0].pid, 10);
	assert_int_equal(rows[3].pid, 40);
	top_sort(rows, n, TOP_ANON);
	assert_int_equal(rows[0].pid, 10);
	assert_int_equal(rows[1].pid, 30);
	top_sort(rows, n, TOP_PID);
	assert_int_equal(rows[0].pid, 10);
	assert_int_equal(rows[3].pid, 40);

	/* the first sample has no rates */
	n = top_rates(NULL, 0, cur, 4, 0, true, &o, rows, &total);
	assert_int_equal(n, 4);
	assert_true(rows[0].faults == 0 && !rows[0].have_p99);

	/* -p and -c */
	o.npids = 2;
	o.pids[0] = 20;
	o.pids[1] = 40;
	n = top_rates(prev, 3, cur, 4, 1, false, &o, rows, &total);
	assert_int_equal(n, 2);
	o.npids = 0;
	o.comm = "p30";
	n = top_rates(prev, 3, cur, 4, 1, false, &o, rows, &total);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].pid, 30);
}

static void top_screen(void **state)
{
	struct top_row rows[100];
	struct top_frame fr = { .time = "12:00:00", .delay = 1,
				.key = TOP_FAULTS, .nprocs = 100 };
	struct out o;
	size_t i, lines = 0;
	char *p;

	(void)state;
	for (i = 0; i < 100; i++) {
		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].pid = (uint32_t)(4194304 - i);
		strcpy(rows[i].comm, "fifteen-chars-x");
		rows[i].faults = 123456789.0;
		rows[i].have_p99 = true;
		rows[i].p99_ns = 123456789;
	}
	/* batch: every row, no escapes */
	top_render(out_open(&o), &fr, rows, 100, 0, 0);
	out_close(&o);
	assert_null(strchr(o.buf, '\033'));
	for (p = o.buf; *p; p++)
		lines += *p == '\n';
	assert_true(lines >= 106);
	assert_width(o.buf, 80);
	out_free(&o);

	/* in place on 80x24: 24 lines at most, none wider than 80 */
	fr.ansi = true;
	top_render(out_open(&o), &fr, rows, 100, 80, 24);
	out_close(&o);
	lines = 0;
	for (p = o.buf; *p; p++)
		lines += *p == '\n';
	assert_true(lines <= 23);	/* the 24th line ends without one */
	assert_non_null(strstr(o.buf, "\033[H"));
	out_free(&o);

	/* a narrow terminal cuts lines */
	fr.ansi = false;
	top_render(out_open(&o), &fr, rows, 3, 40, 0);
	out_close(&o);
	assert_width(o.buf, 40);
	out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_escaping),
		cmocka_unit_test(json_escaping_all_bytes),
		cmocka_unit_test(report_json),
		cmocka_unit_test(report_text),
		cmocka_unit_test(report_no_outcomes),
		cmocka_unit_test(status_outputs),
		cmocka_unit_test(dump_outputs),
		cmocka_unit_test(watch_lines),
		cmocka_unit_test(counts),
		cmocka_unit_test(top_rates_and_sort),
		cmocka_unit_test(top_screen),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
