/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num.c: strict number parsing. */
#include "num.h"

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *xv_num_strerror(enum xv_num_error err)
{
	switch (err) {
	case XV_NUM_OK:
		return "no error";
	case XV_NUM_EMPTY:
		return "empty value";
	case XV_NUM_INVALID:
		return "not a number";
	case XV_NUM_RANGE:
		return "number out of range";
	case XV_NUM_UNIT:
		return "unknown unit";
	}
	return "unknown error";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the longest prefix of s[0..len) that is a decimal number, or 0.
 * The grammar is deliberately narrow, -?digits[.digits]: no '+', no
 * exponent, no bare '.5' or '5.', matching the perfdata class [-0-9.]. */
static size_t scan_decimal(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && s[i] == '-')
		i++;
	while (i < len && is_digit(s[i])) {
		i++;
		digits++;
	}
	if (!digits)
		return 0;
	if (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
		i++;
		while (i < len && is_digit(s[i]))
			i++;
	}
	return i;
}

/* Converts an already validated decimal prefix.  strtod honours LC_NUMERIC;
 * our programs never call setlocale(), and the scan above has already ruled
 * out everything but digits, '-' and '.'. */
static enum xv_num_error convert_decimal(const char *s, size_t n, double *out)
{
	char tmp[64];
	char *end;
	double v;
	uint64_t whole = 0;
	size_t i;

	/* whole numbers of up to 15 digits, the common case, are exact in a
	 * double and need no strtod (a scenario has tens of thousands) */
	for (i = 0; i < n && i < 15 && is_digit(s[i]); i++)
		whole = whole * 10 + (uint64_t)(s[i] - '0');
	if (i == n) {
		*out = (double)whole;
		return XV_NUM_OK;
	}
	if (n >= sizeof(tmp))
		return XV_NUM_RANGE;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtod(tmp, &end);
	if (end != tmp + n)
		return XV_NUM_INVALID;
	/* beyond 1e18 nothing we count makes sense (an exabyte), and such
	 * numbers would not print back the same */
	if (errno == ERANGE || !isfinite(v) || fabs(v) >= 1e18)
		return XV_NUM_RANGE;
	*out = v;
	return XV_NUM_OK;
}

enum xv_num_error xv_parse_double_n(const char *s, size_t len, double *out)
{
	size_t n;

	if (!len)
		return XV_NUM_EMPTY;
	n = scan_decimal(s, len);
	if (n != len)
		return XV_NUM_INVALID;
	return convert_decimal(s, n, out);
}

enum xv_num_error xv_parse_double(const char *s, double *out)
{
	return xv_parse_double_n(s, strlen(s), out);
}

enum xv_num_error xv_parse_u64_digits(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	for (; is_digit(*p); p++) {
		/* before the 20th digit v is below 10^18: no overflow to check */
		if (p - s >= 19 && v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return XV_NUM_RANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*end = p;
	if (p == s)
		return *p ? XV_NUM_INVALID : XV_NUM_EMPTY;
	*out = v;
	return XV_NUM_OK;
}

enum xv_num_error xv_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	const char *end;
	enum xv_num_error e = xv_parse_u64_digits(s, &end, &v);

	if (e)
		return e;
	if (*end)
		return XV_NUM_INVALID;
	if (v < min || v > max)
		return XV_NUM_RANGE;
	*out = v;
	return XV_NUM_OK;
}

enum xv_num_error xv_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int negative = 0;
	uint64_t mag;
	enum xv_num_error err;

	if (*s == '-') {
		negative = 1;
		s++;
		if (!*s)
			return XV_NUM_INVALID;
	}
	err = xv_parse_u64(s, 0, (uint64_t)INT64_MAX + 1, &mag);
	if (err)
		return err;
	if (!negative && mag > (uint64_t)INT64_MAX)
		return XV_NUM_RANGE;
	int64_t v = negative ? (int64_t)(0 - mag) : (int64_t)mag;
	if (v < min || v > max)
		return XV_NUM_RANGE;
	*out = v;
	return XV_NUM_OK;
}

struct unit_name {
	const char *name;
	double factor;
};

/* Binary size units as multiples of one byte, any case: B; K, KB, KiB; M,
 * MB, MiB; G, GB, GiB; T, TB, TiB.  Read by letter, not from a table of
 * names: sizes are read by the thousand (three a domain in a scenario). */
