/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output.c: derived CSVs, summary.json and the capacity report.
 *
 * The report is built once as rows (label, value) and a footprint table
 * described by its columns, then printed as text or HTML, so the two forms
 * cannot drift apart. */
#include "output.h"
#include "json.h"
#include "num.h"
#include "text.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIB_PER_MIB 1024.0

const char *const xv_bench_output_files[] = {
	"bycount.csv", "footprint.csv", "summary.json", "report.txt", "report.html", NULL,
};

static void add_num(struct xv_buf *b, double v)
{
	char num[64];

	xv_format_double(v, num, sizeof(num));
	xv_buf_adds(b, num);
}

/* Derived values are rounded before printing so they read the same on every
 * machine (the CSVs are compared byte for byte). */
static double round_to(double v, double step)
{
	return xv_round(v / step) * step;
}

int xv_bench_write_derived(unsigned nprofiles, const char (*names)[XV_BENCH_NAME_MAX],
			   const struct xv_bench_results *res, const char *dir, struct xv_error *e)
{
	struct xv_buf b = XV_BUF_INIT;
	int rc;

	xv_buf_adds(&b, "guests,samples,free_mean_kib,free_min_kib,used_mean_kib,allocated_kib,"
			"physical_kib,ratio,swapping_max\n");
	for (unsigned i = 0; i < res->nrows; i++) {
		const struct xv_bench_count_row *r = &res->rows[i];

		xv_buf_addf(&b, "%u,%u,%.0f,%" PRIu64 ",%.0f,%.0f,%" PRIu64 ",", r->added, r->samples,
			    xv_round(r->free_mean_kib), r->free_min_kib, xv_round(r->used_mean_kib),
			    xv_round(r->memory_mean_kib), r->total_kib);
		add_num(&b, round_to(r->ratio, 0.001));
		xv_buf_addf(&b, ",%u\n", r->swapping_max);
	}
	rc = xv_bench_write_file(dir, "bycount.csv", &b, e);
	if (!rc) {
		xv_buf_reset(&b);
		xv_buf_adds(&b, "profile,memory_kib,samples,mean_kib,p95_kib,max_kib\n");
		for (unsigned p = 0; p < nprofiles; p++) {
			const struct xv_bench_footprint *f = &res->foot[p];

			if (!f->samples)
				continue;
			xv_buf_addf(&b, "%s,%" PRIu64 ",%zu,%.0f,%" PRIu64 ",%" PRIu64 "\n",
				    names[p], f->memory_kib, f->samples, xv_round(f->mean_kib),
				    f->p95_kib, f->max_kib);
		}
		rc = xv_bench_write_file(dir, "footprint.csv", &b, e);
	}
	xv_buf_release(&b);
	return rc;
}

/* --- summary.json ------------------------------------------------------------ */

static void json_count(struct xv_json *j, const char *key, int v)
{
	if (v < 0)
		xv_json_null(j, key);
	else
		xv_json_u64(j, key, (uint64_t)v);
}

