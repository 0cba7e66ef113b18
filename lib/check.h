/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.h: a plugin's result, built up and rendered once.
 *
 *   XEN HOST WARNING - xen02: free 2.5 GiB (7.8%) (!), 5 domains up | mem_free=...
 *   long output line
 *   ...
 *
 * A check holds sub-results (a state and a short text each), long-output
 * lines and perfdata.  The overall state is the worst sub-result by the
 * ranking in state.h.  The status line lists the sub-results worst first, so
 * a pager that cuts the line still shows the problem; a WARNING text is
 * marked "(!)", CRITICAL "(!!)" and UNKNOWN "(?)".
 *
 * Everything renders in the C locale; '|' in any text is replaced by '/'
 * (Nagios would take it for the start of perfdata) and control characters by
 * '?', so names from a hypervisor cannot break the output. */
#ifndef XV_CHECK_H
#define XV_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "buf.h"
#include "range.h"
#include "state.h"

/* The status line stays readable in a dashboard: the subject and each
 * sub-result are cut (at a character boundary, with "...") beyond these many
 * bytes, and their whole text is printed first in the long output. */
#define XV_CHECK_SUBJECT_MAX 64
#define XV_CHECK_RESULT_MAX 160

struct xv_result {
	enum xv_state state;
	char *text;
};

struct xv_check {
	const char *service; /* e.g. "XEN HOST"; borrowed, must outlive the check */
	char *subject;       /* e.g. the host name, printed before the results */
	struct xv_result *results;
	size_t n_results, alloc_results;
	struct xv_buf details; /* long output, one line each */
	struct xv_buf perf;    /* rendered perfdata, space-separated */
};

void xv_check_init(struct xv_check *c, const char *service);
void xv_check_release(struct xv_check *c);

/* Names what was checked ("xen01"); the status line reads
 * "SERVICE STATE - subject: results".  NULL removes it. */
void xv_check_subject(struct xv_check *c, const char *subject);

/* Adds a sub-result to the status line. */
void xv_check_add(struct xv_check *c, enum xv_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds a line of long output. */
void xv_check_detail(struct xv_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for a line already built (no format: cheaper per line). */
void xv_check_detail_text(struct xv_check *c, const char *line);

/* The worst sub-result; OK if there is none. */
enum xv_state xv_check_state(const struct xv_check *c);

/* One perfdata value.  Thresholds given in percent are written in the
 * value's own unit (and absolute ones in percent for a '%' value), using
 * `whole` as 100%; a threshold that cannot be converted is left empty. */
struct xv_perf {
	const char *label;
	double value;
	const char *uom;                        /* "", "B", "%", "s", "c" */
	const struct xv_thresholds *thresholds; /* may be NULL */
	double whole;                           /* 100% in absolute units, or 0 */
	bool has_min, has_max;
	double min, max;
	bool unknown; /* the value could not be determined: written as U */
};

void xv_check_perf(struct xv_check *c, const struct xv_perf *p);

/* At -vv: a long-output line "config: NAME warning RANGE, critical RANGE"
 * (or "no thresholds"), so an operator sees what the check compared with. */
void xv_check_describe_thresholds(struct xv_check *c, const char *name,
				  const struct xv_thresholds *t);

/* Appends the whole output (status line, long output) ending in '\n'. */
void xv_check_render(const struct xv_check *c, struct xv_buf *out);
/* Writes the same to `f` and flushes it; -1 if that failed. */
int xv_check_write(const struct xv_check *c, FILE *f);

/* Appends a perfdata label, quoted only when it has to be. */
void xv_perf_label(struct xv_buf *out, const char *label);


#endif
