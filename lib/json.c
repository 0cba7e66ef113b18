/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.c: the JSON writer. */
#include "json.h"
#include "text.h"
#include "num.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

void xv_json_init(struct xv_json *j, struct xv_buf *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
}

void xv_json_add_quoted(struct xv_buf *b, const char *raw)
{
	struct xv_buf clean = XV_BUF_INIT;
	const char *s;

	/* JSON must be UTF-8: invalid bytes become U+FFFD (text.h) */
	xv_text_clean(&clean, raw, XV_TEXT_DOCUMENT);
	s = clean.data;
	xv_buf_addch(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			xv_buf_adds(b, "\\\"");
			break;
		case '\\':
			xv_buf_adds(b, "\\\\");
			break;
		case '\n':
			xv_buf_adds(b, "\\n");
			break;
		case '\r':
			xv_buf_adds(b, "\\r");
			break;
		case '\t':
			xv_buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				xv_buf_addf(b, "\\u%04x", c);
			else
				xv_buf_addch(b, (char)c);
		}
	}
	xv_buf_addch(b, '"');
	xv_buf_release(&clean);
}

static void indent(struct xv_json *j)
{
	for (int i = 0; i < j->depth; i++)
		xv_buf_adds(j->out, "  ");
}

/* Separator, indentation and key before a value. */
static void begin_value(struct xv_json *j, const char *key)
{
	if (j->depth > 0) {
		xv_buf_adds(j->out, j->first[j->depth] ? "\n" : ",\n");
		indent(j);
	}
	j->first[j->depth] = false;
	if (key) {
		xv_json_add_quoted(j->out, key);
		xv_buf_adds(j->out, ": ");
	}
}

static void end_value(struct xv_json *j)
{
	if (j->depth == 0)
		xv_buf_addch(j->out, '\n');
}

static void open_level(struct xv_json *j, const char *key, char c)
{
	begin_value(j, key);
	xv_buf_addch(j->out, c);
	if (j->depth + 1 < XV_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct xv_json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		xv_buf_addch(j->out, '\n');
		indent(j);
	}
	xv_buf_addch(j->out, c);
	end_value(j);
}

void xv_json_object_begin(struct xv_json *j, const char *key)
{
	open_level(j, key, '{');
}

void xv_json_object_end(struct xv_json *j)
{
	close_level(j, '}');
}

void xv_json_array_begin(struct xv_json *j, const char *key)
{
	open_level(j, key, '[');
}

void xv_json_array_end(struct xv_json *j)
{
	close_level(j, ']');
}

void xv_json_string(struct xv_json *j, const char *key, const char *s)
{
	begin_value(j, key);
	if (s)
		xv_json_add_quoted(j->out, s);
	else
		xv_buf_adds(j->out, "null");
	end_value(j);
}

void xv_json_u64(struct xv_json *j, const char *key, uint64_t v)
{
	begin_value(j, key);
	xv_buf_addf(j->out, "%" PRIu64, v);
	end_value(j);
}

void xv_json_i64(struct xv_json *j, const char *key, int64_t v)
{
	begin_value(j, key);
	xv_buf_addf(j->out, "%" PRId64, v);
	end_value(j);
}

void xv_json_double(struct xv_json *j, const char *key, double v)
{
	begin_value(j, key);
	if (!isfinite(v))
		xv_buf_adds(j->out, "null");
	else
		xv_buf_add_double(j->out, v);
	end_value(j);
}

void xv_json_bool(struct xv_json *j, const char *key, bool v)
{
	begin_value(j, key);
	xv_buf_adds(j->out, v ? "true" : "false");
	end_value(j);
}

void xv_json_null(struct xv_json *j, const char *key)
{
	begin_value(j, key);
	xv_buf_adds(j->out, "null");
	end_value(j);
}
