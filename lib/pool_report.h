/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool_report.h: how available a pool is, from its inventory and a poll.
 *
 *   a_vm  = VMs up / VMs expected
 *   a_srv = hosts that answered / hosts expected
 *   availability = 2 a_vm a_srv / (a_vm + a_srv)   (harmonic mean)
 *
 * The harmonic mean (the seed's choice) is pulled down by the worse ratio:
 * half the VMs down on healthy hosts gives 66.6%, not 75%.
 *
 * Every ratio is computed here once, with integers, in tenths of a percent
 * rounded down (2/3 is 66.6: a figure never shows more than was measured);
 * plugin text, perfdata, thresholds, SLS feeds, the MIB and metrics all print
 * this one value, so they cannot disagree.
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
 * - Nothing expected at all: availability is undefined (an empty pool is a
 *   configuration problem, not an outage).
 * - Both ratios 0: availability 0 (the limit of the harmonic mean).
 * - Only hosts that failed or stayed silent for their own deadline are down.
 *   A host the checker could not ask (fork or descriptors failed here, a
 *   source this build cannot read) or that the check's overall deadline cut
 *   short is not evidence of anything: the poll is then not a measurement
 *   (see enum xv_pool_verdict), whatever the ratios say. */
#ifndef XV_POOL_REPORT_H
#define XV_POOL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "inventory.h"
#include "permille.h"
#include "poller.h"
#include "snapshot.h"

/* What kind of figure a poll gave. */
enum xv_pool_verdict {
	XV_POOL_MEASURED,     /* every host answered or was down by its own fault */
	XV_POOL_NO_ANSWER,    /* every host was asked and none answered: the pool is
			       * down, or the checker's network is */
	XV_POOL_OUT_OF_TIME,  /* the check's deadline cut some hosts short */
	XV_POOL_CHECKER_FAILED, /* some host could not be asked: a failure here */
	XV_POOL_EMPTY,        /* nothing expected: no hosts and no VMs */
};

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
	enum xv_pool_verdict verdict;
	size_t hosts_expected, hosts_up, hosts_down, hosts_unasked;
	size_t vms_expected, vms_up;
	struct xv_permille vm_ratio, server_ratio, availability;

	size_t first_unasked;          /* pool host index, when hosts_unasked */
	const char **missing;          /* expected, not found on any host that answered */
	size_t n_missing;
	struct xv_vm_seen *not_up;     /* expected, found, but not up (worst place) */
	size_t n_not_up;
	struct xv_duplicate *duplicates;
	size_t n_duplicates;
	struct xv_vm_seen *unexpected; /* up but not expected */
	size_t n_unexpected;
	struct xv_vm_seen *seen;       /* every guest seen, sorted by name then host */
	size_t n_seen;
};

/* Evaluates `pool` from `results`, one per pool host in the order of
 * pool->hosts.  The report borrows names from the pool's inventory and from
 * results: keep both until xv_pool_report_release(). */
void xv_pool_report_build(const struct xv_inv_pool *pool, const struct xv_poll_result *results,
		      struct xv_pool_report *out);

void xv_pool_report_release(struct xv_pool_report *r);

/* Computes the three ratios from the report's counts (vms_up, vms_expected,
 * hosts_up, hosts_expected), by the rules above; xv_pool_report_build() calls it. */
void xv_pool_report_figures(struct xv_pool_report *r);

#endif