int xv_bench_write_summary(const struct xv_bench_report_info *info, const struct xv_bench_results *res,
			   const char *dir, struct xv_error *e)
{
	const struct xv_bench_plan *plan = info->plan;
	struct xv_buf b = XV_BUF_INIT;
	struct xv_json j;
	int rc;

	xv_json_init(&j, &b);
	xv_json_object_begin(&j, NULL);
	xv_json_string(&j, "program", "xvmon-bench " XV_VERSION);
	xv_json_object_begin(&j, "plan");
	xv_json_string(&j, "name", plan->name);
	xv_json_string(&j, "path", plan->path);
	xv_json_string(&j, "description", plan->description);
	xv_json_string(&j, "procedure", xv_bench_proc_name(plan->proc.kind));
	xv_json_object_end(&j);
	xv_json_string(&j, "driver", info->driver);
	xv_json_u64(&j, "seed", info->seed);
	xv_json_bool(&j, "interrupted", res->interrupted);
	xv_json_string(&j, "stop_reason", res->stop_reason);
	xv_json_double(&j, "duration_s", (double)res->sim_ms / 1000.0);
	xv_json_object_begin(&j, "host");
	xv_json_u64(&j, "memory_kib", plan->host.memory_kib);
	xv_json_u64(&j, "hypervisor_kib", plan->host.xen_kib);
	xv_json_u64(&j, "dom0_kib", plan->host.dom0_kib);
	xv_json_u64(&j, "dom0_floor_kib", plan->host.dom0_floor_kib);
	xv_json_bool(&j, "dom0_autoballoon", plan->host.dom0_autoballoon);
	xv_json_object_end(&j);

	xv_json_object_begin(&j, "capacity");
	json_count(&j, "max_plain_guests", res->max_plain);
	json_count(&j, "dom0_balloon_onset_guests", res->dom0_onset);
	json_count(&j, "first_failure_guests", res->first_failure);
	xv_json_string(&j, "first_failure_text", res->first_failure_text);
	json_count(&j, "first_swap_guests", res->first_swap);
	xv_json_u64(&j, "max_guests", res->max_added);
	xv_json_u64(&j, "free_floor_kib", res->free_floor_kib);
	json_count(&j, "max_safe_guests", res->max_safe);
	xv_json_double(&j, "overcommit_ratio_mean", round_to(res->ratio_mean, 0.001));
	xv_json_double(&j, "overcommit_ratio_last", round_to(res->ratio_last, 0.001));
	xv_json_u64(&j, "dom0_min_kib", res->dom0_min_kib);
	xv_json_u64(&j, "guests_created", res->created);
	xv_json_u64(&j, "creation_failures", res->failures);
	xv_json_u64(&j, "swap_onsets", res->swap_onsets);
	xv_json_u64(&j, "dom0_balloon_steps", res->dom0_steps);
	xv_json_object_end(&j);

	xv_json_array_begin(&j, "profiles");
	for (unsigned p = 0; p < plan->nprofiles; p++) {
		const struct xv_bench_profile *pr = &plan->profiles[p];
		const struct xv_bench_footprint *f = &res->foot[p];

		xv_json_object_begin(&j, NULL);
		xv_json_string(&j, "name", pr->name);
		xv_json_string(&j, "image", xv_bench_image_name(pr->image));
		xv_json_u64(&j, "memory_kib", pr->memory_kib);
		xv_json_u64(&j, "maxmem_kib", pr->maxmem_kib);
		xv_json_u64(&j, "vcpus", pr->vcpus);
		xv_json_u64(&j, "samples", f->samples);
		if (f->samples) {
			xv_json_double(&j, "footprint_mean_kib", xv_round(f->mean_kib));
			xv_json_u64(&j, "footprint_p95_kib", f->p95_kib);
		} else {
			xv_json_null(&j, "footprint_mean_kib");
			xv_json_null(&j, "footprint_p95_kib");
		}
		xv_json_u64(&j, "created", f->created);
		xv_json_u64(&j, "settled", f->settled);
		if (f->settled) {
			xv_json_double(&j, "settle_mean_s", round_to(f->settle_mean_ms / 1000.0, 0.1));
			xv_json_double(&j, "settle_max_s", (double)f->settle_max_ms / 1000.0);
		} else {
			xv_json_null(&j, "settle_mean_s");
			xv_json_null(&j, "settle_max_s");
		}
		xv_json_object_end(&j);
	}
	xv_json_array_end(&j);

	xv_json_array_begin(&j, "by_guests");
	for (unsigned i = 0; i < res->nrows; i++) {
		const struct xv_bench_count_row *r = &res->rows[i];

		xv_json_object_begin(&j, NULL);
		xv_json_u64(&j, "guests", r->added);
		xv_json_u64(&j, "samples", r->samples);
		xv_json_double(&j, "free_mean_kib", xv_round(r->free_mean_kib));
		xv_json_u64(&j, "free_min_kib", r->free_min_kib);
		xv_json_double(&j, "used_mean_kib", xv_round(r->used_mean_kib));
		xv_json_double(&j, "allocated_kib", xv_round(r->memory_mean_kib));
		xv_json_double(&j, "ratio", round_to(r->ratio, 0.001));
		xv_json_u64(&j, "swapping_max", r->swapping_max);
		xv_json_object_end(&j);
	}
	xv_json_array_end(&j);

	xv_json_array_begin(&j, "charts");
	for (unsigned i = 0; info->charts && info->charts[i]; i++)
		xv_json_string(&j, NULL, info->charts[i]);
	xv_json_array_end(&j);
	xv_json_object_end(&j);

	rc = xv_bench_write_file(dir, "summary.json", &b, e);
	xv_buf_release(&b);
	return rc;
}

/* --- the report ---------------------------------------------------------------- */

struct row {
	char label[96];
	char value[256];
};

