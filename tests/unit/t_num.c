/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_num.c: strict number parsing. */
#include "harness.h"

#include <errno.h>
#include "num.h"

#include <inttypes.h>
#include <stdio.h>

DEF_TEST(double_accepts_plain_decimals)
{
	double v;

	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_double("10", &v));
	EXPECT_EQ_DOUBLE(10.0, v);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_double("-2.5", &v));
	EXPECT_EQ_DOUBLE(-2.5, v);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_double("0.001", &v));
	EXPECT_EQ_DOUBLE(0.001, v);
	return 0;
}

DEF_TEST(double_rejects_garbage)
{
	static const char *bad[] = { "", "10x", " 10", "10 ", "+1", "1e3", "0x10", "inf", "nan",
				     "-", ".5", "5.", "1..2", "1,5", "--1", "1-" };
	double v = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (xv_parse_double(bad[i], &v) == XV_NUM_OK)
			FAIL_AT("accepted \"%s\"", bad[i]);
	}
	EXPECT_EQ_DOUBLE(42, v); /* untouched on error */
	return 0;
}

DEF_TEST(u64_limits)
{
	uint64_t v;

	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_u64("18446744073709551615", 0, UINT64_MAX, &v));
	EXPECT_EQ_U64(UINT64_MAX, v);
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_u64("18446744073709551616", 0, UINT64_MAX, &v));
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_u64("11", 0, 10, &v));
	EXPECT_EQ_INT(XV_NUM_INVALID, xv_parse_u64("-1", 0, 10, &v));
	EXPECT_EQ_INT(XV_NUM_EMPTY, xv_parse_u64("", 0, 10, &v));
	/* overflow is looked for from the 20th digit: leading zeros, 10^19,
	 * 21 digits */
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_u64("0000000000000000000000001", 0, UINT64_MAX, &v));
	EXPECT_EQ_U64(1, v);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_u64("10000000000000000000", 0, UINT64_MAX, &v));
	EXPECT_EQ_U64(10000000000000000000ULL, v);
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_u64("99999999999999999999", 0, UINT64_MAX, &v));
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_u64("184467440737095516150", 0, UINT64_MAX, &v));
	/* the digits at the start, and where they end */
	const char *end = NULL;
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_u64_digits("4096 -", &end, &v));
	EXPECT_EQ_U64(4096, v);
	EXPECT_EQ_STR(" -", end);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_u64_digits("18446744073709551615", &end, &v));
	EXPECT_EQ_U64(UINT64_MAX, v);
	EXPECT_EQ_STR("", end);
	EXPECT_EQ_INT(XV_NUM_INVALID, xv_parse_u64_digits(" 1", &end, &v));
	EXPECT_EQ_INT(XV_NUM_EMPTY, xv_parse_u64_digits("", &end, &v));
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_u64_digits("18446744073709551616 ", &end, &v));
	/* every length up to 24 digits, as strtoull() reads it */
	for (unsigned i = 0, x = 12345; i < 20000; i++) {
		char text[32];
		unsigned digits = 1 + i % 24;
		for (unsigned k = 0; k < digits; k++) {
			x = x * 1103515245u + 12345u;
			text[k] = (char)('0' + (x >> 16) % 10);
		}
		text[digits] = '\0';
		errno = 0;
		unsigned long long want = strtoull(text, NULL, 10);
		enum xv_num_error got = xv_parse_u64(text, 0, UINT64_MAX, &v);
		if (errno == ERANGE) {
			EXPECT_EQ_INT(XV_NUM_RANGE, got);
		} else {
			EXPECT_EQ_INT(XV_NUM_OK, got);
			EXPECT_EQ_U64(want, v);
		}
	}
	return 0;
}

DEF_TEST(i64_limits)
{
	int64_t v;

	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v));
	EXPECT_TRUE(v == INT64_MIN);
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v));
	EXPECT_EQ_INT(XV_NUM_INVALID, xv_parse_i64("-", INT64_MIN, INT64_MAX, &v));
	return 0;
}

