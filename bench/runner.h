/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runner.h: carries out a plan's procedure on a driver and records it.
 *
 * Step 0 starts the plan's [start] guests; every later step adds one guest
 * (one-by-one, ramp) or a group (groups), waits the settle time, then takes
 * the samples.  A creation failure is recorded with the driver's message and
 * either ends the run (ramp, on_failure = stop) or is passed over.
 *
 * The runner also keeps every run within the bounds of plan.h: driver time,
 * model work, rows recorded.  A run that reaches one (a ramp on a host too
 * large to fill, say) stops there, like an interrupted one, with an error
 * that names the bound. */
#ifndef XV_BENCH_RUNNER_H
#define XV_BENCH_RUNNER_H

#include "analysis.h"
#include "data.h"
#include "driver.h"
#include "plan.h"

#include "error.h"

#include <signal.h>
#include <stdint.h>

struct xv_bench_progress {
	unsigned added;        /* guests the procedure has added */
	unsigned limit;        /* what it adds at most */
	uint64_t sim_ms;       /* driver time since the start */
	uint64_t sim_total_ms; /* expected driver time of the whole run; 0: unknown */
};

struct xv_bench_run_opts {
	uint64_t seed;
	/* Checked between waits; when it becomes non-zero the run stops, marks
	 * the data interrupted and returns 0 with what was measured. */
	volatile sig_atomic_t *stop;
	/* Called after every wait; may be NULL. */
	void (*progress)(void *ctx, const struct xv_bench_progress *p);
	void *progress_ctx;
	/* Model work done so far, shared by the runs of a sweep so that the
	 * sweep as a whole stays within XV_BENCH_MAX_WORK; NULL for one run. */
	uint64_t *work;
};

/* Where a run's measurements go as they are taken: the CSV files (may be
 * NULL: a capacity sweep keeps none) and the analysis (must be set).  The
 * counts say what was recorded. */
struct xv_bench_record {
	struct xv_bench_csv *csv;
	struct xv_bench_acc *acc;
	uint64_t samples, guest_rows, events;
	uint64_t last_sample_ms;
	bool interrupted;
};

/* Records an event the runner did not see (the out-of-memory end of a run,
 * say): written and analysed like the others. */
void xv_bench_record_event(struct xv_bench_record *rec, const struct xv_bench_rec_event *e);

/* Runs the plan into `rec`.  Returns 0, or -1 with e set: the driver failed
 * (its code), or the run reached a bound (XV_E_DATA); either way what was
 * measured is recorded and marked interrupted, with the reason in the
 * event's text. */
int xv_bench_run(const struct xv_bench_plan *plan, struct xv_bench_driver *drv,
		 const struct xv_bench_run_opts *opts, struct xv_bench_record *rec,
		 struct xv_error *e);

/* Driver time one step of the procedure takes (settle and samples). */
uint64_t xv_bench_step_ms(const struct xv_bench_plan *plan);

#endif
