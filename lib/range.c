/* SPDX-License-Identifier: GPL-3.0-or-later */
/* range.c: threshold ranges per the Monitoring Plugins guidelines. */
#include "range.h"
#include "buf.h"

#include <string.h>

const char *xv_range_strerror(enum xv_range_error err)
{
	switch (err) {
	case XV_RANGE_OK:
		return "no error";
	case XV_RANGE_EMPTY:
		return "empty range";
	case XV_RANGE_BAD_START:
		return "start is not a number";
	case XV_RANGE_BAD_END:
		return "end is not a number";
	case XV_RANGE_NO_START:
		return "nothing before ':' (write 0:N, ~:N or just N)";
	case XV_RANGE_NO_END:
		return "no value";
	case XV_RANGE_EXTRA_COLON:
		return "more than one ':'";
	case XV_RANGE_INFINITE_END:
		return "'~' is only allowed as the start";
	case XV_RANGE_START_AFTER_END:
		return "start is greater than end";
	case XV_RANGE_MIXED_UNITS:
		return "start and end have different units";
	case XV_RANGE_UNIT_REFUSED:
		return "this threshold does not take that unit";
	case XV_RANGE_BAD_UNIT:
		return "unknown unit (use %, B, K, M, G or T)";
	}
	return "unknown error";
}

/* Parses one end; `is_start` picks which error to report. */
static enum xv_range_error parse_end(const char *s, size_t len, bool is_start,
				     unsigned allowed, double *v, enum xv_unit *unit)
{
	enum xv_num_error e = xv_parse_quantity_n(s, len, v, unit);

	if (e == XV_NUM_UNIT)
		return XV_RANGE_BAD_UNIT;
	if (e != XV_NUM_OK)
		return is_start ? XV_RANGE_BAD_START : XV_RANGE_BAD_END;
	if (!(allowed & XV_ALLOW(*unit)))
		return XV_RANGE_UNIT_REFUSED;
	return XV_RANGE_OK;
}

enum xv_range_error xv_range_parse(const char *text, unsigned allowed, struct xv_range *out)
{
	struct xv_range r = { 0 };
	const char *p = text, *colon;
	enum xv_range_error err;
	enum xv_unit start_unit = XV_UNIT_NONE, end_unit = XV_UNIT_NONE;

	if (!*p)
		return XV_RANGE_EMPTY;
	if (*p == '@') {
		r.alert_inside = true;
		p++;
	}
	if (!*p)
		return XV_RANGE_NO_END;

	colon = strchr(p, ':');
	if (!colon) {
		/* "N": start is an implicit 0 in N's unit */
		if (*p == '~')
			return XV_RANGE_NO_END;
		err = parse_end(p, strlen(p), false, allowed, &r.end, &end_unit);
		if (err)
			return err;
		start_unit = end_unit;
	} else {
		if (strchr(colon + 1, ':'))
			return XV_RANGE_EXTRA_COLON;
		if (colon == p)
			return XV_RANGE_NO_START;
		if (colon == p + 1 && *p == '~') {
			r.start_infinite = true;
		} else {
			err = parse_end(p, (size_t)(colon - p), true, allowed, &r.start, &start_unit);
			if (err)
				return err;
		}
		if (!colon[1]) {
			r.end_infinite = true;
		} else if (colon[1] == '~' && !colon[2]) {
			return XV_RANGE_INFINITE_END;
		} else {
			err = parse_end(colon + 1, strlen(colon + 1), false, allowed, &r.end, &end_unit);
			if (err)
				return err;
		}
		if (r.start_infinite)
			start_unit = end_unit;
		if (r.end_infinite)
			end_unit = start_unit;
	}
	/* A percent end with an absolute other end would compare apples with
	 * pears; bytes and bare numbers are both absolute. */
	if ((start_unit == XV_UNIT_PERCENT) != (end_unit == XV_UNIT_PERCENT))
		return XV_RANGE_MIXED_UNITS;
	if (!r.start_infinite && !r.end_infinite && r.start > r.end)
		return XV_RANGE_START_AFTER_END;
	r.unit = end_unit != XV_UNIT_NONE ? end_unit : start_unit;
	*out = r;
	return XV_RANGE_OK;
}

bool xv_range_alerts(const struct xv_range *r, double value)
{
	bool inside = (r->start_infinite || value >= r->start) &&
		      (r->end_infinite || value <= r->end);

	return r->alert_inside ? inside : !inside;
}

void xv_range_format(const struct xv_range *r, double scale, bool whole, struct xv_buf *out)
{
	if (r->alert_inside)
		xv_buf_addch(out, '@');
	if (r->start_infinite) {
		xv_buf_adds(out, "~:");
	} else if (r->start != 0 || r->end_infinite) {
		xv_buf_add_double(out, whole ? xv_round(r->start * scale) : r->start * scale);
		xv_buf_addch(out, ':');
	}
	if (!r->end_infinite)
		xv_buf_add_double(out, whole ? xv_round(r->end * scale) : r->end * scale);
}

bool xv_range_value(const struct xv_range *r, const struct xv_measure *m, double *out)
{
	if (r->unit != XV_UNIT_PERCENT) {
		*out = m->value;
		return true;
	}
	if (m->has_percent) {
		*out = m->percent;
		return true;
	}
	if (m->whole <= 0)
		return false;
	*out = m->value * 100.0 / m->whole;
	return true;
}

enum xv_state xv_thresholds_check(const struct xv_thresholds *t, const struct xv_measure *m)
{
	double v;

	if (t->has_critical) {
		if (!xv_range_value(&t->critical, m, &v))
			return XV_UNKNOWN;
		if (xv_range_alerts(&t->critical, v))
			return XV_CRITICAL;
	}
	if (t->has_warning) {
		if (!xv_range_value(&t->warning, m, &v))
			return XV_UNKNOWN;
		if (xv_range_alerts(&t->warning, v))
			return XV_WARNING;
	}
	return XV_OK;
}
