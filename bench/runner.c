/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runner.c: the procedure loop, sampling, event recording and the bounds
 * of a run. */
#include "runner.h"
#include "prng.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A guest the runner created, with the figures of its last guests.csv row
 * (a row is written only when they change). */
struct created {
	int id;           /* the driver's */
	unsigned profile;
	char name[XV_BENCH_NAME_MAX + 16];
	bool alive, have_row;
	struct xv_bench_guest_mem last;
};

struct run {
	const struct xv_bench_plan *plan;
	struct xv_bench_driver *drv;
	const struct xv_bench_run_opts *opts;
	struct xv_bench_record *rec;
	struct created *guests;       /* by creation; the index is the guest's number */
	size_t nguests, guests_alloc;
	int *by_id;                   /* driver id -> index + 1, for small ids */
	size_t by_id_alloc;
	/* what the live guests' last rows add up to, for the host samples */
	unsigned count[XV_BENCH_MAX_PROFILES], swapping;
	uint64_t alloc_kib[XV_BENCH_MAX_PROFILES], memory_kib, swap_kib;
	unsigned alive, added, failures, step;
	unsigned seq[XV_BENCH_MAX_PROFILES]; /* names: PROFILE-NNN */
	long wrr[XV_BENCH_MAX_PROFILES];     /* smooth weighted round robin */
	struct xv_rng rng;                    /* group sizes */
	uint64_t t0_ms, total_ms;
	/* the bounds: work in weighted guest-milliseconds until divided by the
	 * balloon period; alive_weight is that of the guests alive now */
	uint64_t last_ms, alive_weight, work_ms, local_work, work_base;
	uint64_t *work;
	bool over; /* a bound was reached: e says which */
	struct xv_error *e;
};

uint64_t xv_bench_step_ms(const struct xv_bench_plan *plan)
{
	return plan->proc.settle_ms + plan->proc.samples * plan->proc.interval_ms;
}

#define BY_ID_MAX (1 << 20)

/* The runner's number of the guest the driver calls `id`, or -1. */
static int index_of(const struct run *r, int id)
{
	if (id >= 0 && (size_t)id < r->by_id_alloc && r->by_id[id])
		return r->by_id[id] - 1;
	if (id >= 0 && id < BY_ID_MAX)
		return -1;
	for (size_t i = r->nguests; i-- > 0;)
		if (r->guests[i].id == id)
			return (int)i;
	return -1;
}

void xv_bench_record_event(struct xv_bench_record *rec, const struct xv_bench_rec_event *e)
{
	rec->events++;
	xv_bench_acc_event(rec->acc, e);
	if (rec->csv)
		xv_bench_csv_event(rec->csv, NULL, e);
}

/* Records an event of guest number `guest` (-1: the host). */
static void record(struct run *r, uint64_t time_ms, enum xv_bench_event_kind kind, int guest,
		   int profile, uint64_t v1, uint64_t v2, const char *text)
{
	struct xv_bench_rec_event e = {
		.time_ms = time_ms - r->t0_ms, .kind = kind, .guest = guest, .profile = profile,
		.guests = r->alive, .added = r->added, .value_kib = v1, .value2_kib = v2,
		.text = (char *)text,
	};

	r->rec->events++;
	xv_bench_acc_event(r->rec->acc, &e);
	if (r->rec->csv)
		xv_bench_csv_event(r->rec->csv, guest >= 0 ? r->guests[guest].name : NULL, &e);
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

	if (r->rec->events >= XV_BENCH_MAX_EVENTS) {
		reach(r, "it recorded %llu events, the limit", XV_BENCH_MAX_EVENTS);
		return;
	}
	record(r, ev->time_ms, ev->kind, ev->guest >= 0 ? index_of(r, ev->guest) : -1, ev->profile,
	       ev->value_kib, ev->value2_kib, ev->text);
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
	if (r->drv->ops->work)
		work = *r->work + r->drv->ops->work(r->drv) - r->work_base;
	else
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
	if (r->drv->ops->work) {
		*r->work += r->drv->ops->work(r->drv) - r->work_base;
		return;
	}
	*r->work += r->work_ms / r->plan->model.balloon_interval_ms;
	r->work_ms %= r->plan->model.balloon_interval_ms;
}