static int size_factor(const char *u, size_t len, double *factor)
{
	static const char letters[] = "bkmgt";
	static const double factors[] = { 1.0, 1024.0, 1048576.0, 1073741824.0, 1099511627776.0 };
	const char *at = len ? memchr(letters, u[0] | 0x20, sizeof(letters) - 1) : NULL;
	/* after the letter: nothing, or (not after B) "B" or "iB" */
	bool suffix_ok = len == 1 || (at != letters && ((len == 2 && !strncasecmp(u + 1, "b", 1)) ||
							(len == 3 && !strncasecmp(u + 1, "ib", 2))));

	if (!at || !suffix_ok)
		return -1;
	*factor = factors[at - letters];
	return 0;
}

/* A non-negative decimal number, then whatever follows: the unit. */
static enum xv_num_error split_unsigned(const char *s, double *v, const char **unit)
{
	size_t len = strlen(s), n;

	if (!len)
		return XV_NUM_EMPTY;
	if (s[0] == '-')
		return XV_NUM_RANGE;
	n = scan_decimal(s, len);
	if (!n)
		return XV_NUM_INVALID;
	*unit = s + n;
	return convert_decimal(s, n, v);
}

/* A whole number and at most a unit letter ("2048", "4G"), the sizes of
 * nearly every file, read in integers: false if `s` is not one (the general
 * reader below takes it), else true with *err as that reader would set it. */
static bool parse_kib_whole(const char *s, uint64_t *kib, enum xv_num_error *err)
{
	uint64_t whole = 0;
	size_t i;
	unsigned shift = 0;

	for (i = 0; i < 15 && is_digit(s[i]); i++)
		whole = whole * 10 + (uint64_t)(s[i] - '0');
	if (!i || i == 15)
		return false;
	if (s[i]) {
		if (s[i + 1])
			return false;
		switch (s[i] | 0x20) { /* KiB << 0, 10, 20, 30 */
		case 'k': shift = 0; break;
		case 'm': shift = 10; break;
		case 'g': shift = 20; break;
		case 't': shift = 30; break;
		default: return false;
		}
	}
	if (whole > XV_KIB_MAX >> shift) {
		*err = XV_NUM_RANGE;
		return true;
	}
	*kib = whole << shift;
	*err = XV_NUM_OK;
	return true;
}

enum xv_num_error xv_parse_kib(const char *s, uint64_t *kib)
{
	const char *u;
	double v, factor = 1024.0;
	enum xv_num_error err;

	if (parse_kib_whole(s, kib, &err))
		return err;
	err = split_unsigned(s, &v, &u);
	if (err)
		return err;
	if (*u && (size_factor(u, strlen(u), &factor) || factor < 1024.0))
		return XV_NUM_UNIT;
	v = v * factor / 1024.0;
	if (v > (double)XV_KIB_MAX)
		return XV_NUM_RANGE;
	*kib = (uint64_t)v;
	return XV_NUM_OK;
}

enum xv_num_error xv_parse_duration_ms(const char *s, uint64_t *ms)
{
	static const struct unit_name units[] = {
		{ "", 1000.0 }, { "s", 1000.0 }, { "ms", 1.0 }, { "m", 60000.0 }, { "h", 3600000.0 },
	};
	const char *u;
	double v, factor = 0;
	enum xv_num_error err = split_unsigned(s, &v, &u);

	if (err)
		return err;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(u, units[i].name))
			factor = units[i].factor;
	if (!factor)
		return XV_NUM_UNIT;
	v *= factor;
	if (v >= 9.2e18)
		return XV_NUM_RANGE;
	*ms = (uint64_t)v;
	return XV_NUM_OK;
}

enum xv_num_error xv_parse_quantity_n(const char *s, size_t len, double *value, enum xv_unit *unit)
{
	size_t n;
	double v, factor;
	enum xv_num_error err;

	if (!len)
		return XV_NUM_EMPTY;
	n = scan_decimal(s, len);
	if (!n)
		return XV_NUM_INVALID;
	err = convert_decimal(s, n, &v);
	if (err)
		return err;
	if (n == len) {
		*unit = XV_UNIT_NONE;
	} else if (len - n == 1 && s[n] == '%') {
		*unit = XV_UNIT_PERCENT;
	} else if (!size_factor(s + n, len - n, &factor)) {
		*unit = XV_UNIT_BYTES;
		v *= factor;
		if (fabs(v) >= 1e18)
			return XV_NUM_RANGE;
	} else {
		/* "10x": a number followed by junk is a bad number, not a unit,
		 * unless the junk starts with a letter (then name it a unit). */
		char c = s[n];
		return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ? XV_NUM_UNIT : XV_NUM_INVALID;
	}
	*value = v;
	return XV_NUM_OK;
}

