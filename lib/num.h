/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num.h: strict number parsing (OpenBSD style: whole string, range-checked).
 *
 * Every parser consumes the entire string: "10x", " 10", "", "0x10", "inf"
 * and "nan" are errors.  Decimal points are always '.', whatever the locale. */
#ifndef XV_NUM_H
#define XV_NUM_H

#include <stdint.h>
#include <stddef.h>

enum xv_num_error {
	XV_NUM_OK = 0,
	XV_NUM_EMPTY,   /* nothing where a number was expected */
	XV_NUM_INVALID, /* not a number, or trailing characters */
	XV_NUM_RANGE,   /* a number, but too large, too small or negative */
	XV_NUM_UNIT,    /* a number followed by an unknown unit */
};

const char *xv_num_strerror(enum xv_num_error err);

/* The value of one hexadecimal digit, either case; -1 for anything else.
 * Inline: UUIDs are read a digit at a time, 32 a VM. */
static inline int xv_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* round(): to the nearest whole number, halves away from zero (but 0 for
 * -0.4, not -0).  Here, not libm's: a program linked with libm loads
 * libm.so.6 at every start, and that cost 0.35 ms of CPU on the 2-vCPU test
 * VM (a C program calling round() against one that does not, 500 alternated
 * runs each), a tenth of check_dummy's whole run.  The plugins round three
 * numbers, and Nagios runs them by the thousand; the rest of xvmon rounds
 * with this too. */
static inline double xv_round(double v)
{
	/* from 2^52 on every double is whole (and NaN fails both tests) */
	if (!(v > -4503599627370496.0 && v < 4503599627370496.0))
		return v;
	double t = (double)(int64_t)v; /* toward zero; v - t is exact */
	if (v - t >= 0.5)
		t += 1.0;
	else if (t - v >= 0.5)
		t -= 1.0;
	return t;
}

/* Decimal number: -?digits[.digits]. */
enum xv_num_error xv_parse_double(const char *s, double *out);
enum xv_num_error xv_parse_double_n(const char *s, size_t len, double *out);

/* Unsigned decimal integer, no sign, within [min, max]. */
enum xv_num_error xv_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* The decimal digits at the start of s, and where they end (*end): for
 * readers of their own formats, where a number ends at a separator.
 * XV_NUM_EMPTY or XV_NUM_INVALID when s starts with no digit (at its end or
 * not), XV_NUM_RANGE beyond 2^64 - 1. */
enum xv_num_error xv_parse_u64_digits(const char *s, const char **end, uint64_t *out);

/* Signed decimal integer (-?digits) within [min, max]. */
enum xv_num_error xv_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* The largest memory size xvmon takes anywhere: 1 PiB in KiB, far above any
 * machine Xen runs on (Xen 4.17 supports 16 TiB hosts).  Sizes within it can
 * be summed over every domain a host can have without overflow. */
#define XV_KIB_MAX (1ULL << 40)

/* A memory size: a non-negative decimal number with an optional binary unit
 * (K, KiB, KB, M, MiB, MB, G, GiB, GB, T, TiB, TB; case-insensitive, all
 * powers of 1024).  A bare number is in KiB, as in xl and xenstore.  The
 * result is rounded down to a whole KiB; above XV_KIB_MAX is XV_NUM_RANGE. */
enum xv_num_error xv_parse_kib(const char *s, uint64_t *kib);

/* A duration: a non-negative number with unit ms, s, m or h; a bare number is
 * in seconds.  Result in milliseconds, rounded down. */
enum xv_num_error xv_parse_duration_ms(const char *s, uint64_t *ms);

/* The unit that followed a number in a threshold. */
enum xv_unit {
	XV_UNIT_NONE = 0, /* a plain count or ratio */
	XV_UNIT_PERCENT,  /* '%' */
	XV_UNIT_BYTES,    /* B, K, M, G, T (binary): value converted to bytes */
};

/* A threshold quantity: a decimal number (may be negative) followed by an
 * optional unit: '%', or a binary size unit (B, K[iB], M[iB], G[iB], T[iB];
 * value converted to bytes).  Used by the range parser. */
enum xv_num_error xv_parse_quantity_n(const char *s, size_t len, double *value, enum xv_unit *unit);

/* Writes `v` in decimal into `buf` (XV_U64_DIGITS + 1 bytes at least) with
 * its NUL, and returns its length.  No printf: a check of 1000 VMs writes
 * some 20000 numbers, and vsnprintf's setup costs more than the digits. */
#define XV_U64_DIGITS 20
size_t xv_format_u64(uint64_t v, char *buf);

/* Formats a number for machines (perfdata, CSV): integers without a decimal
 * point, others with up to six decimals and no trailing zeros; never an
 * exponent, always '.', whatever the locale.  Returns the length written
 * (cut to size - 1 bytes, as snprintf() cuts). */
#define XV_DOUBLE_TEXT 64
size_t xv_format_double(double v, char *buf, size_t size);

/* A size for people: "512 MiB", "2.5 GiB" (one decimal when not whole). */
void xv_format_kib(unsigned long long kib, char *buf, size_t size);

#endif
