/* SPDX-License-Identifier: GPL-3.0-or-later */
/* driver.c: the driver registry and the parts every driver shares. */
#include "driver.h"

#include <string.h>

extern const struct xv_bench_driver_ops xv_bench_model_driver;

/* Real drivers (xen through libxl, libvirt) join this list when built. */
const struct xv_bench_driver_ops *const xv_bench_drivers[] = {
	&xv_bench_model_driver,
	NULL,
};

static const char *const event_names[XV_EV_COUNT] = {
	[XV_EV_CREATE] = "create",
	[XV_EV_CREATE_FAILED] = "create_failed",
	[XV_EV_DOM0_BALLOON] = "dom0_balloon",
	[XV_EV_SWAP_ON] = "swap_on",
	[XV_EV_SETTLED] = "settled",
	[XV_EV_DESTROY] = "destroy",
	[XV_EV_INTERRUPTED] = "interrupted",
};

const char *xv_bench_event_name(enum xv_bench_event_kind kind)
{
	return (unsigned)kind < XV_EV_COUNT ? event_names[kind] : "?";
}

int xv_bench_event_kind(const char *name)
{
	for (int i = 0; i < XV_EV_COUNT; i++)
		if (!strcmp(event_names[i], name))
			return i;
	return -1;
}

const struct xv_bench_driver_ops *xv_bench_driver_find(const char *name)
{
	for (unsigned i = 0; xv_bench_drivers[i]; i++)
		if (!strcmp(xv_bench_drivers[i]->name, name))
			return xv_bench_drivers[i];
	return NULL;
}

int xv_bench_driver_open(struct xv_bench_driver *drv, const struct xv_bench_driver_ops *ops,
			 const struct xv_bench_plan *plan, uint64_t seed)
{
	memset(drv, 0, sizeof(*drv));
	drv->ops = ops;
	if (ops->open(drv, plan, seed)) {
		drv->ops = NULL;
		return -1;
	}
	return 0;
}

void xv_bench_driver_close(struct xv_bench_driver *drv)
{
	if (drv && drv->ops) {
		drv->ops->close(drv);
		drv->ops = NULL;
	}
}

void xv_bench_driver_emit(struct xv_bench_driver *drv, const struct xv_bench_event *ev)
{
	if (drv->on_event)
		drv->on_event(drv->event_ctx, ev);
}
