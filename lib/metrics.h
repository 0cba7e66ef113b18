/* SPDX-License-Identifier: GPL-3.0-or-later */
/* metrics.h: hosts, VMs and pools in the Prometheus text format.
 *
 * What xvmon-metrics writes for node_exporter's textfile collector (and any
 * Prometheus scraper): one family at a time (# HELP, # TYPE, its samples),
 * names in base units (bytes, seconds) with _total on counters, labels
 * host, pool, vm, uuid.  Label values are made valid UTF-8 (text.h) and then
 * escaped as the format wants (backslash, double quote, line feed).
 *
 * Every figure is the snapshot's or the pool report's, printed exactly:
 * memory as integer bytes, CPU seconds from integer nanoseconds, ratios from
 * the report's integer tenths of a percent (0.75 is written 0.750).  A figure
 * the source does not have is left out, never written as 0 or NaN. */
#ifndef XV_METRICS_H
#define XV_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "pool_report.h"
#include "snapshot.h"

struct xv_metrics_host {
	const char *name;               /* as the inventory (or the snapshot) names it */
	const char *pool;               /* NULL outside an inventory */
	const struct xv_snapshot *snap; /* NULL: it did not answer */
};

struct xv_metrics_pool {
	const char *name;
	const struct xv_pool_report *report;
};

struct xv_metrics_input {
	const struct xv_metrics_host *hosts;
	size_t n_hosts;
	const struct xv_metrics_pool *pools;
	size_t n_pools;
	uint64_t generated_ms; /* wall clock, for xvmon_metrics_generated_timestamp_seconds */
};

/* Appends every family to `out`. */
void xv_metrics_write(const struct xv_metrics_input *in, struct xv_buf *out);

/* Appends `value` as a label value: UTF-8 made valid, then \\, \" and \n. */
void xv_metrics_label_value(struct xv_buf *out, const char *value);

#endif
