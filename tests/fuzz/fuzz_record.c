// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the attribute parsers: the input is the payload of
 * a faultacct message (after the genl header). Whatever parses is also
 * rendered in every format, so that the formatters see hostile records.
 *
 *   make -C user fuzz FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "record.h"
#include "track.h"

static FILE *devnull;

static int render(const struct fa_record *r, void *data)
{
	struct fa_event ev = { .time = "t", .group = "stats" };
	struct fa_json j;
	uint64_t ns;

	(void)data;
	fa_event_line(devnull, FA_FMT_TEXT, &ev, r);
	fa_event_line(devnull, FA_FMT_CSV, &ev, r);
	fa_event_line(devnull, FA_FMT_JSON, &ev, r);
	fa_text_proc_row(devnull, r);
	fa_json_init(&j, devnull, true);
	fa_json_proc(&j, r);
	if (fa_latency_quantile(&r->lat, 0.99, &ns) && r->lat.max_ns &&
	    63 - __builtin_clzll(r->lat.max_ns) < 64 && ns > r->lat.max_ns) {
		/* above the max only when the max disagrees with the buckets */
		int top = 63;

		while (top > 0 && !r->lat.bucket[top])
			top--;
		if (63 - __builtin_clzll(r->lat.max_ns) == top)
			abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fa_record rec, recs[2];
	struct fa_msg *msg;
	void *buf;
	bool member[2];

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	/* netlink hands out 4-byte aligned buffers; so does this */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	msg = malloc(sizeof(*msg));
	if (msg) {
		fa_msg_parse(buf, size, msg, render, NULL);
		if (msg->have_status)
			fa_status_json(devnull, &msg->status, &msg->config,
				       "k");
		free(msg);
	}
	if (fa_record_parse(buf, size, &rec) == 0) {
		render(&rec, NULL);
		recs[0] = rec;
		recs[1] = rec;
		recs[1].tgid = rec.ppid;
		recs[1].ppid = rec.tgid;
		fa_tree_members(recs, 2, rec.tgid, member);
	}
	free(buf);
	return 0;
}
