/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analysis.c: from guest rows, samples and events to the capacity report's
 * numbers, as they come (see analysis.h). */
#include "analysis.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int xv_bench_max_plain(const struct xv_bench_plan *plan, const struct xv_bench_profile *p)
{
	uint64_t ovh = plan->model.domain_overhead_kib;
	uint64_t room = plan->host.memory_kib;
	uint64_t taken = plan->host.xen_kib + plan->host.dom0_floor_kib;

	for (unsigned i = 0; i < plan->nstart; i++)
		taken += plan->start[i].count *
			 (plan->profiles[plan->start[i].profile].memory_kib + ovh);
	if (taken >= room)
		return 0;
	return (int)((room - taken) / (p->memory_kib + ovh));
}

/* --- a multiset of allocations: value -> count, open addressing --------------- */

struct vcount {
	uint64_t value;
	uint64_t count; /* 0: empty slot */
};

struct histogram {
	struct vcount *slots;
	size_t size, used; /* size a power of two */
};

static size_t hash_u64(uint64_t v, size_t size)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (size_t)v & (size - 1);
}

static void hist_add(struct histogram *h, uint64_t value, uint64_t n);

static void hist_grow(struct histogram *h)
{
	struct histogram bigger = { NULL, h->size ? 2 * h->size : 64, 0 };

	bigger.slots = xv_calloc(bigger.size, sizeof(*bigger.slots));
	for (size_t i = 0; i < h->size; i++)
		if (h->slots[i].count)
			hist_add(&bigger, h->slots[i].value, h->slots[i].count);
	free(h->slots);
	*h = bigger;
}

/* Adds n to value's count; a count that reaches 0 stays as a tombstone-free
 * slot with count 0 only if nothing follows it in its probe chain, so
 * removal below re-inserts the chain. */
static void hist_add(struct histogram *h, uint64_t value, uint64_t n)
{
	size_t i;

	if (!n)
		return;
	if (2 * (h->used + 1) > h->size)
		hist_grow(h);
	for (i = hash_u64(value, h->size); h->slots[i].count; i = (i + 1) & (h->size - 1)) {
		if (h->slots[i].value == value) {
			h->slots[i].count += n;
			return;
		}
	}
	h->slots[i].value = value;
	h->slots[i].count = n;
	h->used++;
}

/* Removes one of value (which must be there); linear probing deletion. */
static void hist_remove(struct histogram *h, uint64_t value)
{
	size_t i, j;

	for (i = hash_u64(value, h->size); h->slots[i].count; i = (i + 1) & (h->size - 1))
		if (h->slots[i].value == value)
			break;
	if (!h->slots[i].count)
		return;
	if (--h->slots[i].count)
		return;
	h->used--;
	/* re-insert what follows in the chain */
	for (j = (i + 1) & (h->size - 1); h->slots[j].count; j = (j + 1) & (h->size - 1)) {
		struct vcount v = h->slots[j];

		h->slots[j].count = 0;
		h->used--;
		hist_add(h, v.value, v.count);
	}
}

static void hist_release(struct histogram *h)
{
	free(h->slots);
	memset(h, 0, sizeof(*h));
}

/* --- the accumulator ------------------------------------------------------------- */

struct guest_state {
	bool known, alive, booting;
	unsigned profile;
	uint64_t alloc_kib;
	uint64_t created_ms;
	bool created;
};

struct count_sums {
	unsigned samples;
	uint64_t total_kib;
	double free_sum, used_sum, memory_sum;
	uint64_t free_min_kib;
	unsigned swapping_max;
};

struct xv_bench_acc {
	unsigned nprofiles;
	struct guest_state *guests;
	size_t nguests, guests_alloc;
	/* per profile: the allocations of live guests after boot now, and all
	 * that samples have counted */
	struct histogram now[XV_BENCH_MAX_PROFILES], seen[XV_BENCH_MAX_PROFILES];
	uint64_t memory_kib[XV_BENCH_MAX_PROFILES];
	double seen_sum[XV_BENCH_MAX_PROFILES];
	uint64_t seen_n[XV_BENCH_MAX_PROFILES];
	struct count_sums *counts; /* by added */
	size_t ncounts, counts_alloc;
	/* events */
	int dom0_onset, first_failure, first_swap;
	char *first_failure_text;
	char *stop_reason;
	unsigned created, failures, swap_onsets, dom0_steps;
	unsigned prof_created[XV_BENCH_MAX_PROFILES], prof_settled[XV_BENCH_MAX_PROFILES];
	double settle_sum[XV_BENCH_MAX_PROFILES];
	uint64_t settle_max[XV_BENCH_MAX_PROFILES];
	uint64_t sim_ms, dom0_min_kib;
	unsigned max_added;
	bool any_sample;
};

