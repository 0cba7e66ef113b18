/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.c: plugin status line, long output and perfdata. */
#include "check.h"
#include "num.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xv_check_init(struct xv_check *c, const char *service)
{
	memset(c, 0, sizeof(*c));
	c->service = service;
	xv_buf_init(&c->details);
	xv_buf_init(&c->perf);
}

void xv_check_release(struct xv_check *c)
{
	for (size_t i = 0; i < c->n_results; i++)
		free(c->results[i].text);
	free(c->results);
	xv_buf_release(&c->details);
	xv_buf_release(&c->perf);
	free(c->subject);
	c->subject = NULL;
	c->results = NULL;
	c->n_results = c->alloc_results = 0;
}

void xv_check_add(struct xv_check *c, enum xv_state state, const char *fmt, ...)
{
	va_list ap;
	struct xv_result *r;

	c->results = xv_grow(c->results, sizeof(*c->results), c->n_results + 1, &c->alloc_results);
	r = &c->results[c->n_results++];
	r->state = state;
	va_start(ap, fmt);
	r->text = xv_vasprintf(fmt, ap);
	va_end(ap);
}

void xv_check_subject(struct xv_check *c, const char *subject)
{
	free(c->subject);
	c->subject = subject ? xv_strdup(subject) : NULL;
}

void xv_check_detail(struct xv_check *c, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = xv_vasprintf(fmt, ap);
	va_end(ap);
	xv_text_clean(&c->details, line, XV_TEXT_PLUGIN_LINE);
	xv_buf_addch(&c->details, '\n');
	free(line);
}

void xv_check_detail_text(struct xv_check *c, const char *line)
{
	xv_text_clean(&c->details, line, XV_TEXT_PLUGIN_LINE);
	xv_buf_addch(&c->details, '\n');
}

enum xv_state xv_check_state(const struct xv_check *c)
{
	enum xv_state s = XV_OK;

	for (size_t i = 0; i < c->n_results; i++)
		s = xv_state_worst(s, c->results[i].state);
	return s;
}

/* The characters of a label written without quotes (a table: a check of
 * 1000 VMs writes 7000 labels). */
static const bool label_plain[256] = {
	['a' ... 'z'] = true, ['A' ... 'Z'] = true, ['0' ... '9'] = true,
	['_'] = true, ['-'] = true, ['.'] = true, ['/'] = true, [':'] = true,
};

/* The length of a label written without quotes, or 0 for one that needs
 * them (the empty one included). */
static size_t plain_label_length(const char *label)
{
	const unsigned char *p = (const unsigned char *)label;

	while (label_plain[*p])
		p++;
	return *p ? 0 : (size_t)(p - (const unsigned char *)label);
}

void xv_perf_label(struct xv_buf *out, const char *label)
{
	struct xv_buf clean = XV_BUF_INIT;
	size_t plain = plain_label_length(label);

	if (plain) {
		xv_buf_add(out, label, plain);
		return;
	}
	/* names come from hypervisors and files: valid UTF-8 first (a bad byte
	 * becomes U+FFFD), so no consumer's parser meets broken text */
	xv_text_clean(&clean, label, XV_TEXT_DOCUMENT);
	/* The guidelines forbid '=' in a label and write a quote as two. */
	xv_buf_addch(out, '\'');
	for (const unsigned char *p = (const unsigned char *)clean.data; *p; p++) {
		if (*p == '\'')
			xv_buf_adds(out, "''");
		else if (*p == '=' || *p == '|' || *p < 0x20 || *p == 0x7f)
			xv_buf_addch(out, '_');
		else
			xv_buf_addch(out, (char)*p);
	}
	xv_buf_addch(out, '\'');
	xv_buf_release(&clean);
}

/* Writes range `r` in the unit of a value whose uom is `uom`. */
static void perf_range(struct xv_buf *out, const struct xv_range *r, const struct xv_perf *p)
{
	bool value_pct = !strcmp(p->uom, "%");
	bool range_pct = r->unit == XV_UNIT_PERCENT;
	double scale = 1.0;

	if (value_pct != range_pct) {
		if (p->whole <= 0)
			return;
		scale = value_pct ? 100.0 / p->whole : p->whole / 100.0;
	}
	xv_range_format(r, scale, !strcmp(p->uom, "B"), out);
}

void xv_check_perf(struct xv_check *c, const struct xv_perf *p)
{
	struct xv_buf *out = &c->perf;
	const struct xv_thresholds *t = p->thresholds;
	size_t mark;

	if (out->len)
		xv_buf_addch(out, ' ');
	xv_perf_label(out, p->label);
	xv_buf_addch(out, '=');
	if (p->unknown)
		xv_buf_addch(out, 'U');
	else
		xv_buf_add_double(out, p->value);
	xv_buf_adds(out, p->uom);
	/* ;warn;crit;min;max, then drop the empty fields at the end */
	mark = out->len;
	xv_buf_addch(out, ';');
	if (t && t->has_warning)
		perf_range(out, &t->warning, p);
	xv_buf_addch(out, ';');
	if (t && t->has_critical)
		perf_range(out, &t->critical, p);
	xv_buf_addch(out, ';');
	if (p->has_min)
		xv_buf_add_double(out, p->min);
	xv_buf_addch(out, ';');
	if (p->has_max)
		xv_buf_add_double(out, p->max);
	while (out->len > mark && out->data[out->len - 1] == ';')
		xv_buf_truncate(out, out->len - 1);
}