DEF_TEST(kib_units)
{
	uint64_t kib;

	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_kib("4096", &kib));
	EXPECT_EQ_U64(4096, kib);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_kib("4G", &kib));
	EXPECT_EQ_U64(4194304, kib);
	/* every spelling of every unit, any case; and the near misses */
	static const char *const good[] = { "2k", "2K", "2kb", "2KB", "2kib", "2KiB", "2KIB",
					    "2m", "2Mb", "2mIb", "2g", "2GB", "2gib", "2t", "2TB",
					    "2TiB" };
	static const uint64_t good_kib[] = { 2, 2, 2, 2, 2, 2, 2, 2048, 2048, 2048, 2097152,
					     2097152, 2097152, 2147483648ULL, 2147483648ULL,
					     2147483648ULL };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		EXPECT_EQ_INT(XV_NUM_OK, xv_parse_kib(good[i], &kib));
		EXPECT_EQ_U64(good_kib[i], kib);
	}
	static const char *const near[] = { "2Gi", "2iB", "2GiBx", "2GBB", "2BB", "2Bib", "2b",
					    "2P", "2Kx", "2 K", "2ib", "2GIb ", "2\xc3\xa9" };
	for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++)
		EXPECT_EQ_INT(XV_NUM_UNIT, xv_parse_kib(near[i], &kib));
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_kib("512MiB", &kib));
	EXPECT_EQ_U64(524288, kib);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_kib("1.5g", &kib));
	EXPECT_EQ_U64(1572864, kib);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_kib("48T", &kib));
	EXPECT_EQ_U64(48ULL << 30, kib);
	EXPECT_EQ_INT(XV_NUM_UNIT, xv_parse_kib("4X", &kib));
	EXPECT_EQ_INT(XV_NUM_UNIT, xv_parse_kib("4096B", &kib));
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_kib("-1G", &kib));
	EXPECT_EQ_INT(XV_NUM_INVALID, xv_parse_kib("G", &kib));
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_kib("99999999999T", &kib));
	return 0;
}

/* Whole numbers with at most a unit letter are read in integers; the same
 * number written with ".0" takes the general reader.  Both must agree, on
 * every unit, around every limit (a unit's largest size, 15 digits). */
DEF_TEST(kib_whole_numbers_read_as_decimals)
{
	static const char *const units[] = { "", "k", "K", "m", "M", "g", "G", "t", "T" };
	static const unsigned shift[] = { 0, 0, 0, 10, 10, 20, 20, 30, 30 };
	uint64_t values[64];
	size_t n = 0;
	unsigned seed = 1;

	for (uint64_t v = 0; v < 12; v++)
		values[n++] = v;
	for (unsigned s = 0; s <= 40; s += 10) {
		values[n++] = (XV_KIB_MAX >> s) - 1;
		values[n++] = XV_KIB_MAX >> s;
		values[n++] = (XV_KIB_MAX >> s) + 1;
	}
	values[n++] = 99999999999999ULL;  /* 14 digits */
	values[n++] = 999999999999999ULL; /* 15: the general reader's */
	values[n++] = 1000000000000000ULL;
	while (n < sizeof(values) / sizeof(values[0])) {
		seed = seed * 1103515245u + 12345u;
		values[n++] = ((uint64_t)seed << 8) % (XV_KIB_MAX + 7);
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			char whole[40], decimal[40];
			uint64_t a = 7, b = 7;

			snprintf(whole, sizeof(whole), "%" PRIu64 "%s", values[i], units[u]);
			snprintf(decimal, sizeof(decimal), "%" PRIu64 ".0%s", values[i], units[u]);
			EXPECT_EQ_INT(xv_parse_kib(decimal, &b), xv_parse_kib(whole, &a));
			EXPECT_EQ_U64(b, a);
			if (values[i] <= XV_KIB_MAX >> shift[u])
				EXPECT_EQ_U64(values[i] << shift[u], a);
		}
	}
	return 0;
}

DEF_TEST(durations)
{
	uint64_t ms;

	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_duration_ms("300ms", &ms));
	EXPECT_EQ_U64(300, ms);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_duration_ms("2", &ms));
	EXPECT_EQ_U64(2000, ms);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_duration_ms("1.5m", &ms));
	EXPECT_EQ_U64(90000, ms);
	EXPECT_EQ_INT(XV_NUM_UNIT, xv_parse_duration_ms("3d", &ms));
	EXPECT_EQ_INT(XV_NUM_RANGE, xv_parse_duration_ms("-3s", &ms));
	return 0;
}

DEF_TEST(quantities)
{
	double v;
	enum xv_unit u;

	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_quantity_n("10%", 3, &v, &u));
	EXPECT_EQ_INT(XV_UNIT_PERCENT, u);
	EXPECT_EQ_DOUBLE(10, v);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_quantity_n("2G", 2, &v, &u));
	EXPECT_EQ_INT(XV_UNIT_BYTES, u);
	EXPECT_EQ_DOUBLE(2147483648.0, v);
	EXPECT_EQ_INT(XV_NUM_OK, xv_parse_quantity_n("-3.5", 4, &v, &u));
	EXPECT_EQ_INT(XV_UNIT_NONE, u);
	EXPECT_EQ_INT(XV_NUM_UNIT, xv_parse_quantity_n("10x", 3, &v, &u));
	EXPECT_EQ_INT(XV_NUM_INVALID, xv_parse_quantity_n("10%%", 4, &v, &u));
	return 0;
}

