// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "json.h"

void fa_json_init(struct fa_json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void indent(struct fa_json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator and indentation before a value or a key. */
static void before_item(struct fa_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0 && j->nonempty[j->depth - 1])
		fputc(',', j->f);
	if (j->depth > 0) {
		j->nonempty[j->depth - 1] = true;
		indent(j);
	}
}

static void nest_open(struct fa_json *j, char c)
{
	before_item(j);
	fputc(c, j->f);
	if (j->depth < FA_JSON_DEPTH)
		j->nonempty[j->depth] = false;
	j->depth++;
}

static void nest_close(struct fa_json *j, char c)
{
	bool nonempty = j->depth <= FA_JSON_DEPTH && j->nonempty[j->depth - 1];

	j->depth--;
	if (nonempty)
		indent(j);
	fputc(c, j->f);
}

void fa_json_obj_begin(struct fa_json *j)
{
	nest_open(j, '{');
}

void fa_json_obj_end(struct fa_json *j)
{
	nest_close(j, '}');
}

void fa_json_arr_begin(struct fa_json *j)
{
	nest_open(j, '[');
}

void fa_json_arr_end(struct fa_json *j)
{
	nest_close(j, ']');
}

void fa_json_key(struct fa_json *j, const char *key)
{
	before_item(j);
	fa_json_write_string(j->f, key, strlen(key));
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void fa_json_u64(struct fa_json *j, uint64_t v)
{
	before_item(j);
	fprintf(j->f, "%" PRIu64, v);
}

void fa_json_i64(struct fa_json *j, int64_t v)
{
	before_item(j);
	fprintf(j->f, "%" PRId64, v);
}

void fa_json_bool(struct fa_json *j, bool v)
{
	before_item(j);
	fputs(v ? "true" : "false", j->f);
}

void fa_json_null(struct fa_json *j)
{
	before_item(j);
	fputs("null", j->f);
}

void fa_json_str(struct fa_json *j, const char *s)
{
	before_item(j);
	fa_json_write_string(j->f, s, strlen(s));
}

void fa_json_end(struct fa_json *j)
{
	fputc('\n', j->f);
}

void fa_json_kv_u64(struct fa_json *j, const char *key, uint64_t v)
{
	fa_json_key(j, key);
	fa_json_u64(j, v);
}

void fa_json_kv_i64(struct fa_json *j, const char *key, int64_t v)
{
	fa_json_key(j, key);
	fa_json_i64(j, v);
}

void fa_json_kv_str(struct fa_json *j, const char *key, const char *s)
{
	fa_json_key(j, key);
	fa_json_str(j, s);
}

void fa_json_kv_bool(struct fa_json *j, const char *key, bool v)
{
	fa_json_key(j, key);
	fa_json_bool(j, v);
}

/*
 * Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0 if there is none.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void fa_json_write_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	fputc('"', f);
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20) {
				fprintf(f, "\\u%04x", c);
				break;
			}
			len = utf8_len(s + i, n - i);
			if (!len) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s + i, 1, len, f);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', f);
}
