/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output.h: the files a run leaves besides its raw CSVs.
 *
 *   bycount.csv    samples grouped by guest count (seed Fig. 7 and 8)
 *   footprint.csv  per-profile allocation: mean and 95th percentile
 *   summary.json   every number of the report, for machines
 *   report.txt     the capacity report
 *   report.html    the same, with the charts
 *
 * All written atomically.  Text from outside (plan name, description and
 * path, the driver's messages) is cleaned with lib/text.h: valid UTF-8 in
 * every file, and HTML-escaped after cleaning in report.html. */
#ifndef XV_BENCH_OUTPUT_H
#define XV_BENCH_OUTPUT_H

#include "analysis.h"
#include "buf.h"
#include "data.h"
#include "error.h"
#include "plan.h"

#include <stddef.h>
#include <stdint.h>

struct xv_bench_report_info {
	const struct xv_bench_plan *plan;
	const char *driver;
	uint64_t seed;
	/* Chart files made in the output directory (NULL-terminated), or NULL
	 * when none were rendered; charts_note says why. */
	const char *const *charts;
	const char *charts_note;
};

/* The files written here, NULL-terminated. */
extern const char *const xv_bench_output_files[];

/* bycount.csv and footprint.csv, which the charts read. */
int xv_bench_write_derived(unsigned nprofiles, const char (*names)[XV_BENCH_NAME_MAX],
			   const struct xv_bench_results *res, const char *dir, struct xv_error *e);

int xv_bench_write_summary(const struct xv_bench_report_info *info, const struct xv_bench_results *res,
			   const char *dir, struct xv_error *e);

void xv_bench_format_report(const struct xv_bench_report_info *info,
			    const struct xv_bench_results *res, struct xv_buf *out);

int xv_bench_write_reports(const struct xv_bench_report_info *info, const struct xv_bench_results *res,
			   const char *dir, struct xv_error *e);

#endif
