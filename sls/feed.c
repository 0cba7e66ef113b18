/* SPDX-License-Identifier: GPL-3.0-or-later */
/* feed.c: availability, status, texts and numbers of a pool's SLS feeds. */
#include "feed.h"
#include "pool_problems.h"
#include "buf.h"
#include "num.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *xv_sls_suffix(enum xv_sls_kind kind)
{
	switch (kind) {
	case XV_SLS_VM:
		return "_vm";
	case XV_SLS_PM:
		return "_pm";
	case XV_SLS_ALL:
		break;
	}
	return "";
}

/* The report's figure for one feed (every output prints that one). */
static struct xv_permille figure(const struct xv_pool_report *r, enum xv_sls_kind kind)
{
	switch (kind) {
	case XV_SLS_VM:
		return r->vm_ratio;
	case XV_SLS_PM:
		return r->server_ratio;
	case XV_SLS_ALL:
		break;
	}
	return r->availability;
}

enum xv_sls_status xv_sls_status_of(unsigned permille)
{
	if (permille >= 1000)
		return XV_SLS_AVAILABLE;
	return permille ? XV_SLS_DEGRADED : XV_SLS_UNAVAILABLE;
}

const char *xv_sls_status_name(enum xv_sls_status s)
{
	switch (s) {
	case XV_SLS_AVAILABLE:
		return "available";
	case XV_SLS_DEGRADED:
		return "degraded";
	case XV_SLS_UNAVAILABLE:
		break;
	}
	return "unavailable";
}

/* --- numbers ---------------------------------------------------------- */

static struct xv_sls_number *add_number(struct xv_sls_update *u, const char *name,
					const char *desc, const char *group)
{
	struct xv_sls_number *n;

	if (u->n_numbers >= XV_SLS_MAX_NUMBERS)
		xv_die("xvmon-sls: too many numbers in a feed"); /* a programming error */
	n = &u->numbers[u->n_numbers++];
	n->name = name;
	n->desc = desc;
	n->group = group;
	return n;
}

static void count(struct xv_sls_update *u, const char *name, const char *desc, const char *group,
		  size_t v)
{
	struct xv_sls_number *n = add_number(u, name, desc, group);
	snprintf(n->value, sizeof(n->value), "%zu", v);
}

static void percent(struct xv_sls_update *u, const struct xv_pool_report *r, enum xv_sls_kind kind,
		    const char *name, const char *desc)
{
	struct xv_permille pm = figure(r, kind);

	if (!pm.defined)
		return; /* undefined: no number rather than a made-up one */
	xv_permille_format(pm.value, add_number(u, name, desc, NULL)->value, 32);
}

static void numbers(struct xv_sls_update *u, const struct xv_pool_report *r, unsigned poll_ms)
{
	bool known = !u->poll_failed;

	if (known) {
		percent(u, r, XV_SLS_ALL, "availability",
			"harmonic mean of vm_ratio and server_ratio, percent");
		percent(u, r, XV_SLS_VM, "vm_ratio", "expected VMs up, percent");
		percent(u, r, XV_SLS_PM, "server_ratio", "hosts that answered, percent");
	}
	count(u, "hosts", "hosts expected", "hosts", r->hosts_expected);
	count(u, "hosts_reachable", "hosts that answered", "hosts", r->hosts_up);
	count(u, "hosts_down", "hosts that timed out or failed", "hosts", r->hosts_down);
	count(u, "vms", "VMs expected", "vms", r->vms_expected);
	if (known) {
		count(u, "vms_up", "expected VMs running or idle", "vms", r->vms_up);
		count(u, "vms_missing", "expected VMs seen on no host that answered", "vms",
		      r->n_missing);
		count(u, "vms_not_up", "expected VMs paused, crashed, dying or shut down", "vms",
		      r->n_not_up);
		count(u, "vms_duplicate", "VMs seen on several hosts at once", "vms",
		      r->n_duplicates);
		count(u, "vms_unexpected", "VMs up that the inventory does not list", "vms",
		      r->n_unexpected);
	}
	xv_format_double(poll_ms / 1000.0, add_number(u, "poll_time", "seconds the poll took", NULL)->value,
			 32);
}

