/* SPDX-License-Identifier: GPL-3.0-or-later */
/* range.h: Monitoring Plugins threshold ranges, parsed strictly.
 *
 * Grammar ([@]start:end, ends inclusive):
 *   10      alert if < 0 or > 10          10:     alert if < 10
 *   ~:10    alert if > 10                 10:20   alert if < 10 or > 20
 *   @10:20  alert if >= 10 and <= 20
 * Numbers are -?digits[.digits], each optionally followed by a unit: '%' or a
 * binary size (B, K, KiB, M, MiB, G, GiB, T, TiB; converted to bytes).  Both
 * ends carry the same kind of unit.  Anything else is an error with a reason. */
#ifndef XV_RANGE_H
#define XV_RANGE_H

#include <stdbool.h>
#include "num.h"
#include "state.h"

struct xv_buf;

struct xv_range {
	double start;        /* meaningless when start_infinite */
	double end;          /* meaningless when end_infinite */
	bool start_infinite; /* "~" */
	bool end_infinite;   /* "start:" */
	bool alert_inside;   /* "@": alert inside instead of outside */
	enum xv_unit unit;   /* XV_UNIT_BYTES: start/end are in bytes */
};

enum xv_range_error {
	XV_RANGE_OK = 0,
	XV_RANGE_EMPTY,
	XV_RANGE_BAD_START,
	XV_RANGE_BAD_END,
	XV_RANGE_NO_START,      /* ":10" */
	XV_RANGE_NO_END,        /* "@" or "~" alone */
	XV_RANGE_EXTRA_COLON,   /* "1:2:3" */
	XV_RANGE_INFINITE_END,  /* "10:~" */
	XV_RANGE_START_AFTER_END,
	XV_RANGE_MIXED_UNITS,   /* "10%:2G" */
	XV_RANGE_UNIT_REFUSED,  /* a unit this threshold does not take */
	XV_RANGE_BAD_UNIT,      /* "10x" */
};

/* Which units a threshold accepts: a bit per enum xv_unit. */
#define XV_ALLOW(unit) (1u << (unit))
#define XV_ALLOW_PLAIN XV_ALLOW(XV_UNIT_NONE)
#define XV_ALLOW_MEMORY (XV_ALLOW(XV_UNIT_BYTES) | XV_ALLOW(XV_UNIT_PERCENT) | XV_ALLOW(XV_UNIT_NONE))
#define XV_ALLOW_PERCENT (XV_ALLOW(XV_UNIT_PERCENT) | XV_ALLOW(XV_UNIT_NONE))

/* Parses `text`; on error `out` is untouched.  A bare number is taken as-is
 * (XV_UNIT_NONE): for memory that means bytes, like the perfdata UOM 'B'. */
enum xv_range_error xv_range_parse(const char *text, unsigned allowed_units, struct xv_range *out);

/* A short reason, e.g. "start is greater than end". */
const char *xv_range_strerror(enum xv_range_error err);

/* True when `value` raises an alert under `r` (value in the range's unit). */
bool xv_range_alerts(const struct xv_range *r, double value);

/* Appends the range in canonical syntax, each end multiplied by `scale`
 * (1 to print as parsed; e.g. total/100 to turn a percent range into bytes)
 * and rounded to a whole number if `whole` (bytes come in whole units). */
void xv_range_format(const struct xv_range *r, double scale, bool whole, struct xv_buf *out);

/* A metric's value seen in every unit a threshold may use. */
struct xv_measure {
	double value; /* in the metric's own unit (bytes for memory) */
	double whole; /* what 100% is, in the same unit; 0 if percent is meaningless */
	/* The percent the output prints, when it prints one: a percent range
	 * compares against exactly that (rounded) figure, so a reader of the
	 * perfdata can always reproduce the state. */
	bool has_percent;
	double percent;
};

/* The value a range compares against: value, or value/whole*100 for a
 * percent range.  Returns false if the range is in percent and whole is 0. */
bool xv_range_value(const struct xv_range *r, const struct xv_measure *m, double *out);

/* Warning and critical thresholds for one metric. */
struct xv_thresholds {
	struct xv_range warning, critical;
	bool has_warning, has_critical;
};

/* Critical is evaluated first, then warning (the guidelines' order).
 * UNKNOWN if a percent threshold meets a metric without a whole. */
enum xv_state xv_thresholds_check(const struct xv_thresholds *t, const struct xv_measure *m);

#endif