struct xv_bench_acc *xv_bench_acc_new(unsigned nprofiles)
{
	struct xv_bench_acc *a = xv_calloc(1, sizeof(*a));

	a->nprofiles = nprofiles < XV_BENCH_MAX_PROFILES ? nprofiles : XV_BENCH_MAX_PROFILES;
	a->dom0_onset = a->first_failure = a->first_swap = -1;
	a->dom0_min_kib = UINT64_MAX;
	return a;
}

void xv_bench_acc_free(struct xv_bench_acc *a)
{
	if (!a)
		return;
	for (unsigned p = 0; p < XV_BENCH_MAX_PROFILES; p++) {
		hist_release(&a->now[p]);
		hist_release(&a->seen[p]);
	}
	free(a->guests);
	free(a->counts);
	free(a->first_failure_text);
	free(a->stop_reason);
	free(a);
}

static struct guest_state *guest(struct xv_bench_acc *a, unsigned idx)
{
	if (idx >= a->nguests) {
		a->guests = xv_grow(a->guests, sizeof(*a->guests), (size_t)idx + 1, &a->guests_alloc);
		memset(&a->guests[a->nguests], 0, ((size_t)idx + 1 - a->nguests) * sizeof(*a->guests));
		a->nguests = (size_t)idx + 1;
	}
	return &a->guests[idx];
}

/* Takes a guest out of, or puts it into, its profile's current set. */
static void leave_set(struct xv_bench_acc *a, struct guest_state *g)
{
	if (g->known && g->alive && !g->booting)
		hist_remove(&a->now[g->profile], g->alloc_kib);
}

static void join_set(struct xv_bench_acc *a, struct guest_state *g)
{
	if (g->known && g->alive && !g->booting)
		hist_add(&a->now[g->profile], g->alloc_kib, 1);
}

void xv_bench_acc_guest(struct xv_bench_acc *a, const struct xv_bench_gsample *row)
{
	struct guest_state *g;

	if (row->profile >= a->nprofiles)
		return;
	g = guest(a, row->guest);
	leave_set(a, g);
	g->known = g->alive = true;
	g->profile = row->profile;
	g->booting = row->booting;
	g->alloc_kib = row->alloc_kib;
	join_set(a, g);
	if (row->memory_kib > a->memory_kib[row->profile])
		a->memory_kib[row->profile] = row->memory_kib;
	if (row->time_ms > a->sim_ms)
		a->sim_ms = row->time_ms;
}

void xv_bench_acc_sample(struct xv_bench_acc *a, const struct xv_bench_sample *s)
{
	struct count_sums *c;

	if (s->added >= a->ncounts) {
		a->counts = xv_grow(a->counts, sizeof(*a->counts), (size_t)s->added + 1, &a->counts_alloc);
		memset(&a->counts[a->ncounts], 0, ((size_t)s->added + 1 - a->ncounts) * sizeof(*a->counts));
		a->ncounts = (size_t)s->added + 1;
	}
	c = &a->counts[s->added];
	if (!c->samples || s->free_kib < c->free_min_kib)
		c->free_min_kib = s->free_kib;
	c->samples++;
	c->total_kib = s->total_kib;
	c->free_sum += (double)s->free_kib;
	c->used_sum += (double)(s->total_kib > s->free_kib ? s->total_kib - s->free_kib : 0);
	c->memory_sum += (double)s->memory_kib;
	if (s->swapping > c->swapping_max)
		c->swapping_max = s->swapping;
	if (s->time_ms > a->sim_ms)
		a->sim_ms = s->time_ms;
	if (s->added > a->max_added)
		a->max_added = s->added;
	if (s->dom0_kib < a->dom0_min_kib)
		a->dom0_min_kib = s->dom0_kib;
	a->any_sample = true;
	/* every live guest's allocation now, once per sample */
	for (unsigned p = 0; p < a->nprofiles; p++) {
		const struct histogram *h = &a->now[p];

		for (size_t i = 0; i < h->size; i++) {
			if (!h->slots[i].count)
				continue;
			hist_add(&a->seen[p], h->slots[i].value, h->slots[i].count);
			a->seen_sum[p] += (double)h->slots[i].value * (double)h->slots[i].count;
			a->seen_n[p] += h->slots[i].count;
		}
	}
}

