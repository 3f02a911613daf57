// SPDX-License-Identifier: GPL-2.0
/* Sequence gaps, and which exit records belong to `run`'s process tree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "track.h"

static void seq_no_gaps(void **state)
{
	struct fa_seq s;
	uint64_t i;

	(void)state;
	fa_seq_reset(&s);
	/* joining mid-stream: the first number is where we start */
	for (i = 500; i < 600; i++)
		assert_int_equal(fa_seq_next(&s, i), 0);
	assert_int_equal(s.lost, 0);
}

static void seq_gaps_are_counted(void **state)
{
	struct fa_seq s;

	(void)state;
	fa_seq_reset(&s);
	assert_int_equal(fa_seq_next(&s, 1), 0);
	assert_int_equal(fa_seq_next(&s, 2), 0);
	assert_int_equal(fa_seq_next(&s, 5), 2);	/* 3 and 4 */
	assert_int_equal(fa_seq_next(&s, 6), 0);
	assert_int_equal(fa_seq_next(&s, 106), 99);
	assert_int_equal(s.lost, 101);
}

static void seq_restart_is_not_a_gap(void **state)
{
	struct fa_seq s;

	(void)state;
	fa_seq_reset(&s);
	fa_seq_next(&s, 40);
	fa_seq_next(&s, 41);
	/* the module was reloaded: its numbers start over */
	assert_int_equal(fa_seq_next(&s, 1), 0);
	assert_int_equal(fa_seq_next(&s, 2), 0);
	assert_int_equal(fa_seq_next(&s, 4), 1);
	/* a duplicate is no loss either */
	assert_int_equal(fa_seq_next(&s, 4), 0);
	assert_int_equal(s.lost, 1);
}

static struct fa_record rec(uint32_t tgid, uint32_t ppid, uint64_t start)
{
	struct fa_record r;

	memset(&r, 0, sizeof(r));
	r.have = FA_HAVE_TGID | FA_HAVE_PPID | FA_HAVE_START_TIME;
	r.tgid = tgid;
	r.ppid = ppid;
	r.start_time_ns = start;
	return r;
}

static void tree_any_order(void **state)
{
	/*
	 * root 100 (parent 99, the tool); 101, 102 its children; 103 a
	 * grandchild that arrives before its parent; 200 unrelated
	 */
	struct fa_record r[] = {
		rec(103, 102, 40),
		rec(200, 1, 5),
		rec(102, 100, 30),
		rec(101, 100, 20),
		rec(100, 99, 10),
		rec(104, 103, 50),
		rec(201, 200, 6),
	};
	bool m[7];

	(void)state;
	assert_int_equal(fa_tree_members(r, 7, 100, m), 5);
	assert_true(m[0]);
	assert_false(m[1]);
	assert_true(m[2]);
	assert_true(m[3]);
	assert_true(m[4]);
	assert_true(m[5]);
	assert_false(m[6]);
}

/* The root's own record may be lost: its children still count. */
static void tree_without_root_record(void **state)
{
	struct fa_record r[] = {
		rec(101, 100, 20),
		rec(102, 101, 30),
		rec(300, 299, 1),
	};
	bool m[3];

	(void)state;
	assert_int_equal(fa_tree_members(r, 3, 100, m), 2);
	assert_false(m[2]);
}

/* A link missing in the middle cuts the processes below it off. */
static void tree_broken_chain(void **state)
{
	struct fa_record r[] = {
		rec(100, 99, 10),
		rec(103, 102, 40),	/* 102's record never came */
	};
	bool m[2];

	(void)state;
	assert_int_equal(fa_tree_members(r, 2, 100, m), 1);
	assert_true(m[0]);
	assert_false(m[1]);
}

/*
 * pid 500 was used twice: first outside the tree (start 5), then inside
 * (start 50). 501 (start 60) is a child of the second one; 502 (start 8)
 * of the first.
 */
