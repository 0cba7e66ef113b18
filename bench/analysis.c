/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analysis.c: from samples and events to the capacity report's numbers. */
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

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void footprints(const struct xv_bench_data *d, struct xv_bench_results *res)
{
	uint64_t *v = xv_malloc((d->ngsamples ? d->ngsamples : 1) * sizeof(*v));

	for (unsigned p = 0; p < d->nprofiles; p++) {
		struct xv_bench_footprint *f = &res->foot[p];
		double sum = 0;
		size_t n = 0;

		for (size_t i = 0; i < d->ngsamples; i++) {
			const struct xv_bench_gsample *g = &d->gsamples[i];
			if (g->profile != p)
				continue;
			if (g->memory_kib > f->memory_kib)
				f->memory_kib = g->memory_kib;
			if (g->booting)
				continue;
			v[n++] = g->alloc_kib;
			sum += (double)g->alloc_kib;
		}
		f->samples = n;
		if (!n)
			continue;
		qsort(v, n, sizeof(*v), cmp_u64);
		f->mean_kib = sum / (double)n;
		/* nearest rank: the smallest value with 95% at or below it */
		f->p95_kib = v[(n * 95 + 99) / 100 - 1];
		f->max_kib = v[n - 1];
	}
	free(v);
}

/* Settle times: from each guest's creation to its "settled" event. */
static void settling(const struct xv_bench_data *d, struct xv_bench_results *res)
{
	uint64_t *created = xv_calloc(d->nguests ? d->nguests : 1, sizeof(*created));
	double sum[XV_BENCH_MAX_PROFILES] = { 0 };

	for (size_t i = 0; i < d->nevents; i++) {
		const struct xv_bench_rec_event *e = &d->events[i];
		struct xv_bench_footprint *f;
		uint64_t ms;

		if (e->guest < 0 || e->profile < 0)
			continue;
		f = &res->foot[e->profile];
		if (e->kind == XV_EV_CREATE) {
			created[e->guest] = e->time_ms;
			f->created++;
		} else if (e->kind == XV_EV_SETTLED && e->time_ms >= created[e->guest]) {
			ms = e->time_ms - created[e->guest];
			f->settled++;
			sum[e->profile] += (double)ms;
			if (ms > f->settle_max_ms)
				f->settle_max_ms = ms;
		}
	}
	for (unsigned p = 0; p < d->nprofiles; p++)
		if (res->foot[p].settled)
			res->foot[p].settle_mean_ms = sum[p] / res->foot[p].settled;
	free(created);
}

static void by_count(const struct xv_bench_data *d, struct xv_bench_results *res)
{
	unsigned max = 0;

	for (size_t i = 0; i < d->nsamples; i++)
		if (d->samples[i].added > max)
			max = d->samples[i].added;
	res->rows = xv_calloc(max + 1, sizeof(*res->rows));
	for (size_t i = 0; i < d->nsamples; i++) {
		const struct xv_bench_sample *s = &d->samples[i];
		struct xv_bench_count_row *row = &res->rows[s->added];

		if (!row->samples || s->free_kib < row->free_min_kib)
			row->free_min_kib = s->free_kib;
		row->samples++;
		row->total_kib = s->total_kib;
		row->free_mean_kib += (double)s->free_kib;
		row->used_mean_kib += (double)(s->total_kib - s->free_kib);
		row->memory_mean_kib += (double)s->memory_kib;
		if (s->swapping > row->swapping_max)
			row->swapping_max = s->swapping;
	}
	/* keep only counts that were sampled, in order */
	for (unsigned a = 0; a <= max; a++) {
		struct xv_bench_count_row row = res->rows[a];

		if (!row.samples)
			continue;
		row.added = a;
		row.free_mean_kib /= row.samples;
		row.used_mean_kib /= row.samples;
		row.memory_mean_kib /= row.samples;
		row.ratio = row.used_mean_kib > 0 ? row.memory_mean_kib / row.used_mean_kib : 0;
		res->rows[res->nrows++] = row;
	}
}

void xv_bench_analyze(const struct xv_bench_data *d, const struct xv_bench_plan *plan,
		      uint64_t free_floor_kib, struct xv_bench_results *res)
{
	unsigned nratio = 0;
	double ratio_sum = 0;
	bool safe = true;

	memset(res, 0, sizeof(*res));
	res->dom0_onset = res->first_failure = res->first_swap = res->max_safe = -1;
	res->max_plain = -1;
	res->free_floor_kib = free_floor_kib;
	res->interrupted = d->interrupted;
	if (plan && plan->proc.mix.count)
		res->max_plain = xv_bench_max_plain(plan, &plan->profiles[plan->proc.mix.profile[0]]);

	for (size_t i = 0; i < d->nevents; i++) {
		const struct xv_bench_rec_event *e = &d->events[i];

		if (e->time_ms > res->sim_ms)
			res->sim_ms = e->time_ms;
		switch (e->kind) {
		case XV_EV_CREATE:
			res->created++;
			break;
		case XV_EV_CREATE_FAILED:
			if (!res->failures++) {
				res->first_failure = (int)e->added;
				res->first_failure_text = e->text;
			}
			break;
		case XV_EV_DOM0_BALLOON:
			if (!res->dom0_steps++)
				res->dom0_onset = (int)e->added;
			break;
		case XV_EV_SWAP_ON:
			if (!res->swap_onsets++)
				res->first_swap = (int)e->added;
			break;
		case XV_EV_INTERRUPTED:
			res->stop_reason = e->text;
			break;
		default:
			break;
		}
	}
	res->dom0_min_kib = UINT64_MAX;
	for (size_t i = 0; i < d->nsamples; i++) {
		const struct xv_bench_sample *s = &d->samples[i];
		if (s->time_ms > res->sim_ms)
			res->sim_ms = s->time_ms;
		if (s->added > res->max_added)
			res->max_added = s->added;
		if (s->dom0_kib < res->dom0_min_kib)
			res->dom0_min_kib = s->dom0_kib;
	}
	if (!d->nsamples)
		res->dom0_min_kib = 0;

	by_count(d, res);
	for (unsigned i = 0; i < res->nrows; i++) {
		const struct xv_bench_count_row *row = &res->rows[i];

		if (row->added >= 1) {
			ratio_sum += row->ratio;
			nratio++;
			res->ratio_last = row->ratio;
		}
		/* safe up to the first count that is not */
		if (safe && row->free_min_kib >= free_floor_kib && !row->swapping_max)
			res->max_safe = (int)row->added;
		else
			safe = false;
	}
	res->ratio_mean = nratio ? ratio_sum / nratio : 0;
	footprints(d, res);
	settling(d, res);
}

void xv_bench_results_release(struct xv_bench_results *res)
{
	if (!res)
		return;
	free(res->rows);
	res->rows = NULL;
	res->nrows = 0;
}
