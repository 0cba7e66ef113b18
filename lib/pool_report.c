/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool_report.c: what a poll says about a pool: counts, ratios, verdict. */
#include "pool_report.h"
#include "buf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_vm_then_host(const void *x, const void *y)
{
	const struct xv_vm_seen *a = x, *b = y;
	int c = strcmp(a->vm, b->vm);

	if (c)
		return c;
	return a->host < b->host ? -1 : a->host > b->host;
}

/* Lower is worse; the place reported for a VM that is not up anywhere. */
static bool worse(enum xv_dom_state a, enum xv_dom_state b)
{
	return a < b; /* enum xv_dom_state is ordered worst first */
}

static bool up(enum xv_dom_state s)
{
	return s == XV_STATE_RUNNING || s == XV_STATE_BLOCKED || s == XV_STATE_NONE;
}

static void collect(const struct xv_inv_pool *pool, const struct xv_poll_result *results,
		    struct xv_pool_report *r)
{
	size_t alloc = 0;
	bool local = false;

	for (size_t i = 0; i < pool->n_hosts; i++) {
		const struct xv_poll_result *res = &results[i];
		switch (xv_poll_outcome(res)) {
		case XV_HOST_DOWN:
			r->hosts_down++;
			continue;
		case XV_HOST_UNASKED:
			if (!r->hosts_unasked++)
				r->first_unasked = i;
			if (!res->out_of_time)
				local = true;
			continue;
		case XV_HOST_UP:
			break;
		}
		r->hosts_up++;
		for (size_t j = 0; j < res->snap.n_domains; j++) {
			const struct xv_domain *d = &res->snap.domains[j];
			if (d->id == 0)
				continue;
			r->seen = xv_grow(r->seen, sizeof(*r->seen), r->n_seen + 1, &alloc);
			r->seen[r->n_seen++] = (struct xv_vm_seen){ d->name, pool->hosts[i],
								    xv_domain_state(d) };
		}
	}
	xv_sort(r->seen, r->n_seen, sizeof(*r->seen), by_vm_then_host);
	if (local)
		r->verdict = XV_POOL_CHECKER_FAILED;
	else if (r->hosts_unasked)
		r->verdict = XV_POOL_OUT_OF_TIME;
	else if (!r->hosts_expected && !r->vms_expected)
		r->verdict = XV_POOL_EMPTY;
	else if (r->hosts_expected && !r->hosts_up)
		r->verdict = XV_POOL_NO_ANSWER;
	else
		r->verdict = XV_POOL_MEASURED;
}

void xv_pool_report_figures(struct xv_pool_report *r)
{
	uint64_t u = r->vms_up, U = r->vms_expected, h = r->hosts_up, H = r->hosts_expected;

	r->vm_ratio = (struct xv_permille){ U > 0, xv_permille_ratio(u, U) };
	r->server_ratio = (struct xv_permille){ H > 0, xv_permille_ratio(h, H) };
	if (U && H)
		r->availability = (struct xv_permille){ true, xv_permille_hmean(u, U, h, H) };
	else if (H)
		r->availability = r->server_ratio;
	else
		r->availability = r->vm_ratio;
}

void xv_pool_report_build(const struct xv_inv_pool *pool, const struct xv_poll_result *results,
		      struct xv_pool_report *r)
{
	size_t a_not_up = 0, a_unexp = 0, a_dup = 0, a_missing = 0, v = 0;

	memset(r, 0, sizeof(*r));
	r->hosts_expected = pool->n_hosts;
	r->vms_expected = pool->n_vms;
	collect(pool, results, r);

	/* Walk the sorted places and the sorted expected names together. */
	for (size_t i = 0; i < r->n_seen;) {
		size_t j = i, best = i, hosts = 1;
		bool is_up = false;
		const char *name = r->seen[i].vm;
		int expected;

		for (; j < r->n_seen && !strcmp(r->seen[j].vm, name); j++) {
			if (j > i && r->seen[j].host != r->seen[j - 1].host)
				hosts++;
			if (up(r->seen[j].state))
				is_up = true;
			else if (worse(r->seen[j].state, r->seen[best].state))
				best = j;
		}
		while (v < pool->n_vms && strcmp(pool->vms[v], name) < 0) {
			r->missing = xv_grow(r->missing, sizeof(*r->missing), r->n_missing + 1, &a_missing);
			r->missing[r->n_missing++] = pool->vms[v++];
		}
		expected = v < pool->n_vms && !strcmp(pool->vms[v], name);
		if (expected)
			v++;
		if (hosts > 1) {
			r->duplicates = xv_grow(r->duplicates, sizeof(*r->duplicates),
						r->n_duplicates + 1, &a_dup);
			r->duplicates[r->n_duplicates++] = (struct xv_duplicate){ name, i, j - i };
		}
		if (expected && is_up) {
			r->vms_up++;
		} else if (expected) {
			r->not_up = xv_grow(r->not_up, sizeof(*r->not_up), r->n_not_up + 1, &a_not_up);
			r->not_up[r->n_not_up++] = r->seen[best];
		} else if (is_up) {
			for (size_t k = i; k < j; k++) {
				if (!up(r->seen[k].state))
					continue;
				r->unexpected = xv_grow(r->unexpected, sizeof(*r->unexpected),
							r->n_unexpected + 1, &a_unexp);
				r->unexpected[r->n_unexpected++] = r->seen[k];
				break;
			}
		}
		i = j;
	}
	while (v < pool->n_vms) {
		r->missing = xv_grow(r->missing, sizeof(*r->missing), r->n_missing + 1, &a_missing);
		r->missing[r->n_missing++] = pool->vms[v++];
	}
	xv_pool_report_figures(r);
}

void xv_pool_report_release(struct xv_pool_report *r)
{
	free(r->not_up);
	free(r->missing);
	free(r->unexpected);
	free(r->duplicates);
	free(r->seen);
	memset(r, 0, sizeof(*r));
}