static void tree_pid_reuse(void **state)
{
	struct fa_record r[] = {
		rec(501, 500, 60),
		rec(500, 1, 5),
		rec(502, 500, 8),
		rec(500, 100, 50),
		rec(100, 99, 10),
	};
	bool m[5];

	(void)state;
	assert_int_equal(fa_tree_members(r, 5, 100, m), 3);
	assert_true(m[0]);
	assert_false(m[1]);
	assert_false(m[2]);
	assert_true(m[3]);
	assert_true(m[4]);
}

static void tree_cycle_terminates(void **state)
{
	struct fa_record r[] = {
		rec(10, 11, 1),
		rec(11, 10, 2),
		rec(12, 12, 3),		/* its own parent */
	};
	bool m[3];

	(void)state;
	assert_int_equal(fa_tree_members(r, 3, 100, m), 0);
}

static void tree_empty(void **state)
{
	bool m[1];

	(void)state;
	assert_int_equal(fa_tree_members(NULL, 0, 100, m), 0);
}

/* A deep chain (a shell script that execs down 5000 levels). */
static void tree_deep_chain(void **state)
{
	enum { N = 5000 };
	static struct fa_record r[N];
	static bool m[N];
	uint32_t i;

	(void)state;
	for (i = 0; i < N; i++)		/* leaf first */
		r[i] = rec(1000 + N - i, 1000 + N - i - 1, N - i);
	assert_int_equal(fa_tree_members(r, N, 1000, m), N);
}

#define HAVE(a)	(1U << (a))

static struct fa_config cfg(bool enabled, uint32_t mode, uint32_t n, ...)
{
	struct fa_config c;
	va_list ap;
	uint32_t i;

	memset(&c, 0, sizeof(c));
	c.enabled = enabled;
	c.filter_mode = mode;
	va_start(ap, n);
	for (i = 0; i < n; i++)
		c.tgids[c.ntgids++] = va_arg(ap, uint32_t);
	va_end(ap);
	return c;
}

/* Under "all", a run changes nothing, and has nothing to undo. */
static void filter_all_untouched(void **state)
{
	struct fa_config c0 = cfg(true, FAULTACCT_FILTER_ALL, 0), set;

	(void)state;
	assert_int_equal(fa_run_filter(&c0, 500, &set), 0);
	assert_int_equal(set.have, 0);
}

/* Disabled: enabled for the child's tree alone, then disabled again. */
static void filter_disabled(void **state)
{
	struct fa_config c0 = cfg(false, FAULTACCT_FILTER_ALL, 0), set, now;

	(void)state;
	assert_int_equal(fa_run_filter(&c0, 500, &set), 0);
	assert_int_equal(set.have, HAVE(FAULTACCT_CONFIG_ENABLED) |
			 HAVE(FAULTACCT_CONFIG_FILTER_MODE) |
			 HAVE(FAULTACCT_CONFIG_FILTER_TGID));
	assert_true(set.enabled);
	assert_int_equal(set.filter_mode, FAULTACCT_FILTER_TREE);
	assert_int_equal(set.ntgids, 1);
	assert_int_equal(set.tgids[0], 500);

	now = cfg(true, FAULTACCT_FILTER_TREE, 1, 500);
	fa_run_unfilter(&c0, &now, 500, &set);
	assert_true(set.have & HAVE(FAULTACCT_CONFIG_ENABLED));
	assert_false(set.enabled);
	assert_int_equal(set.filter_mode, FAULTACCT_FILTER_ALL);
	/* the list cannot be emptied: it is not sent */
	assert_false(set.have & HAVE(FAULTACCT_CONFIG_FILTER_TGID));
}

/* "tgids 1 2": the child joins as a tree; "tgids 1 2" comes back. */
static void filter_tgids(void **state)
{
	struct fa_config c0 = cfg(true, FAULTACCT_FILTER_TGIDS, 2, 1, 2);
	struct fa_config set, now;

	(void)state;
	assert_int_equal(fa_run_filter(&c0, 500, &set), 0);
	assert_false(set.have & HAVE(FAULTACCT_CONFIG_ENABLED));
	assert_int_equal(set.filter_mode, FAULTACCT_FILTER_TREE);
	assert_int_equal(set.ntgids, 3);
	assert_int_equal(set.tgids[0], 1);
	assert_int_equal(set.tgids[2], 500);

	now = set;
	fa_run_unfilter(&c0, &now, 500, &set);
	assert_int_equal(set.have, HAVE(FAULTACCT_CONFIG_FILTER_MODE) |
			 HAVE(FAULTACCT_CONFIG_FILTER_TGID));
	assert_int_equal(set.filter_mode, FAULTACCT_FILTER_TGIDS);
	assert_int_equal(set.ntgids, 2);
	assert_int_equal(set.tgids[1], 2);
}

