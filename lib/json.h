/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.h: a small streaming JSON writer into an xv_buf.
 *
 *   struct xv_json j;
 *   xv_json_init(&j, &buf);
 *   xv_json_object_begin(&j, NULL);
 *   xv_json_string(&j, "name", "seed-test2");
 *   xv_json_u64(&j, "guests", 30);
 *   xv_json_object_end(&j);
 *
 * Inside an object every value takes a key; inside an array the key must be
 * NULL.  Output is indented by two spaces per level, ends with a newline when
 * the outermost value closes, and uses the C locale for numbers.  Non-finite
 * doubles are written as null (JSON has no NaN). */
#ifndef XV_JSON_H
#define XV_JSON_H

#include "buf.h"

#include <stdbool.h>
#include <stdint.h>

#define XV_JSON_MAX_DEPTH 32

struct xv_json {
	struct xv_buf *out;
	int depth;
	bool first[XV_JSON_MAX_DEPTH]; /* no value written yet at this level */
};

void xv_json_init(struct xv_json *j, struct xv_buf *out);

/* Appends `s` as a JSON string literal, escaped (control characters as
 * \uXXXX); text that is not valid UTF-8 is cleaned first (text.h). */
void xv_json_add_quoted(struct xv_buf *b, const char *s);

void xv_json_object_begin(struct xv_json *j, const char *key);
void xv_json_object_end(struct xv_json *j);
void xv_json_array_begin(struct xv_json *j, const char *key);
void xv_json_array_end(struct xv_json *j);
/* NULL `s` is written as null. */
void xv_json_string(struct xv_json *j, const char *key, const char *s);
void xv_json_u64(struct xv_json *j, const char *key, uint64_t v);
void xv_json_i64(struct xv_json *j, const char *key, int64_t v);
void xv_json_double(struct xv_json *j, const char *key, double v);
void xv_json_bool(struct xv_json *j, const char *key, bool v);
void xv_json_null(struct xv_json *j, const char *key);

#endif
