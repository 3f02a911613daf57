/* SPDX-License-Identifier: GPL-2.0 */
/* Bookkeeping over the multicast streams: sequence gaps, process trees. */
#ifndef FA_TRACK_H
#define FA_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* FAULTACCT_A_SEQ of one group: counts from 1, one per message. */
struct fa_seq {
	bool started;
	uint64_t last;
	uint64_t lost;		/* messages missed, in all */
};

void fa_seq_reset(struct fa_seq *s);
/*
 * Takes the next message's number and returns how many were missed just
 * before it (also added to s->lost). The first number seen is a start,
 * not a gap. A number that does not move forward means the module was
 * loaded again and counts anew: it is a new start.
 */
uint64_t fa_seq_next(struct fa_seq *s, uint64_t seq);

/*
 * Which records belong to the process tree rooted at root: a record does
 * if it is root's, or its PPID is root, or its PPID names a record that
 * belongs. Records may come in any order. When a pid was used twice, the
 * parent is the record with that tgid that started last, but not after
 * the child. member[] gets one answer per record. Returns the number of
 * members, or -1 when out of memory.
 */
long fa_tree_members(const struct fa_record *recs, size_t n, uint32_t root,
		     bool *member);

/*
 * The configuration `run` sends so that the module tracks its child's
 * tree, disturbing others as little as it can: under "all", nothing
 * (set->have is 0); under "tgids" or "tree", the child joins the list, as
 * a tree, so that the processes listed stay tracked; when accounting is
 * disabled, it is enabled for the child's tree alone. -ENOSPC when the
 * list is full.
 */
int fa_run_filter(const struct fa_config *c0, uint32_t child,
		  struct fa_config *set);
/*
 * What to send at the end to undo it, given the configuration before (c0)
 * and now: the child leaves the list, and the old mode and enabled state
 * come back. Nothing (set->have is 0) if someone else changed the
 * configuration in the meantime.
 */
void fa_run_unfilter(const struct fa_config *c0, const struct fa_config *now,
		     uint32_t child, struct fa_config *set);

#endif
