/* SPDX-License-Identifier: GPL-3.0-or-later */
/* capacity.c: the model run forward from a snapshot (see capacity.h). */
#include "capacity.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define KIB_PER_MIB 1024ULL

void xv_capacity_defaults(struct xv_capacity_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->toolstack = XV_TOOLSTACK_LIBXL;
	cfg->autoballoon = true;
	cfg->dom0_floor_kib = XV_LIBXL_MIN_DOM0_KIB;
	xv_model_params_defaults(&cfg->params);
	cfg->step_ms = 10 * 60 * 1000;
	cfg->seeds = 5;
	cfg->max_guests = 1000;
}

static bool known(uint64_t kib)
{
	return kib != XV_KIB_UNKNOWN;
}

void xv_capacity_view(const struct xv_domain *d, struct xv_capacity_guest_view *out)
{
	struct xv_model_adopted *a = &out->adopted;
	uint64_t cur = known(d->cur_kib) ? d->cur_kib : known(d->target_kib) ? d->target_kib : 0;

	memset(out, 0, sizeof(*out));
	a->alloc_kib = cur;
	a->maxmem_kib = known(d->max_kib) && d->max_kib > cur ? d->max_kib : cur;
	/* Without the guest's own figures it is taken to keep what it holds
	 * and to need all of it; a balloon target it has not reached yet
	 * (xl mem-set, or a balloon waiting for free memory) is where its
	 * driver takes it. */
	a->working_kib = cur;
	a->committed_kib = cur;
	a->memtotal_hw_kib = cur;
	if (known(d->target_kib) && d->target_kib && d->target_kib != cur) {
		a->ballooning = true;
		a->target_kib = d->target_kib;
		if (d->target_kib < cur)
			a->working_kib = d->target_kib;
	}
}

struct run {
	unsigned created;
	bool swapped;
	unsigned created_at_swap;
};

static void on_event(void *ctx, const struct xv_model_event *ev)
{
	struct run *r = ctx;

	if (ev->kind == XV_MODEL_EV_SWAP_ON && !r->swapped) {
		r->swapped = true;
		r->created_at_swap = r->created;
	}
}

/* One ramp from the snapshot with `seed`. */
static void ramp(const struct xv_snapshot *snap, const struct xv_capacity_config *cfg,
		 const struct xv_model_host *host, uint64_t seed, struct run *r, char *failure,
		 size_t failure_len)
{
	struct xv_model *m = xv_model_new(host, &cfg->guest, 1, &cfg->params, seed);
	struct xv_error err;
	char name[32];
	int id;

	memset(r, 0, sizeof(*r));
	xv_model_set_event_sink(m, on_event, r);
	for (size_t i = 0; i < snap->n_domains; i++) {
		struct xv_capacity_guest_view v;

		if (snap->domains[i].id == 0)
			continue;
		xv_capacity_view(&snap->domains[i], &v);
		xv_model_adopt(m, &v.adopted, &id);
	}
	while (r->created < cfg->max_guests) {
		snprintf(name, sizeof(name), "new-%u", r->created + 1);
		if (xv_model_create(m, 0, name, &id, &err)) {
			if (failure && !failure[0])
				xv_strlcpy(failure, err.msg, failure_len);
			break;
		}
		r->created++;
		xv_model_advance(m, cfg->step_ms);
	}
	xv_model_free(m);
}

static bool random_image(const struct xv_model_profile *p)
{
	return p->image == XV_MODEL_STRESS && p->threads;
}

int xv_capacity_predict(const struct xv_snapshot *snap, const struct xv_capacity_config *cfg,
			struct xv_capacity_result *res, struct xv_error *e)
{
	const struct xv_host *h = &snap->host;
	struct xv_model_host host;
	uint64_t used = 0, free_kib, dom0 = XV_KIB_UNKNOWN;
	unsigned runs;

	memset(res, 0, sizeof(*res));
	if (!known(h->total_kib) || !h->total_kib || !known(h->free_kib))
		return xv_error(e, XV_E_DATA, "the source reports no total or free memory for '%s'",
				h->name ? h->name : "?");
	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		struct xv_capacity_guest_view v;

		if (d->id == 0) {
			dom0 = d->cur_kib;
			continue;
		}
		xv_capacity_view(d, &v);
		used += v.adopted.alloc_kib + cfg->params.domain_overhead_kib;
		res->adopted++;
		res->reported += v.reported;
		res->ballooning += v.adopted.ballooning;
		if (v.adopted.ballooning && v.adopted.target_kib < v.adopted.alloc_kib)
			res->give_back_kib += v.adopted.alloc_kib - v.adopted.target_kib;
	}
	if (known(h->dom0_kib))
		dom0 = h->dom0_kib;
	if (!known(dom0))
		return xv_error(e, XV_E_DATA, "the source reports no dom0 memory for '%s'",
				h->name ? h->name : "?");
	/* what the toolstack counts as free: libxl adds the pages waiting to
	 * be scrubbed (xend waits for them); claims are already promised */
	free_kib = h->free_kib;
	if (known(h->scrub_kib))
		free_kib += h->scrub_kib;
	if (known(h->outstanding_kib))
		free_kib = free_kib > h->outstanding_kib ? free_kib - h->outstanding_kib : 0;
	if (free_kib > h->total_kib)
		free_kib = h->total_kib;
	memset(&host, 0, sizeof(host));
	host.memory_kib = h->total_kib;
	host.dom0_kib = dom0;
	/* the rest is the hypervisor's: whatever no domain holds and is not
	 * free, so the model starts with the host's free memory */
	used += dom0 + free_kib;
	host.xen_kib = used < h->total_kib ? h->total_kib - used : 0;
	host.dom0_floor_kib = xv_toolstack_dom0_floor_kib(cfg->toolstack, cfg->dom0_floor_kib);
	host.dom0_autoballoon = cfg->autoballoon;
	host.toolstack = cfg->toolstack;
	host.cpus = h->cpus;

	res->free_kib = free_kib;
	res->dom0_kib = dom0;
	res->dom0_floor_kib = host.dom0_floor_kib;
	res->xen_kib = host.xen_kib;
	res->need_kib = xv_toolstack_need_kib(cfg->toolstack, cfg->guest.memory_kib, cfg->guest.maxmem_kib);
	res->idle_kib = xv_model_idle_target_kib(&cfg->guest);
	res->cpus = h->cpus;

	runs = random_image(&cfg->guest) && cfg->seeds ? cfg->seeds : 1;
	for (unsigned s = 1; s <= runs; s++) {
		struct run r;
		unsigned swap;

		ramp(snap, cfg, &host, s, &r, res->failure, sizeof(res->failure));
		/* the guest whose addition made another swap is one too many */
		swap = r.swapped ? (r.created_at_swap ? r.created_at_swap - 1 : 0) : r.created;
		if (s == 1 || r.created < res->create) {
			res->create = r.created;
			res->create_capped = r.created >= cfg->max_guests;
		}
		if (s == 1 || swap < res->swap)
			res->swap = swap;
		res->swap_seen |= r.swapped;
	}
	res->runs = runs;
	res->headroom = res->swap < res->create ? res->swap : res->create;
	return 0;
}
