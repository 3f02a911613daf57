// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "track.h"

void fa_seq_reset(struct fa_seq *s)
{
	memset(s, 0, sizeof(*s));
}

uint64_t fa_seq_next(struct fa_seq *s, uint64_t seq)
{
	uint64_t gap = 0;

	if (s->started && seq > s->last)
		gap = seq - s->last - 1;
	s->started = true;
	s->last = seq;
	s->lost += gap;
	return gap;
}

/* qsort has no context argument: the records being sorted. */
static const struct fa_record *sort_recs;

static int by_tgid(const void *a, const void *b)
{
	const struct fa_record *x = &sort_recs[*(const size_t *)a];
	const struct fa_record *y = &sort_recs[*(const size_t *)b];

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	if (x->start_time_ns != y->start_time_ns)
		return x->start_time_ns < y->start_time_ns ? -1 : 1;
	return 0;
}

/* The record of i's parent, or -1 when none was received. */
static long parent_of(const struct fa_record *recs, const size_t *idx,
		      size_t n, size_t i)
{
	uint32_t ppid = recs[i].ppid;
	size_t lo = 0, hi = n, k;
	long best = -1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (recs[idx[mid]].tgid < ppid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < n && recs[idx[k]].tgid == ppid; k++) {
		if (idx[k] == i)
			continue;
		if (best < 0 ||
		    recs[idx[k]].start_time_ns <= recs[i].start_time_ns)
			best = (long)idx[k];
	}
	return best;
}

enum { UNKNOWN, VISITING, IN, OUT };

long fa_tree_members(const struct fa_record *recs, size_t n, uint32_t root,
		     bool *member)
{
	size_t *idx, *path, i, k, depth;
	unsigned char *state;
	long count = 0;

	idx = calloc(n ? n : 1, sizeof(*idx));
	path = calloc(n ? n : 1, sizeof(*path));
	state = calloc(n ? n : 1, 1);
	if (!idx || !path || !state) {
		free(idx);
		free(path);
		free(state);
		return -1;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_recs = recs;
	qsort(idx, n, sizeof(*idx), by_tgid);

	/* Walk up from each record until an answer is known, then mark the path. */
	for (i = 0; i < n; i++) {
		size_t cur = i;
		unsigned char res;

		depth = 0;
		for (;;) {
			long p;

			if (state[cur] == IN || state[cur] == OUT) {
				res = state[cur];
				break;
			}
			if (state[cur] == VISITING) {
				res = OUT;	/* a cycle never reaches root */
				break;
			}
			state[cur] = VISITING;
			path[depth++] = cur;
			if (recs[cur].tgid == root || recs[cur].ppid == root) {
				res = IN;
				break;
			}
			p = parent_of(recs, idx, n, cur);
			if (p < 0) {
				res = OUT;
				break;
			}
			cur = (size_t)p;
		}
		for (k = 0; k < depth; k++)
			state[path[k]] = res;
	}
	for (i = 0; i < n; i++) {
		member[i] = state[i] == IN;
		count += member[i];
	}
	free(idx);
	free(path);
	free(state);
	return count;
}

#define HAVE(attr)	(1U << (attr))

static bool in_list(const struct fa_config *c, uint32_t pid)
{
	uint32_t i;

	for (i = 0; i < c->ntgids; i++)
		if (c->tgids[i] == pid)
			return true;
	return false;
}

int fa_run_filter(const struct fa_config *c0, uint32_t child,
		  struct fa_config *set)
{
	memset(set, 0, sizeof(*set));
	if (c0->enabled && c0->filter_mode == FAULTACCT_FILTER_ALL)
		return 0;
	set->have = HAVE(FAULTACCT_CONFIG_FILTER_MODE) |
		    HAVE(FAULTACCT_CONFIG_FILTER_TGID);
	set->filter_mode = FAULTACCT_FILTER_TREE;
	if (c0->enabled) {
		if (c0->ntgids >= FAULTACCT_FILTER_MAX_TGIDS) {
			set->have = 0;
			return -ENOSPC;
		}
		memcpy(set->tgids, c0->tgids,
		       c0->ntgids * sizeof(set->tgids[0]));
		set->ntgids = c0->ntgids;
	} else {
		set->have |= HAVE(FAULTACCT_CONFIG_ENABLED);
		set->enabled = true;
	}
	set->tgids[set->ntgids++] = child;
	return 0;
}

void fa_run_unfilter(const struct fa_config *c0, const struct fa_config *now,
		     uint32_t child, struct fa_config *set)
{
	uint32_t i;

	memset(set, 0, sizeof(*set));
	/* changed by someone else since: theirs to keep */
	if (now->filter_mode != FAULTACCT_FILTER_TREE || !in_list(now, child))
		return;
	for (i = 0; i < now->ntgids; i++)
		if (now->tgids[i] != child)
			set->tgids[set->ntgids++] = now->tgids[i];
	set->have = HAVE(FAULTACCT_CONFIG_FILTER_MODE);
	set->filter_mode = FAULTACCT_FILTER_TREE;
	/* an empty list cannot be sent: the dead pid then stays listed */
	if (set->ntgids)
		set->have |= HAVE(FAULTACCT_CONFIG_FILTER_TGID);
	if (!c0->enabled) {
		set->have |= HAVE(FAULTACCT_CONFIG_ENABLED);
		set->enabled = false;
	}
	/* back to the old mode when the list is the old one again */
	if (set->ntgids == c0->ntgids &&
	    !memcmp(set->tgids, c0->tgids, c0->ntgids * sizeof(c0->tgids[0])))
		set->filter_mode = c0->filter_mode;
}
