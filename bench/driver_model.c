/* SPDX-License-Identifier: GPL-3.0-or-later */
/* driver_model.c: lib/'s host model behind the driver interface.  Time is
 * simulated: wait() returns at once with the clock moved on.
 *
 * The plan is the file format; the model takes physical quantities.  This
 * file turns one into the other. */
#include "driver.h"
#include "model.h"
#include "plan.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

struct model_driver {
	struct xv_model *m;
	struct xv_model_profile profiles[XV_BENCH_MAX_PROFILES];
};

/* The model calls back through this so the driver's on_event can be set or
 * changed after open. */
static void forward(void *ctx, const struct xv_model_event *mev)
{
	static const enum xv_bench_event_kind kinds[] = {
		[XV_MODEL_EV_DOM0_BALLOON] = XV_EV_DOM0_BALLOON,
		[XV_MODEL_EV_SWAP_ON] = XV_EV_SWAP_ON,
		[XV_MODEL_EV_SETTLED] = XV_EV_SETTLED,
	};
	struct xv_bench_event ev = {
		.time_ms = mev->time_ms, .kind = kinds[mev->kind], .guest = mev->guest,
		.profile = mev->profile, .value_kib = mev->value_kib, .value2_kib = mev->value2_kib,
	};

	xv_bench_driver_emit(ctx, &ev);
}

static int model_open(struct xv_bench_driver *drv, const struct xv_bench_plan *plan, uint64_t seed)
{
	struct model_driver *md = xv_calloc(1, sizeof(*md));
	struct xv_model_host host = {
		.memory_kib = plan->host.memory_kib,
		.xen_kib = plan->host.xen_kib,
		.dom0_kib = plan->host.dom0_kib,
		.dom0_floor_kib = plan->host.dom0_floor_kib,
		.dom0_autoballoon = plan->host.dom0_autoballoon,
		.toolstack = plan->host.toolstack,
		.cpus = plan->host.cpus,
	};
	struct xv_model_params par;

	if (*drv->arg) {
		free(md);
		return xv_error(&drv->err, XV_E_USAGE, "the model takes no argument (got 'model:%s')",
				drv->arg);
	}
	xv_model_params_defaults(&par);
	par.domain_overhead_kib = plan->model.domain_overhead_kib;
	par.balloon_interval_ms = plan->model.balloon_interval_ms;
	par.down_hysteresis = plan->model.down_hysteresis;
	par.up_hysteresis = plan->model.up_hysteresis;
	par.boot_ms = plan->model.boot_ms;
	par.boot_jitter_ms = plan->model.boot_jitter_ms;
	par.settle_tolerance_kib = plan->model.settle_tolerance_kib;
	par.swap_quiet_ms = plan->model.swap_quiet_ms;
	for (unsigned i = 0; i < plan->nprofiles; i++)
		xv_bench_profile_to_model(&plan->profiles[i], &md->profiles[i]);
	md->m = xv_model_new(&host, md->profiles, plan->nprofiles, &par, seed);
	xv_model_set_event_sink(md->m, forward, drv);
	drv->priv = md;
	return 0;
}

static struct xv_model *model(struct xv_bench_driver *drv)
{
	return ((struct model_driver *)drv->priv)->m;
}

static int model_create(struct xv_bench_driver *drv, unsigned profile, const char *name, int *id)
{
	return xv_model_create(model(drv), profile, name, id, &drv->err);
}

static int model_set_target(struct xv_bench_driver *drv, int id, uint64_t target_kib)
{
	return xv_model_set_target(model(drv), id, target_kib, &drv->err);
}

static int model_destroy(struct xv_bench_driver *drv, int id)
{
	return xv_model_destroy(model(drv), id, &drv->err);
}

static int model_read_host(struct xv_bench_driver *drv, struct xv_bench_host_mem *out)
{
	struct xv_model_host_state s;

	xv_model_host_state(model(drv), &s);
	out->total_kib = s.total_kib;
	out->free_kib = s.free_kib;
	out->xen_kib = s.xen_kib;
	out->dom0_kib = s.dom0_kib;
	out->guests_kib = s.guests_kib;
	out->guests = s.guests;
	out->booting = s.booting;
	return 0;
}

static int model_read_guest(struct xv_bench_driver *drv, int id, struct xv_bench_guest_mem *out)
{
	struct xv_model_guest_state g;

	if (xv_model_guest(model(drv), id, &g))
		return xv_error(&drv->err, XV_E_SOFTWARE, "no guest with id %d", id);
	out->memory_kib = g.memory_kib;
	out->maxmem_kib = g.maxmem_kib;
	out->alloc_kib = g.alloc_kib;
	out->target_kib = g.target_kib;
	out->committed_kib = g.committed_kib;
	out->ws_kib = g.ws_kib;
	out->swap_kib = g.swap_kib;
	out->booting = g.booting;
	out->ballooning = g.ballooning;
	return 0;
}

static int model_wait(struct xv_bench_driver *drv, uint64_t ms)
{
	xv_model_advance(model(drv), ms);
	return 0;
}

static uint64_t model_now_ms(struct xv_bench_driver *drv)
{
	return xv_model_now_ms(model(drv));
}

static void model_changed(struct xv_bench_driver *drv, const int **ids, size_t *n)
{
	xv_model_changed(model(drv), ids, n);
}

static uint64_t model_work(struct xv_bench_driver *drv)
{
	return xv_model_work(model(drv));
}

static void model_close(struct xv_bench_driver *drv)
{
	struct model_driver *md = drv->priv;

	if (md)
		xv_model_free(md->m);
	free(md);
	drv->priv = NULL;
}

const struct xv_bench_driver_ops xv_bench_model_driver = {
	.name = "model",
	.summary = "simulated host memory and CPUs from the published laws (no hypervisor needed)",
	.open = model_open,
	.create = model_create,
	.set_target = model_set_target,
	.destroy = model_destroy,
	.read_host = model_read_host,
	.read_guest = model_read_guest,
	.wait = model_wait,
	.now_ms = model_now_ms,
	.changed = model_changed,
	.work = model_work,
	.close = model_close,
};
