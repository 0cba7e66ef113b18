/* driver_model.c: the model behind the driver interface.  Time is simulated:
 * wait() returns at once with the clock moved on. */
#include "driver.h"
#include "model.h"

#include <stdio.h>

/* The model calls back through this so the driver's on_event can be set or
 * changed after open. */
static void forward(void *ctx, const struct xv_bench_event *ev)
{
	xv_bench_driver_emit(ctx, ev);
}

static int model_open(struct xv_bench_driver *drv, const struct xv_bench_plan *plan, uint64_t seed)
{
	struct xv_model *m;

	if (*drv->arg) {
		snprintf(drv->err, sizeof(drv->err), "the model takes no argument (got 'model:%s')", drv->arg);
		return -1;
	}
	m = xv_model_new(plan, seed);

	xv_model_set_event_sink(m, forward, drv);
	drv->priv = m;
	return 0;
}

static int model_create(struct xv_bench_driver *drv, unsigned profile, const char *name, int *id)
{
	return xv_model_create(drv->priv, profile, name, id, drv->err, sizeof(drv->err));
}

static int model_set_target(struct xv_bench_driver *drv, int id, uint64_t target_kib)
{
	return xv_model_set_target(drv->priv, id, target_kib, drv->err, sizeof(drv->err));
}

static int model_destroy(struct xv_bench_driver *drv, int id)
{
	return xv_model_destroy(drv->priv, id, drv->err, sizeof(drv->err));
}

static int model_read_host(struct xv_bench_driver *drv, struct xv_bench_host_mem *out)
{
	xv_model_host(drv->priv, out);
	return 0;
}

static int model_read_guest(struct xv_bench_driver *drv, int id, struct xv_bench_guest_mem *out)
{
	if (xv_model_guest(drv->priv, id, out)) {
		snprintf(drv->err, sizeof(drv->err), "no guest with id %d", id);
		return -1;
	}
	return 0;
}

static int model_wait(struct xv_bench_driver *drv, uint64_t ms)
{
	xv_model_advance(drv->priv, ms);
	return 0;
}

static uint64_t model_now_ms(struct xv_bench_driver *drv)
{
	return xv_model_now_ms(drv->priv);
}

static void model_close(struct xv_bench_driver *drv)
{
	xv_model_free(drv->priv);
	drv->priv = NULL;
}

const struct xv_bench_driver_ops xv_bench_model_driver = {
	.name = "model",
	.summary = "simulated host memory, calibrated on the seed (no hypervisor needed)",
	.open = model_open,
	.create = model_create,
	.set_target = model_set_target,
	.destroy = model_destroy,
	.read_host = model_read_host,
	.read_guest = model_read_guest,
	.wait = model_wait,
	.now_ms = model_now_ms,
	.close = model_close,
};
