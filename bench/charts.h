/* SPDX-License-Identifier: GPL-3.0-or-later */
/* charts.h: renders a run's charts with gnuplot, as PNG (pngcairo) and SVG.
 *
 * The scripts live in a plot directory (bench/plot in the source tree,
 * DATADIR/plot once installed) and read samples.csv, bycount.csv and
 * footprint.csv from the output directory.  Each chart is written under a
 * temporary name and renamed once gnuplot has finished, so a reader never
 * sees half a picture. */
#ifndef XV_BENCH_CHARTS_H
#define XV_BENCH_CHARTS_H

#include <stddef.h>

/* The files a successful render leaves, NULL-terminated. */
extern const char *const xv_bench_chart_files[];

/* 0 rendered; 1 gnuplot is not installed (err says so: a skip, not a
 * failure); -1 it failed (err has gnuplot's complaint). `gnuplot` is the
 * program to run (a name looked up in PATH, or a path). */
int xv_bench_render_charts(const char *dir, const char *plotdir, const char *gnuplot,
			   char *err, size_t errlen);

#endif
