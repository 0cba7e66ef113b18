/* SPDX-License-Identifier: GPL-3.0-or-later */
/* charts.h: renders a run's charts with gnuplot, as PNG (pngcairo) and SVG.
 *
 * Nothing from a path or from data reaches gnuplot as a command: gnuplot
 * runs in the run's directory, reads the CSV files by their fixed names
 * (samples.csv, bycount.csv, footprint.csv) and writes fixed temporary names
 * (.free.png.tmp, ...), and the scripts are not loaded by gnuplot from a
 * path (gnuplot's load, like its plot, takes '<command' as a pipe) but read
 * here and sent on its standard input.  The scripts live in a plot
 * directory (bench/plot in the source tree, DATADIR/plot once installed).
 * Each chart is renamed into place once gnuplot has finished, so a reader
 * never sees half a picture. */
#ifndef XV_BENCH_CHARTS_H
#define XV_BENCH_CHARTS_H

#include "error.h"

#include <stddef.h>

/* The files a successful render leaves, NULL-terminated. */
extern const char *const xv_bench_chart_files[];

/* 0 rendered; -1 with e set: XV_E_UNSUPPORTED when gnuplot is not installed
 * (a skip, not a failure), XV_E_NOINPUT when the scripts cannot be read,
 * XV_E_SOFTWARE when gnuplot failed (its complaint in the message), others
 * for this machine.  `gnuplot` is the program to run (a name looked up in
 * PATH, or a path). */
int xv_bench_render_charts(const char *dir, const char *plotdir, const char *gnuplot,
			   struct xv_error *e);

#endif
