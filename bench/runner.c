/* runner.c: the procedure loop, sampling, event recording and the bounds
 * of a run. */
#include "runner.h"
#include "prng.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A guest the runner created. */
struct created {
	int id;           /* the driver's */
	unsigned profile;
	unsigned name;    /* index into data->guest_names */
	bool alive;
};

struct run {
	const struct xv_bench_plan *plan;
	struct xv_bench_driver *drv;
	const struct xv_bench_run_opts *opts;
	struct xv_bench_data *data;
	struct created *guests;
	size_t nguests, guests_alloc;
	unsigned alive, added, failures, step;
	unsigned seq[XV_BENCH_MAX_PROFILES]; /* names: PROFILE-NNN */
	long wrr[XV_BENCH_MAX_PROFILES];     /* smooth weighted round robin */
	struct xv_rng rng;                    /* group sizes */
	uint64_t t0_ms, total_ms;
	/* the bounds: work in weighted guest-milliseconds until divided by the
	 * balloon period; alive_weight is that of the guests alive now */
	uint64_t last_ms, alive_weight, work_ms, local_work;
	uint64_t *work;
	bool over; /* a bound was reached: e says which */
	struct xv_error *e;
};

uint64_t xv_bench_step_ms(const struct xv_bench_plan *plan)
{
	return plan->proc.settle_ms + plan->proc.samples * plan->proc.interval_ms;
}

static int name_of(const struct run *r, int id)
{
	for (size_t i = r->nguests; i-- > 0;)
		if (r->guests[i].id == id)
			return (int)r->guests[i].name;
	return -1;
}

static struct xv_bench_rec_event *record(struct run *r, uint64_t time_ms,
					 enum xv_bench_event_kind kind)
{
	struct xv_bench_rec_event *e = xv_bench_data_add_event(r->data);

	e->time_ms = time_ms - r->t0_ms;
	e->kind = kind;
	e->guests = r->alive;
	e->added = r->added;
	return e;
}