/* --- texts ------------------------------------------------------------ */

struct lister {
	struct xv_buf *b;
	size_t shown, total;
};

static void list_begin(struct lister *l, struct xv_buf *b, const char *heading, size_t total)
{
	l->b = b;
	l->shown = 0;
	l->total = total;
	xv_buf_addf(b, "\n%s: ", heading);
}

/* Starts the next item, or returns false when the list is full. */
static bool list_item(struct lister *l)
{
	if (l->shown == XV_SLS_MAX_NAMES)
		return false;
	if (l->shown++)
		xv_buf_adds(l->b, ", ");
	return true;
}

static void list_end(struct lister *l)
{
	if (l->total > l->shown)
		xv_buf_addf(l->b, " and %zu more", l->total - l->shown);
	xv_buf_addch(l->b, '.');
}

static const char *heading(enum xv_problem_kind kind, bool some_silent)
{
	switch (kind) {
	case XV_PROBLEM_HOST_DOWN:
		return "Hosts that did not answer";
	case XV_PROBLEM_HOST_UNASKED:
		return "Hosts not asked";
	case XV_PROBLEM_MISSING:
		return some_silent ? "Missing (seen on no host that answered; they may run on a host "
				     "that did not)"
				   : "Missing (seen on no host)";
	case XV_PROBLEM_NOT_UP:
		return "Not up";
	case XV_PROBLEM_DUPLICATE:
		return "On several hosts at once (counted once)";
	case XV_PROBLEM_UNEXPECTED:
	case XV_PROBLEM_KINDS:
		break;
	}
	return "Up but not in the inventory (not counted)";
}

/* The problems of the kinds a feed is about, from the pool's one list:
 * "\nHeading: name (detail), name (detail) and 3 more." */
static void problems(struct xv_buf *b, const struct xv_pool_problems *p,
		     const struct xv_pool_report *r, bool hosts, bool vms)
{
	/* the VMs first: they are what a VM or combined feed is about */
	static const enum xv_problem_kind order[] = {
		XV_PROBLEM_MISSING, XV_PROBLEM_NOT_UP, XV_PROBLEM_DUPLICATE, XV_PROBLEM_UNEXPECTED,
		XV_PROBLEM_HOST_DOWN, XV_PROBLEM_HOST_UNASKED,
	};

	for (size_t o = 0; o < XV_ARRAY_SIZE(order); o++) {
		enum xv_problem_kind k = order[o];
		bool host_kind = k <= XV_PROBLEM_HOST_UNASKED;
		struct lister l;
		if (!p->count[k] || (host_kind ? !hosts : !vms))
			continue;
		list_begin(&l, b, heading(k, r->hosts_up < r->hosts_expected), p->count[k]);
		for (size_t i = 0; i < p->n; i++) {
			if (p->items[i].kind != k)
				continue;
			if (!list_item(&l))
				break;
			if (k == XV_PROBLEM_MISSING)
				xv_buf_adds(b, p->items[i].name); /* the heading says it all */
			else
				xv_buf_addf(b, "%s (%s)", p->items[i].name, p->items[i].detail);
		}
		list_end(&l);
	}
}

static char *describe(const char *pool, enum xv_sls_kind kind)
{
	switch (kind) {
	case XV_SLS_VM:
		return xv_asprintf("Xen pool %s: expected VMs that are up (running or idle), percent",
				   pool);
	case XV_SLS_PM:
		return xv_asprintf("Xen pool %s: hypervisors that answered the poll, percent", pool);
	case XV_SLS_ALL:
		break;
	}
	return xv_asprintf("Xen pool %s: harmonic mean of the VM and hypervisor availabilities",
			   pool);
}

