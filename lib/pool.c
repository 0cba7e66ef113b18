/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool.c: inventory pools -> poll targets, one pass for all of them.
 *
 * A pass where every host is an snmp:// URI goes to the SNMP engine, which
 * keeps every host in flight in this one process (snmp_poll.h); any other
 * pass, mixed ones included, to the fork-per-host poller, which reads
 * snmp:// hosts too.  Both give the same results.  XVMON_SNMP_POLLER=fork
 * in the environment forces the fork poller (to compare, or to work
 * around a problem). */
#include "pool.h"
#include "snmp_poll.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool all_snmp(const struct xv_poll_target *t, size_t n)
{
	const char *force = getenv("XVMON_SNMP_POLLER");

	if (!n || (force && !strcmp(force, "fork")))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strncmp(t[i].uri, "snmp:", 5))
			return false;
	return true;
}

struct xv_poll_result *xv_pools_poll(const struct xv_inventory *inv,
				     const struct xv_inv_pool *const *pools, size_t n_pools,
				     const struct xv_pools_poll_options *opt, size_t *n_results)
{
	struct xv_pools_poll_options none = { 0 };
	struct xv_poll_options popt = { 0 };
	struct xv_poll_target *targets;
	struct xv_poll_result *results;
	size_t n = 0;

	if (!opt)
		opt = &none;
	for (size_t j = 0; j < n_pools; j++)
		n += pools[j]->n_hosts;
	targets = xv_calloc(n, sizeof(*targets));
	results = xv_calloc(n, sizeof(*results));
	n = 0;
	popt.max_parallel = opt->parallel;
	popt.deadline_ms = opt->deadline_ms;
	popt.cleanup_deadline_ms = opt->cleanup_deadline_ms;
	for (size_t j = 0; j < n_pools; j++) {
		const struct xv_inv_pool *p = pools[j];
		if (!opt->parallel && p->parallel &&
		    (!popt.max_parallel || p->parallel < popt.max_parallel))
			popt.max_parallel = p->parallel;
		for (size_t i = 0; i < p->n_hosts; i++) {
			const struct xv_inv_host *h = &inv->hosts[p->hosts[i]];
			unsigned t = opt->timeout_ms ? opt->timeout_ms
				     : h->timeout_ms ? h->timeout_ms : p->timeout_ms;
			targets[n++] = (struct xv_poll_target){ h->name, h->uri, t };
		}
	}
	if (all_snmp(targets, n))
		xv_snmp_poll(targets, n, &popt, results);
	else
		xv_poll(targets, n, &popt, results);
	free(targets);
	*n_results = n;
	return results;
}

void xv_poll_results_free(struct xv_poll_result *results, size_t n)
{
	for (size_t i = 0; results && i < n; i++)
		xv_poll_result_release(&results[i]);
	free(results);
}