/* 0 created, 1 the hypervisor refused (recorded as an event), -1 the driver
 * failed (r->e set). */
static int create(struct run *r, unsigned profile, bool by_procedure)
{
	const struct xv_bench_profile *p = &r->plan->profiles[profile];
	struct xv_bench_driver *drv = r->drv;
	struct created *c;
	int id = -1;

	r->guests = xv_grow(r->guests, sizeof(*r->guests), r->nguests + 1, &r->guests_alloc);
	c = &r->guests[r->nguests];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s-%03u", p->name, ++r->seq[profile]);
	c->profile = profile;
	if (drv->ops->create(drv, profile, c->name, &id)) {
		account(r);
		if (drv->err.code != XV_E_HOST) {
			*r->e = drv->err;
			return -1;
		}
		r->failures++;
		/* the name stays, so the event can say whose creation failed */
		r->nguests++;
		record(r, drv->ops->now_ms(drv), XV_EV_CREATE_FAILED, (int)r->nguests - 1,
		       (int)profile, p->memory_kib, 0, drv->err.msg);
		return 1;
	}
	account(r);
	c->id = id;
	c->alive = true;
	if (id >= 0 && id < BY_ID_MAX) {
		if ((size_t)id >= r->by_id_alloc) {
			size_t old = r->by_id_alloc;
			r->by_id = xv_grow(r->by_id, sizeof(*r->by_id), (size_t)id + 1, &r->by_id_alloc);
			memset(r->by_id + old, 0, (r->by_id_alloc - old) * sizeof(*r->by_id));
		}
		r->by_id[id] = (int)r->nguests + 1;
	}
	r->nguests++;
	r->alive_weight += xv_bench_guest_weight(p);
	r->alive++;
	if (by_procedure)
		r->added++;
	record(r, drv->ops->now_ms(drv), XV_EV_CREATE, (int)r->nguests - 1, (int)profile,
	       p->memory_kib, 0, NULL);
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

static bool same(const struct xv_bench_guest_mem *a, const struct xv_bench_guest_mem *b)
{
	return a->booting == b->booting && a->memory_kib == b->memory_kib &&
	       a->alloc_kib == b->alloc_kib && a->target_kib == b->target_kib &&
	       a->committed_kib == b->committed_kib && a->ws_kib == b->ws_kib &&
	       a->swap_kib == b->swap_kib;
}

/* Takes a guest's last row out of, or puts it into, the host sums. */
static void sums(struct run *r, const struct created *c, int sign)
{
	const struct xv_bench_guest_mem *g = &c->last;

	if (!c->have_row)
		return;
	if (sign > 0) {
		r->count[c->profile]++;
		r->alloc_kib[c->profile] += g->alloc_kib;
		r->memory_kib += g->memory_kib;
		r->swap_kib += g->swap_kib;
		r->swapping += g->swap_kib > 0;
	} else {
		r->count[c->profile]--;
		r->alloc_kib[c->profile] -= g->alloc_kib;
		r->memory_kib -= g->memory_kib;
		r->swap_kib -= g->swap_kib;
		r->swapping -= g->swap_kib > 0;
	}
}

/* Reads guest number i and writes a row if anything changed.  0 or -1. */
static int read_guest(struct run *r, size_t i, uint64_t now)
{
	struct created *c = &r->guests[i];
	struct xv_bench_guest_mem gm;
	struct xv_bench_gsample g;

	if (!c->alive)
		return 0;
	if (r->drv->ops->read_guest(r->drv, c->id, &gm)) {
		*r->e = r->drv->err;
		return -1;
	}
	if (c->have_row && same(&gm, &c->last))
		return 0;
	if (r->rec->guest_rows >= XV_BENCH_MAX_GUEST_ROWS) {
		reach(r, "it wrote %llu guest rows, the limit (lower limit or samples)",
		      XV_BENCH_MAX_GUEST_ROWS);
		return -1;
	}
	sums(r, c, -1);
	c->last = gm;
	c->have_row = true;
	sums(r, c, 1);
	g = (struct xv_bench_gsample){
		.time_ms = now, .guest = (unsigned)i, .profile = c->profile, .booting = gm.booting,
		.memory_kib = gm.memory_kib, .alloc_kib = gm.alloc_kib, .target_kib = gm.target_kib,
		.committed_kib = gm.committed_kib, .ws_kib = gm.ws_kib, .swap_kib = gm.swap_kib,
	};
	r->rec->guest_rows++;
	xv_bench_acc_guest(r->rec->acc, &g);
	if (r->rec->csv)
		xv_bench_csv_guest(r->rec->csv, c->name, &g);
	return 0;
}

static int sample(struct run *r)
{
	struct xv_bench_driver *drv = r->drv;
	struct xv_bench_host_mem host;
	struct xv_bench_sample s;
	uint64_t now = drv->ops->now_ms(drv) - r->t0_ms;

	if (r->rec->samples >= XV_BENCH_MAX_HOST_ROWS)
		reach(r, "it took %llu host samples, the limit (lower limit or samples)",
		      XV_BENCH_MAX_HOST_ROWS);
	if (r->over)
		return -1;
	if (drv->ops->read_host(drv, &host)) {
		*r->e = drv->err;
		return -1;
	}
	/* the guests first: the sample counts their figures as they are now */
	if (drv->ops->changed) {
		const int *ids;
		size_t n;

		drv->ops->changed(drv, &ids, &n);
		for (size_t k = 0; k < n; k++) {
			int i = index_of(r, ids[k]);
			if (i >= 0 && read_guest(r, (size_t)i, now))
				return -1;
		}
	} else {
		for (size_t i = 0; i < r->nguests; i++)
			if (read_guest(r, i, now))
				return -1;
	}
	memset(&s, 0, sizeof(s));
	s.time_ms = now;
	s.step = r->step;
	s.guests = host.guests;
	s.added = r->added;
	s.booting = host.booting;
	s.failures = r->failures;
	s.total_kib = host.total_kib;
	s.free_kib = host.free_kib;
	s.xen_kib = host.xen_kib;
	s.dom0_kib = host.dom0_kib;
	s.guests_kib = host.guests_kib;
	s.memory_kib = r->memory_kib;
	s.swap_kib = r->swap_kib;
	s.swapping = r->swapping;
	for (unsigned p = 0; p < r->plan->nprofiles; p++) {
		s.count[p] = r->count[p];
		s.alloc_kib[p] = r->alloc_kib[p];
	}
	r->rec->samples++;
	r->rec->last_sample_ms = now;
	xv_bench_acc_sample(r->rec->acc, &s);
	if (r->rec->csv)
		xv_bench_csv_sample(r->rec->csv, &s);
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

int xv_bench_run(const struct xv_bench_plan *plan, struct xv_bench_driver *drv,
		 const struct xv_bench_run_opts *opts, struct xv_bench_record *rec,
		 struct xv_error *e)
{
	struct run r = { .plan = plan, .drv = drv, .opts = opts, .rec = rec, .e = e };
	int rc;

	xv_rng_seed(&r.rng, opts->seed ^ 0xa0761d6478bd642fULL);
	r.t0_ms = r.last_ms = drv->ops->now_ms(drv);
	r.total_ms = expected_total_ms(plan);
	r.work = opts->work ? opts->work : &r.local_work;
	r.work_base = drv->ops->work ? drv->ops->work(drv) : 0;
	drv->on_event = on_event;
	drv->event_ctx = &r;
	rc = procedure(&r);
	if (rc) {
		/* stopped early: by a signal (1), a bound or the driver (-1) */
		rec->interrupted = true;
		record(&r, drv->ops->now_ms(drv), XV_EV_INTERRUPTED, -1, -1, 0, 0,
		       rc < 0 ? e->msg : NULL);
		rc = rc < 0 ? -1 : 0;
	}
	account_close(&r);
	drv->on_event = NULL;
	drv->event_ctx = NULL;
	free(r.guests);
	free(r.by_id);
	return rc;
}
