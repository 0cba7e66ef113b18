/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analysis.h: what a run's measurements say — the capacity report's numbers.
 *
 * Counts of guests are "added" guests: those the procedure created, not the
 * plan's [start] guests, so "dom0 began ballooning at 27" reads as the seed's
 * "at 27 stress guests".
 *
 * The analysis is fed as the run goes (struct xv_bench_acc): the runner
 * hands it each guest row, host sample and event as it writes them, and
 * `plot` replays the CSV files into it, so both compute the same numbers
 * with memory linear in guests and guest counts, not in guests x samples.
 * A guest row gives the guest's figures from its time on (guests.csv holds
 * a row only when something changed); every host sample counts each live
 * guest's figures as they are then. */
#ifndef XV_BENCH_ANALYSIS_H
#define XV_BENCH_ANALYSIS_H

#include "data.h"
#include "plan.h"

#include <stdbool.h>
#include <stdint.h>

/* The samples taken with the same number of added guests (seed Fig. 7, 8). */
struct xv_bench_count_row {
	unsigned added;
	unsigned samples;
	uint64_t total_kib;
	double free_mean_kib;
	uint64_t free_min_kib;
	double used_mean_kib;   /* total - free */
	double memory_mean_kib; /* Σ memory= of all guests: "allocated" */
	double ratio;           /* allocated / used */
	unsigned swapping_max;
};

/* One profile's per-guest allocation over all samples after boot. */
struct xv_bench_footprint {
	uint64_t memory_kib; /* memory= of the profile's guests */
	size_t samples;
	double mean_kib;
	uint64_t p95_kib;
	uint64_t max_kib;
	unsigned created;  /* guests of the profile created */
	unsigned settled;  /* of those, how many came down to their idle target */
	double settle_mean_ms;
	uint64_t settle_max_ms;
};

struct xv_bench_results {
	struct xv_bench_count_row *rows; /* by added, ascending */
	unsigned nrows;
	struct xv_bench_footprint foot[XV_BENCH_MAX_PROFILES];
	int max_plain;     /* guests of the procedure's first profile without
			      overcommitment; -1 without a plan */
	int dom0_onset;    /* added guests when dom0 first ballooned; -1: never */
	int first_failure; /* added guests when a creation first failed; -1 */
	int first_swap;    /* added guests when a guest first swapped; -1 */
	unsigned max_added;
	uint64_t free_floor_kib;
	int max_safe;      /* most added guests with free >= floor, no swap onset
			      and no failed creation, counted from 0 up */
	double ratio_mean; /* allocated/used averaged over guest counts >= 1 */
	double ratio_last;
	uint64_t dom0_min_kib;
	unsigned created, failures, swap_onsets, dom0_steps;
	char *first_failure_text; /* owned */
	char *stop_reason;        /* why an interrupted run stopped, if it says; owned */
	uint64_t sim_ms;
	bool interrupted;
};

struct xv_bench_acc;

struct xv_bench_acc *xv_bench_acc_new(unsigned nprofiles);
void xv_bench_acc_free(struct xv_bench_acc *a);

/* A guest's figures from g->time_ms on (the guest is g->guest, a name index). */
void xv_bench_acc_guest(struct xv_bench_acc *a, const struct xv_bench_gsample *g);
/* A host sample: also counts every live guest's current figures. */
void xv_bench_acc_sample(struct xv_bench_acc *a, const struct xv_bench_sample *s);
/* An event (text borrowed: copied if the acc needs it). */
void xv_bench_acc_event(struct xv_bench_acc *a, const struct xv_bench_rec_event *e);

/* The numbers so far; `plan` may be NULL (then max_plain is -1).  Free-
 * memory safety is judged against free_floor_kib.  The acc can go on being
 * fed afterwards; res owns its memory (xv_bench_results_release()). */
void xv_bench_acc_results(const struct xv_bench_acc *a, const struct xv_bench_plan *plan,
			  uint64_t free_floor_kib, bool interrupted, struct xv_bench_results *res);

/* The same from data held in memory (guest rows and samples merged by
 * time, a guest row first when both have the same time). */
void xv_bench_analyze(const struct xv_bench_data *d, const struct xv_bench_plan *plan,
		      uint64_t free_floor_kib, struct xv_bench_results *res);
void xv_bench_results_release(struct xv_bench_results *res);

/* Guests of `p` that fit on the plan's host with no overcommitment: each
 * holds memory= plus Xen's per-domain overhead, dom0 at its floor, the
 * [start] guests in place. */
int xv_bench_max_plain(const struct xv_bench_plan *plan, const struct xv_bench_profile *p);

#endif
