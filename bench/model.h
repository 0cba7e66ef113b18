/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.h: a time-stepped simulation of one Xen host's memory.
 *
 * The host has RAM, a hypervisor overhead, dom0 (with auto-ballooning toward
 * its floor when a creation is short of memory) and guests.  Each step is one
 * period of xenballoond (1 s by default): workloads move on, every
 * self-ballooning guest sets target = max(Committed_AS, floor) and moves down
 * by 1/down_hysteresis of the gap, or up by 1/up_hysteresis of it (at once by
 * default) as far as free memory allows; a guest whose working set exceeds its
 * allocation swaps.  All randomness comes from the seed, per guest, so a run
 * is reproducible byte for byte.
 *
 * The model keeps a pointer to the plan: the plan must outlive it. */
#ifndef XV_BENCH_MODEL_H
#define XV_BENCH_MODEL_H

#include "driver.h"
#include "plan.h"

#include <stddef.h>
#include <stdint.h>

struct xv_model;

struct xv_model *xv_model_new(const struct xv_bench_plan *plan, uint64_t seed);
void xv_model_free(struct xv_model *m);

void xv_model_set_event_sink(struct xv_model *m, xv_bench_event_fn fn, void *ctx);

/* Creates a guest of profile `profile`.  Needs memory= plus the per-domain
 * overhead free at once; if short, dom0 balloons toward its floor, then the
 * model waits (time passes) up to create_retry for guests to give memory
 * back.  0 and *id, or -1 with the toolstack's message in e (XV_E_HOST). */
int xv_model_create(struct xv_model *m, unsigned profile, const char *name, int *id,
		    struct xv_error *e);

/* Directed balloon target (KiB); 0 returns the guest to self-ballooning. */
int xv_model_set_target(struct xv_model *m, int id, uint64_t target_kib, struct xv_error *e);
int xv_model_destroy(struct xv_model *m, int id, struct xv_error *e);

void xv_model_host(const struct xv_model *m, struct xv_bench_host_mem *out);
int xv_model_guest(const struct xv_model *m, int id, struct xv_bench_guest_mem *out);

/* Runs the simulation forward by `ms` (whole balloon periods; a remainder is
 * carried to the next call so the clock never drifts). */
void xv_model_advance(struct xv_model *m, uint64_t ms);
uint64_t xv_model_now_ms(const struct xv_model *m);

/* Guests ever created (ids are 0..n-1; destroyed ones stay counted). */
unsigned xv_model_guest_count(const struct xv_model *m);

#endif