/* Stops the run at a bound: the first one reached is reported. */
static void reach(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reach(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char what[512];

	if (r->over)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	r->over = true;
	xv_error(r->e, XV_E_DATA, "the run stopped at %u guests: %s", r->added, what);
}

static void on_event(void *ctx, const struct xv_bench_event *ev)
{
	struct run *r = ctx;
	struct xv_bench_rec_event *e;

	if (r->data->nevents >= XV_BENCH_MAX_EVENTS) {
		reach(r, "it recorded %llu events, the limit", XV_BENCH_MAX_EVENTS);
		return;
	}
	e = record(r, ev->time_ms, ev->kind);

	e->guest = ev->guest >= 0 ? name_of(r, ev->guest) : -1;
	e->profile = ev->profile;
	e->value_kib = ev->value_kib;
	e->value2_kib = ev->value2_kib;
	e->text = ev->text ? xv_strdup(ev->text) : NULL;
}

/* The next profile of the procedure's mix, in proportion to the weights
 * and evenly spread (nginx's smooth weighted round robin). */
static unsigned next_profile(struct run *r)
{
	const struct xv_bench_mix *mix = &r->plan->proc.mix;
	long total = 0;
	unsigned best = 0;

	for (unsigned i = 0; i < mix->count; i++) {
		r->wrr[i] += mix->weight[i];
		total += mix->weight[i];
		if (r->wrr[i] > r->wrr[best])
			best = i;
	}
	r->wrr[best] -= total;
	return mix->profile[best];
}

/* Counts the model work since the last call (the guests alive then, over
 * the driver time that passed) and checks the time and work bounds. */
static void account(struct run *r)
{
	uint64_t now = r->drv->ops->now_ms(r->drv), period = r->plan->model.balloon_interval_ms;
	uint64_t work;

	/* at most 650 000 weight over at most a few days: no overflow */
	r->work_ms += r->alive_weight * (now - r->last_ms);
	r->last_ms = now;
	work = *r->work + r->work_ms / period;
	if (now - r->t0_ms > XV_BENCH_MAX_SIM_MS)
		reach(r, "its driver time passed the limit of %llu days (lower limit, settle, "
		      "samples or interval)", XV_BENCH_MAX_SIM_MS / (24 * 3600 * 1000ULL));
	else if (work > XV_BENCH_MAX_WORK)
		reach(r, "the model's work passed the limit of %llu guest-periods (lower limit, "
		      "settle or samples; fewer or larger guests)", XV_BENCH_MAX_WORK);
}

/* Adds this run's work to the shared counter. */
static void account_close(struct run *r)
{
	*r->work += r->work_ms / r->plan->model.balloon_interval_ms;
	r->work_ms %= r->plan->model.balloon_interval_ms;
}

/* 0 created, 1 the hypervisor refused (recorded as an event), -1 the driver
 * failed (r->e set). */
static int create(struct run *r, unsigned profile, bool by_procedure)
{
	const struct xv_bench_profile *p = &r->plan->profiles[profile];
	struct xv_bench_driver *drv = r->drv;
	struct xv_bench_rec_event *e;
	char name[XV_BENCH_NAME_MAX + 16];
	unsigned name_idx;
	int id = -1;

	snprintf(name, sizeof(name), "%s-%03u", p->name, ++r->seq[profile]);
	name_idx = xv_bench_data_add_guest(r->data, name);
	if (drv->ops->create(drv, profile, name, &id)) {
		account(r);
		if (drv->err.code != XV_E_HOST) {
			*r->e = drv->err;
			return -1;
		}
		r->failures++;
		e = record(r, drv->ops->now_ms(drv), XV_EV_CREATE_FAILED);
		e->guest = (int)name_idx;
		e->profile = (int)profile;
		e->value_kib = p->memory_kib;
		e->text = xv_strdup(drv->err.msg);
		return 1;
	}
	account(r);
	r->guests = xv_grow(r->guests, sizeof(*r->guests), r->nguests + 1, &r->guests_alloc);
	r->guests[r->nguests++] = (struct created){ id, profile, name_idx, true };
	r->alive_weight += xv_bench_guest_weight(p);
	r->alive++;
	if (by_procedure)
		r->added++;
	e = record(r, drv->ops->now_ms(drv), XV_EV_CREATE);
	e->guest = (int)name_idx;
	e->profile = (int)profile;
	e->value_kib = p->memory_kib;
	return 0;
}

static bool stopped(const struct run *r)
{
	return r->opts->stop && *r->opts->stop;
}

static void progress(struct run *r)
{
	struct xv_bench_progress pr;

	if (!r->opts->progress)
		return;
	pr.added = r->added;
	pr.limit = r->plan->proc.limit;
	pr.sim_ms = r->drv->ops->now_ms(r->drv) - r->t0_ms;
	pr.sim_total_ms = r->total_ms;
	r->opts->progress(r->opts->progress_ctx, &pr);
}

/* Lets time pass in slices, so a signal, a bound or a progress line is
 * never long in coming.  0, 1 when stopped, -1 on a driver error or a
 * bound (r->e set). */
static int wait_for(struct run *r, uint64_t ms)
{
	const uint64_t slice = 60 * 1000;

	while (ms > 0) {
		uint64_t now = ms < slice ? ms : slice;

		if (r->over)
			return -1;
		if (stopped(r))
			return 1;
		if (r->drv->ops->wait(r->drv, now)) {
			*r->e = r->drv->err;
			return -1;
		}
		account(r);
		ms -= now;
		progress(r);
	}
	return r->over ? -1 : stopped(r) ? 1 : 0;
}

static int sample(struct run *r)
{
	struct xv_bench_driver *drv = r->drv;
	struct xv_bench_host_mem host;
	struct xv_bench_sample *s;
	uint64_t now = drv->ops->now_ms(drv) - r->t0_ms;

	if (r->data->nsamples >= XV_BENCH_MAX_HOST_ROWS)
		reach(r, "it took %llu host samples, the limit (lower limit or samples)",
		      XV_BENCH_MAX_HOST_ROWS);
	else if (r->data->ngsamples + r->alive > XV_BENCH_MAX_GUEST_ROWS)
		reach(r, "it would pass %llu guest samples, the limit (lower limit or samples)",
		      XV_BENCH_MAX_GUEST_ROWS);
	if (r->over)
		return -1;
	if (drv->ops->read_host(drv, &host)) {
		*r->e = drv->err;
		return -1;
	}
	s = xv_bench_data_add_sample(r->data);
	s->time_ms = now;
	s->step = r->step;
	s->guests = host.guests;
	s->added = r->added;
	s->booting = host.booting;
	s->failures = r->failures;
	s->total_kib = host.total_kib;
	s->free_kib = host.free_kib;
	s->xen_kib = host.xen_kib;
	s->dom0_kib = host.dom0_kib;
	s->guests_kib = host.guests_kib;
	for (size_t i = 0; i < r->nguests; i++) {
		struct created *c = &r->guests[i];
		struct xv_bench_guest_mem gm;
		struct xv_bench_gsample *g;

		if (!c->alive)
			continue;
		if (drv->ops->read_guest(drv, c->id, &gm)) {
			*r->e = drv->err;
			return -1;
		}
		s->count[c->profile]++;
		s->alloc_kib[c->profile] += gm.alloc_kib;
		s->memory_kib += gm.memory_kib;
		s->swap_kib += gm.swap_kib;
		if (gm.swap_kib)
			s->swapping++;
		g = xv_bench_data_add_gsample(r->data);
		g->time_ms = now;
		g->guest = c->name;
		g->profile = c->profile;
		g->booting = gm.booting;
		g->memory_kib = gm.memory_kib;
		g->alloc_kib = gm.alloc_kib;
		g->target_kib = gm.target_kib;
		g->committed_kib = gm.committed_kib;
		g->ws_kib = gm.ws_kib;
		g->swap_kib = gm.swap_kib;
	}
	return 0;
}

/* Settle, then the samples of one step.  0, 1 stopped, -1 error. */
static int measure(struct run *r)
{
	const struct xv_bench_procedure *proc = &r->plan->proc;
	int rc = wait_for(r, proc->settle_ms);

	for (unsigned i = 0; !rc && i < proc->samples; i++) {
		if (sample(r))
			return -1;
		rc = wait_for(r, proc->interval_ms);
	}
	return rc;
}

static uint64_t expected_total_ms(const struct xv_bench_plan *plan)
{
	const struct xv_bench_procedure *proc = &plan->proc;
	uint64_t steps;

	switch (proc->kind) {
	case XV_PROC_ONE_BY_ONE:
		steps = proc->limit;
		break;
	case XV_PROC_GROUPS:
		steps = (2ULL * proc->limit + proc->group_min + proc->group_max - 1) /
			(proc->group_min + proc->group_max);
		break;
	default:
		return 0; /* a ramp runs until it fails */
	}
	return (steps + 1) * xv_bench_step_ms(plan);
}

static int procedure(struct run *r)
{
	const struct xv_bench_plan *plan = r->plan;
	const struct xv_bench_procedure *proc = &plan->proc;
	unsigned attempts = 0;
	int rc;

	for (unsigned i = 0; i < plan->nstart; i++)
		for (unsigned k = 0; k < plan->start[i].count; k++)
			if (create(r, plan->start[i].profile, false) < 0 || r->over)
				return -1;
	if ((rc = measure(r)))
		return rc;
	while (attempts < proc->limit) {
		unsigned group = 1;

		if (proc->kind == XV_PROC_GROUPS)
			group = (unsigned)xv_rng_range(&r->rng, proc->group_min, proc->group_max);
		if (group > proc->limit - attempts)
			group = proc->limit - attempts;
		r->step++;
		for (unsigned k = 0; k < group; k++) {
			attempts++;
			rc = create(r, next_profile(r), true);
			if (rc < 0 || r->over)
				return -1;
			if (rc && proc->stop_on_failure)
				return 0;
			if (stopped(r))
				return 1;
		}
		if ((rc = measure(r)))
			return rc;
	}
	return 0;
}

static void data_setup(struct xv_bench_data *d, const struct xv_bench_plan *plan)
{
	xv_bench_data_init(d);
	d->nprofiles = plan->nprofiles;
	for (unsigned p = 0; p < plan->nprofiles; p++)
		xv_strlcpy(d->profile_names[p], plan->profiles[p].name, XV_BENCH_NAME_MAX);
}

int xv_bench_run(const struct xv_bench_plan *plan, struct xv_bench_driver *drv,
		 const struct xv_bench_run_opts *opts, struct xv_bench_data *data,
		 struct xv_error *e)
{
	struct run r = { .plan = plan, .drv = drv, .opts = opts, .data = data, .e = e };
	struct xv_bench_rec_event *ev;
	int rc;

	data_setup(data, plan);
	xv_rng_seed(&r.rng, opts->seed ^ 0xa0761d6478bd642fULL);
	r.t0_ms = r.last_ms = drv->ops->now_ms(drv);
	r.total_ms = expected_total_ms(plan);
	r.work = opts->work ? opts->work : &r.local_work;
	drv->on_event = on_event;
	drv->event_ctx = &r;
	rc = procedure(&r);
	if (rc) {
		/* stopped early: by a signal (1), a bound or the driver (-1) */
		data->interrupted = true;
		ev = record(&r, drv->ops->now_ms(drv), XV_EV_INTERRUPTED);
		if (rc < 0)
			ev->text = xv_strdup(e->msg);
		rc = rc < 0 ? -1 : 0;
	}
	account_close(&r);
	drv->on_event = NULL;
	drv->event_ctx = NULL;
	free(r.guests);
	return rc;
}