void xv_check_describe_thresholds(struct xv_check *c, const char *name,
				  const struct xv_thresholds *t)
{
	struct xv_buf b = XV_BUF_INIT;

	static const char *const unit[] = { [XV_UNIT_NONE] = "", [XV_UNIT_PERCENT] = " percent",
					    [XV_UNIT_BYTES] = " bytes" };

	if (t->has_warning) {
		xv_buf_adds(&b, "warning ");
		xv_range_format(&t->warning, 1.0, false, &b);
		xv_buf_adds(&b, unit[t->warning.unit]);
	}
	if (t->has_critical) {
		xv_buf_adds(&b, b.len ? ", critical " : "critical ");
		xv_range_format(&t->critical, 1.0, false, &b);
		xv_buf_adds(&b, unit[t->critical.unit]);
	}
	xv_check_detail(c, "config: %s %s", name, b.len ? b.data : "no thresholds");
	xv_buf_release(&b);
}

static const char *marker(enum xv_state s)
{
	switch (s) {
	case XV_WARNING:
		return " (!)";
	case XV_CRITICAL:
		return " (!!)";
	case XV_UNKNOWN:
		return " (?)";
	default:
		return "";
	}
}

/* Appends `text` cleaned and clipped to `max` bytes; returns whether it was
 * clipped (its whole text then goes to the long output). */
static bool add_clipped(struct xv_buf *out, const char *text, size_t max)
{
	struct xv_buf clean = XV_BUF_INIT;
	bool clipped;

	xv_text_clean(&clean, text, XV_TEXT_PLUGIN_LINE);
	clipped = clean.len > max;
	xv_text_clip(out, clean.data, max);
	xv_buf_release(&clean);
	return clipped;
}

/* The output in pieces: the status text (built into `head`), the perfdata
 * and long output as they are kept.  A check of 1000 VMs has about 0.5 MB
 * of them, written as they lie rather than copied into one more buffer. */
/* head, " | ", perfdata, "\n", clipped texts whole, long output */
#define MAX_PIECES 6

struct pieces {
	struct xv_buf head;  /* "SERVICE STATE - subject: results" */
	struct xv_buf whole; /* long output for clipped texts */
	const char *at[MAX_PIECES];
	size_t len[MAX_PIECES], n;
};

static void piece(struct pieces *p, const char *at, size_t len)
{
	p->at[p->n] = at;
	p->len[p->n++] = len;
}

static void render_pieces(const struct xv_check *c, struct pieces *p)
{
	struct xv_buf *out = &p->head;
	bool first = true;

	*p = (struct pieces){ .head = XV_BUF_INIT, .whole = XV_BUF_INIT };
	xv_buf_addf(out, "%s %s - ", c->service, xv_state_name(xv_check_state(c)));
	if (c->subject) {
		if (add_clipped(out, c->subject, XV_CHECK_SUBJECT_MAX)) {
			xv_text_clean(&p->whole, c->subject, XV_TEXT_PLUGIN_LINE);
			xv_buf_addch(&p->whole, '\n');
		}
		xv_buf_adds(out, ": ");
	}
	/* worst first, stable within a state */
	for (int want = 3; want >= 0; want--) {
		for (size_t i = 0; i < c->n_results; i++) {
			if (xv_state_rank(c->results[i].state) != want)
				continue;
			if (!first)
				xv_buf_adds(out, ", ");
			first = false;
			if (add_clipped(out, c->results[i].text, XV_CHECK_RESULT_MAX)) {
				xv_text_clean(&p->whole, c->results[i].text, XV_TEXT_PLUGIN_LINE);
				xv_buf_addch(&p->whole, '\n');
			}
			/* a lone result needs no marker: the state says it all */
			if (c->n_results > 1)
				xv_buf_adds(out, marker(c->results[i].state));
		}
	}
	piece(p, out->data, out->len);
	if (c->perf.len) {
		piece(p, " | ", 3);
		piece(p, c->perf.data, c->perf.len);
	}
	piece(p, "\n", 1);
	piece(p, p->whole.data, p->whole.len);
	piece(p, c->details.data, c->details.len);
}

static void release_pieces(struct pieces *p)
{
	xv_buf_release(&p->head);
	xv_buf_release(&p->whole);
}

void xv_check_render(const struct xv_check *c, struct xv_buf *out)
{
	struct pieces p;

	render_pieces(c, &p);
	for (size_t i = 0; i < p.n; i++)
		if (p.len[i])
			xv_buf_add(out, p.at[i], p.len[i]);
	release_pieces(&p);
}

int xv_check_write(const struct xv_check *c, FILE *f)
{
	struct pieces p;
	int rc = 0;

	render_pieces(c, &p);
	for (size_t i = 0; i < p.n; i++)
		if (p.len[i] && fwrite(p.at[i], 1, p.len[i], f) != p.len[i])
			rc = -1;
	release_pieces(&p);
	return fflush(f) || rc ? -1 : 0;
}
