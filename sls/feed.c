/* feed.c: availability, status, texts and numbers of a pool's SLS feeds. */
#include "feed.h"
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

/* floor(1000 a / b) for a <= b, b > 0 */
static unsigned ratio_permille(uint64_t a, uint64_t b)
{
	return (unsigned)((unsigned __int128)a * 1000 / b);
}

bool xv_sls_permille(const struct xv_pool_report *r, enum xv_sls_kind kind, unsigned *permille)
{
	uint64_t u = r->vms_up, U = r->vms_expected, h = r->hosts_reachable, H = r->hosts_expected;

	switch (kind) {
	case XV_SLS_VM:
		if (!U)
			return false;
		*permille = ratio_permille(u, U);
		return true;
	case XV_SLS_PM:
		if (!H)
			return false;
		*permille = ratio_permille(h, H);
		return true;
	case XV_SLS_ALL:
		break;
	}
	if (!U && !H)
		return false;
	if (!U)
		return xv_sls_permille(r, XV_SLS_PM, permille);
	if (!H)
		return xv_sls_permille(r, XV_SLS_VM, permille);
	/* 2 (u/U)(h/H) / (u/U + h/H) = 2uh / (uH + hU); 0 when both are 0 */
	if (!u || !h) {
		*permille = 0;
		return true;
	}
	*permille = (unsigned)((unsigned __int128)2000 * u * h /
			       ((unsigned __int128)u * H + (unsigned __int128)h * U));
	return true;
}

