/* availability.h: how available a pool is, from its inventory and a poll.
 *
 *   a_vm  = VMs up / VMs expected
 *   a_srv = hosts that answered / hosts expected
 *   availability = 2 a_vm a_srv / (a_vm + a_srv)   (harmonic mean)
 *
 * The harmonic mean (the seed's choice) is pulled down by the worse ratio:
 * half the VMs down on healthy hosts gives 0.67, not 0.75.
 *
 * Rules and edge cases (docs/inventory.md has the same list):
 * - A VM is up when it runs or is blocked (idle) on some host that answered;
 *   paused, crashed, dying, shut down or not found is down.  Domain-0 is
 *   never a VM of the pool.
 * - A VM found on two or more hosts at once (split brain) counts once, and
 *   is reported with its hosts.
 * - A VM that is up but not expected is reported as unexpected and does not
 *   count.
 * - The VMs of a host that did not answer are unknown: an expected VM not
 *   seen anywhere counts as down and is reported missing, with a note when
 *   hosts did not answer (it may be running there).
 * - No expected VMs: a_vm is undefined and availability is a_srv.
 * - No expected hosts but expected VMs: a_srv is undefined and
 *   availability is a_vm (which is 0: nothing can run).
 * - Nothing expected at all: availability is undefined (the plugin says
 *   UNKNOWN: an empty pool is a configuration problem, not an outage).
 * - Both ratios 0: availability 0 (the limit of the harmonic mean). */
#ifndef XV_AVAILABILITY_H
#define XV_AVAILABILITY_H

#include <stdbool.h>
#include <stddef.h>
#include "inventory.h"
#include "poller.h"
#include "snapshot.h"

struct xv_vm_seen {
	const char *vm;        /* borrowed from a snapshot */
	size_t host;           /* index into the inventory's hosts */
	enum xv_dom_state state;
};

struct xv_duplicate {
	const char *vm;
	size_t first, n;       /* its places: seen[first .. first + n) */
};

struct xv_pool_report {
	size_t hosts_expected, hosts_reachable;
	size_t vms_expected, vms_up;

	size_t *down_hosts;            /* inventory host indices that did not answer */
	size_t n_down_hosts;
	struct xv_vm_seen *not_up;     /* expected, found, but not up (worst place) */
	size_t n_not_up;
	const char **missing;          /* expected, not found on any host that answered */
	size_t n_missing;
	struct xv_vm_seen *unexpected; /* up but not expected */
	size_t n_unexpected;
	struct xv_duplicate *duplicates;
	size_t n_duplicates;
	struct xv_vm_seen *seen;       /* every guest seen, sorted by name then host */
	size_t n_seen;

	bool vm_ratio_defined, server_ratio_defined, availability_defined;
	double vm_ratio, server_ratio, availability; /* 0..1 */
};

/* Evaluates `pool` from `results`, one per pool host in the order of
 * pool->hosts.  The report borrows names from the pool's inventory and from
 * results: keep both until xv_pool_report_release(). */
void xv_pool_evaluate(const struct xv_inv_pool *pool, const struct xv_poll_result *results,
		      struct xv_pool_report *out);

void xv_pool_report_release(struct xv_pool_report *r);

/* The harmonic mean of two ratios, 0 when both are 0. */
double xv_harmonic_mean(double a, double b);

#endif
