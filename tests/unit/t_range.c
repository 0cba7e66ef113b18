/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_range.c: threshold ranges, exactly as the Monitoring Plugins guidelines
 * define them, and strict about everything else. */
#include "harness.h"
#include "buf.h"
#include "range.h"

static struct xv_range parse_ok(const char *text, unsigned allowed, int *ok)
{
	struct xv_range r = { 0 };
	*ok = xv_range_parse(text, allowed, &r) == XV_RANGE_OK;
	return r;
}

/* Alerts for `text` at each value in `values`, as a string of 0/1. */
static const char *alert_pattern(const char *text, const double *values, size_t n)
{
	static char out[32];
	int ok;
	struct xv_range r = parse_ok(text, XV_ALLOW_PLAIN, &ok);

	if (!ok)
		return "parse error";
	for (size_t i = 0; i < n; i++)
		out[i] = xv_range_alerts(&r, values[i]) ? '1' : '0';
	out[n] = '\0';
	return out;
}

static const double probe[] = { -1, 0, 5, 10, 15, 20, 25 };
#define PROBE(text) alert_pattern(text, probe, sizeof(probe) / sizeof(probe[0]))

/* The guidelines' table of example ranges, probed at -1 0 5 10 15 20 25. */
DEF_TEST(guideline_examples)
{
	EXPECT_EQ_STR("1000111", PROBE("10"));    /* < 0 or > 10 */
	EXPECT_EQ_STR("1110000", PROBE("10:"));   /* < 10 */
	EXPECT_EQ_STR("0000111", PROBE("~:10"));  /* > 10 */
	EXPECT_EQ_STR("1110001", PROBE("10:20")); /* < 10 or > 20 */
	EXPECT_EQ_STR("0001110", PROBE("@10:20"));/* >= 10 and <= 20 */
	return 0;
}

/* The guidelines' command-line examples. */
DEF_TEST(guideline_command_lines)
{
	struct xv_thresholds t = { 0 };
	struct xv_measure m = { .value = 0 };

	/* check_stuff -w10 -c20: critical over 20, warn over 10, critical below 0 */
	EXPECT_EQ_INT(0, xv_range_parse("10", XV_ALLOW_PLAIN, &t.warning));
	EXPECT_EQ_INT(0, xv_range_parse("20", XV_ALLOW_PLAIN, &t.critical));
	t.has_warning = t.has_critical = true;
	m.value = 25;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));
	m.value = 15;
	EXPECT_EQ_INT(XV_WARNING, xv_thresholds_check(&t, &m));
	m.value = 10;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));
	m.value = -1;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));

	/* -w~:10 -c~:20: the same, but negative is OK */
	EXPECT_EQ_INT(0, xv_range_parse("~:10", XV_ALLOW_PLAIN, &t.warning));
	EXPECT_EQ_INT(0, xv_range_parse("~:20", XV_ALLOW_PLAIN, &t.critical));
	m.value = -1;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));
	m.value = 21;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));

	/* -w10: -c20: critical over 20, warn below 10, critical below 0 */
	EXPECT_EQ_INT(0, xv_range_parse("10:", XV_ALLOW_PLAIN, &t.warning));
	EXPECT_EQ_INT(0, xv_range_parse("20", XV_ALLOW_PLAIN, &t.critical));
	m.value = 5;
	EXPECT_EQ_INT(XV_WARNING, xv_thresholds_check(&t, &m));
	m.value = 15;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));
	m.value = -0.5;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));

	/* -c1: critical below 1 */
	t.has_warning = false;
	EXPECT_EQ_INT(0, xv_range_parse("1:", XV_ALLOW_PLAIN, &t.critical));
	m.value = 0;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));
	m.value = 1;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));

	/* -w~:0 -c10: critical above 10, warn above 0 */
	t.has_warning = true;
	EXPECT_EQ_INT(0, xv_range_parse("~:0", XV_ALLOW_PLAIN, &t.warning));
	EXPECT_EQ_INT(0, xv_range_parse("10", XV_ALLOW_PLAIN, &t.critical));
	m.value = 0;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));
	m.value = 0.5;
	EXPECT_EQ_INT(XV_WARNING, xv_thresholds_check(&t, &m));
	m.value = 10.5;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));

	/* -c5:6 */
	t.has_warning = false;
	EXPECT_EQ_INT(0, xv_range_parse("5:6", XV_ALLOW_PLAIN, &t.critical));
	m.value = 4.99;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));
	m.value = 5.5;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));
	m.value = 6.01;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));

	/* -c@10:20: OK below 10 or above 20, otherwise critical */
	EXPECT_EQ_INT(0, xv_range_parse("@10:20", XV_ALLOW_PLAIN, &t.critical));
	m.value = 9.99;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));
	m.value = 15;
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));
	m.value = 20.01;
	EXPECT_EQ_INT(XV_OK, xv_thresholds_check(&t, &m));
	return 0;
}

