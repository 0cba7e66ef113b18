/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_json.c: the JSON writer's exact output: nesting, commas, escapes, numbers. */
#include "harness.h"
#include "json.h"

#include <math.h>
#include <stdlib.h>

DEF_TEST(nested_document)
{
	struct xv_buf b = XV_BUF_INIT;
	struct xv_json j;

	xv_json_init(&j, &b);
	xv_json_object_begin(&j, NULL);
	xv_json_string(&j, "name", "seed-test2");
	xv_json_u64(&j, "guests", 30);
	xv_json_i64(&j, "delta", -3);
	xv_json_double(&j, "ratio", 2.5);
	xv_json_bool(&j, "interrupted", false);
	xv_json_null(&j, "failure");
	xv_json_array_begin(&j, "charts");
	xv_json_string(&j, NULL, "free.png");
	xv_json_u64(&j, NULL, 7);
	xv_json_array_end(&j);
	xv_json_array_begin(&j, "empty");
	xv_json_array_end(&j);
	xv_json_object_begin(&j, "host");
	xv_json_u64(&j, "memory_kib", 50331648);
	xv_json_object_end(&j);
	xv_json_object_end(&j);
	EXPECT_EQ_STR("{\n"
		      "  \"name\": \"seed-test2\",\n"
		      "  \"guests\": 30,\n"
		      "  \"delta\": -3,\n"
		      "  \"ratio\": 2.5,\n"
		      "  \"interrupted\": false,\n"
		      "  \"failure\": null,\n"
		      "  \"charts\": [\n"
		      "    \"free.png\",\n"
		      "    7\n"
		      "  ],\n"
		      "  \"empty\": [],\n"
		      "  \"host\": {\n"
		      "    \"memory_kib\": 50331648\n"
		      "  }\n"
		      "}\n", b.data);
	xv_buf_release(&b);
	return 0;
}

DEF_TEST(escapes)
{
	struct xv_buf b = XV_BUF_INIT;

	xv_json_add_quoted(&b, "a\"b\\c\nd\te\x01\x7f" "é");
	/* \x01 is no XML character: every document gets the same text (text.h) */
	EXPECT_EQ_STR("\"a\\\"b\\\\c\\nd\\te\xef\xbf\xbd\\u007fé\"", b.data);
	xv_buf_release(&b);
	return 0;
}

DEF_TEST(numbers_and_nulls)
{
	struct xv_buf b = XV_BUF_INIT;
	struct xv_json j;

	xv_json_init(&j, &b);
	xv_json_array_begin(&j, NULL);
	xv_json_double(&j, NULL, 0.125);
	xv_json_double(&j, NULL, 1e6);
	xv_json_double(&j, NULL, NAN);
	xv_json_double(&j, NULL, INFINITY);
	xv_json_string(&j, NULL, NULL);
	xv_json_array_end(&j);
	EXPECT_EQ_STR("[\n  0.125,\n  1000000,\n  null,\n  null,\n  null\n]\n", b.data);
	xv_buf_release(&b);
	return 0;
}

int main(void)
{
	RUN_TEST(nested_document);
	RUN_TEST(escapes);
	RUN_TEST(numbers_and_nulls);
	END_TEST;
}
