/* SPDX-License-Identifier: GPL-3.0-or-later */
/* capacity.h: how many more guests a live host can take before a creation
 * fails or a guest starts to swap (check_xen_capacity).
 *
 * The answer comes from the bench's own model (model.h), started from a
 * snapshot: the host's memory as it is (free, dom0, what the hypervisor
 * holds), each running guest adopted with what it holds now and, where it
 * publishes its meminfo, its own Committed_AS under xenballoond's law.  New
 * guests of the given profile are then created one by one, a step apart, the
 * way the host's toolstack creates them, until a creation fails.  Guests
 * whose image draws random numbers (the memory eater) make the count depend
 * on the seed: the prediction is the smallest over several seeds. */
#ifndef XV_CAPACITY_H
#define XV_CAPACITY_H

#include "error.h"
#include "model.h"
#include "snapshot.h"

#include <stdbool.h>
#include <stdint.h>

struct xv_capacity_config {
	struct xv_model_profile guest; /* the guests added */
	enum xv_toolstack toolstack;
	bool autoballoon;
	uint64_t dom0_floor_kib;       /* xend's dom0-min-mem; libxl: at least 128 MiB */
	struct xv_model_params params;
	uint64_t step_ms;              /* from one creation to the next */
	unsigned seeds;                /* runs, seeds 1..seeds (only for random images) */
	unsigned max_guests;           /* count no further */
};

/* Defaults: libxl with autoballoon, a 10 min step (the seed's Test 2: 5 min
 * to boot and settle, 5 min of samples), 5 seeds, up to 1000 guests.  The
 * guest is left for the caller to fill (then xv_model_profile_defaults()). */
void xv_capacity_defaults(struct xv_capacity_config *cfg);

/* What one domain of a snapshot is taken to be.  The only place that reads
 * a guest's figures for the prediction. */
struct xv_capacity_guest_view {
	struct xv_model_adopted adopted;
	bool reported; /* from the guest's own meminfo */
};
void xv_capacity_view(const struct xv_domain *d, struct xv_capacity_guest_view *out);

struct xv_capacity_result {
	unsigned create;          /* guests created before a creation fails */
	bool create_capped;       /* max_guests reached without a failure */
	unsigned swap;            /* guests added before a guest swaps */
	bool swap_seen;           /* else no guest swapped within `create` */
	unsigned headroom;        /* the smaller of create and swap */
	/* the assumptions, for the long output */
	uint64_t free_kib;        /* free (+ scrubbed, - claimed) at the start */
	uint64_t dom0_kib, dom0_floor_kib;
	uint64_t xen_kib;         /* memory that no domain holds and is not free */
	uint64_t need_kib;        /* free memory a creation waits for */
	uint64_t idle_kib;        /* where a new guest settles when idle */
	unsigned adopted, reported, ballooning;
	uint64_t give_back_kib;   /* what running guests will give back settling */
	unsigned runs;            /* seeds run */
	unsigned cpus;
	char failure[256];        /* the toolstack's message at the first failure */
};

/* Runs the prediction.  0, or -1 with e (XV_E_DATA: the snapshot lacks
 * what the model needs, such as total or free memory). */
int xv_capacity_predict(const struct xv_snapshot *snap, const struct xv_capacity_config *cfg,
			struct xv_capacity_result *res, struct xv_error *e);

#endif