/* "00" to "99", the digits of each pair */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
				  "25262728293031323334353637383940414243444546474849"
				  "50515253545556575859606162636465666768697071727374"
				  "75767778798081828384858687888990919293949596979899";

/* The eight digits of v (below 10^8), zeros in front, at p: four pairs
 * taken apart independently, rather than a chain of divisions each waiting
 * for the one before. */
static inline void put_8_digits(char *p, uint32_t v)
{
	uint32_t hi = v / 10000, lo = v % 10000;

	memcpy(p, digit_pairs + 2 * (hi / 100), 2);
	memcpy(p + 2, digit_pairs + 2 * (hi % 100), 2);
	memcpy(p + 4, digit_pairs + 2 * (lo / 100), 2);
	memcpy(p + 6, digit_pairs + 2 * (lo % 100), 2);
}

size_t xv_format_u64(uint64_t v, char *buf)
{
	/* written in place once the number of digits is known, eight at a
	 * time from the end: a check of a thousand VMs writes tens of
	 * thousands of numbers, most of them byte counts of ten digits */
	static const uint64_t pow10[XV_U64_DIGITS] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
		100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
		10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
		10000000000000000ULL, 100000000000000000ULL, 1000000000000000000ULL,
		10000000000000000000ULL,
	};
	size_t n = 1;
	char *p;
	uint32_t rest;

	if (v) {
		/* floor(log10(2) * bits), one too many when v is below that power */
		size_t t = (size_t)(64 - __builtin_clzll(v)) * 1233 >> 12;
		n = t + 1 - (v < pow10[t]);
	}
	p = buf + n;
	*p = '\0';
	while (v >= 100000000) {
		p -= 8;
		put_8_digits(p, (uint32_t)(v % 100000000));
		v /= 100000000;
	}
	rest = (uint32_t)v;
	while (rest >= 100) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (rest % 100), 2);
		rest /= 100;
	}
	if (rest >= 10)
		memcpy(p - 2, digit_pairs + 2 * rest, 2);
	else
		p[-1] = (char)('0' + rest);
	return n;
}

/* What snprintf(buf, size, "%s", s) leaves in buf; returns its length. */
static size_t copy_clipped(char *buf, size_t size, const char *s, size_t len)
{
	if (!size)
		return 0;
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return len;
}

size_t xv_format_double(double v, char *buf, size_t size)
{
	size_t len;

	/* range first: casting a double beyond int64_t is undefined */
	if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
		/* the perfdata's usual case, without printf (see xv_format_u64) */
		char num[XV_U64_DIGITS + 2];
		int64_t i = (int64_t)v;
		/* written in place when it fits whatever it is */
		char *to = size >= sizeof(num) ? buf : num;
		len = 0;
		if (i < 0)
			to[len++] = '-';
		len += xv_format_u64(i < 0 ? (uint64_t)-i : (uint64_t)i, to + len);
		return to == buf ? len : copy_clipped(buf, size, num, len);
	}
	if (!size)
		return 0;
	snprintf(buf, size, "%.6f", v);
	len = strlen(buf);
	while (len > 1 && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 1 && buf[len - 1] == '.')
		buf[--len] = '\0';
	return len;
}

void xv_format_kib(unsigned long long kib, char *buf, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)kib;
	int u = 0;

	/* In integers below 2^53 KiB (every size xvmon takes): the same text
	 * as the printf below, which rounds the exact quotient half to even,
	 * at a tenth of its cost (a check of 1000 VMs formats 8000 sizes). */
	if (kib < (1ULL << 53)) {
		unsigned long long scale = 1, q, r;
		while (kib >= scale * 1024 && u < 3) {
			scale *= 1024;
			u++;
		}
		char text[XV_U64_DIGITS + 8];
		size_t n;
		if (kib % scale == 0) {
			n = xv_format_u64(kib / scale, text);
		} else {
			q = kib * 10 / scale;
			r = kib * 10 % scale;
			if (2 * r > scale || (2 * r == scale && (q & 1)))
				q++;
			n = xv_format_u64(q / 10, text);
			text[n++] = '.';
			text[n++] = (char)('0' + q % 10);
		}
		text[n++] = ' ';
		memcpy(text + n, units[u], 3);
		n += 3;
		copy_clipped(buf, size, text, n);
		return;
	}

	while (v >= 1024.0 && u < 3) {
		v /= 1024.0;
		u++;
	}
	if (v == (double)(unsigned long long)v)
		snprintf(buf, size, "%llu %s", (unsigned long long)v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
}