#define MAX_ROWS 24

struct report {
	struct row run[MAX_ROWS];
	unsigned nrun;
	struct row cap[MAX_ROWS];
	unsigned ncap;
	struct row over[MAX_ROWS];
	unsigned nover;
};

static void hms(uint64_t ms, char *buf, size_t size)
{
	uint64_t s = ms / 1000;

	snprintf(buf, size, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, s / 3600, s / 60 % 60, s % 60);
}

static void mib(double kib, char *buf, size_t size)
{
	snprintf(buf, size, "%.0f MiB", kib / KIB_PER_MIB);
}

static struct row *add_row(struct row *rows, unsigned *n)
{
	struct row *r = &rows[(*n < MAX_ROWS - 1) ? (*n)++ : *n];

	r->label[0] = r->value[0] = '\0';
	return r;
}

#define ROW(rows, n, lab, ...)                                                 \
	do {                                                                   \
		struct row *r_ = add_row(rows, &n);                            \
		snprintf(r_->label, sizeof(r_->label), "%s", lab);             \
		snprintf(r_->value, sizeof(r_->value), __VA_ARGS__);           \
	} while (0)

static void count_value(int v, char *buf, size_t size)
{
	if (v < 0)
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "%d", v);
}

static void build(const struct xv_bench_report_info *info, const struct xv_bench_results *res,
		  struct report *rep)
{
	const struct xv_bench_plan *plan = info->plan;
	const struct xv_bench_procedure *proc = &plan->proc;
	const struct xv_bench_profile *first = &plan->profiles[proc->mix.profile[0]];
	char a[32], b[32], c[32], label[96];

	memset(rep, 0, sizeof(*rep));
	ROW(rep->run, rep->nrun, "plan", "%s", plan->path);
	ROW(rep->run, rep->nrun, "procedure", "%s, %u samples every %" PRIu64 " s after %" PRIu64 " s",
	    xv_bench_proc_name(proc->kind), proc->samples, proc->interval_ms / 1000,
	    proc->settle_ms / 1000);
	ROW(rep->run, rep->nrun, "driver", "%s, seed %" PRIu64, info->driver, info->seed);
	hms(res->sim_ms, a, sizeof(a));
	ROW(rep->run, rep->nrun, "duration", "%s%s", a,
	    strcmp(info->driver, "model") ? "" : " (simulated)");
	xv_format_kib(plan->host.memory_kib, a, sizeof(a));
	xv_format_kib(plan->host.xen_kib, b, sizeof(b));
	ROW(rep->run, rep->nrun, "host", "%s RAM, hypervisor %s", a, b);
	xv_format_kib(plan->host.dom0_kib, a, sizeof(a));
	xv_format_kib(plan->host.dom0_floor_kib, b, sizeof(b));
	if (plan->host.dom0_autoballoon)
		ROW(rep->run, rep->nrun, "dom0", "%s, auto-ballooning down to %s", a, b);
	else
		ROW(rep->run, rep->nrun, "dom0", "%s, no auto-ballooning", a);

	xv_format_kib(first->memory_kib, a, sizeof(a));
	snprintf(label, sizeof(label), "without overcommitment (%s guests of %s)", first->name, a);
	count_value(res->max_plain, b, sizeof(b));
	ROW(rep->cap, rep->ncap, label, "%s", b);
	count_value(res->dom0_onset, b, sizeof(b));
	ROW(rep->cap, rep->ncap, "dom0 began auto-ballooning at", "%s", b);
	count_value(res->first_failure, b, sizeof(b));
	ROW(rep->cap, rep->ncap, "first creation failure at", "%s", b);
	count_value(res->first_swap, b, sizeof(b));
	ROW(rep->cap, rep->ncap, "first guest swapping at", "%s", b);
	xv_format_kib(res->free_floor_kib, a, sizeof(a));
	snprintf(label, sizeof(label), "safe: free memory >= %s, nobody swapping", a);
	count_value(res->max_safe, b, sizeof(b));
	ROW(rep->cap, rep->ncap, label, "%s", b);
	ROW(rep->cap, rep->ncap, "most guests running", "%u", res->max_added);
	ROW(rep->cap, rep->ncap, "guests created / failed", "%u / %u", res->created, res->failures);

