/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_csv.c: CSV fields are quoted only when needed and split back exactly. */
#include "harness.h"
#include "csv.h"

static const char *field(const char *s)
{
	static struct xv_buf b = XV_BUF_INIT;

	xv_buf_reset(&b);
	xv_csv_add_field(&b, s);
	return b.data;
}

DEF_TEST(quotes_only_when_needed)
{
	EXPECT_EQ_STR("stress-001", field("stress-001"));
	EXPECT_EQ_STR("", field(""));
	EXPECT_EQ_STR("", field(NULL));
	EXPECT_EQ_STR("\"a,b\"", field("a,b"));
	EXPECT_EQ_STR("\"say \"\"hi\"\"\"", field("say \"hi\""));
	EXPECT_EQ_STR("\"two\nlines\"", field("two\nlines"));
	EXPECT_EQ_STR("\" padded\"", field(" padded"));
	return 0;
}

DEF_TEST(split_plain_and_quoted)
{
	char line[] = "1.5,create,\"a,b\",\"x \"\"y\"\"\",,last";
	char *f[8];

	EXPECT_EQ_INT(6, xv_csv_split(line, f, 8));
	EXPECT_EQ_STR("1.5", f[0]);
	EXPECT_EQ_STR("create", f[1]);
	EXPECT_EQ_STR("a,b", f[2]);
	EXPECT_EQ_STR("x \"y\"", f[3]);
	EXPECT_EQ_STR("", f[4]);
	EXPECT_EQ_STR("last", f[5]);
	return 0;
}

DEF_TEST(split_edges)
{
	char empty[] = "", trailing[] = "a,", open[] = "a,\"b", junk[] = "\"a\"b,c", many[] = "a,b,c";
	char *f[4];

	EXPECT_EQ_INT(1, xv_csv_split(empty, f, 4));
	EXPECT_EQ_STR("", f[0]);
	EXPECT_EQ_INT(2, xv_csv_split(trailing, f, 4));
	EXPECT_EQ_STR("", f[1]);
	EXPECT_EQ_INT(-1, xv_csv_split(open, f, 4));
	EXPECT_EQ_INT(-1, xv_csv_split(junk, f, 4));
	EXPECT_EQ_INT(-1, xv_csv_split(many, f, 2));
	return 0;
}

DEF_TEST(round_trip)
{
	const char *values[] = { "plain", "with,comma", "with \"quote\"", "", " edge " };
	struct xv_buf b = XV_BUF_INIT;
	char *f[8];

	for (size_t i = 0; i < 5; i++) {
		if (i)
			xv_buf_addch(&b, ',');
		xv_csv_add_field(&b, values[i]);
	}
	EXPECT_EQ_INT(5, xv_csv_split(b.data, f, 8));
	for (size_t i = 0; i < 5; i++)
		EXPECT_EQ_STR(values[i], f[i]);
	xv_buf_release(&b);
	return 0;
}

int main(void)
{
	RUN_TEST(quotes_only_when_needed);
	RUN_TEST(split_plain_and_quoted);
	RUN_TEST(split_edges);
	RUN_TEST(round_trip);
	END_TEST;
}