void xv_bench_acc_event(struct xv_bench_acc *a, const struct xv_bench_rec_event *e)
{
	struct guest_state *g = e->guest >= 0 ? guest(a, (unsigned)e->guest) : NULL;
	bool prof = e->profile >= 0 && (unsigned)e->profile < a->nprofiles;

	if (e->time_ms > a->sim_ms)
		a->sim_ms = e->time_ms;
	switch (e->kind) {
	case XV_EV_CREATE:
		a->created++;
		if (g) {
			g->created = true;
			g->created_ms = e->time_ms;
		}
		if (prof)
			a->prof_created[e->profile]++;
		break;
	case XV_EV_CREATE_FAILED:
		if (!a->failures++) {
			a->first_failure = (int)e->added;
			a->first_failure_text = e->text ? xv_strdup(e->text) : NULL;
		}
		break;
	case XV_EV_DOM0_BALLOON:
		if (!a->dom0_steps++)
			a->dom0_onset = (int)e->added;
		break;
	case XV_EV_SWAP_ON:
		if (!a->swap_onsets++)
			a->first_swap = (int)e->added;
		break;
	case XV_EV_SETTLED:
		if (g && g->created && prof && e->time_ms >= g->created_ms) {
			uint64_t ms = e->time_ms - g->created_ms;

			a->prof_settled[e->profile]++;
			a->settle_sum[e->profile] += (double)ms;
			if (ms > a->settle_max[e->profile])
				a->settle_max[e->profile] = ms;
		}
		break;
	case XV_EV_INTERRUPTED:
		if (e->text && !a->stop_reason)
			a->stop_reason = xv_strdup(e->text);
		break;
	case XV_EV_DESTROY:
		if (g) {
			leave_set(a, g);
			g->alive = false;
		}
		break;
	default:
		break;
	}
}

static int cmp_vcount(const void *x, const void *y)
{
	const struct vcount *a = x, *b = y;

	return a->value < b->value ? -1 : a->value > b->value;
}

static void footprint(const struct xv_bench_acc *a, unsigned p, struct xv_bench_footprint *f)
{
	const struct histogram *h = &a->seen[p];
	struct vcount *v;
	size_t n = 0;
	uint64_t rank, run = 0;

	f->memory_kib = a->memory_kib[p];
	f->samples = a->seen_n[p];
	f->created = a->prof_created[p];
	f->settled = a->prof_settled[p];
	if (f->settled)
		f->settle_mean_ms = a->settle_sum[p] / f->settled;
	f->settle_max_ms = a->settle_max[p];
	if (!f->samples)
		return;
	v = xv_malloc(h->used * sizeof(*v));
	for (size_t i = 0; i < h->size; i++)
		if (h->slots[i].count)
			v[n++] = h->slots[i];
	xv_sort(v, n, sizeof(*v), cmp_vcount);
	f->mean_kib = a->seen_sum[p] / (double)f->samples;
	/* nearest rank: the smallest value with 95% at or below it */
	rank = (f->samples * 95 + 99) / 100;
	for (size_t i = 0; i < n; i++) {
		run += v[i].count;
		if (run >= rank) {
			f->p95_kib = v[i].value;
			break;
		}
	}
	f->max_kib = v[n - 1].value;
	free(v);
}