/* The first line of availabilityinfo: the figure and where it comes from. */
static void headline(struct xv_buf *b, const struct xv_pool_report *r, enum xv_sls_kind kind,
		     unsigned permille)
{
	char pct[16], vm[16] = "", pm[16] = "";

	xv_permille_format(permille, pct, sizeof(pct));
	if (r->vm_ratio.defined)
		xv_permille_format(r->vm_ratio.value, vm, sizeof(vm));
	if (r->server_ratio.defined)
		xv_permille_format(r->server_ratio.value, pm, sizeof(pm));
	switch (kind) {
	case XV_SLS_VM:
		xv_buf_addf(b, "%zu of %zu expected VMs up (%s%%).", r->vms_up, r->vms_expected, pct);
		return;
	case XV_SLS_PM:
		xv_buf_addf(b, "%zu of %zu hosts answered (%s%%).", r->hosts_up,
			    r->hosts_expected, pct);
		return;
	case XV_SLS_ALL:
		break;
	}
	if (*vm && *pm)
		xv_buf_addf(b, "Availability %s%%: %zu of %zu VMs up (%s%%), %zu of %zu hosts "
			    "answered (%s%%).", pct, r->vms_up, r->vms_expected, vm,
			    r->hosts_up, r->hosts_expected, pm);
	else if (*pm)
		xv_buf_addf(b, "Availability %s%%: %zu of %zu hosts answered; no VMs are expected, "
			    "so this is the server ratio alone.", pct, r->hosts_up,
			    r->hosts_expected);
	else
		xv_buf_addf(b, "Availability %s%%: %zu of %zu VMs up; the pool has no hosts, so "
			    "this is the VM ratio alone.", pct, r->vms_up, r->vms_expected);
}

static void build_feed(const struct xv_inv_pool *pool, const char *id,
		       const struct xv_pool_problems *p, const struct xv_pool_report *r,
		       struct xv_sls_update *u, enum xv_sls_kind kind)
{
	struct xv_sls_feed *f = &u->feeds[kind];
	struct xv_buf info = XV_BUF_INIT;
	struct xv_permille pm = figure(r, kind);

	f->kind = kind;
	f->id = xv_asprintf("%s%s", id, xv_sls_suffix(kind));
	f->desc = describe(pool->name, kind);
	f->defined = pm.defined;
	f->permille = pm.value;
	if (u->poll_failed) {
		f->has_availability = false;
		f->status = XV_SLS_UNAVAILABLE;
		xv_buf_addf(&info, "No host of pool %s answered (%zu expected): the pool is down, "
			    "or this exporter cannot reach it.", pool->name, r->hosts_expected);
		if (kind == XV_SLS_VM)
			xv_buf_addf(&info, " The state of the %zu expected VMs is unknown.",
				    r->vms_expected);
		problems(&info, p, r, true, false);
	} else {
		f->has_availability = true;
		f->status = xv_sls_status_of(f->permille);
		if (f->defined)
			headline(&info, r, kind, f->permille);
		problems(&info, p, r, true, kind != XV_SLS_PM);
	}
	f->info = xv_buf_detach(&info);
}

void xv_sls_update_build(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
			 const char *id, const struct xv_poll_result *results,
			 const struct xv_pool_report *r, struct timespec timestamp, unsigned poll_ms,
			 struct xv_sls_update *u)
{
	memset(u, 0, sizeof(*u));
	u->pool = pool->name;
	u->contact = pool->sls_contact && *pool->sls_contact ? pool->sls_contact : NULL;
	u->webpage = pool->sls_webpage && *pool->sls_webpage ? pool->sls_webpage : NULL;
	u->timestamp = timestamp;
	struct xv_pool_problems p;

	u->poll_failed = r->verdict == XV_POOL_NO_ANSWER;
	xv_pool_problems_build(inv, pool, results, r, &p);
	for (int k = 0; k < XV_SLS_KINDS; k++)
		build_feed(pool, id, &p, r, u, (enum xv_sls_kind)k);
	xv_pool_problems_release(&p);
	numbers(u, r, poll_ms);
}

void xv_sls_update_release(struct xv_sls_update *u)
{
	for (int k = 0; k < XV_SLS_KINDS; k++) {
		free(u->feeds[k].id);
		free(u->feeds[k].desc);
		free(u->feeds[k].info);
	}
	memset(u, 0, sizeof(*u));
}
