/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool_problems.c: one list of a pool's problems. */
#include "pool_problems.h"
#include "buf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *xv_problem_label(enum xv_problem_kind kind)
{
	switch (kind) {
	case XV_PROBLEM_HOST_DOWN:
		return "down";
	case XV_PROBLEM_HOST_UNASKED:
		return "not asked";
	case XV_PROBLEM_MISSING:
		return "missing";
	case XV_PROBLEM_NOT_UP:
		return "not up";
	case XV_PROBLEM_DUPLICATE:
		return "on several hosts";
	case XV_PROBLEM_UNEXPECTED:
	case XV_PROBLEM_KINDS:
		break;
	}
	return "unexpected";
}

const char *xv_problem_subject(enum xv_problem_kind kind)
{
	return kind <= XV_PROBLEM_HOST_UNASKED ? "host" : "vm";
}

static void add(struct xv_pool_problems *p, enum xv_problem_kind kind, const char *name, char *detail)
{
	p->items = xv_grow(p->items, sizeof(*p->items), p->n + 1, &p->alloc);
	p->items[p->n++] = (struct xv_problem){ kind, name, detail };
	p->count[kind]++;
}

void xv_pool_problems_build(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		      const struct xv_poll_result *results, const struct xv_pool_report *r,
		      struct xv_pool_problems *p)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < pool->n_hosts; i++) {
		enum xv_host_outcome o = xv_poll_outcome(&results[i]);
		if (o != XV_HOST_UP)
			add(p, o == XV_HOST_DOWN ? XV_PROBLEM_HOST_DOWN : XV_PROBLEM_HOST_UNASKED,
			    inv->hosts[pool->hosts[i]].name, xv_strdup(results[i].error.msg));
	}
	for (size_t i = 0; i < r->n_missing; i++)
		add(p, XV_PROBLEM_MISSING, r->missing[i],
		    xv_strdup(r->hosts_up < r->hosts_expected
				      ? "seen on no host that answered (it may run on one that did not)"
				      : "seen on no host"));
	for (size_t i = 0; i < r->n_not_up; i++)
		add(p, XV_PROBLEM_NOT_UP, r->not_up[i].vm,
		    xv_asprintf("%s on %s", xv_dom_state_name(r->not_up[i].state),
				inv->hosts[r->not_up[i].host].name));
	for (size_t i = 0; i < r->n_duplicates; i++) {
		const struct xv_duplicate *d = &r->duplicates[i];
		struct xv_buf b = XV_BUF_INIT;
		for (size_t k = 0; k < d->n; k++)
			xv_buf_addf(&b, "%s%s (%s)", k ? ", " : "",
				    inv->hosts[r->seen[d->first + k].host].name,
				    xv_dom_state_name(r->seen[d->first + k].state));
		add(p, XV_PROBLEM_DUPLICATE, d->vm, xv_buf_detach(&b));
	}
	for (size_t i = 0; i < r->n_unexpected; i++)
		add(p, XV_PROBLEM_UNEXPECTED, r->unexpected[i].vm,
		    xv_asprintf("%s on %s",
				xv_dom_state_name(r->unexpected[i].state),
				inv->hosts[r->unexpected[i].host].name));
}

void xv_pool_problems_release(struct xv_pool_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].detail);
	free(p->items);
	memset(p, 0, sizeof(*p));
}
