/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer: commas, nesting and string escaping. */
#ifndef FA_JSON_H
#define FA_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FA_JSON_DEPTH	16

struct fa_json {
	FILE *f;
	bool pretty;
	int depth;
	bool after_key;
	bool nonempty[FA_JSON_DEPTH];
};

void fa_json_init(struct fa_json *j, FILE *f, bool pretty);
void fa_json_obj_begin(struct fa_json *j);
void fa_json_obj_end(struct fa_json *j);
void fa_json_arr_begin(struct fa_json *j);
void fa_json_arr_end(struct fa_json *j);
void fa_json_key(struct fa_json *j, const char *key);
void fa_json_u64(struct fa_json *j, uint64_t v);
void fa_json_i64(struct fa_json *j, int64_t v);
void fa_json_bool(struct fa_json *j, bool v);
void fa_json_null(struct fa_json *j);
void fa_json_str(struct fa_json *j, const char *s);
/* Ends the document with a newline. */
void fa_json_end(struct fa_json *j);

/* key + value in one call */
void fa_json_kv_u64(struct fa_json *j, const char *key, uint64_t v);
void fa_json_kv_i64(struct fa_json *j, const char *key, int64_t v);
void fa_json_kv_str(struct fa_json *j, const char *key, const char *s);
void fa_json_kv_bool(struct fa_json *j, const char *key, bool v);

/*
 * Writes s[0..n) as a JSON string literal: quotes, backslash and control
 * characters escaped, valid UTF-8 kept as is, and every byte that is not
 * part of a valid UTF-8 sequence replaced by U+FFFD.
 */
void fa_json_write_string(FILE *f, const char *s, size_t n);

#endif