/*
 * Two runs at once under "tree 1": A adds 500, B adds 600; when A ends
 * only 500 leaves and the mode stays tree; when B ends, "tree 1" is back.
 */
static void filter_two_runs(void **state)
{
	struct fa_config c0a = cfg(true, FAULTACCT_FILTER_TREE, 1, 1);
	struct fa_config c0b, set, now;

	(void)state;
	assert_int_equal(fa_run_filter(&c0a, 500, &set), 0);
	c0b = set;		/* what B reads back: enabled, tree 1 500 */
	c0b.enabled = true;
	assert_int_equal(fa_run_filter(&c0b, 600, &set), 0);
	assert_int_equal(set.ntgids, 3);
	now = set;
	fa_run_unfilter(&c0a, &now, 500, &set);
	assert_int_equal(set.filter_mode, FAULTACCT_FILTER_TREE);
	assert_int_equal(set.ntgids, 2);
	assert_int_equal(set.tgids[0], 1);
	assert_int_equal(set.tgids[1], 600);
	/* B saw "tree 1 500" at its start, but 500 has left: "tree 1" */
	now = set;
	fa_run_unfilter(&c0b, &now, 600, &set);
	assert_int_equal(set.filter_mode, FAULTACCT_FILTER_TREE);
	assert_int_equal(set.ntgids, 1);
	assert_int_equal(set.tgids[0], 1);
	now = cfg(true, FAULTACCT_FILTER_TREE, 1, 1);
	fa_run_unfilter(&c0b, &now, 600, &set);
	assert_int_equal(set.have, 0);		/* 600 is gone already */
}

/* Someone else changed the filter during the run: it is left alone. */
static void filter_changed_meanwhile(void **state)
{
	struct fa_config c0 = cfg(false, FAULTACCT_FILTER_ALL, 0), set, now;

	(void)state;
	now = cfg(true, FAULTACCT_FILTER_ALL, 1, 500);
	fa_run_unfilter(&c0, &now, 500, &set);
	assert_int_equal(set.have, 0);
	now = cfg(true, FAULTACCT_FILTER_TREE, 1, 77);
	fa_run_unfilter(&c0, &now, 500, &set);
	assert_int_equal(set.have, 0);
}

static void filter_full(void **state)
{
	struct fa_config c0 = cfg(true, FAULTACCT_FILTER_TREE, 0), set;
	uint32_t i;

	(void)state;
	for (i = 0; i < FAULTACCT_FILTER_MAX_TGIDS; i++)
		c0.tgids[c0.ntgids++] = i + 1;
	assert_int_equal(fa_run_filter(&c0, 500, &set), -ENOSPC);
	assert_int_equal(set.have, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seq_no_gaps),
		cmocka_unit_test(seq_gaps_are_counted),
		cmocka_unit_test(seq_restart_is_not_a_gap),
		cmocka_unit_test(tree_any_order),
		cmocka_unit_test(tree_without_root_record),
		cmocka_unit_test(tree_broken_chain),
		cmocka_unit_test(tree_pid_reuse),
		cmocka_unit_test(tree_cycle_terminates),
		cmocka_unit_test(tree_empty),
		cmocka_unit_test(tree_deep_chain),
		cmocka_unit_test(filter_all_untouched),
		cmocka_unit_test(filter_disabled),
		cmocka_unit_test(filter_tgids),
		cmocka_unit_test(filter_two_runs),
		cmocka_unit_test(filter_changed_meanwhile),
		cmocka_unit_test(filter_full),
	};

	return cmocka_run_group_tests_name("track", tests, NULL, NULL);
}