DEF_TEST(format_u64)
{
	char buf[XV_U64_DIGITS + 1];

	EXPECT_EQ_INT(1, (long long)xv_format_u64(0, buf));
	EXPECT_EQ_STR("0", buf);
	EXPECT_EQ_INT(2, (long long)xv_format_u64(10, buf));
	EXPECT_EQ_STR("10", buf);
	EXPECT_EQ_INT(20, (long long)xv_format_u64(UINT64_MAX, buf));
	EXPECT_EQ_STR("18446744073709551615", buf);
	/* every length, and both sides of each power of ten, as printf says */
	for (uint64_t p = 1, k = 0; k < 20; k++, p *= 10) {
		for (uint64_t v = p > 1 ? p - 1 : 0; v <= p + 1; v++) {
			char want[32];
			snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
			EXPECT_EQ_INT((long long)strlen(want), (long long)xv_format_u64(v, buf));
			EXPECT_EQ_STR(want, buf);
		}
	}
	/* and of each power of two (the digit count is estimated from the bits) */
	for (unsigned k = 1; k < 64; k++) {
		for (uint64_t v = (1ULL << k) - 1; v <= (1ULL << k) + 1; v++) {
			char want[32];
			snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
			EXPECT_EQ_INT((long long)strlen(want), (long long)xv_format_u64(v, buf));
			EXPECT_EQ_STR(want, buf);
		}
	}
	for (uint64_t v = 0, x = 88172645463325252ull; v < 10000; v++) {
		char want[32];
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(want, sizeof(want), "%llu", (unsigned long long)(x >> (v % 64)));
		xv_format_u64(x >> (v % 64), buf);
		EXPECT_EQ_STR(want, buf);
	}
	return 0;
}

DEF_TEST(format_double)
{
	char buf[64];

	xv_format_double(51539607552.0, buf, sizeof(buf));
	EXPECT_EQ_STR("51539607552", buf);
	xv_format_double(1.25, buf, sizeof(buf));
	EXPECT_EQ_STR("1.25", buf);
	xv_format_double(-0.5, buf, sizeof(buf));
	EXPECT_EQ_STR("-0.5", buf);
	xv_format_double(2.0 / 3.0, buf, sizeof(buf));
	EXPECT_EQ_STR("0.666667", buf);
	xv_format_double(0.0000001, buf, sizeof(buf));
	EXPECT_EQ_STR("0", buf);
	/* the integer path without printf: signs, extremes, a short buffer
	 * clipped as snprintf clips */
	xv_format_double(0.0, buf, sizeof(buf));
	EXPECT_EQ_STR("0", buf);
	xv_format_double(-0.0, buf, sizeof(buf));
	EXPECT_EQ_STR("0", buf);
	xv_format_double(-42.0, buf, sizeof(buf));
	EXPECT_EQ_STR("-42", buf);
	xv_format_double(999999999999999.0, buf, sizeof(buf));
	EXPECT_EQ_STR("999999999999999", buf);
	xv_format_double(-999999999999999.0, buf, sizeof(buf));
	EXPECT_EQ_STR("-999999999999999", buf);
	xv_format_double(1e15, buf, sizeof(buf));
	EXPECT_EQ_STR("1000000000000000", buf);
	xv_format_double(123456.0, buf, 4);
	EXPECT_EQ_STR("123", buf);
	return 0;
}

/* xv_round() against libm's round(), the function it stands for (0 for
 * -0.x aside): halves both ways, the doubles either side of each half, the
 * edges of 2^52 where doubles stop having fractions, and random ones. */
DEF_TEST(round_as_libm)
{
	static const double some[] = {
		0.0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.49999999999999994,
		4503599627370495.5, -4503599627370495.5, 4503599627370496.0, 9007199254740993.0,
		1e300, -1e300, 1073741824.4999998, 1700000060.0005 * 1000, 12.3456789 * 1e9,
	};
	for (size_t i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
		double v = some[i];
		for (int k = 0; k < 3; k++) {
			double want = round(v), got = xv_round(v);
			if (want != got) {
				printf("# xv_round(%.17g) = %.17g, round() says %.17g\n", v, got, want);
				return 1;
			}
			v = nextafter(v, k ? -INFINITY : INFINITY);
		}
	}
	EXPECT_EQ_INT(1, isnan(xv_round(NAN)) != 0);
	EXPECT_EQ_INT(1, xv_round(INFINITY) == INFINITY);
	for (uint64_t n = 0, x = 88172645463325252ull; n < 100000; n++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* magnitudes from 2^-12 to 2^56, either sign */
		double v = ldexp((double)(x >> 11), (int)(x % 69) - 65) * (x & 1024 ? -1 : 1);
		if (round(v) != xv_round(v)) {
			printf("# xv_round(%.17g) = %.17g, round() says %.17g\n", v, xv_round(v),
			       round(v));
			return 1;
		}
	}
	return 0;
}

int main(void)
{
	RUN_TEST(double_accepts_plain_decimals);
	RUN_TEST(double_rejects_garbage);
	RUN_TEST(u64_limits);
	RUN_TEST(i64_limits);
	RUN_TEST(kib_units);
	RUN_TEST(kib_whole_numbers_read_as_decimals);
	RUN_TEST(durations);
	RUN_TEST(quantities);
	RUN_TEST(format_u64);
	RUN_TEST(format_double);
	RUN_TEST(round_as_libm);
	END_TEST;
}