	if (res->nrows > 1) {
		snprintf(label, sizeof(label), "allocated / used, mean over 1-%u guests",
			 res->rows[res->nrows - 1].added);
		ROW(rep->over, rep->nover, label, "%.2f", res->ratio_mean);
		snprintf(label, sizeof(label), "allocated / used at %u guests",
			 res->rows[res->nrows - 1].added);
		ROW(rep->over, rep->nover, label, "%.2f", res->ratio_last);
	}
	mib((double)res->dom0_min_kib, c, sizeof(c));
	ROW(rep->over, rep->nover, "dom0 lowest", "%s", c);
	ROW(rep->over, rep->nover, "dom0 balloon steps / swap onsets", "%u / %u", res->dom0_steps,
	    res->swap_onsets);
}

/* The footprint table, column by column (xentop's fields[] idea). */
struct fcol {
	const char *header;
	int width;
	void (*fmt)(const struct xv_bench_profile *p, const struct xv_bench_footprint *f, char *buf,
		    size_t size);
};

static void f_name(const struct xv_bench_profile *p, const struct xv_bench_footprint *f, char *buf,
		   size_t size)
{
	(void)f;
	snprintf(buf, size, "%s", p->name);
}

static void f_image(const struct xv_bench_profile *p, const struct xv_bench_footprint *f, char *buf,
		    size_t size)
{
	(void)f;
	snprintf(buf, size, "%s", xv_bench_image_name(p->image));
}

static void f_memory(const struct xv_bench_profile *p, const struct xv_bench_footprint *f,
		     char *buf, size_t size)
{
	(void)f;
	xv_format_kib(p->memory_kib, buf, size);
}

static void f_mean(const struct xv_bench_profile *p, const struct xv_bench_footprint *f, char *buf,
		   size_t size)
{
	(void)p;
	if (f->samples)
		mib(f->mean_kib, buf, size);
	else
		snprintf(buf, size, "-");
}

static void f_p95(const struct xv_bench_profile *p, const struct xv_bench_footprint *f, char *buf,
		  size_t size)
{
	(void)p;
	if (f->samples)
		mib((double)f->p95_kib, buf, size);
	else
		snprintf(buf, size, "-");
}

static void f_settled(const struct xv_bench_profile *p, const struct xv_bench_footprint *f,
		      char *buf, size_t size)
{
	if (p->image == XV_IMAGE_PLAIN)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%u/%u", f->settled, f->created);
}

static void f_settle_mean(const struct xv_bench_profile *p, const struct xv_bench_footprint *f,
			  char *buf, size_t size)
{
	(void)p;
	if (f->settled)
		snprintf(buf, size, "%.0f s", f->settle_mean_ms / 1000.0);
	else
		snprintf(buf, size, "-");
}

static void f_settle_max(const struct xv_bench_profile *p, const struct xv_bench_footprint *f,
			 char *buf, size_t size)
{
	(void)p;
	if (f->settled)
		snprintf(buf, size, "%" PRIu64 " s", f->settle_max_ms / 1000);
	else
		snprintf(buf, size, "-");
}

static const struct fcol fcols[] = {
	{ "profile", -10, f_name },
	{ "image", -7, f_image },
	{ "memory", 8, f_memory },
	{ "mean", 10, f_mean },
	{ "p95", 10, f_p95 },
	{ "settled", 8, f_settled },
	{ "settle mean", 12, f_settle_mean },
	{ "settle max", 11, f_settle_max },
};

static void txt_rows(struct xv_buf *out, const char *title, const struct row *rows, unsigned n)
{
	xv_buf_addf(out, "\n%s\n", title);
	for (unsigned i = 0; i < n; i++)
		xv_buf_addf(out, "  %-48s %10s\n", rows[i].label, rows[i].value);
}

static void files_line(const struct xv_bench_report_info *info, struct xv_buf *out)
{
	xv_buf_adds(out, "\nfiles: samples.csv guests.csv events.csv bycount.csv footprint.csv "
			 "summary.json report.txt report.html\n");
	if (info->charts && info->charts[0]) {
		xv_buf_adds(out, "charts:");
		for (unsigned i = 0; info->charts[i]; i++)
			xv_buf_addf(out, " %s", info->charts[i]);
		xv_buf_addch(out, '\n');
	} else if (info->charts_note) {
		xv_buf_addf(out, "charts: none (%s)\n", info->charts_note);
	}
}

static void text_report(const struct xv_bench_report_info *info, const struct xv_bench_results *res,
			struct xv_buf *out)
{
	const struct xv_bench_plan *plan = info->plan;
	struct report rep;
	char cell[64], a[32];

