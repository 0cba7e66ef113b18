/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_host.h: evaluate one host's snapshot for check_xen_host.
 *
 * Kept out of the plugin so tests can feed snapshots directly.  The plugin
 * parses options into this config, takes the snapshot and calls
 * xv_host_check_run(). */
#ifndef XV_HOST_CHECK_H
#define XV_HOST_CHECK_H

#include "check.h"
#include "range.h"
#include "snapshot.h"

struct xv_host_check_config {
	struct xv_thresholds free;       /* free memory: bytes or % of total */
	struct xv_thresholds dom0;       /* dom0 memory: bytes or % of total */
	struct xv_thresholds overcommit; /* sum of guests' max memory / total */
	struct xv_thresholds domains;    /* number of domains, dom0 included */
	struct xv_thresholds vcpus;      /* guests' vCPUs / physical CPUs */
	struct xv_thresholds cpu;        /* host CPU use, percent of its CPUs */
	enum xv_state crashed_state;     /* for crashed and dying domains */
	enum xv_state paused_state;
	enum xv_state shutdown_state;
	int verbose;
};

/* Defaults: free memory warning below 10%, critical below 5%; crashed or
 * dying domains CRITICAL; shut down WARNING; paused OK (counted only). */
void xv_host_check_defaults(struct xv_host_check_config *cfg);


void xv_host_check_run(const struct xv_snapshot *snap, const struct xv_host_check_config *cfg,
		   struct xv_check *out);

/* The host's CPU use (rates.h: tenths of a percent of its physical CPUs),
 * measured by the plugin between two readings: a result and perfdata. */
void xv_host_check_cpu(unsigned permille, const struct xv_host_check_config *cfg,
		       struct xv_check *out);

#endif
