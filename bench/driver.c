/* SPDX-License-Identifier: GPL-3.0-or-later */
/* driver.c: the driver registry and the parts every driver shares. */
#include "driver.h"

#include <string.h>

extern const struct xv_bench_driver_ops xv_bench_model_driver;
extern const struct xv_bench_driver_ops xv_bench_xen_driver;
extern const struct xv_bench_driver_ops xv_bench_libvirt_driver;

/* Real drivers join this list when their headers were found at build time
 * (bench/module.mk); their libraries are loaded only when they are opened. */
const struct xv_bench_driver_ops *const xv_bench_drivers[] = {
	&xv_bench_model_driver,
#ifdef XV_BENCH_XEN
	&xv_bench_xen_driver,
#endif
#ifdef XV_BENCH_LIBVIRT
	&xv_bench_libvirt_driver,
#endif
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
	[XV_EV_OOM_KILL] = "oom_kill",
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

const struct xv_bench_driver_ops *xv_bench_driver_find(const char *spec)
{
	size_t n = strcspn(spec, ":");

	for (unsigned i = 0; xv_bench_drivers[i]; i++)
		if (strlen(xv_bench_drivers[i]->name) == n && !strncmp(xv_bench_drivers[i]->name, spec, n))
			return xv_bench_drivers[i];
	return NULL;
}

const char *xv_bench_driver_arg(const char *spec)
{
	const char *colon = strchr(spec, ':');

	return colon ? colon + 1 : "";
}

int xv_bench_driver_open(struct xv_bench_driver *drv, const struct xv_bench_driver_ops *ops,
			 const char *arg, const struct xv_bench_plan *plan, uint64_t seed)
{
	memset(drv, 0, sizeof(*drv));
	drv->ops = ops;
	drv->arg = arg ? arg : "";
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