	build(info, res, &rep);
	xv_buf_addf(out, "xvmon-bench capacity report: %s\n", plan->name);
	if (plan->description)
		xv_buf_addf(out, "%s\n", plan->description);
	if (res->interrupted) {
		hms(res->sim_ms, a, sizeof(a));
		xv_buf_addf(out, "\n*** INTERRUPTED: the run was stopped after %s; what follows covers "
				 "only what was measured until then ***\n", a);
		if (res->stop_reason)
			xv_buf_addf(out, "(%s)\n", res->stop_reason);
	}
	txt_rows(out, "Run", rep.run, rep.nrun);
	txt_rows(out, "Capacity (guests added by the procedure)", rep.cap, rep.ncap);
	txt_rows(out, "Overcommitment (seed Fig. 8)", rep.over, rep.nover);

	xv_buf_adds(out, "\nPer-guest footprint (allocation after boot)\n ");
	for (size_t c = 0; c < XV_ARRAY_SIZE(fcols); c++)
		xv_buf_addf(out, " %*s", fcols[c].width, fcols[c].header);
	xv_buf_addch(out, '\n');
	for (unsigned p = 0; p < plan->nprofiles; p++) {
		xv_buf_addch(out, ' ');
		for (size_t c = 0; c < XV_ARRAY_SIZE(fcols); c++) {
			fcols[c].fmt(&plan->profiles[p], &res->foot[p], cell, sizeof(cell));
			xv_buf_addf(out, " %*s", fcols[c].width, cell);
		}
		xv_buf_addch(out, '\n');
	}
	if (res->first_failure_text)
		xv_buf_addf(out, "\nFirst creation failure, at %d guests:\n  %s\n", res->first_failure,
			    res->first_failure_text);
	files_line(info, out);
}

void xv_bench_format_report(const struct xv_bench_report_info *info,
			    const struct xv_bench_results *res, struct xv_buf *out)
{
	struct xv_buf raw = XV_BUF_INIT;

	/* the plan's name, description and path and the driver's messages are
	 * outside text: the whole report is made valid UTF-8 at once */
	text_report(info, res, &raw);
	xv_text_clean(out, raw.data, XV_TEXT_DOCUMENT);
	xv_buf_release(&raw);
}

/* Outside text for HTML: made valid UTF-8 first, then escaped. */
static void html_escape(struct xv_buf *b, const char *raw)
{
	struct xv_buf clean = XV_BUF_INIT;

	if (!raw)
		return;
	xv_text_clean(&clean, raw, XV_TEXT_DOCUMENT);
	xv_text_escape_markup(b, clean.data);
	xv_buf_release(&clean);
}

static void html_rows(struct xv_buf *out, const char *title, const struct row *rows, unsigned n)
{
	xv_buf_adds(out, "<h2>");
	html_escape(out, title);
	xv_buf_adds(out, "</h2>\n<table class=\"kv\">\n");
	for (unsigned i = 0; i < n; i++) {
		xv_buf_adds(out, "<tr><th>");
		html_escape(out, rows[i].label);
		xv_buf_adds(out, "</th><td>");
		html_escape(out, rows[i].value);
		xv_buf_adds(out, "</td></tr>\n");
	}
	xv_buf_adds(out, "</table>\n");
}

static const char *const chart_titles[][2] = {
	{ "free", "Free host memory over time (seed Fig. 5)" },
	{ "used", "Used, allocated and physical memory by guest count (seed Fig. 7)" },
	{ "ratio", "Allocated / used memory by guest count (seed Fig. 8)" },
	{ "footprint", "Per-guest footprint by profile" },
};

static void html_report(const struct xv_bench_report_info *info, const struct xv_bench_results *res,
			struct xv_buf *out)
{
	const struct xv_bench_plan *plan = info->plan;
	struct report rep;
	char cell[64], a[32];