/* Ends are inclusive: a value equal to start or end is inside. */
DEF_TEST(boundaries)
{
	int ok;
	struct xv_range r = parse_ok("10:20", XV_ALLOW_PLAIN, &ok);

	EXPECT_TRUE(ok);
	EXPECT_TRUE(!xv_range_alerts(&r, 10));
	EXPECT_TRUE(!xv_range_alerts(&r, 20));
	EXPECT_TRUE(xv_range_alerts(&r, 9.999999));
	EXPECT_TRUE(xv_range_alerts(&r, 20.000001));
	r = parse_ok("@10:20", XV_ALLOW_PLAIN, &ok);
	EXPECT_TRUE(xv_range_alerts(&r, 10));
	EXPECT_TRUE(xv_range_alerts(&r, 20));
	EXPECT_TRUE(!xv_range_alerts(&r, 9.999999));
	r = parse_ok("0", XV_ALLOW_PLAIN, &ok); /* only exactly 0 is fine */
	EXPECT_TRUE(ok);
	EXPECT_TRUE(!xv_range_alerts(&r, 0));
	EXPECT_TRUE(xv_range_alerts(&r, 0.001));
	r = parse_ok("5:5", XV_ALLOW_PLAIN, &ok);
	EXPECT_TRUE(ok);
	EXPECT_TRUE(!xv_range_alerts(&r, 5));
	EXPECT_TRUE(xv_range_alerts(&r, 5.001));
	return 0;
}

DEF_TEST(negative_numbers_and_infinity)
{
	int ok;
	struct xv_range r = parse_ok("-10:-5", XV_ALLOW_PLAIN, &ok);

	EXPECT_TRUE(ok);
	EXPECT_EQ_DOUBLE(-10, r.start);
	EXPECT_EQ_DOUBLE(-5, r.end);
	EXPECT_TRUE(xv_range_alerts(&r, -11));
	EXPECT_TRUE(!xv_range_alerts(&r, -7.5));
	EXPECT_TRUE(xv_range_alerts(&r, 0));
	r = parse_ok("~:-5", XV_ALLOW_PLAIN, &ok);
	EXPECT_TRUE(ok && r.start_infinite && !r.end_infinite);
	EXPECT_TRUE(!xv_range_alerts(&r, -1e300));
	EXPECT_TRUE(xv_range_alerts(&r, -4));
	r = parse_ok("-3:", XV_ALLOW_PLAIN, &ok);
	EXPECT_TRUE(ok && r.end_infinite);
	EXPECT_TRUE(!xv_range_alerts(&r, 1e300));
	EXPECT_TRUE(xv_range_alerts(&r, -3.5));
	r = parse_ok("@~:0", XV_ALLOW_PLAIN, &ok); /* alert at zero or below */
	EXPECT_TRUE(ok);
	EXPECT_TRUE(xv_range_alerts(&r, 0));
	EXPECT_TRUE(xv_range_alerts(&r, -7));
	EXPECT_TRUE(!xv_range_alerts(&r, 0.1));
	r = parse_ok("~:", XV_ALLOW_PLAIN, &ok); /* everything: never alerts */
	EXPECT_TRUE(ok);
	EXPECT_TRUE(!xv_range_alerts(&r, -1e300) && !xv_range_alerts(&r, 1e300));
	return 0;
}

DEF_TEST(units)
{
	int ok;
	struct xv_range r = parse_ok("10%:", XV_ALLOW_MEMORY, &ok);
	struct xv_measure m = { .value = 2.0 * 1073741824, .whole = 32.0 * 1073741824 };
	double v;

	EXPECT_TRUE(ok);
	EXPECT_EQ_INT(XV_UNIT_PERCENT, r.unit);
	EXPECT_TRUE(xv_range_value(&r, &m, &v));
	EXPECT_EQ_DOUBLE(6.25, v);
	EXPECT_TRUE(xv_range_alerts(&r, v));

	r = parse_ok("2G:", XV_ALLOW_MEMORY, &ok);
	EXPECT_TRUE(ok);
	EXPECT_EQ_INT(XV_UNIT_BYTES, r.unit);
	EXPECT_EQ_DOUBLE(2147483648.0, r.start);
	EXPECT_TRUE(xv_range_value(&r, &m, &v));
	EXPECT_TRUE(!xv_range_alerts(&r, v)); /* exactly 2G is inside */

	r = parse_ok("512M:4GiB", XV_ALLOW_MEMORY, &ok);
	EXPECT_TRUE(ok);
	EXPECT_EQ_DOUBLE(536870912.0, r.start);
	EXPECT_EQ_DOUBLE(4294967296.0, r.end);

	/* percent without a whole cannot be evaluated: UNKNOWN */
	struct xv_thresholds t = { .has_warning = true };
	t.warning = parse_ok("10%", XV_ALLOW_MEMORY, &ok);
	m.whole = 0;
	EXPECT_EQ_INT(XV_UNKNOWN, xv_thresholds_check(&t, &m));
	return 0;
}

