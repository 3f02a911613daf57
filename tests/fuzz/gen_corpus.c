// SPDX-License-Identifier: GPL-2.0
/*
 * Writes well-formed faultacct message payloads into a directory, as the
 * seed corpus of fuzz_record: an exit message, a stats message with
 * several records, a STATUS reply and a bare record.
 */
#include <stdio.h>
#include <string.h>

#include "nlbuild.h"

static char buf[NB_BUFSZ] __attribute__((aligned(8)));

static int save(const char *dir, const char *name, struct nlmsghdr *nlh)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	fwrite(nb_data(nlh), 1, nb_len(nlh), f);
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	struct fa_record r;
	struct nlmsghdr *nlh;
	struct nlattr *n, *p;
	int err = 0, i;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}

	nlh = nb_start(buf);
	mnl_attr_put_u64(nlh, FAULTACCT_A_SEQ, 1);
	mnl_attr_put_u64(nlh, FAULTACCT_A_TIMESTAMP_NS, 123456789);
	nb_sample(&r, 100, 1, "exit");
	nb_proc(nlh, &r);
	err |= save(argv[1], "seed-exit", nlh);

	nlh = nb_start(buf);
	mnl_attr_put_u64(nlh, FAULTACCT_A_SEQ, 7);
	mnl_attr_put_u64(nlh, FAULTACCT_A_TIMESTAMP_NS, 1);
	for (i = 0; i < 4; i++) {
		nb_sample(&r, 200 + i, 200, "stats");
		r.exited = false;
		r.have &= ~(uint32_t)FA_HAVE_EXIT_CODE;
		nb_proc(nlh, &r);
	}
	err |= save(argv[1], "seed-stats", nlh);

	nlh = nb_start(buf);
	nb_sample(&r, 300, 1, "record");
	nb_proc_attrs(nlh, &r);
	err |= save(argv[1], "seed-record", nlh);

	nlh = nb_start(buf);
	n = mnl_attr_nest_start(nlh, FAULTACCT_A_STATUS);
	mnl_attr_put_strz(nlh, FAULTACCT_STATUS_VERSION, "0.1.0");
	mnl_attr_put_strz(nlh, FAULTACCT_STATUS_RELEASE, "6.12");
	mnl_attr_put_u32(nlh, FAULTACCT_STATUS_PAGE_SIZE, 4096);
	mnl_attr_put_u64(nlh, FAULTACCT_STATUS_MSGS_SENT, 5);
	p = mnl_attr_nest_start(nlh, FAULTACCT_STATUS_PROBE);
	mnl_attr_put_strz(nlh, FAULTACCT_PROBE_SYMBOL, "handle_mm_fault");
	mnl_attr_put_u32(nlh, FAULTACCT_PROBE_KIND, 1);
	mnl_attr_put_u64(nlh, FAULTACCT_PROBE_HITS, 9);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, FAULTACCT_A_CONFIG);
	mnl_attr_put_u8(nlh, FAULTACCT_CONFIG_ENABLED, 1);
	mnl_attr_put_u32(nlh, FAULTACCT_CONFIG_FILTER_TGID, 5);
	mnl_attr_nest_end(nlh, n);
	err |= save(argv[1], "seed-status", nlh);
	return err;
}