void xv_bench_acc_results(const struct xv_bench_acc *a, const struct xv_bench_plan *plan,
			  uint64_t free_floor_kib, bool interrupted, struct xv_bench_results *res)
{
	unsigned nratio = 0;
	double ratio_sum = 0;
	bool safe = true;

	memset(res, 0, sizeof(*res));
	res->max_plain = -1;
	if (plan && plan->proc.mix.count)
		res->max_plain = xv_bench_max_plain(plan, &plan->profiles[plan->proc.mix.profile[0]]);
	res->dom0_onset = a->dom0_onset;
	res->first_failure = a->first_failure;
	res->first_swap = a->first_swap;
	res->first_failure_text = a->first_failure_text ? xv_strdup(a->first_failure_text) : NULL;
	res->stop_reason = a->stop_reason ? xv_strdup(a->stop_reason) : NULL;
	res->created = a->created;
	res->failures = a->failures;
	res->swap_onsets = a->swap_onsets;
	res->dom0_steps = a->dom0_steps;
	res->sim_ms = a->sim_ms;
	res->max_added = a->max_added;
	res->dom0_min_kib = a->any_sample ? a->dom0_min_kib : 0;
	res->free_floor_kib = free_floor_kib;
	res->interrupted = interrupted;
	res->max_safe = -1;

	res->rows = xv_calloc(a->ncounts ? a->ncounts : 1, sizeof(*res->rows));
	for (size_t k = 0; k < a->ncounts; k++) {
		const struct count_sums *c = &a->counts[k];
		struct xv_bench_count_row *row;

		if (!c->samples)
			continue;
		row = &res->rows[res->nrows++];
		row->added = (unsigned)k;
		row->samples = c->samples;
		row->total_kib = c->total_kib;
		row->free_mean_kib = c->free_sum / c->samples;
		row->free_min_kib = c->free_min_kib;
		row->used_mean_kib = c->used_sum / c->samples;
		row->memory_mean_kib = c->memory_sum / c->samples;
		row->ratio = row->used_mean_kib > 0 ? row->memory_mean_kib / row->used_mean_kib : 0;
		row->swapping_max = c->swapping_max;
		if (k >= 1) {
			ratio_sum += row->ratio;
			nratio++;
			res->ratio_last = row->ratio;
		}
		/* safe up to the first count that is not: free memory kept, no
		 * guest swapping at a sample, and no swap onset or failed
		 * creation between samples at this count or before */
		if (safe && row->free_min_kib >= free_floor_kib && !row->swapping_max &&
		    (a->first_swap < 0 || (int)k < a->first_swap) &&
		    (a->first_failure < 0 || !free_floor_kib || (int)k < a->first_failure))
			res->max_safe = (int)k;
		else
			safe = false;
	}
	res->ratio_mean = nratio ? ratio_sum / nratio : 0;
	for (unsigned p = 0; p < a->nprofiles; p++)
		footprint(a, p, &res->foot[p]);
}

void xv_bench_results_release(struct xv_bench_results *res)
{
	if (!res)
		return;
	free(res->rows);
	free(res->first_failure_text);
	free(res->stop_reason);
	res->rows = NULL;
	res->first_failure_text = res->stop_reason = NULL;
	res->nrows = 0;
}

void xv_bench_analyze(const struct xv_bench_data *d, const struct xv_bench_plan *plan,
		      uint64_t free_floor_kib, struct xv_bench_results *res)
{
	struct xv_bench_acc *a = xv_bench_acc_new(d->nprofiles);
	size_t g = 0, e = 0;

	/* in time order: at one time, guest rows, then events, then the
	 * sample */
	for (size_t s = 0; s < d->nsamples; s++) {
		uint64_t t = d->samples[s].time_ms;

		for (; g < d->ngsamples && d->gsamples[g].time_ms <= t; g++)
			xv_bench_acc_guest(a, &d->gsamples[g]);
		for (; e < d->nevents && d->events[e].time_ms <= t; e++)
			xv_bench_acc_event(a, &d->events[e]);
		xv_bench_acc_sample(a, &d->samples[s]);
	}
	for (; g < d->ngsamples; g++)
		xv_bench_acc_guest(a, &d->gsamples[g]);
	for (; e < d->nevents; e++)
		xv_bench_acc_event(a, &d->events[e]);
	xv_bench_acc_results(a, plan, free_floor_kib, d->interrupted, res);
	xv_bench_acc_free(a);
}