	build(info, res, &rep);
	xv_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
			 "xvmon-bench: ");
	html_escape(out, plan->name);
	xv_buf_adds(out, "</title>\n<style>\n"
			 "body { font-family: sans-serif; margin: 2em; max-width: 70em; }\n"
			 "table { border-collapse: collapse; margin: 0.5em 0 1.5em; }\n"
			 "th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }\n"
			 "td { text-align: right; font-variant-numeric: tabular-nums; }\n"
			 ".warn { background: #fee; border: 1px solid #c00; padding: 0.5em; }\n"
			 "figure { margin: 1em 0; } img { max-width: 100%; }\n"
			 "</style>\n</head>\n<body>\n<h1>xvmon-bench capacity report: ");
	html_escape(out, plan->name);
	xv_buf_adds(out, "</h1>\n");
	if (plan->description) {
		xv_buf_adds(out, "<p>");
		html_escape(out, plan->description);
		xv_buf_adds(out, "</p>\n");
	}
	if (res->interrupted) {
		hms(res->sim_ms, a, sizeof(a));
		xv_buf_addf(out, "<p class=\"warn\">Interrupted: the run was stopped after %s; the "
				 "numbers cover only what was measured until then.", a);
		if (res->stop_reason) {
			xv_buf_adds(out, " (");
			html_escape(out, res->stop_reason);
			xv_buf_addch(out, ')');
		}
		xv_buf_adds(out, "</p>\n");
	}
	html_rows(out, "Run", rep.run, rep.nrun);
	html_rows(out, "Capacity (guests added by the procedure)", rep.cap, rep.ncap);
	html_rows(out, "Overcommitment (seed Fig. 8)", rep.over, rep.nover);
	xv_buf_adds(out, "<h2>Per-guest footprint (allocation after boot)</h2>\n<table>\n<tr>");
	for (size_t c = 0; c < XV_ARRAY_SIZE(fcols); c++)
		xv_buf_addf(out, "<th>%s</th>", fcols[c].header);
	xv_buf_adds(out, "</tr>\n");
	for (unsigned p = 0; p < plan->nprofiles; p++) {
		xv_buf_adds(out, "<tr>");
		for (size_t c = 0; c < XV_ARRAY_SIZE(fcols); c++) {
			fcols[c].fmt(&plan->profiles[p], &res->foot[p], cell, sizeof(cell));
			xv_buf_adds(out, c == 0 ? "<th>" : "<td>");
			html_escape(out, cell);
			xv_buf_adds(out, c == 0 ? "</th>" : "</td>");
		}
		xv_buf_adds(out, "</tr>\n");
	}
	xv_buf_adds(out, "</table>\n");
	if (res->first_failure_text) {
		xv_buf_addf(out, "<h2>First creation failure, at %d guests</h2>\n<pre>", res->first_failure);
		html_escape(out, res->first_failure_text);
		xv_buf_adds(out, "</pre>\n");
	}
	xv_buf_adds(out, "<h2>Charts</h2>\n");
	if (info->charts && info->charts[0]) {
		for (size_t c = 0; c < XV_ARRAY_SIZE(chart_titles); c++) {
			char svg[64];
			bool have = false;

			snprintf(svg, sizeof(svg), "%s.svg", chart_titles[c][0]);
			for (unsigned i = 0; info->charts[i]; i++)
				have |= !strcmp(info->charts[i], svg);
			if (!have)
				continue;
			xv_buf_addf(out, "<figure><img src=\"%s\" alt=\"%s\"><figcaption>%s "
					 "(<a href=\"%s.png\">PNG</a>)</figcaption></figure>\n",
				    svg, chart_titles[c][1], chart_titles[c][1], chart_titles[c][0]);
		}
	} else {
		xv_buf_adds(out, "<p>No charts: ");
		html_escape(out, info->charts_note ? info->charts_note : "not rendered");
		xv_buf_adds(out, ".</p>\n");
	}
	xv_buf_adds(out, "<p>Data: <a href=\"samples.csv\">samples.csv</a>, <a href=\"guests.csv\">"
			 "guests.csv</a>, <a href=\"events.csv\">events.csv</a>, <a href=\"bycount.csv\">"
			 "bycount.csv</a>, <a href=\"footprint.csv\">footprint.csv</a>, "
			 "<a href=\"summary.json\">summary.json</a>.</p>\n</body>\n</html>\n");
}

int xv_bench_write_reports(const struct xv_bench_report_info *info, const struct xv_bench_results *res,
			   const char *dir, struct xv_error *e)
{
	struct xv_buf b = XV_BUF_INIT;
	int rc;

	xv_bench_format_report(info, res, &b);
	rc = xv_bench_write_file(dir, "report.txt", &b, e);
	if (!rc) {
		xv_buf_reset(&b);
		html_report(info, res, &b);
		rc = xv_bench_write_file(dir, "report.html", &b, e);
	}
	xv_buf_release(&b);
	return rc;
}