void xv_sls_format_permille(unsigned permille, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u", permille / 10, permille % 10);
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

bool xv_sls_poll_failed(const struct xv_pool_report *r)
{
	return r->hosts_expected > 0 && r->hosts_reachable == 0;
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
	unsigned pm;

	if (!xv_sls_permille(r, kind, &pm))
		return; /* undefined: no number rather than a made-up one */
	xv_sls_format_permille(pm, add_number(u, name, desc, NULL)->value, 32);
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
	count(u, "hosts_reachable", "hosts that answered", "hosts", r->hosts_reachable);
	count(u, "hosts_down", "hosts that timed out or failed", "hosts", r->n_down_hosts);
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

static const char *host_name(const struct xv_inventory *inv, size_t i)
{
	return inv->hosts[i].name;
}

static void down_hosts(struct xv_buf *b, const struct xv_inventory *inv,
		       const struct xv_inv_pool *pool, const struct xv_poll_result *results,
		       const struct xv_pool_report *r)
{
	struct lister l;

	if (!r->n_down_hosts)
		return;
	list_begin(&l, b, "Hosts that did not answer", r->n_down_hosts);
	for (size_t i = 0; i < pool->n_hosts; i++) {
		const struct xv_poll_result *res = &results[i];
		if (res->status == XV_POLL_OK)
			continue;
		if (!list_item(&l))
			break;
		xv_buf_addf(b, "%s (%s: %s)", host_name(inv, pool->hosts[i]),
			    xv_poll_status_name(res->status), res->error ? res->error : "no reason given");
	}
	list_end(&l);
}

static void vm_problems(struct xv_buf *b, const struct xv_inventory *inv,
			const struct xv_pool_report *r)
{
	struct lister l;

	if (r->n_missing) {
		list_begin(&l, b,
			   r->n_down_hosts ? "Missing (seen on no host that answered; they may run on "
					     "a host that did not)"
					   : "Missing (seen on no host)",
			   r->n_missing);
		for (size_t i = 0; i < r->n_missing && list_item(&l); i++)
			xv_buf_adds(b, r->missing[i]);
		list_end(&l);
	}
	if (r->n_not_up) {
		list_begin(&l, b, "Not up", r->n_not_up);
		for (size_t i = 0; i < r->n_not_up && list_item(&l); i++)
			xv_buf_addf(b, "%s (%s on %s)", r->not_up[i].vm,
				    xv_dom_state_name(r->not_up[i].state),
				    host_name(inv, r->not_up[i].host));
		list_end(&l);
	}
	if (r->n_duplicates) {
		list_begin(&l, b, "On several hosts at once (counted once)", r->n_duplicates);
		for (size_t i = 0; i < r->n_duplicates && list_item(&l); i++) {
			const struct xv_duplicate *d = &r->duplicates[i];
			xv_buf_addf(b, "%s (", d->vm);
			for (size_t k = 0; k < d->n; k++)
				xv_buf_addf(b, "%s%s", k ? ", " : "",
					    host_name(inv, r->seen[d->first + k].host));
			xv_buf_addch(b, ')');
		}
		list_end(&l);
	}
	if (r->n_unexpected) {
		list_begin(&l, b, "Up but not in the inventory (not counted)", r->n_unexpected);
		for (size_t i = 0; i < r->n_unexpected && list_item(&l); i++)
			xv_buf_addf(b, "%s (on %s)", r->unexpected[i].vm,
				    host_name(inv, r->unexpected[i].host));
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
	unsigned p;

	xv_sls_format_permille(permille, pct, sizeof(pct));
	if (xv_sls_permille(r, XV_SLS_VM, &p))
		xv_sls_format_permille(p, vm, sizeof(vm));
	if (xv_sls_permille(r, XV_SLS_PM, &p))
		xv_sls_format_permille(p, pm, sizeof(pm));
	switch (kind) {
	case XV_SLS_VM:
		xv_buf_addf(b, "%zu of %zu expected VMs up (%s%%).", r->vms_up, r->vms_expected, pct);
		return;
	case XV_SLS_PM:
		xv_buf_addf(b, "%zu of %zu hosts answered (%s%%).", r->hosts_reachable,
			    r->hosts_expected, pct);
		return;
	case XV_SLS_ALL:
		break;
	}
	if (*vm && *pm)
		xv_buf_addf(b, "Availability %s%%: %zu of %zu VMs up (%s%%), %zu of %zu hosts "
			    "answered (%s%%).", pct, r->vms_up, r->vms_expected, vm,
			    r->hosts_reachable, r->hosts_expected, pm);
	else if (*pm)
		xv_buf_addf(b, "Availability %s%%: %zu of %zu hosts answered; no VMs are expected, "
			    "so this is the server ratio alone.", pct, r->hosts_reachable,
			    r->hosts_expected);
	else
		xv_buf_addf(b, "Availability %s%%: %zu of %zu VMs up; the pool has no hosts, so "
			    "this is the VM ratio alone.", pct, r->vms_up, r->vms_expected);
}

static void build_feed(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		       const char *id, const struct xv_poll_result *results,
		       const struct xv_pool_report *r, struct xv_sls_update *u,
		       enum xv_sls_kind kind)
{
	struct xv_sls_feed *f = &u->feeds[kind];
	struct xv_buf info = XV_BUF_INIT;

	f->kind = kind;
	f->id = xv_asprintf("%s%s", id, xv_sls_suffix(kind));
	f->desc = describe(pool->name, kind);
	f->defined = xv_sls_permille(r, kind, &f->permille);
	if (u->poll_failed) {
		f->has_availability = false;
		f->status = XV_SLS_UNAVAILABLE;
		xv_buf_addf(&info, "No host of pool %s answered (%zu expected): the pool is down, "
			    "or this exporter cannot reach it.", pool->name, r->hosts_expected);
		if (kind == XV_SLS_VM)
			xv_buf_addf(&info, " The state of the %zu expected VMs is unknown.",
				    r->vms_expected);
		down_hosts(&info, inv, pool, results, r);
	} else {
		f->has_availability = true;
		f->status = xv_sls_status_of(f->permille);
		if (f->defined)
			headline(&info, r, kind, f->permille);
		if (kind != XV_SLS_PM)
			vm_problems(&info, inv, r);
		down_hosts(&info, inv, pool, results, r);
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
	u->poll_failed = xv_sls_poll_failed(r);
	for (int k = 0; k < XV_SLS_KINDS; k++)
		build_feed(inv, pool, id, results, r, u, (enum xv_sls_kind)k);
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
