/* SPDX-License-Identifier: GPL-3.0-or-later */
/* capacity.h: "how many guests fit?" — sweeps host size, guest size and
 * profile mix on the model and tabulates the answers.
 *
 * Each cell is a ramp (guests one by one until a creation fails) on a copy of
 * a base plan with the host's RAM, the hypervisor overhead that goes with it,
 * the guests' memory= and maxmem= (and the guest kernel's mem_map) replaced. */
#ifndef XV_BENCH_CAPACITY_H
#define XV_BENCH_CAPACITY_H

#include "buf.h"
#include "error.h"
#include "plan.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XV_BENCH_SWEEP_MAX 16

struct xv_bench_capacity_opts {
	const struct xv_bench_plan *base;
	unsigned nhosts, nsizes, nmixes;
	uint64_t hosts_kib[XV_BENCH_SWEEP_MAX];
	uint64_t sizes_kib[XV_BENCH_SWEEP_MAX];
	const char *mixes[XV_BENCH_SWEEP_MAX];
	bool floor_set;     /* else the floor is one guest's memory= */
	uint64_t floor_kib;
	uint64_t seed;
	volatile sig_atomic_t *stop;
};

/* A base plan for sweeps when none is given: the seed's host and its three
 * images as profiles plain, clean and stress. */
extern const char xv_bench_builtin_plan[];

/* Runs the sweep and appends the table to `out`.  0, 1 if stopped by *stop
 * (the table so far is in out), -1 with e set: a mix that names no profile
 * of the base (XV_E_USAGE: callers check the mixes first), the sweep's
 * model work passing XV_BENCH_MAX_WORK (XV_E_DATA), or the driver. */
int xv_bench_capacity(const struct xv_bench_capacity_opts *o, struct xv_buf *out,
		      struct xv_error *e);

#endif