DEF_TEST(critical_before_warning)
{
	struct xv_thresholds t = { .has_warning = true, .has_critical = true };
	struct xv_measure m = { .value = 50 };

	/* both alert: critical wins */
	EXPECT_EQ_INT(0, xv_range_parse("10", XV_ALLOW_PLAIN, &t.warning));
	EXPECT_EQ_INT(0, xv_range_parse("20", XV_ALLOW_PLAIN, &t.critical));
	EXPECT_EQ_INT(XV_CRITICAL, xv_thresholds_check(&t, &m));
	/* a critical range wider than the warning one still goes first */
	EXPECT_EQ_INT(0, xv_range_parse("100", XV_ALLOW_PLAIN, &t.critical));
	EXPECT_EQ_INT(XV_WARNING, xv_thresholds_check(&t, &m));
	return 0;
}

DEF_TEST(malformed_ranges)
{
	static const struct {
		const char *text;
		enum xv_range_error err;
	} bad[] = {
		{ "", XV_RANGE_EMPTY },
		{ "@", XV_RANGE_NO_END },
		{ "~", XV_RANGE_NO_END },
		{ "10x", XV_RANGE_BAD_UNIT },
		{ "x10", XV_RANGE_BAD_END },
		{ ":10", XV_RANGE_NO_START },
		{ "1:2:3", XV_RANGE_EXTRA_COLON },
		{ "10:~", XV_RANGE_INFINITE_END },
		{ "20:10", XV_RANGE_START_AFTER_END },
		{ "-5", XV_RANGE_START_AFTER_END },
		{ "10%:2G", XV_RANGE_MIXED_UNITS },
		{ "5:10%", XV_RANGE_MIXED_UNITS },
		{ " 10", XV_RANGE_BAD_END },
		{ "10 ", XV_RANGE_BAD_END },
		{ "1e3", XV_RANGE_BAD_UNIT },
		{ "0x10", XV_RANGE_BAD_UNIT },
		{ "+10", XV_RANGE_BAD_END },
		{ "10..20", XV_RANGE_BAD_END },
		{ "1,5", XV_RANGE_BAD_END },
		{ "@@10", XV_RANGE_BAD_END },
		{ "~10", XV_RANGE_NO_END },
		{ "10:20x", XV_RANGE_BAD_UNIT },
		{ "abc:10", XV_RANGE_BAD_START },
		{ "nan", XV_RANGE_BAD_END },
		{ "inf:", XV_RANGE_BAD_START },
		{ ".5", XV_RANGE_BAD_END },
		{ "5.", XV_RANGE_BAD_END },
		{ "--1", XV_RANGE_BAD_END },
		{ "10%%", XV_RANGE_BAD_END },
		{ "@~:", XV_RANGE_OK }, /* valid: always alert (sanity check of the table) */
	};
	struct xv_range r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum xv_range_error e = xv_range_parse(bad[i].text, XV_ALLOW_MEMORY, &r);
		if (e != bad[i].err)
			FAIL_AT("\"%s\": expected error %d (%s), got %d (%s)", bad[i].text, bad[i].err,
				xv_range_strerror(bad[i].err), e, xv_range_strerror(e));
	}
	/* units a threshold does not take */
	EXPECT_EQ_INT(XV_RANGE_UNIT_REFUSED, xv_range_parse("10%", XV_ALLOW_PLAIN, &r));
	EXPECT_EQ_INT(XV_RANGE_UNIT_REFUSED, xv_range_parse("2G", XV_ALLOW_PERCENT, &r));
	EXPECT_EQ_STR("start is greater than end", xv_range_strerror(XV_RANGE_START_AFTER_END));
	return 0;
}

DEF_TEST(format_round_trip)
{
	static const char *texts[] = { "10", "10:", "~:10", "10:20", "@10:20", "-5:-1", "@~:0",
				       "2.5:7.75", "0:" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct xv_range r;
		struct xv_buf b = XV_BUF_INIT;
		EXPECT_EQ_INT(0, xv_range_parse(texts[i], XV_ALLOW_PLAIN, &r));
		xv_range_format(&r, 1, false, &b);
		if (strcmp(b.data, texts[i]))
			FAIL_AT("\"%s\" formats as \"%s\"", texts[i], b.data);
		xv_buf_release(&b);
	}
	/* scaling: 10% of 1000 bytes, rounded to whole bytes */
	struct xv_range r;
	struct xv_buf b = XV_BUF_INIT;
	EXPECT_EQ_INT(0, xv_range_parse("10%:", XV_ALLOW_MEMORY, &r));
	xv_range_format(&r, 1001.0 / 100, true, &b);
	EXPECT_EQ_STR("100:", b.data);
	xv_buf_release(&b);
	return 0;
}

int main(void)
{
	RUN_TEST(guideline_examples);
	RUN_TEST(guideline_command_lines);
	RUN_TEST(boundaries);
	RUN_TEST(negative_numbers_and_infinity);
	RUN_TEST(units);
	RUN_TEST(critical_before_warning);
	RUN_TEST(malformed_ranges);
	RUN_TEST(format_round_trip);
	END_TEST;
}
