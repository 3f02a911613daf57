/* SPDX-License-Identifier: GPL-2.0 */
/* Text, CSV and JSON renderings of records, status and reports. */
#ifndef FA_FORMAT_H
#define FA_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "record.h"

enum fa_format {
	FA_FMT_TEXT,
	FA_FMT_CSV,
	FA_FMT_JSON,
};

/* "12,345" */
const char *fa_fmt_count(char *buf, size_t size, uint64_t v);
const char *fa_fmt_scount(char *buf, size_t size, int64_t v);
/* "850ns", "1.2us", "45.0ms", "2.50s" */
const char *fa_fmt_ns(char *buf, size_t size, uint64_t ns);
/* q-quantile of the record's latency, or "-" when there is none */
const char *fa_fmt_quantile(char *buf, size_t size,
			    const struct fa_record *r, double q);
/* Copies src, replacing bytes that are not printable ASCII with '?'. */
void fa_sanitize(char *dst, size_t size, const char *src);

const char *fa_filter_name(uint32_t mode);
const char *fa_probe_kind_name(uint32_t kind);
const char *fa_probe_placement_name(uint32_t placement);
/* A wait(2) status as a shell would report it: code, or 128 + signal. */
int fa_wait_status_code(uint32_t status);

/* The members of REC (faults, pages, ... latency_ns), inside an object. */
void fa_json_rec_members(struct fa_json *j, const struct fa_record *r);
/* A whole process object: pid, ppid, comm, ..., REC members, rss. */
void fa_json_proc(struct fa_json *j, const struct fa_record *r);

void fa_csv_field(FILE *f, const char *s);
/* Column names of fa_csv_record(), after the given prefix. */
void fa_csv_header(FILE *f, const char *prefix);
/* One row, without the line's end (the caller may add columns first). */
void fa_csv_record(FILE *f, const struct fa_record *r);

void fa_text_proc_header(FILE *f);
void fa_text_proc_row(FILE *f, const struct fa_record *r);

/* `faultacct run` */
struct fa_report {
	int argc;
	char *const *argv;
	int exit_status;		/* as a shell reports it */
	const char *kernel;		/* uname -r */
	uint32_t page_size;
	uint32_t root_pid;
	bool root_missing;		/* CMD's own exit record never came */
	bool no_rss;
	uint64_t lost;
	const struct fa_record *procs;
	size_t nprocs;
	struct fa_record total;		/* sum of procs */
};

void fa_report_sum(struct fa_report *rep);
void fa_report_text(FILE *f, const struct fa_report *rep);
void fa_report_json(FILE *f, const struct fa_report *rep);

/* `faultacct status` and `faultacct config` */
void fa_config_text(FILE *f, const struct fa_config *cfg);
void fa_json_config(struct fa_json *j, const struct fa_config *cfg);
void fa_status_text(FILE *f, const struct fa_status *st,
		    const struct fa_config *cfg, const char *kernel);
void fa_status_json(FILE *f, const struct fa_status *st,
		    const struct fa_config *cfg, const char *kernel);

/* `faultacct watch`: one line per record */
struct fa_event {
	const char *time;		/* local wall-clock time, text */
	const char *group;		/* "stats", "exit" or "dump" */
	bool have_seq;
	uint64_t seq;
	bool have_ts;
	uint64_t ts_ns;			/* the kernel's CLOCK_BOOTTIME stamp */
};

void fa_event_csv_header(FILE *f);
void fa_event_line(FILE *f, enum fa_format fmt, const struct fa_event *ev,
		   const struct fa_record *r);

#endif
