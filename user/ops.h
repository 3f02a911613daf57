/* SPDX-License-Identifier: GPL-2.0 */
/* The faultacct family's commands, as C calls. All return 0 or -errno. */
#ifndef FA_OPS_H
#define FA_OPS_H

#include "nl.h"
#include "record.h"

/* STATUS; cfg may be NULL. */
int fa_op_status(struct fa_nl *nl, struct fa_status *st,
		 struct fa_config *cfg);
/*
 * CONFIG with the attributes of set named in set->have (1U << attr);
 * the configuration now in force is returned in out (may be NULL).
 */
int fa_op_config(struct fa_nl *nl, const struct fa_config *set,
		 struct fa_config *out);
/* RESET of one process, or of all with tgid 0. */
int fa_op_reset(struct fa_nl *nl, uint32_t tgid);
/* GET do: -ENOENT when the process is not tracked. */
int fa_op_get(struct fa_nl *nl, uint32_t tgid, struct fa_record *rec);
/*
 * GET dump: the records are appended to *recs (realloc'd), *n counts
 * them; a dump that the kernel marks interrupted is started again.
 */
int fa_op_dump(struct fa_nl *nl, struct fa_record **recs, size_t *n);

#endif
