/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool_problems.h: the problems of a pool, one list for every output.
 *
 * Down and unasked hosts, missing VMs, VMs not up, on several hosts, or
 * unexpected: built once from a pool report, printed by check_xen_pool as its
 * status line and long output, and by xvmon-sls as its feeds' texts. */
#ifndef XV_POOL_PROBLEMS_H
#define XV_POOL_PROBLEMS_H

#include "pool_report.h"

enum xv_problem_kind {
	XV_PROBLEM_HOST_DOWN,   /* failed, or silent for its deadline */
	XV_PROBLEM_HOST_UNASKED, /* not asked: a failure here, or out of time */
	XV_PROBLEM_MISSING,     /* expected VM seen nowhere */
	XV_PROBLEM_NOT_UP,      /* expected VM paused, crashed, ... */
	XV_PROBLEM_DUPLICATE,   /* VM on several hosts at once */
	XV_PROBLEM_UNEXPECTED,  /* VM up that the inventory does not list */
	XV_PROBLEM_KINDS
};

struct xv_problem {
	enum xv_problem_kind kind;
	const char *name; /* the host or VM; borrowed */
	char *detail;     /* what is wrong, e.g. "paused on xen-b"; owned */
};

struct xv_pool_problems {
	struct xv_problem *items; /* by kind in enum order, then by name */
	size_t n, alloc;
	size_t count[XV_PROBLEM_KINDS];
};

/* Builds the list; it borrows from the inventory, the results and the
 * report like the report does. */
void xv_pool_problems_build(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		      const struct xv_poll_result *results, const struct xv_pool_report *r,
		      struct xv_pool_problems *out);
void xv_pool_problems_release(struct xv_pool_problems *p);

/* "down", "not asked", "missing", "not up", "on several hosts",
 * "unexpected": how a kind reads after a count. */
const char *xv_problem_label(enum xv_problem_kind kind);
/* "host" or "vm": what a problem of this kind is about. */
const char *xv_problem_subject(enum xv_problem_kind kind);

#endif
